import { PassThrough } from 'node:stream';
import { currentQuarter } from '../src/common/time/quarter';
import { todayIn } from '../src/common/time/zoned';
import type { HomeView } from '../src/homes/homes.service';
import { renderQuarterlyReportPdf } from '../src/reports/pdf/quarterly-report.pdf';
import type { QuarterView } from '../src/reports/issued-reports.service';
import type { FigureRow, QuarterlyReport } from '../src/reports/quarterly-report.model';
import { reportCsv } from '../src/reports/report-csv';
import { dateLabel } from '../src/reports/report-format';
import { quarterlyReportView } from '../src/reports/report-view';
import { ReportService } from '../src/reports/report.service';
import { createHome, createUser } from './support/factories';
import { Agent, signIn } from './support/http';
import { binary, buildRunningQuarterScenario, flat, pdfText, RunningQuarterScenario } from './support/report-fixtures';
import { createTestApp, TestApp } from './support/test-app';

/*
 * Issue 18 items 3, 4 and 8: a running quarter counted to today and compared with the same days of
 * the previous one; needing attention after 14 days; volunteers with no check on record; contributions
 * counted beside hours; wellbeing check-in coverage. The figures are worked out by hand from
 * buildRunningQuarterScenario (test/support/report-fixtures.ts), whose records say where they count.
 */

/** 28 November 2026, 13:00 in Rome: 2026-Q4's day 59. */
const NOW = new Date('2026-11-28T12:00:00Z');

function figureMap(figures: FigureRow[]): Record<string, [number | null, number | null, number | null]> {
  return Object.fromEntries(figures.map((f) => [f.key, [f.current, f.previous, f.change]]));
}

function pick(figures: FigureRow[], keys: string[]): Record<string, [number | null, number | null, number | null]> {
  const all = figureMap(figures);
  return Object.fromEntries(keys.map((key) => [key, all[key]]));
}

async function pdfOf(report: QuarterlyReport, locale: string): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await renderQuarterlyReportPdf(report, { locale }, out);
  return flat((await pdfText(Buffer.concat(chunks))).text);
}

function csvLines(report: QuarterlyReport, table: 'figures' | 'participation' | 'contributions'): string[] {
  return reportCsv(report, table, 'en').replace(/^\uFEFF/, '').split('\r\n');
}

