import { ENGAGEMENTS } from '../activities/activities.enums';
import { translate } from '../common/i18n/i18n';
import type { CsvTable } from './dto/report-query.dto';
import type { QuarterlyReport } from './quarterly-report.model';
import { toCsv } from './report-csv-cell';
import { figureLabel } from './report-format';
import { belowOnePerWeek } from './report-maths';

/**
 * The CSV exports, read from the report model like the preview and the PDF. Numbers are written
 * plainly (a dot for decimals) so spreadsheets read them as numbers; labels are in the reader's language.
 */
export function reportCsv(report: QuarterlyReport, table: CsvTable, locale: string): string {
  const t = (key: string, params: Record<string, unknown> = {}) => translate(locale, `reports.${key}`, params);
  const { quarter, previousQuarter, inProgress } = report.meta;
  // A running quarter says so where its numbers are: "2026-Q4 (in progress, figures to 2026-11-28)".
  const progress = (label: string) => (inProgress ? t('csv.inProgress', { quarter: label, date: report.current.countedTo }) : label);
  if (table === 'figures') {
    const previousLabel = inProgress ? t('csv.sameDays', { quarter: previousQuarter, date: report.previous.countedTo }) : previousQuarter;
    return toCsv(
      ['home', 'section', 'key', t('columns.figure'), 'unit', progress(quarter), previousLabel, t('columns.change')],
      report.figures.map((f) => [report.meta.homeName, f.section, f.key, figureLabel(f.key, locale), f.unit, f.current, f.previous, f.change]),
    );
  }
  if (table === 'participation') {
    const rows = report.current.fairShare.rows ?? [];
    return toCsv(
      [t('columns.resident'), progress(t('columns.days')), t('columns.attended'), t('columns.perWeek'), ...ENGAGEMENTS.map((e) => t(`engagement.${e}`)), t('columns.belowOne')],
      rows.map((r) => [r.name, r.days, r.attended, r.perWeek, ...ENGAGEMENTS.map((e) => r.counts[e]), belowOnePerWeek(r.attended, r.days) ? 1 : 0]),
    );
  }
  return toCsv(
    [t('columns.phase'), t('columns.actor'), 'phase', 'actorType', progress(t('columns.count')), t('columns.minutes'), t('columns.hours')],
    report.current.coProduction.phaseActor.map((c) => [t(`phases.${c.phase}`), t(`actors.${c.actorType}`), c.phase, c.actorType, c.count, c.minutes, c.hours]),
  );
}
