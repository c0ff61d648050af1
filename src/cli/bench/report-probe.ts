import 'reflect-metadata';
import { createWriteStream, statSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../app.module';
import { loadConfig } from '../../config/app-config';
import { HomesService } from '../../homes/homes.service';
import { renderQuarterlyReportPdf } from '../../reports/pdf/quarterly-report.pdf';
import { ReportService } from '../../reports/report.service';

export interface ReportProbeResult {
  /** Each run: figures (SQL) and PDF rendering, in milliseconds; the first run is cold. */
  runs: { totalMs: number; figuresMs: number; pdfMs: number }[];
  pdfBytes: number;
  residentsInQuarter: number;
  participationsRecorded: number;
  /** Resident set size after start-up, before the first report, and the process's peak. */
  rssAfterStartMb: number;
  peakRssMb: number;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/**
 * One home's quarterly report, built and rendered to a PDF file `runs` times in a process of its
 * own, so its peak memory is the report's and nothing else's. Prints one JSON line
 * (ReportProbeResult). Usage: report-probe DATABASE_URL SLUG QUARTER OUT.pdf RUNS
 */
async function main(): Promise<void> {
  const [url, slug, quarter, out, runsArg] = process.argv.slice(2);
  const config = { ...loadConfig({ ...process.env, DATABASE_URL: url }), seedDemo: false };
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error'] });
  try {
    const home = await app.get(HomesService).findBySlug(slug);
    const reports = app.get(ReportService);
    const rssAfterStartMb = mb(process.memoryUsage().rss);
    const result: ReportProbeResult = { runs: [], pdfBytes: 0, residentsInQuarter: 0, participationsRecorded: 0, rssAfterStartMb, peakRssMb: 0 };
    for (let i = 0; i < Number(runsArg || 1); i += 1) {
      const started = performance.now();
      const report = await reports.quarterlyReport(home.id, quarter, { names: true, generatedBy: 'npm run bench' });
      const figured = performance.now();
      await renderQuarterlyReportPdf(report, { locale: home.locale }, createWriteStream(out));
      const done = performance.now();
      result.runs.push({ totalMs: done - started, figuresMs: figured - started, pdfMs: done - figured });
      result.residentsInQuarter = report.current.participation.residentsInQuarter;
      result.participationsRecorded = report.current.participation.participationsRecorded;
    }
    result.pdfBytes = statSync(out).size;
    result.peakRssMb = mb(process.resourceUsage().maxRSS * 1024);
    console.log(JSON.stringify(result));
  } finally {
    await app.close();
  }
}

void main();
