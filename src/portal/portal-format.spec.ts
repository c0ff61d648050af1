import { hoursText } from '../common/views/format';
import { activityOption } from './portal-format';

describe('portal formatting', () => {
  it('should write hours with up to two decimals in the reader\'s language when minutes are not whole hours, as the report does', () => {
    expect(hoursText(90, 'en')).toBe('1.5');
    expect(hoursText(90, 'it')).toBe('1,5');
    expect(hoursText(525, 'it')).toBe('8,75');
  });

  it('should write whole hours without decimals when minutes make whole hours', () => {
    expect(hoursText(120, 'it')).toBe('2');
    expect(hoursText(0, 'en')).toBe('0');
  });

  it('should name an activity with its local date and time when offered as a choice', () => {
    const sut = activityOption({ title: 'Coro', date: '2026-05-02', time: '15:30' }, 'it');

    expect(sut).toBe('Coro — 2 maggio 2026, 15:30');
  });
});
