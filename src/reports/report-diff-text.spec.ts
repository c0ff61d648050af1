import type { QuarterlyReport } from './quarterly-report.model';
import { reportDifferences } from './report-diff';
import { describeChange, pathSteps, readableKey } from './report-diff-text';

const CARLA = '3f2a9c1e-7b1d-4c55-9a0e-1d2c3b4a5f60';
const GIULIA = '8e1b2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
const ADA = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';

interface Overrides {
  carlaDays?: number;
  unnamed?: boolean;
  rows?: unknown[] | null;
  needing?: unknown[];
  august?: number;
  previousHours?: number;
  reachedPercent?: number;
  expiresOn?: string;
  inProgress?: boolean;
  extra?: unknown;
  voiceExtra?: unknown;
}

const counts = (active: number) => ({ active, passive: 2, disengaged: 0, declined: 1, absent: 0 });

/** One quarter's figures, the parts the tests change. */
function quarter(o: Overrides, hours: number) {
  return {
    participation: {
      residentsReached: { count: 40, percent: o.reachedPercent ?? 80 },
      engagementByMonth: [{ month: '2026-07', counts: counts(9), total: 12 }, { month: '2026-08', counts: counts(o.august ?? 10), total: 13 }],
      engagementTotals: counts(9 + (o.august ?? 10)),
    },
    coProduction: {
      phaseActor: [
        { phase: 'co_design', actorType: 'resident', count: 2, minutes: 60, hours: 1 },
        { phase: 'co_design', actorType: 'family', count: 3, minutes: hours * 60, hours },
      ],
    },
    fairShare: {
      rows: o.rows === undefined
        ? [
          { residentId: CARLA, name: o.unnamed ? '' : 'Carla Conti', days: o.carlaDays ?? 24, attended: 10, perWeek: 2.92, counts: counts(8) },
          { residentId: GIULIA, name: 'Giulia Galli', days: 92, attended: 0, perWeek: 0, counts: counts(0) },
        ]
        : o.rows,
      needingAttention: o.needing ?? [{ residentId: GIULIA, name: 'Giulia Galli', days: 92, attended: 0, perWeek: 0, counts: counts(0) }],
    },
    voice: { suggestions: { received: 3 }, ...(o.voiceExtra === undefined ? {} : { newThing: o.voiceExtra }) },
    volunteers: { expiringChecks: [{ volunteerId: ADA, name: 'Ada Neri', expiresOn: o.expiresOn ?? '2026-10-01' }] },
    ...(o.extra === undefined ? {} : { extra: o.extra }),
  };
}

/** A quarterly report as the report service writes it: the overrides change this quarter, `previousHours` the previous one. */
function report(o: Overrides = {}): QuarterlyReport {
  return {
    meta: {
      homeId: 'h', homeName: 'Casa Serena', homeSlug: 'casa-serena', timezone: 'Europe/Rome', country: 'IT', quarter: '2026-Q3', previousQuarter: '2026-Q2',
      generatedAt: '2026-10-01T08:00:00.000Z', generatedBy: 'Laura', withNames: true, inProgress: o.inProgress ?? false,
    },
    current: quarter(o, 3.5),
    previous: quarter({}, o.previousHours ?? 3.5),
    figures: [],
  } as unknown as QuarterlyReport;
}

/** Every detail of the comparison of two reports, in words. */
function details(issued: QuarterlyReport, now: QuarterlyReport, locale: string): { path: string; text: string }[] {
  return reportDifferences(issued, now).details.map((change) => describeChange(change, issued, now, locale));
}

function texts(issued: QuarterlyReport, now: QuarterlyReport, locale: string): string[] {
  return details(issued, now, locale).map((d) => d.text);
}

