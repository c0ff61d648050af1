import { backgroundCheckStatus, whyNotAssignable } from './background-check';

describe('backgroundCheckStatus', () => {
  const sut = backgroundCheckStatus;
  const today = '2026-07-01';

  it('should be missing when no expiry date is recorded', () => {
    expect(sut(null, today)).toBe('missing');
  });

  it('should be missing when the expiry date is blank', () => {
    expect(sut('', today)).toBe('missing');
  });

  it('should be expired when the check ran out yesterday', () => {
    expect(sut('2026-06-30', today)).toBe('expired');
  });

  it('should be expired when the check ran out years ago', () => {
    expect(sut('2019-01-15', today)).toBe('expired');
  });

  it('should be expiring when the check runs out today', () => {
    expect(sut('2026-07-01', today)).toBe('expiring');
  });

  it('should be expiring when the check runs out in exactly 60 days', () => {
    expect(sut('2026-08-30', today)).toBe('expiring');
  });

  it('should be valid when the check runs out in 61 days', () => {
    expect(sut('2026-08-31', today)).toBe('valid');
  });

  it('should be valid when the check runs out next year', () => {
    expect(sut('2027-07-01', today)).toBe('valid');
  });

  it('should count 60 days across a year end when today is in November', () => {
    expect([sut('2027-01-09', '2026-11-10'), sut('2027-01-10', '2026-11-10')]).toEqual(['expiring', 'valid']);
  });

  it('should count 60 days across February when the year is a leap year', () => {
    expect([sut('2028-03-31', '2028-01-31'), sut('2028-04-01', '2028-01-31')]).toEqual(['expiring', 'valid']);
  });

  it('should not be moved by a clock change when the window spans the end of summer time', () => {
    expect([sut('2026-12-24', '2026-10-25'), sut('2026-12-25', '2026-10-25')]).toEqual(['expiring', 'valid']);
  });
});

describe('whyNotAssignable', () => {
  const sut = whyNotAssignable;
  const today = '2026-07-01';

  it('should be null when an active volunteer has a check that runs out today', () => {
    expect(sut({ status: 'active', backgroundCheckExpiresOn: today }, today)).toBeNull();
  });

  it('should be null when an active volunteer has no check on record', () => {
    expect(sut({ status: 'active', backgroundCheckExpiresOn: null }, today)).toBeNull();
  });

  it('should give the day the check ran out when it ran out yesterday', () => {
    expect(sut({ status: 'active', backgroundCheckExpiresOn: '2026-06-30' }, today)).toEqual({ reason: 'checkExpired', expiredOn: '2026-06-30' });
  });

  it('should give the status when the volunteer is paused, whatever their check', () => {
    expect(sut({ status: 'paused', backgroundCheckExpiresOn: '2020-01-01' }, today)).toEqual({ reason: 'notActive', status: 'paused' });
    expect(sut({ status: 'left', backgroundCheckExpiresOn: '2030-01-01' }, today)).toEqual({ reason: 'notActive', status: 'left' });
  });
});
