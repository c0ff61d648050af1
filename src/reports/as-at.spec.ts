import { asAt } from './as-at';

const row = (id: number, validFrom: string, value: string) => ({ id, validFrom: new Date(validFrom), value });

describe('asAt', () => {
  const versions = [row(1, '2026-07-01T08:00:00Z', 'first'), row(2, '2026-09-30T21:59:59.999Z', 'second'), row(3, '2026-10-03T10:00:00Z', 'third')];

  it('should take the last change at or before the instant when there is one', () => {
    const sut = asAt;
    expect(sut(versions, new Date('2026-09-30T22:00:00Z'))?.value).toBe('second');
    expect(sut(versions, new Date('2026-09-30T21:59:59.999Z'))?.value).toBe('second');
    expect(sut(versions, new Date('2026-12-01T00:00:00Z'))?.value).toBe('third');
  });

  it('should take the first version when the record was entered after the instant', () => {
    expect(asAt(versions, new Date('2026-06-30T22:00:00Z'))?.value).toBe('first');
  });

  it('should order changes by id, not by list position or equal instants, when two share a millisecond', () => {
    const same = [row(7, '2026-09-01T10:00:00Z', 'later'), row(5, '2026-09-01T10:00:00Z', 'earlier')];
    expect(asAt(same, new Date('2026-10-01T00:00:00Z'))?.value).toBe('later');
    expect(asAt(same, new Date('2026-08-01T00:00:00Z'))?.value).toBe('earlier');
  });

  it('should give null when the record has no history', () => {
    expect(asAt([], new Date())).toBeNull();
    expect(asAt(undefined, new Date())).toBeNull();
  });
});
