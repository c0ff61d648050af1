import { DateTime } from 'luxon';
import { ACTIVITY_CATEGORIES, ActivityCategory } from '../activities/activities.enums';
import { FieldErrors, ValidationError } from '../common/errors/domain-errors';
import { GOAL_STATUSES, GoalStatus } from './plans.enums';

/*
 * The plan and review forms as plain functions: reading goal rows out of flat form fields, building
 * the rows a form shows (again), Goal Attainment Scale labels, and the date arithmetic of reviews.
 */

export const MAX_TARGET_PER_WEEK = 21;
export const MAX_DESCRIPTION = 1000;
/** Months from an agreement or a review to the next review, unless the form says otherwise. */
export const REVIEW_INTERVAL_MONTHS = 6;
export const GAS_SCORES = [-2, -1, 0, 1, 2] as const;

const GAS_KEYS: Record<number, string> = { [-2]: 'minus2', [-1]: 'minus1', 0: 'zero', 1: 'plus1', 2: 'plus2' };

/** The catalogue key of a Goal Attainment Scale score: -2 "much less than expected" … +2 "much more". */
export function gasLabelKey(score: number): string {
  return `plans.gas.${GAS_KEYS[score] ?? 'zero'}`;
}

/** "+1", "0", "-2": how the scale writes a score. */
export function signedScore(score: number): string {
  return score > 0 ? `+${score}` : String(score);
}

/** A calendar date some months later; the 31st of August plus six months is the last day of February. */
export function addMonths(date: string, months: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ months }).toISODate()!;
}

/** Whole days from one calendar date to another (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round(DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days);
}

export interface GoalInput {
  description: string;
  categories: ActivityCategory[];
  activityTypeIds: string[];
  targetPerWeek: number;
  status: GoalStatus;
}

/** The goal fields of the plan form, after the DTO has made each a list. */
export interface GoalFields {
  goalDescription?: string[];
  goalTarget?: string[];
  goalStatus?: string[];
  goalCategories?: string[];
  goalTypes?: string[];
}

/** A goal row as typed, before checking: what the form shows again after a failed submit. */
export interface GoalRowSource {
  description: string;
  target: string;
  status: string;
  categories: string[];
  typeIds: string[];
}

/** The field name of one row's error, so it shows beside that row: goal.<row>.<part>. */
export function goalField(row: number, part: 'description' | 'target' | 'status' | 'categories'): string {
  return `goal.${row}.${part}`;
}

/** "2:social" -> [2, "social"]; anything else -> null. */
function rowChoice(value: string): [number, string] | null {
  const match = /^(\d{1,2}):(.+)$/.exec(value);
  return match ? [Number(match[1]), match[2]] : null;
}

function rowSources(fields: GoalFields): { rows: GoalRowSource[]; strayChoice: boolean } {
  const count = Math.max(fields.goalDescription?.length ?? 0, fields.goalTarget?.length ?? 0, fields.goalStatus?.length ?? 0);
  const rows: GoalRowSource[] = Array.from({ length: count }, (_, i) => ({
    description: (fields.goalDescription?.[i] ?? '').trim(),
    target: (fields.goalTarget?.[i] ?? '').trim(),
    status: (fields.goalStatus?.[i] ?? '').trim(),
    categories: [],
    typeIds: [],
  }));
  let strayChoice = false;
  const place = (values: string[] | undefined, into: 'categories' | 'typeIds') => {
    for (const value of values ?? []) {
      const choice = rowChoice(value);
      if (!choice || choice[0] >= count) {
        strayChoice = true;
        continue;
      }
      const row = rows[choice[0]][into];
      if (!row.includes(choice[1])) row.push(choice[1]);
    }
  };
  place(fields.goalCategories, 'categories');
  place(fields.goalTypes, 'typeIds');
  return { rows, strayChoice };
}

/**
 * The goals a plan form describes. A row with no description and nothing ticked is an unused row and
 * is skipped; every other row must describe the goal, choose at least one category or activity type
 * of the home (so attendance can be counted against it) and give a weekly target.
 */
export function parseGoalRows(fields: GoalFields, homeTypeIds: ReadonlySet<string>): GoalInput[] {
  const { rows, strayChoice } = rowSources(fields);
  const errors: FieldErrors = {};
  if (strayChoice) errors.goals = { key: 'validation.invalid' };
  const goals: GoalInput[] = [];
  rows.forEach((row, i) => {
    if (row.description === '' && row.categories.length === 0 && row.typeIds.length === 0) return;
    if (row.description === '') errors[goalField(i, 'description')] = { key: 'plans.goalDescriptionRequired' };
    else if (row.description.length > MAX_DESCRIPTION) errors[goalField(i, 'description')] = { key: 'validation.maxLength', params: { n: MAX_DESCRIPTION } };
    const target = /^\d{1,3}$/.test(row.target) ? Number(row.target) : NaN;
    if (row.target === '') errors[goalField(i, 'target')] = { key: 'validation.isNotEmpty' };
    else if (!Number.isInteger(target)) errors[goalField(i, 'target')] = { key: 'validation.isInt' };
    else if (target < 1) errors[goalField(i, 'target')] = { key: 'validation.min', params: { n: 1 } };
    else if (target > MAX_TARGET_PER_WEEK) errors[goalField(i, 'target')] = { key: 'validation.max', params: { n: MAX_TARGET_PER_WEEK } };
    const status = row.status === '' ? 'active' : row.status;
    if (!(GOAL_STATUSES as readonly string[]).includes(status)) errors[goalField(i, 'status')] = { key: 'validation.isIn' };
    if (
      row.categories.some((c) => !(ACTIVITY_CATEGORIES as readonly string[]).includes(c)) ||
      row.typeIds.some((id) => !homeTypeIds.has(id))
    ) {
      errors[goalField(i, 'categories')] = { key: 'validation.isIn' };
    } else if (row.categories.length === 0 && row.typeIds.length === 0) {
      errors[goalField(i, 'categories')] = { key: 'plans.goalNeedsActivities' };
    }
    goals.push({
      description: row.description,
      categories: row.categories as ActivityCategory[],
      activityTypeIds: row.typeIds,
      targetPerWeek: target,
      status: status as GoalStatus,
    });
  });
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return goals;
}

