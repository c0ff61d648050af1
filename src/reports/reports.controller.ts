import { Body, Controller, Get, Post, Query, Redirect, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { sendAs } from '../common/http/download-name';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { flash } from '../common/http/flash';
import { clientIp } from '../common/http/session';
import { translate } from '../common/i18n/i18n';
import { formatQuarter } from '../common/views/format';
import { IssuedPdfQuery, IssueReportDto, QuarterlyCsvQuery, QuarterlyPdfQuery, QuarterlyPreviewQuery } from './dto/report-query.dto';
import { NotFoundError } from '../common/errors/domain-errors';
import { IssuedDownload, IssuedReportsService } from './issued-reports.service';
import { renderQuarterlyReportPdf } from './pdf/quarterly-report.pdf';
import { reportCsv } from './report-csv';
import { issuedListView, quarterlyReportView } from './report-view';
import { canExportReports, REPORT_CSV_READERS, REPORT_EXPORTERS, REPORT_READERS, ReportService } from './report.service';

/** Reports for managers and admins; coordinators and group managers read them without names; never family or volunteers. */
@Controller('reports')
@Roles(...REPORT_READERS)
export class ReportsController {
  constructor(private readonly reports: ReportService, private readonly issued: IssuedReportsService) {}

  @Get()
  @Render('reports/index')
  async index(@CurrentUser() user: SessionUser, @Req() req: Request) {
    return {
      title: translate(req.locale, 'reports.title'),
      ...(await this.reports.picker(user)),
      issued: issuedListView(await this.issued.listForUser(user), req.locale, canExportReports(user)),
    };
  }

  /** The preview: an issued quarter shows its issued figures and what has changed since. */
  @Get('quarterly')
  @Render('reports/quarterly')
  async preview(@CurrentUser() user: SessionUser, @Query() query: QuarterlyPreviewQuery, @Req() req: Request) {
    // Without its home or quarter (a bookmark, a shortened link, "usual settings" from an error page):
    // the picker's defaults, the reader's first home and the last closed quarter.
    const picked = query.homeId && query.quarter ? null : await this.reports.picker(user);
    const homeId = query.homeId ?? picked?.homes[0]?.id;
    if (!homeId) throw new NotFoundError();
    const quarter = query.quarter ?? picked!.defaultQuarter;
    const csvWithoutNames = !canExportReports(user) && (REPORT_CSV_READERS as readonly string[]).includes(user.role);
    return quarterlyReportView(await this.issued.quarter(user, homeId, quarter), req.locale, canExportReports(user), csvWithoutNames);
  }

  /** Issues a closed quarter (the next version when it was issued before). */
  @Post('issued')
  @Roles(...REPORT_EXPORTERS)
  @Redirect('/reports', 303)
  async issue(@CurrentUser() user: SessionUser, @Body() body: IssueReportDto, @Req() req: Request) {
    const issued = await this.issued.issue(user, body.homeId, body.quarter, body.locale ?? req.locale);
    flash(req, 'success', { key: 'reports.issued.done', params: { quarter: formatQuarter(issued.quarter, req.locale), version: issued.version } });
    return { url: `/reports/quarterly?homeId=${encodeURIComponent(issued.homeId)}&quarter=${encodeURIComponent(issued.quarter)}` };
  }

  /** One issued version's stored PDF, byte for byte (without names for readers who are not managers: the service decides). */
  @Get('issued.pdf')
  async issuedPdf(@CurrentUser() user: SessionUser, @Query() query: IssuedPdfQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const copy = query.copy ?? 'names';
    const origin = { ip: clientIp(req), userAgent: req.get('user-agent') };
    const print = await this.issued.issuedPdf(user, query.homeId, query.quarter, query.version, copy, origin, query.locale);
    if ('pdf' in print) {
      sendIssued(res, print, copy);
      return;
    }
    // Another language: the stored model printed again, its cover naming the issued copy it renders.
    const locale = query.locale!;
    res.setHeader('Content-Type', 'application/pdf');
    sendAs(res, 'attachment', locale, copy === 'names' ? 'issued' : 'issuedWithoutNames', { home: print.homeName, quarter: print.issued.quarter, version: print.issued.version }, 'pdf');
    res.setHeader('X-Report-Version', String(print.issued.version));
    await renderQuarterlyReportPdf(print.report, {
      locale, issuedAs: { version: print.issued.version, locale: print.issued.locale, issuedAt: print.issued.issuedAt, sha256: print.issuedSha256 },
    }, res);
  }

  /** The quarter's PDF: the latest issue's stored copy when it was issued, else computed now. */
  @Get('quarterly.pdf')
  @Roles(...REPORT_EXPORTERS)
  async pdf(@CurrentUser() user: SessionUser, @Query() query: QuarterlyPdfQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const reprint = await this.issued.reprint(user, query.homeId, query.quarter, 'names', { ip: clientIp(req), userAgent: req.get('user-agent') });
    if (reprint.issued) {
      sendIssued(res, reprint, 'names');
      return;
    }
    const report = reprint.report;
    res.setHeader('Content-Type', 'application/pdf');
    sendAs(res, 'attachment', query.locale ?? req.locale, 'quarterly', { home: report.meta.homeName, quarter: report.meta.quarter }, 'pdf');
    await renderQuarterlyReportPdf(report, { locale: query.locale ?? req.locale }, res);
  }

  /** The copy without names, for every reader of reports: the latest issue's stored copy when the quarter was issued. */
  @Get('quarterly-without-names.pdf')
  async pdfWithoutNames(@CurrentUser() user: SessionUser, @Query() query: QuarterlyPdfQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const reprint = await this.issued.reprintWithoutNames(user, query.homeId, query.quarter, { ip: clientIp(req), userAgent: req.get('user-agent') });
    if (reprint.issued) {
      sendIssued(res, reprint, 'withoutNames');
      return;
    }
    const report = reprint.report;
    res.setHeader('Content-Type', 'application/pdf');
    sendAs(res, 'attachment', query.locale ?? req.locale, 'quarterlyWithoutNames', { home: report.meta.homeName, quarter: report.meta.quarter }, 'pdf');
    await renderQuarterlyReportPdf(report, { locale: query.locale ?? req.locale }, res);
  }

  /** The CSV tables: from the latest issue's model when the quarter was issued. */
  @Get('quarterly.csv')
  @Roles(...REPORT_CSV_READERS)
  async csv(@CurrentUser() user: SessionUser, @Query() query: QuarterlyCsvQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const report = await this.issued.csvModel(user, query.homeId, query.quarter, `csv:${query.table}`, { ip: clientIp(req), userAgent: req.get('user-agent') });
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    sendAs(res, 'attachment', req.locale, `csv${query.table[0].toUpperCase()}${query.table.slice(1)}`, { home: report.meta.homeName, quarter: report.meta.quarter }, 'csv');
    res.send(reportCsv(report, query.table, req.locale));
  }
}

/** An issued copy as stored, with its SHA-256 (hex, and as RFC 9530's Repr-Digest) and version. */
function sendIssued(res: Response, stored: IssuedDownload, copy: string): void {
  const { issued } = stored;
  res.setHeader('Content-Type', 'application/pdf');
  // Named in the language the copy was printed in.
  sendAs(res, 'attachment', issued.locale, copy === 'names' ? 'issued' : 'issuedWithoutNames', { home: stored.homeName, quarter: issued.quarter, version: issued.version }, 'pdf');
  res.setHeader('X-Report-Sha256', stored.sha256);
  res.setHeader('Repr-Digest', `sha-256=:${Buffer.from(stored.sha256, 'hex').toString('base64')}:`);
  res.setHeader('X-Report-Version', String(issued.version));
  res.end(stored.pdf);
}
