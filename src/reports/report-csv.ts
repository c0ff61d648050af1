import { ENGAGEMENTS } from '../activities/activities.enums';
import { messageText } from '../common/i18n/message-text';
import { formatQuarterShort } from '../common/views/format';
import type { CsvTable } from './dto/report-query.dto';
import type { QuarterlyReport } from './quarterly-report.model';
import { toCsv } from './report-csv-cell';
import { figureLabel } from './report-format';
import { belowOnePerWeek } from './report-maths';

/**
 * The CSV exports, read from the report model like the preview and the PDF. Numbers are written
 * plainly so spreadsheets read them as numbers, with the separators of the reader's language
 * (toCsv); labels and headers are in that language, with each figure's and phase's code kept in a
 * column of its own for whoever joins tables.
 */
export function reportCsv(report: QuarterlyReport, table: CsvTable, locale: string): string {
  const t = (key: string, params: Record<string, string | number> = {}) => messageText(locale, `reports.${key}`, params);
  const { inProgress } = report.meta;
  const quarter = formatQuarterShort(report.meta.quarter, locale);
  const previousQuarter = formatQuarterShort(report.meta.previousQuarter, locale);
  // A running quarter says so where its numbers are: "Q4 2026 (in progress, figures to 28 November 2026)".
  const progress = (label: string) => (inProgress ? t('csv.inProgress', { quarter: label, date: report.current.countedTo }) : label);
  if (table === 'figures') {
    const previousLabel = inProgress ? t('csv.sameDays', { quarter: previousQuarter, date: report.previous.countedTo }) : previousQuarter;
    return toCsv(
      [t('csv.columns.home'), t('csv.columns.section'), t('csv.columns.key'), t('columns.figure'), t('csv.columns.unit'), progress(quarter), previousLabel, t('columns.change')],
      report.figures.map((f) => [report.meta.homeName, f.section, f.key, figureLabel(f.key, locale), f.unit, f.current, f.previous, f.change]),
      locale,
    );
  }
  if (table === 'participation') {
    const rows = report.current.fairShare.rows ?? [];
    return toCsv(
      [t('columns.resident'), progress(t('columns.days')), t('columns.attended'), t('columns.perWeek'), ...ENGAGEMENTS.map((e) => t(`engagement.${e}`)), t('columns.belowOne')],
      rows.map((r) => [r.name, r.days, r.attended, r.perWeek, ...ENGAGEMENTS.map((e) => r.counts[e]), belowOnePerWeek(r.attended, r.days) ? 1 : 0]),
      locale,
    );
  }
  return toCsv(
    [t('columns.phase'), t('columns.actor'), t('csv.columns.phaseCode'), t('csv.columns.actorCode'), progress(t('columns.count')), t('columns.minutes'), t('columns.hours')],
    report.current.coProduction.phaseActor.map((c) => [t(`phases.${c.phase}`), t(`actors.${c.actorType}`), c.phase, c.actorType, c.count, c.minutes, c.hours]),
    locale,
  );
}
