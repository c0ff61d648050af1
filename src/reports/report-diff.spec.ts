import { jsonChanges, noDifferences, reportDifferences } from './report-diff';
import type { QuarterlyReport } from './quarterly-report.model';

function report(overrides: { reached?: number; extra?: unknown; generatedAt?: string; rows?: unknown[] } = {}): QuarterlyReport {
  return {
    meta: { homeId: 'h', homeName: 'Casa', homeSlug: 'casa', timezone: 'Europe/Rome', quarter: '2026-Q3', previousQuarter: '2026-Q2', generatedAt: overrides.generatedAt ?? '2026-10-01T08:00:00.000Z', generatedBy: 'Laura', withNames: true },
    current: { participation: { residentsReached: { count: overrides.reached ?? 41, percent: 80 } }, fairShare: { rows: overrides.rows ?? [] }, ...(overrides.extra === undefined ? {} : { extra: overrides.extra }) },
    previous: { participation: { residentsReached: { count: 30, percent: 70 } } },
    figures: [{ key: 'residentsReached', section: 'participation', unit: 'count', headline: false, current: overrides.reached ?? 41, previous: 30, change: null }],
  } as unknown as QuarterlyReport;
}

describe('reportDifferences', () => {
  it('should find nothing when only the moment of printing differs', () => {
    const sut = reportDifferences(report(), report({ generatedAt: '2027-01-05T10:00:00.000Z' }));
    expect(noDifferences(sut)).toBe(true);
  });

  it('should name a changed figure with both values, and the value in the model it comes from', () => {
    const sut = reportDifferences(report({ reached: 41 }), report({ reached: 42 }));
    expect(sut.figures).toEqual([{ key: 'residentsReached', unit: 'count', column: 'current', old: 41, new: 42 }]);
    expect(sut.details).toEqual([{ path: 'current.participation.residentsReached.count', old: 41, new: 42 }]);
  });

  it('should compare a field the model gained after the issue', () => {
    const sut = reportDifferences(report(), report({ extra: { wellbeingCoverage: 0.5 } }));
    expect(sut.details).toEqual([{ path: 'current.extra', old: undefined, new: { wellbeingCoverage: 0.5 } }]);
  });

  it('should pair list elements by identity when they are reordered or one is added', () => {
    const a = { residentId: 'a', attended: 3 };
    const b = { residentId: 'b', attended: 1 };
    const sut = reportDifferences(report({ rows: [a, b] }), report({ rows: [{ ...b, attended: 2 }, a, { residentId: 'c', attended: 0 }] }));
    expect(sut.details).toEqual([
      { path: 'current.fairShare.rows[b].attended', old: 1, new: 2 },
      { path: 'current.fairShare.rows[c]', old: undefined, new: { residentId: 'c', attended: 0 } },
    ]);
  });

  it('should compare plain lists by position', () => {
    expect(jsonChanges([1, 2], [1, 3, 4])).toEqual([{ path: '[1]', old: 2, new: 3 }, { path: '[2]', old: undefined, new: 4 }]);
  });
});
