import { weeklyBadge } from './weekly-badge';

describe('weeklyBadge', () => {
  const sut = weeklyBadge;

  it.each([
    [0, 'inactive'], [1, 'low'], [4, 'low'], [5, 'moderate'], [9, 'moderate'], [10, 'high'], [23, 'high'],
  ])('should give %i attended activities the badge %s', (count, badge) => {
    expect(sut(count)).toBe(badge);
  });
});
