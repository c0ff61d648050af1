import { Controller, Get, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { clientIp } from '../common/http/session';
import { translate } from '../common/i18n/i18n';
import { QuarterlyCsvQuery, QuarterlyPdfQuery, QuarterlyReportQuery } from './dto/report-query.dto';
import { renderQuarterlyReportPdf } from './pdf/quarterly-report.pdf';
import { reportCsv } from './report-csv';
import { quarterlyReportView } from './report-view';
import { canExportReports, REPORT_EXPORTERS, REPORT_READERS, ReportService } from './report.service';

/** Reports for managers and admins; coordinators preview without names; never family or volunteers. */
@Controller('reports')
@Roles(...REPORT_READERS)
export class ReportsController {
  constructor(private readonly reports: ReportService) {}

  @Get()
  @Render('reports/index')
  async index(@CurrentUser() user: SessionUser, @Req() req: Request) {
    return { title: translate(req.locale, 'reports.title'), ...(await this.reports.picker(user)) };
  }

  @Get('quarterly')
  @Render('reports/quarterly')
  async preview(@CurrentUser() user: SessionUser, @Query() query: QuarterlyReportQuery, @Req() req: Request) {
    const report = await this.reports.forUser(user, query.homeId, query.quarter);
    return quarterlyReportView(report, req.locale, canExportReports(user));
  }

  @Get('quarterly.pdf')
  @Roles(...REPORT_EXPORTERS)
  async pdf(@CurrentUser() user: SessionUser, @Query() query: QuarterlyPdfQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const report = await this.reports.exportFor(user, query.homeId, query.quarter, 'pdf', { ip: clientIp(req), userAgent: req.get('user-agent') });
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="insieme-${report.meta.homeSlug}-${report.meta.quarter}.pdf"`);
    await renderQuarterlyReportPdf(report, { locale: query.locale ?? req.locale }, res);
  }

  /** The copy without names: for every reader of reports, beside the manager's copy above. */
  @Get('quarterly-without-names.pdf')
  async pdfWithoutNames(@CurrentUser() user: SessionUser, @Query() query: QuarterlyPdfQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const report = await this.reports.exportWithoutNamesFor(user, query.homeId, query.quarter, 'pdf', { ip: clientIp(req), userAgent: req.get('user-agent') });
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="insieme-${report.meta.homeSlug}-${report.meta.quarter}-without-names.pdf"`);
    await renderQuarterlyReportPdf(report, { locale: query.locale ?? req.locale }, res);
  }

  @Get('quarterly.csv')
  @Roles(...REPORT_EXPORTERS)
  async csv(@CurrentUser() user: SessionUser, @Query() query: QuarterlyCsvQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const report = await this.reports.exportFor(user, query.homeId, query.quarter, `csv:${query.table}`, { ip: clientIp(req), userAgent: req.get('user-agent') });
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="insieme-${report.meta.homeSlug}-${report.meta.quarter}-${query.table}.csv"`);
    res.send(reportCsv(report, query.table, req.locale));
  }
}
