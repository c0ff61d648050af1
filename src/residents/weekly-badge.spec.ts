import { isBelowWeeklyTarget, weeklyBadge } from './weekly-badge';

describe('weeklyBadge', () => {
  const sut = weeklyBadge;

  it.each([
    [0, 'inactive'], [1, 'low'], [4, 'low'], [5, 'moderate'], [9, 'moderate'], [10, 'high'], [23, 'high'],
  ])('should give %i attended activities the badge %s', (count, badge) => {
    expect(sut(count)).toBe(badge);
  });
});

describe('isBelowWeeklyTarget', () => {
  const sut = isBelowWeeklyTarget;

  it.each([
    [0, 5, true], [4, 5, true], [5, 5, false], [6, 5, false], [0, 0, false],
  ])('should say %i attended of a target of %i is below it: %s', (attended, target, below) => {
    expect(sut(attended, target)).toBe(below);
  });
});
