import 'reflect-metadata';
import { createWriteStream } from 'node:fs';
import { DomainError } from '../common/errors/domain-errors';
import { isLocale, translate } from '../common/i18n/i18n';
import { HomesService } from '../homes/homes.service';
import { renderQuarterlyReportPdf } from '../reports/pdf/quarterly-report.pdf';
import { isQuarter } from '../common/time/quarter';
import { ReportService } from '../reports/report.service';
import { createCliContext, fail, parseArgs } from './cli-support';

const USAGE = 'Usage: npm run report -- --home SLUG --quarter 2026-Q3 --out FILE.pdf [--locale it|en] [--without-names]';

/**
 * Writes a home's quarterly co-production report as a PDF, for printing or a scheduled job. It is
 * the manager's copy (with names) unless --without-names is given; the language is the home's
 * unless --locale says otherwise.
 */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const slug = args.get('home');
  const quarter = args.get('quarter');
  const out = args.get('out');
  const locale = args.get('locale');
  if (typeof slug !== 'string' || typeof quarter !== 'string' || typeof out !== 'string') fail(USAGE);
  if (!isQuarter(quarter)) fail(`--quarter must be written like 2026-Q3\n${USAGE}`);
  if (locale !== undefined && !isLocale(locale)) fail(`--locale must be it or en\n${USAGE}`);

  const { app } = await createCliContext();
  try {
    const home = await app.get(HomesService).findBySlug(slug);
    const report = await app.get(ReportService).quarterlyReport(home.id, quarter, { names: args.get('without-names') !== true, generatedBy: 'npm run report' });
    await renderQuarterlyReportPdf(report, { locale: typeof locale === 'string' ? locale : home.locale }, createWriteStream(out));
    console.log(`Wrote ${out}: ${home.name}, ${quarter}`);
  } catch (error) {
    if (error instanceof DomainError) fail(translate('en', error.detail.key, error.detail.params));
    throw error;
  } finally {
    await app.close();
  }
}

void main();