/** Goal rows as a failed submission sent them, from the raw form body. */
export function goalRowsFromBody(body: unknown): GoalRowSource[] {
  const fields = (body ?? {}) as Record<string, unknown>;
  const list = (value: unknown): string[] | undefined =>
    value === undefined ? undefined : (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
  return rowSources({
    goalDescription: list(fields.goalDescription),
    goalTarget: list(fields.goalTarget),
    goalStatus: list(fields.goalStatus),
    goalCategories: list(fields.goalCategories),
    goalTypes: list(fields.goalTypes),
  }).rows;
}

export function goalRowsFromGoals(goals: { description: string; targetPerWeek: number; status: string; categories: string[]; activityTypeIds: string[] }[]): GoalRowSource[] {
  return goals.map((g) => ({ description: g.description, target: String(g.targetPerWeek), status: g.status, categories: [...g.categories], typeIds: [...g.activityTypeIds] }));
}

export interface GoalRowView {
  index: number;
  number: number;
  description: string;
  target: string;
  statuses: { value: string; selected: boolean }[];
  categories: { value: string; category: string; checked: boolean }[];
  types: { value: string; name: string; checked: boolean }[];
  typesChosen: boolean;
}

/**
 * The rows the plan form shows: those given, then blank rows so a new goal can be added without
 * scripts (at least `minRows`, always one spare while there is room).
 */
export function goalRowViews(sources: GoalRowSource[], types: { id: string; name: string }[], maxRows: number, minRows = 3): GoalRowView[] {
  const blank: GoalRowSource = { description: '', target: '1', status: 'active', categories: [], typeIds: [] };
  const count = Math.min(maxRows, Math.max(minRows, sources.length + 1));
  return Array.from({ length: count }, (_, index) => {
    const row = sources[index] ?? blank;
    const status = row.status || 'active';
    return {
      index,
      number: index + 1,
      description: row.description,
      target: row.target,
      statuses: GOAL_STATUSES.map((value) => ({ value, selected: value === status })),
      categories: ACTIVITY_CATEGORIES.map((category) => ({ value: `${index}:${category}`, category, checked: row.categories.includes(category) })),
      types: types.map((type) => ({ value: `${index}:${type.id}`, name: type.name, checked: row.typeIds.includes(type.id) })),
      typesChosen: row.typeIds.length > 0,
    };
  });
}

/** Attended activities that count towards a goal: of one of its types, or of one of its categories. */
export function attendedForGoal(goal: { categories: string[]; activityTypeIds: string[] }, attended: { typeId: string; category: string }[]): number {
  return attended.filter((a) => goal.activityTypeIds.includes(a.typeId) || goal.categories.includes(a.category)).length;
}

/**
 * What a review must have whatever else is wrong with it: someone who took part, and a score for each
 * active goal. The service refuses on these; the form shown again after a refusal of the other fields
 * marks them too, so the form is mended in one round (`alsoInvalid`, src/common/filters/form-errors.interceptor.ts).
 */
export function reviewCompletenessErrors(goals: readonly { id: string }[], scored: ReadonlySet<string>, participants: { residentTookPart: boolean; others: number }): FieldErrors {
  const errors: FieldErrors = {};
  if (!participants.residentTookPart && participants.others === 0) errors.participants = { key: 'plans.noParticipants' };
  for (const goal of goals) if (!scored.has(goal.id)) errors[`score.${goal.id}`] = { key: 'plans.scoreRequired' };
  return errors;
}

/** "<goalId>:<score>" values of the review form as a map; null when a goal is scored twice. */
export function parseScores(values: string[] | undefined): Map<string, number> | null {
  const scores = new Map<string, number>();
  for (const value of values ?? []) {
    const at = value.lastIndexOf(':');
    const goalId = value.slice(0, at).toLowerCase();
    if (scores.has(goalId)) return null;
    scores.set(goalId, Number(value.slice(at + 1)));
  }
  return scores;
}

/** The score a failed review submission had chosen for each goal, from the raw form body. */
export function scoresFromBody(body: unknown): Map<string, string> {
  const raw = ((body ?? {}) as Record<string, unknown>).scores;
  const values = (Array.isArray(raw) ? raw : [raw]).filter((item): item is string => typeof item === 'string' && item.includes(':'));
  return new Map(values.map((value) => [value.slice(0, value.lastIndexOf(':')).toLowerCase(), value.slice(value.lastIndexOf(':') + 1)]));
}

/** The ids a failed submission ticked in a repeated checkbox field. */
export function idsFromBody(body: unknown, field: string): string[] {
  const raw = ((body ?? {}) as Record<string, unknown>)[field];
  return (Array.isArray(raw) ? raw : [raw]).filter((item): item is string => typeof item === 'string').map((id) => id.toLowerCase());
}
