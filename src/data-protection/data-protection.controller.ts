import { Body, Controller, Get, Param, Post, Query, Redirect, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { sendAs } from '../common/http/download-name';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { flash } from '../common/http/flash';
import { ParseIdPipe } from '../common/http/parse-id.pipe';
import { listHref } from '../common/http/list-href';
import { clientIp } from '../common/http/session';
import { translate } from '../common/i18n/i18n';
import { messageText } from '../common/i18n/message-text';
import { renderSubjectAccessPdf } from '../reports/pdf/subject-access.pdf';
import { can, rolesThat } from '../common/access/access-policy';
import { AUDIT_ACTIONS } from '../audit/audit.enums';
import { AuditLogService } from './audit-log.service';
import { AuditLogQueryDto } from './dto/audit-log-query.dto';
import { ErasureDto } from './dto/erasure.dto';
import { KeepRecordDto } from './dto/keep-record.dto';
import { ErasureService } from './erasure.service';
import { RetentionService } from './retention.service';
import { SubjectAccessService } from './subject-access.service';

/**
 * Data-protection requests about residents (SPEC 7): the subject-access export (JSON and PDF),
 * erasure by anonymisation, and the retention review. Managers and admins of the resident's home only;
 * a resident of another home is not found.
 */
@Controller()
@Roles(...rolesThat('handleDataProtection'))
export class DataProtectionController {
  constructor(
    private readonly subjectAccess: SubjectAccessService,
    private readonly erasure: ErasureService,
    private readonly retention: RetentionService,
    private readonly auditLog: AuditLogService,
  ) {}

  @Get('data-protection')
  @Render('data-protection/index')
  async index(@CurrentUser() user: SessionUser, @Req() req: Request) {
    return { title: translate(req.locale, 'dataProtection.title'), canReadAuditLog: can(user, 'readAuditLog'), ...(await this.retention.review(user)), values: {} };
  }

  /** The retention review's "keep, with a reason": the record leaves the list for a year. A refused reason comes back beside its row's box. */
  @Post('data-protection/retention/keep')
  @Redirect('/data-protection', 303)
  @FormView('data-protection/index', {}, (c: DataProtectionController, req) => c.index(req.user!, req))
  async keep(@CurrentUser() user: SessionUser, @Body() body: KeepRecordDto, @Req() req: Request) {
    const kept = await this.retention.keep(user, body);
    flash(req, 'success', { key: 'dataProtection.retention.keptDone', params: { name: kept.name, date: kept.reviewAgainOn } });
    return { url: '/data-protection#retention-kept' };
  }

  /** The audit log, filtered by the page's address; a date typed wrong comes back beside its field (422), the filters kept. */
  @Get('data-protection/audit')
  @Roles(...rolesThat('readAuditLog'))
  @Render('data-protection/audit')
  async audit(@CurrentUser() user: SessionUser, @Query() query: AuditLogQueryDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const page = await this.auditLog.page(user, query);
    const errors = Object.fromEntries(Object.entries(page.errors).map(([field, message]) => [field, messageText(req.locale, message.key, message.params)]));
    if (Object.keys(errors).length > 0) res.status(422);
    const filters = { person: query.person, user: query.user, action: query.action, from: query.from, to: query.to };
    const older = page.olderBefore === null ? null : listHref('/data-protection/audit', { ...filters, before: String(page.olderBefore) }, 1);
    return {
      title: translate(req.locale, 'dataProtection.audit.title'), ...page, errors, values: query, older, filtered: Object.values(filters).some(Boolean),
      actions: AUDIT_ACTIONS.map((action) => ({ id: action, name: translate(req.locale, `dataProtection.audit.actions.${action}`) })),
    };
  }

  @Get('residents/:id/data-export.json')
  async exportJson(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const data = await this.subjectAccess.exportFor(user, id, 'json', { ip: clientIp(req), userAgent: req.get('user-agent') });
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    sendAs(res, 'attachment', req.locale, 'subjectAccess', fileParams(data.meta), 'json');
    res.send(JSON.stringify(data, null, 2));
  }

  @Get('residents/:id/data-export.pdf')
  async exportPdf(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const data = await this.subjectAccess.exportFor(user, id, 'pdf', { ip: clientIp(req), userAgent: req.get('user-agent') });
    res.setHeader('Content-Type', 'application/pdf');
    sendAs(res, 'attachment', req.locale, 'subjectAccess', fileParams(data.meta), 'pdf');
    await renderSubjectAccessPdf(data, { locale: req.locale }, res);
  }

  /** Erasure is asked for on a page of its own, with a reason and an explicit tick. */
  @Get('residents/:id/erase')
  @Render('data-protection/erase')
  async confirmErase(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    const preview = await this.erasure.preview(user, id);
    return { title: preview.fullName, preview, values: {} };
  }

  @Post('residents/:id/erase')
  @Redirect('/residents', 303)
  @FormView('data-protection/erase', {}, (c: DataProtectionController, req) => c.confirmErase(req.user!, req.params.id as string))
  async erase(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: ErasureDto, @Req() req: Request) {
    const result = await this.erasure.erase(user, id, body);
    flash(req, 'success', { key: 'dataProtection.erase.done', params: { name: result.placeholder } });
    return { url: `/residents/${id}` };
  }
}

/** The file name says whose export it is by id only: a name in a download's file name travels far. */
/** The resident by the start of their id, not their name: the file name travels where the file's contents may not. */
function fileParams(meta: { residentId: string; generatedAt: string }): Record<string, string> {
  return { id: meta.residentId.slice(0, 8), date: meta.generatedAt.slice(0, 10) };
}
