import { ValidationError } from '../common/errors/domain-errors';
import {
  addMonths, attendedForGoal, daysBetween, gasLabelKey, goalRowsFromBody, goalRowViews, parseGoalRows, parseScores, scoresFromBody, signedScore,
} from './plan-form';

const TYPE = '11111111-1111-4111-8111-111111111111';
const OTHER_HOME_TYPE = '22222222-2222-4222-8222-222222222222';

function errorsOf(run: () => unknown): Record<string, string> {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return Object.fromEntries(Object.entries(error.fields).map(([field, message]) => [field, message.key]));
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('parseGoalRows', () => {
  const sut = parseGoalRows;
  const types = new Set([TYPE]);

  it('should read each row with its own ticked categories and types when rows are sent in parallel', () => {
    const goals = sut({
      goalDescription: ['Sing with the choir', '  Walk in the garden  ', ''],
      goalTarget: ['2', '3', '1'],
      goalStatus: ['active', 'achieved', 'active'],
      goalCategories: ['0:creative', '1:physical', '1:outing'],
      goalTypes: [`0:${TYPE}`],
    }, types);

    expect(goals).toEqual([
      { description: 'Sing with the choir', categories: ['creative'], activityTypeIds: [TYPE], targetPerWeek: 2, status: 'active' },
      { description: 'Walk in the garden', categories: ['physical', 'outing'], activityTypeIds: [], targetPerWeek: 3, status: 'achieved' },
    ]);
  });

  it('should skip a row when it has no description and nothing ticked', () => {
    expect(sut({ goalDescription: ['', ''], goalTarget: ['1', '1'], goalStatus: ['active', 'active'] }, types)).toEqual([]);
  });

  it('should name the row and the part when a row is incomplete', () => {
    const errors = errorsOf(() => sut({
      goalDescription: ['Cards on Friday', '', 'Music'],
      goalTarget: ['many', '1', '40'],
      goalStatus: ['active', 'active', 'forgotten'],
      goalCategories: ['1:social', '2:social'],
    }, types));

    expect(errors).toEqual({
      'goal.0.target': 'validation.isInt',
      'goal.0.categories': 'plans.goalNeedsActivities',
      'goal.1.description': 'plans.goalDescriptionRequired',
      'goal.2.target': 'validation.max',
      'goal.2.status': 'validation.isIn',
    });
  });

  it('should refuse an activity type of another home and an unknown category when they are forged', () => {
    const errors = errorsOf(() => sut({
      goalDescription: ['Painting', 'Dancing'], goalTarget: ['1', '1'], goalStatus: ['active', 'active'],
      goalCategories: ['1:ballroom'], goalTypes: [`0:${OTHER_HOME_TYPE}`],
    }, types));

    expect(errors).toEqual({ 'goal.0.categories': 'validation.isIn', 'goal.1.categories': 'validation.isIn' });
  });

  it('should refuse a choice for a row that was not sent', () => {
    expect(errorsOf(() => sut({ goalDescription: ['Painting'], goalTarget: ['1'], goalStatus: ['active'], goalCategories: ['0:creative', '5:social'] }, types)))
      .toEqual({ goals: 'validation.invalid' });
  });
});

describe('goal rows shown again', () => {
  it('should rebuild rows from a raw body when a submission fails, ignoring what is not text', () => {
    const sut = goalRowsFromBody;

    expect(sut({ goalDescription: 'Only one', goalTarget: '2', goalStatus: 'active', goalCategories: ['0:social', { evil: true }], goalTypes: `0:${TYPE}` })).toEqual([
      { description: 'Only one', target: '2', status: 'active', categories: ['social'], typeIds: [TYPE] },
    ]);
  });

  it('should add a spare blank row and mark what was ticked when the form is drawn', () => {
    const sut = goalRowViews;

    const rows = sut([{ description: 'Choir', target: '2', status: 'active', categories: ['creative'], typeIds: [TYPE] }], [{ id: TYPE, name: 'Coro' }], 8);

    expect(rows).toHaveLength(3);
    expect(rows[0].categories.find((c) => c.category === 'creative')).toEqual({ value: '0:creative', category: 'creative', checked: true });
    expect(rows[0].types).toEqual([{ value: `0:${TYPE}`, name: 'Coro', checked: true }]);
    expect(rows[0].typesChosen).toBe(true);
    expect(rows[2]).toMatchObject({ index: 2, number: 3, description: '', target: '1', typesChosen: false });
  });

  it('should never draw more rows than the form accepts', () => {
    const many = Array.from({ length: 8 }, () => ({ description: 'x', target: '1', status: 'active', categories: ['social'], typeIds: [] }));

    expect(goalRowViews(many, [], 8)).toHaveLength(8);
  });
});

describe('scores', () => {
  it('should read one score per goal and refuse a goal scored twice', () => {
    const sut = parseScores;

    expect(sut([`${TYPE}:-2`, `${OTHER_HOME_TYPE}:1`])).toEqual(new Map([[TYPE, -2], [OTHER_HOME_TYPE, 1]]));
    expect(sut([`${TYPE}:0`, `${TYPE}:1`])).toBeNull();
    expect(sut(undefined)).toEqual(new Map());
  });

  it('should keep the chosen score of each goal when a review is shown again', () => {
    expect(scoresFromBody({ scores: ['', `${TYPE}:-1`] })).toEqual(new Map([[TYPE, '-1']]));
    expect(scoresFromBody({ scores: `${TYPE}:2` })).toEqual(new Map([[TYPE, '2']]));
  });

  it('should label the five points of the scale when a score is shown', () => {
    expect([-2, -1, 0, 1, 2].map(gasLabelKey)).toEqual(['plans.gas.minus2', 'plans.gas.minus1', 'plans.gas.zero', 'plans.gas.plus1', 'plans.gas.plus2']);
    expect([-2, 0, 1].map(signedScore)).toEqual(['-2', '0', '+1']);
  });
});

describe('dates and progress', () => {
  it('should land on the last day of a shorter month when six months are added', () => {
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2026-03-15', 6)).toBe('2026-09-15');
  });

  it('should count whole days between two dates across a clock change', () => {
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
  });

  it('should count an attended activity once when it matches a goal by type or by category', () => {
    const attended = [{ typeId: TYPE, category: 'creative' }, { typeId: 'x', category: 'creative' }, { typeId: 'y', category: 'physical' }];

    expect(attendedForGoal({ categories: ['creative'], activityTypeIds: [TYPE] }, attended)).toBe(2);
    expect(attendedForGoal({ categories: [], activityTypeIds: [TYPE] }, attended)).toBe(1);
    expect(attendedForGoal({ categories: ['outing'], activityTypeIds: [] }, attended)).toBe(0);
  });
});