describe('describeChange', () => {
  it('should name a fair-share row by its resident and the column, and keep the path for a title', () => {
    const issued = report();
    const sut = details(issued, report({ carlaDays: 25 }), 'en');
    expect(sut).toEqual([{ path: `current.fairShare.rows[${CARLA}].days`, text: 'This quarter · Fair share · Carla Conti · Days in quarter: 24 → 25' }]);
    expect(texts(issued, report({ carlaDays: 25 }), 'it')).toEqual(['Questo trimestre · Equa partecipazione · Carla Conti · Giorni nel trimestre: 24 → 25']);
  });

  it('should never print a resident\'s id when the row has no name', () => {
    const [text] = texts(report({ unnamed: true }), report({ unnamed: true, carlaDays: 25 }), 'en');
    expect(text).toBe('This quarter · Fair share · Resident · Days in quarter: 24 → 25');
    expect(text).not.toContain(CARLA.slice(0, 8));
  });

  it('should name a phase x actor cell of the previous quarter by its phase and actor, with the hours in the reader\'s numbers', () => {
    expect(texts(report(), report({ previousHours: 4 }), 'en')).toEqual([
      'Previous quarter (Q2 2026) · Co-production · Co-design, families · Minutes: 210 → 240',
      'Previous quarter (Q2 2026) · Co-production · Co-design, families · Hours: 3.5 → 4',
    ]);
    expect(texts(report(), report({ previousHours: 4 }), 'it')).toEqual([
      'Trimestre precedente (2° trim. 2026) · Co-produzione · Co-progettazione, familiari · Minuti: 210 → 240',
      'Trimestre precedente (2° trim. 2026) · Co-produzione · Co-progettazione, familiari · Ore: 3,5 → 4',
    ]);
  });

  it('should name an engagement month and level', () => {
    const en = texts(report(), report({ august: 11 }), 'en');
    expect(en).toEqual([
      'This quarter · Participation · Engagement by month · August 2026 · Took part: 10 → 11',
      'This quarter · Participation · Engagement by month · Total · Took part: 19 → 20',
    ]);
    expect(texts(report(), report({ august: 11 }), 'it')[0]).toBe('Questo trimestre · Partecipazione · Coinvolgimento per mese · Agosto 2026 · Ha partecipato: 10 → 11');
  });

  it('should write a figure as the summary line does, with its label and unit', () => {
    expect(texts(report(), report({ reachedPercent: 82.5 }), 'en')[0]).toBe('This quarter · Participation · Residents reached (% of residents): 80.0% → 82.5%');
    expect(texts(report(), report({ reachedPercent: 82.5 }), 'it')[0]).toBe('Questo trimestre · Partecipazione · Ospiti raggiunti (% degli ospiti): 80,0% → 82,5%');
  });

  it('should write a date as a date, with the volunteer\'s name', () => {
    expect(texts(report(), report({ expiresOn: '2027-10-01' }), 'en')[0])
      .toBe('This quarter · Volunteers · Background checks to renew · Ada Neri · Check expires on: 1 October 2026 → 1 October 2027');
    expect(texts(report(), report({ expiresOn: '2027-10-01' }), 'it')[0])
      .toBe('Questo trimestre · Volontari · Controlli dei precedenti da rinnovare · Ada Neri · Scadenza del controllo: 1 ottobre 2026 → 1 ottobre 2027');
  });

  it('should name a field of the report\'s meta, and write yes or no', () => {
    expect(texts(report(), report({ inProgress: true }), 'en')).toEqual(['About the report · Quarter in progress: No → Yes']);
    expect(texts(report(), report({ inProgress: true }), 'it')).toEqual(['Dati del report · Trimestre in corso: No → Sì']);
  });

  it('should fall back to a readable form of a key the model gained after the issue, with nothing as a dash', () => {
    expect(texts(report(), report({ voiceExtra: 0.5 }), 'en')).toEqual(['This quarter · Voice of residents and families · New thing: — → 0.5']);
    expect(texts(report(), report({ voiceExtra: 0.5 }), 'it')).toEqual(['Questo trimestre · La voce di ospiti e familiari · New thing: — → 0,5']);
    expect(texts(report(), report({ extra: { a: 1, b: 2 } }), 'en')).toEqual(['This quarter · Extra: now in the report (2 values)']);
    expect(texts(report(), report({ extra: { a: 1, b: 2 } }), 'it')).toEqual(['Questo trimestre · Extra: ora nel report (2 valori)']);
    expect(readableKey('wellbeingCoverage')).toBe('Wellbeing coverage');
  });

  it('should summarise a whole list added or removed in words, not as JSON', () => {
    const withoutRows = report({ rows: null });
    const [text] = texts(withoutRows, report(), 'en').filter((t) => t.startsWith('This quarter'));
    expect(text).toBe('This quarter · Fair share · Residents: now in the report (2 entries)');
    const [removed] = texts(report(), withoutRows, 'it').filter((t) => t.startsWith('Questo trimestre'));
    expect(removed).toBe('Questo trimestre · Equa partecipazione · Ospiti: non più nel report (2 voci)');
    expect(texts(withoutRows, report({ rows: [] }), 'en')[0]).toBe('This quarter · Fair share · Residents: now in the report (0 entries)');
  });

  it('should say a row is now listed or no longer listed, by the name of whom it is about', () => {
    const carla = { residentId: CARLA, name: 'Carla Conti', days: 24, attended: 1, perWeek: 0.29, counts: {} };
    const issued = report();
    const now = report({ needing: [carla] });
    expect(texts(issued, now, 'en').slice(0, 2)).toEqual([
      'This quarter · Fair share · Residents needing attention · Giulia Galli: no longer listed',
      'This quarter · Fair share · Residents needing attention · Carla Conti: now listed',
    ]);
    expect(texts(issued, now, 'it').slice(0, 2)).toEqual([
      'Questo trimestre · Equa partecipazione · Ospiti che richiedono attenzione · Giulia Galli: non più in elenco',
      'Questo trimestre · Equa partecipazione · Ospiti che richiedono attenzione · Carla Conti: ora in elenco',
    ]);
  });

  it('should show no model path or JSON in any text', () => {
    const issued = report();
    const now = report({ carlaDays: 25, previousHours: 4, august: 11, extra: { a: 1 }, needing: [], rows: [] });
    for (const locale of ['en', 'it']) {
      for (const { text } of details(issued, now, locale)) {
        expect(text).not.toMatch(/current\.|previous\.|[[\]{}"]/);
        expect(text).not.toContain(CARLA.slice(0, 8));
      }
    }
  });
});

describe('pathSteps', () => {
  it('should read keys and bracketed identities, a month and a phase with its actor included', () => {
    expect(pathSteps('current.participation.engagementByMonth[2026-08].counts.active')).toEqual([
      { key: 'current' }, { key: 'participation' }, { key: 'engagementByMonth' }, { id: '2026-08' }, { key: 'counts' }, { key: 'active' },
    ]);
    expect(pathSteps('previous.coProduction.phaseActor[co_design/family].hours')).toEqual([{ key: 'previous' }, { key: 'coProduction' }, { key: 'phaseActor' }, { id: 'co_design/family' }, { key: 'hours' }]);
  });
});