describe('Quarterly report: running quarter, needing attention, checks, contributions and coverage', () => {
  let t: TestApp;
  let home: HomeView;
  let emptyHome: HomeView;
  let scenario: RunningQuarterScenario;
  const agents: Record<string, Agent> = {};
  const service = () => t.get(ReportService);

  beforeAll(async () => {
    t = await createTestApp();
    home = await createHome(t, { name: 'Casa Corrente', slug: 'casa-corrente' });
    emptyHome = await createHome(t, { name: 'Casa Vuota', slug: 'casa-vuota' });
    scenario = await buildRunningQuarterScenario(t, home.id);
    for (const role of ['manager', 'coordinator'] as const) {
      const user = await createUser(t, { role, homeIds: [home.id], displayName: `Test ${role}` });
      agents[role] = await signIn(t, user.email, user.password);
    }
  }, 120_000);

  afterAll(async () => {
    await t.close();
  });

  describe('a running quarter (2026-Q4 on 28 November)', () => {
    let report: QuarterlyReport;

    beforeAll(async () => {
      report = await service().quarterlyReport(home.id, '2026-Q4', { names: true, generatedBy: 'Laura Bertolini', now: NOW });
    });

    it('should say it is in progress and count days 1..59, to today', () => {
      expect(report.meta.inProgress).toBe(true);
      expect([report.current.countedTo, report.current.daysCounted, report.current.partial, report.current.referenceDate])
        .toEqual(['2026-11-28', 59, true, '2026-11-28']);
    });

    it('should compare with days 1..59 of the previous quarter, to 28 August', () => {
      expect([report.previous.quarter, report.previous.countedTo, report.previous.daysCounted, report.previous.partial, report.previous.referenceDate])
        .toEqual(['2026-Q3', '2026-08-28', 59, true, '2026-08-28']);
    });

    it('should count fair-share days to today, not to the quarter\'s last day', () => {
      const rita = report.current.fairShare.rows!.find((r) => r.residentId === scenario.residents.rita.id)!;
      // 9 attended in 59 days is 1.07 a week (over the quarter's 92 days it would read 0.68).
      expect([rita.days, rita.attended, rita.perWeek]).toEqual([59, 9, 1.07]);
      expect(report.current.fairShare.buckets.find((b) => b.key === 'oneToTwo')!.count).toBe(1);
    });

    it('should list as needing attention only residents present at least 14 of the days so far', () => {
      const share = report.current.fairShare;
      expect(share.rows!.map((r) => [r.name, r.days, r.attended])).toEqual([
        ['Lina Lunga', 59, 0], ['Quinto Quattordici', 14, 0], ['Sara Settembre', 59, 0], ['Tino Tredici', 13, 0], ['Rita Regolare', 59, 9],
      ]);
      // Tino (13 days) is below one a week but not listed; Quinto (14 days) is.
      expect(share.needingAttention!.map((r) => r.name)).toEqual(['Lina Lunga', 'Quinto Quattordici', 'Sara Settembre']);
      expect([share.belowOnePerWeek, share.needingAttentionCount]).toEqual([4, 3]);
    });

    it('should count contributions beside hours, and those that carry no time by kind', () => {
      const co = report.current.coProduction;
      expect(co.countByActor).toEqual({ resident: 1, family: 3, volunteer: 1, staff: 1 });
      expect(co.hoursByActor).toEqual({ resident: 0, family: 0, volunteer: 1, staff: 0.5 });
      expect(co.withoutTimeByActor).toEqual({ resident: 1, family: 3, volunteer: 0, staff: 0 });
      expect(co.withoutTimeBySource).toEqual([
        { source: 'manual', count: 0 }, { source: 'help_offer', count: 0 }, { source: 'plan_review', count: 1 },
        { source: 'suggestion', count: 1 }, { source: 'feedback', count: 1 }, { source: 'check_in', count: 1 },
      ]);
      const assessment = co.phaseActor.filter((c) => c.phase === 'co_assessment');
      expect(assessment.map((c) => [c.actorType, c.count, c.hours])).toEqual([['resident', 1, 0], ['family', 1, 0], ['volunteer', 0, 0], ['staff', 0, 0]]);
    });

    it('should give wellbeing coverage over the residents in the quarter so far, each resident once', () => {
      expect(report.current.voice.wellbeingCoverage).toEqual({ count: 2, percent: 40 });
      expect(report.previous.voice.wellbeingCoverage).toEqual({ count: 1, percent: 50 });
      expect(report.current.voice.wellbeing.map((w) => [w.perspective, w.count])).toEqual([['resident', 2], ['family', 1], ['staff', 0]]);
      expect(report.previous.voice.wellbeing.map((w) => [w.perspective, w.count])).toEqual([['resident', 1], ['family', 0], ['staff', 0]]);
    });

    it('should flag volunteers with no check on record, active by today', () => {
      const v = report.current.volunteers;
      expect([v.active, v.checksMissing, v.checksExpiring, v.checksExpired]).toEqual([3, 2, 0, 0]);
      expect(v.missingChecks).toEqual([
        { volunteerId: scenario.volunteers.nadia.id, name: 'Nadia Nessuno' },
        { volunteerId: scenario.volunteers.sergio.id, name: 'Sergio Senzacontrollo' },
      ]);
    });

    it('should give every change against the same days of the previous quarter', () => {
      expect(pick(report.figures, [
        'residentsInQuarter', 'activitiesHeld', 'attended', 'belowOnePerWeek', 'needingAttention', 'contributions', 'contributionCount.resident',
        'contributionCount.family', 'contributionCount.volunteer', 'contributionCount.staff', 'contributionsWithoutTime', 'totalHours',
        'wellbeingCoverage', 'wellbeingCoveragePercent', 'volunteersActive', 'checksMissing',
      ])).toEqual({
        residentsInQuarter: [5, 2, 3], activitiesHeld: [9, 1, 8], attended: [9, 1, 8], belowOnePerWeek: [4, 2, 2], needingAttention: [3, 2, 1],
        contributions: [6, 1, 5], 'contributionCount.resident': [1, 0, 1], 'contributionCount.family': [3, 0, 3], 'contributionCount.volunteer': [1, 1, 0],
        'contributionCount.staff': [1, 0, 1], contributionsWithoutTime: [4, 0, 4], totalHours: [1.5, 0.5, 1],
        wellbeingCoverage: [2, 1, 1], wellbeingCoveragePercent: [40, 50, -10], volunteersActive: [3, 2, 1], checksMissing: [2, 1, 1],
      });
    });

    it('should say so in the CSV, in the columns of both quarters', () => {
      const lines = csvLines(report, 'figures');
      expect(lines[0]).toBe('Home,Section (code),Figure (code),Figure,Unit (code),"Q4 2026 (in progress, figures to 28 November 2026)","Q3 2026 (same days, to 28 August 2026)",Change');
      expect(lines).toContain('Casa Corrente,fairShare,needingAttention,Residents needing attention (14 days or more in the home),count,3,2,1');
      expect(lines).toContain('Casa Corrente,voice,wellbeingCoveragePercent,Wellbeing check-in coverage (% of residents),percent,40,50,-10');
      expect(lines).toContain('Casa Corrente,coProduction,contributionsWithoutTime,Contributions with no time (0 minutes),count,4,0,4');
      expect(lines).toContain('Casa Corrente,volunteers,checksMissing,Volunteers with no check on record,count,2,1,1');
      expect(csvLines(report, 'participation')[0]).toContain('"Days in quarter (in progress, figures to 28 November 2026)"');
      expect(csvLines(report, 'participation')).toContain('Rita Regolare,59,9,1.07,9,0,0,0,0,0');
    });

    it('should say so in the preview', () => {
      const view = quarterlyReportView(notIssued(report), 'en', true);
      expect(view.progress).toBe('In progress, figures to 28 November 2026.');
      expect(view.comparedWith).toBe(
        'The quarter is in progress: changes compare its days so far, 1 October 2026 to 28 November 2026, with the same days of the previous quarter, July – September 2026: 1 July 2026 to 28 August 2026.',
      );
      expect(view.fairShare.needing!.map((r) => r.name)).toEqual(['Lina Lunga', 'Quinto Quattordici', 'Sara Settembre']);
      expect(view.expiringChecks).toEqual([{ name: 'Nadia Nessuno', expiresOn: 'No check on record' }, { name: 'Sergio Senzacontrollo', expiresOn: 'No check on record' }]);
      expect(view.byActor.find((r) => r.actor === 'Families')).toEqual({ actor: 'Families', count: '3', withoutTime: '3', hours: '0 h' });
    });

    describe('the PDF', () => {
      let text: string;

      beforeAll(async () => {
        text = await pdfOf(report, 'en');
      });

      it('should say on the cover and on every page that the quarter is in progress, and what the changes compare', () => {
        expect(text).toContain('In progress, figures to 28 November 2026.');
        expect(text).toContain('changes compare its days so far, 1 October 2026 to 28 November 2026, with the same days of the previous quarter, July – September 2026: 1 July 2026 to 28 August 2026.');
        const pages = Number(/Page 1 of (\d+)/.exec(text)![1]);
        expect(text.match(/October – December 2026 · in progress/g)).toHaveLength(pages);
      });

      it('should print the new figures with the same numbers as the model', () => {
        expect(text).toContain('Residents needing attention (14 days or more in the home) 3 2 +1');
        expect(text).toContain('Wellbeing check-in coverage (% of residents) 40.0% 50.0% -10.0 pts');
        expect(text).toContain('Residents with a wellbeing check-in 2 1 +1');
        expect(text).toContain('Contributions with no time (0 minutes) 4 0 +4');
        expect(text).toContain('Contributions: families 3 0 +3');
        expect(text).toContain('Volunteers with no check on record 2 1 +1');
        expect(text).toContain('Families 3 3 0 h');
        expect(text).toContain('Feedback 1');
        expect(text).toContain('Wellbeing check-in 1');
      });

      it('should list needing attention after 14 days and name the volunteers with no check', () => {
        expect(text).toContain('Quinto Quattordici 14 0 0.00');
        expect(text).not.toContain('Tino Tredici');
        expect(text).toContain('Nadia Nessuno No check on record');
        expect(text).toContain('Sergio Senzacontrollo No check on record');
      });

      it('should state the rules in Annex B', () => {
        const annex = text.slice(text.lastIndexOf('Annex B. Definitions'));
        expect(annex).toContain('who lived in the home at least 14 days of the quarter (of its days so far, while it runs)');
        expect(annex).toContain('Feedback, wellbeing check-ins and accepted suggestions carry no time (0 minutes)');
        expect(annex).toContain('each change compares days 1 to N of the quarter with days 1 to N of the previous one');
        expect(annex).toContain('Residents in the quarter with at least one wellbeing check-in for it');
        expect(annex).toContain('no check on record');
      });

      it('should say it in Italian in the Italian copy', async () => {
        const italian = await pdfOf(report, 'it');
        expect(italian).toContain('In corso, dati al 28 novembre 2026.');
        expect(italian).toContain('Volontari senza controllo registrato 2 1 +1');
        expect(italian).toContain('Copertura delle rilevazioni del benessere (% degli ospiti) 40,0% 50,0% -10,0 punti');
        expect(italian).toContain('Nadia Nessuno Nessun controllo registrato');
      });
    });
  });

  describe('the edges of a quarter', () => {
    it('should leave a closed quarter whole and compare it with the whole previous one', async () => {
      const closed = await service().quarterlyReport(home.id, '2026-Q3', { names: true, now: NOW });
      expect(closed.meta.inProgress).toBe(false);
      expect([closed.current.countedTo, closed.current.daysCounted, closed.current.partial]).toEqual(['2026-09-30', 92, false]);
      expect([closed.previous.countedTo, closed.previous.daysCounted, closed.previous.partial]).toEqual(['2026-06-30', 91, false]);
      expect(pick(closed.figures, ['residentsInQuarter', 'activitiesHeld', 'contributions', 'contributionsWithoutTime', 'wellbeingCoverage', 'wellbeingCoveragePercent', 'checksMissing']))
        .toEqual({
          residentsInQuarter: [3, 2, 1], activitiesHeld: [2, 0, 2], contributions: [2, 0, 2], contributionsWithoutTime: [1, 0, 1],
          wellbeingCoverage: [2, 0, 2], wellbeingCoveragePercent: [66.7, 0, 66.7], checksMissing: [2, 1, 1],
        });
      expect(reportCsv(closed, 'figures', 'en')).toContain('Home,Section (code),Figure (code),Figure,Unit (code),Q3 2026,Q2 2026,Change');
      const text = await pdfOf(closed, 'en');
      expect(text).not.toContain('In progress');
      expect(text).toContain('Changes are shown against the previous quarter, April – June 2026.');
    });

    it('should still be in progress on its last day, counting all of it against all of the previous quarter', async () => {
      const lastDay = await service().quarterlyReport(home.id, '2026-Q4', { names: false, now: new Date('2026-12-31T12:00:00Z') });
      expect(lastDay.meta.inProgress).toBe(true);
      expect([lastDay.current.countedTo, lastDay.current.daysCounted, lastDay.previous.countedTo, lastDay.previous.daysCounted])
        .toEqual(['2026-12-31', 92, '2026-09-30', 92]);
    });

    it('should be closed at midnight in the home\'s time zone, not the server\'s', async () => {
      // 23:30 UTC on 31 December is 00:30 on 1 January in Rome.
      const closed = await service().quarterlyReport(home.id, '2026-Q4', { names: false, now: new Date('2026-12-31T23:30:00Z') });
      expect(closed.meta.inProgress).toBe(false);
      expect(closed.current.daysCounted).toBe(92);
    });

    it('should count its first day as day 1 and compare it with the first day of the previous quarter', async () => {
      const first = await service().quarterlyReport(home.id, '2026-Q4', { names: false, now: new Date('2026-10-01T08:00:00Z') });
      expect([first.current.countedTo, first.current.daysCounted, first.previous.countedTo, first.previous.daysCounted]).toEqual(['2026-10-01', 1, '2026-07-01', 1]);
      // Nobody has 14 days yet, so nobody is listed, whatever they attended.
      expect([first.current.participation.residentsInQuarter, first.current.fairShare.belowOnePerWeek, first.current.fairShare.needingAttentionCount]).toEqual([3, 3, 0]);
      expect(quarterlyReportView(notIssued(first), 'en', false).fairShare.note).toBe('No resident who lived in the home 14 days or more attended fewer than one activity a week.');
    });

    it('should give coverage of no residents as none, not as 0%', async () => {
      const empty = await service().quarterlyReport(emptyHome.id, '2026-Q3', { names: true, now: NOW });
      expect(empty.current.voice.wellbeingCoverage).toEqual({ count: 0, percent: null });
      expect(pick(empty.figures, ['wellbeingCoverage', 'wellbeingCoveragePercent'])).toEqual({ wellbeingCoverage: [0, 0, 0], wellbeingCoveragePercent: [null, null, null] });
    });
  });

  describe('names of volunteers with no check', () => {
    const query = () => `homeId=${home.id}&quarter=2026-Q3`;

    it('should leave them out of the copy without names', async () => {
      const preview = await service().quarterlyReport(home.id, '2026-Q4', { names: false, now: NOW });
      expect(preview.current.volunteers.missingChecks).toBeNull();
      expect(preview.current.volunteers.checksMissing).toBe(2);
      expect(JSON.stringify(preview)).not.toMatch(/Nessuno|Senzacontrollo|Lunga|Quattordici/);
      const text = await pdfOf(preview, 'en');
      expect(text).toContain('Volunteers with no check on record 2 1 +1');
      expect(text).not.toMatch(/Nessuno|Senzacontrollo/);
    });

    it('should name them to the manager only, in the preview and the PDF', async () => {
      const manager = flat((await agents.manager.get(`/reports/quarterly?${query()}`).expect(200)).text.replace(/<[^>]+>/g, ' '));
      expect(manager).toContain('Nadia Nessuno No check on record');
      expect(manager).toContain('Volunteers with no check on record 2 1 +1');
      const coordinator = flat((await agents.coordinator.get(`/reports/quarterly?${query()}`).expect(200)).text.replace(/<[^>]+>/g, ' '));
      expect(coordinator).toContain('Volunteers with no check on record 2 1 +1');
      expect(coordinator).not.toMatch(/Nessuno|Senzacontrollo/);
      const pdf = await agents.manager.get(`/reports/quarterly.pdf?${query()}&locale=en`).buffer(true).parse(binary).expect(200);
      const text = flat((await pdfText(pdf.body as Buffer)).text);
      expect(text).toContain('Nadia Nessuno No check on record');
      expect(text).toContain('Sergio Senzacontrollo No check on record');
    });
  });

  describe('the quarter running now, over HTTP', () => {
    it('should say in the preview and the CSV that it is in progress, with figures to today', async () => {
      const zone = 'Europe/Rome';
      const query = `homeId=${home.id}&quarter=${currentQuarter(zone)}`;
      const today = todayIn(zone);
      const preview = flat((await agents.manager.get(`/reports/quarterly?${query}`).expect(200)).text.replace(/<[^>]+>/g, ' '));
      expect(preview).toContain(`In progress, figures to ${dateLabel(today, 'en')}.`);
      expect(preview).toContain('The quarter is in progress: changes compare its days so far');
      const csv = (await agents.manager.get(`/reports/quarterly.csv?${query}&table=figures`).expect(200)).text;
      expect(csv).toContain(`(in progress, figures to ${dateLabel(today, 'en')})`);
    });
  });
});

/** The preview of a quarter never issued. */
function notIssued(report: QuarterlyReport): QuarterView {
  return { report, issued: null, versions: [], differences: null, recomputed: null, canIssue: false };
}
