import 'reflect-metadata';
import { createWriteStream } from 'node:fs';
import { DomainError } from '../common/errors/domain-errors';
import { isLocale, translate } from '../common/i18n/i18n';
import { HomesService } from '../homes/homes.service';
import { renderQuarterlyReportPdf } from '../reports/pdf/quarterly-report.pdf';
import { isQuarter } from '../common/time/quarter';
import { ReportService } from '../reports/report.service';
import { COMMANDS } from './cli-options';
import { commandLineOrExit, createCliContext, fail, usageError } from './cli-support';

const { usage: USAGE } = COMMANDS.report;

/**
 * Writes a home's quarterly co-production report as a PDF, for printing or a scheduled job. It is
 * the manager's copy (with names) unless --without-names is given; the language is the home's
 * unless --locale says otherwise.
 */
async function main(): Promise<void> {
  const { values } = commandLineOrExit(COMMANDS.report);
  const { home: slug, quarter, out, locale } = values;
  const missing = (['home', 'quarter', 'out'] as const).filter((name) => values[name] === undefined);
  if (slug === undefined || quarter === undefined || out === undefined) usageError(`Missing ${missing.map((name) => `--${name}`).join(', ')}`, USAGE);
  if (!isQuarter(quarter)) usageError('--quarter must be written like 2026-Q3', USAGE);
  if (locale !== undefined && !isLocale(locale)) usageError('--locale must be it or en', USAGE);

  const { app } = await createCliContext();
  try {
    const home = await app.get(HomesService).findBySlug(slug);
    const report = await app.get(ReportService).quarterlyReport(home.id, quarter, { names: values['without-names'] !== true, generatedBy: 'npm run report' });
    await renderQuarterlyReportPdf(report, { locale: locale ?? home.locale }, createWriteStream(out));
    console.log(`Wrote ${out}: ${home.name}, ${quarter}`);
  } catch (error) {
    if (error instanceof DomainError) fail(translate('en', error.detail.key, error.detail.params));
    throw error;
  } finally {
    await app.close();
  }
}

void main();
