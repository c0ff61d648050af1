import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, FieldErrors, StepRequiredError, TooManyRequestsError, UnauthenticatedError, ValidationError } from '../errors/domain-errors';
import { translate } from '../i18n/i18n';
import { messageText } from '../i18n/message-text';
import { wantsJson } from '../http/session';
import { SESSION_COOKIE } from '../http/session';
import { FormRejection } from './form-errors.interceptor';

interface Problem {
  status: number;
  messageKey: string;
  params?: Record<string, string | number>;
  fields?: Record<string, { key: string; params?: Record<string, string | number> }>;
}

function hadSessionCookie(req: Request): boolean {
  return (req.get('cookie') ?? '').split(';').some((part) => part.trim().startsWith(`${SESSION_COOKIE}=`));
}

const HTTP_MESSAGE_KEYS: Record<number, string> = {
  400: 'errors.badRequest',
  401: 'errors.unauthenticated',
  403: 'errors.forbidden',
  404: 'errors.notFound',
  413: 'errors.tooLarge',
  415: 'errors.unsupportedMediaType',
  429: 'errors.tooManyRequests',
};

/**
 * The one place errors become responses: JSON `{ statusCode, error, message, fields? }` for the API,
 * a form shown again for a rejected submission, a sign-in redirect, or an error page.
 */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    const locale = req.locale ?? 'en';

    const cause = exception instanceof FormRejection ? exception.error : exception;
    // Also on a form re-render: the wait is the same whoever asks.
    if (cause instanceof TooManyRequestsError) res.setHeader('Retry-After', String(cause.retryAfterSeconds));
    if (exception instanceof FormRejection && !wantsJson(req)) {
      const problem = this.describe(exception.error);
      // The refusal's own fields win; the page adds what else this submission lacks (FormViewOptions.context).
      const alsoInvalid = exception.viewData.alsoInvalid as FieldErrors | undefined;
      const errors = this.translateFields(locale, alsoInvalid ? { ...alsoInvalid, ...problem.fields } : problem.fields);
      res.status(problem.status).render(exception.template, {
        formAction: req.originalUrl,
        ...exception.viewData,
        // What the user typed wins over what the page loaded.
        values: { ...((exception.viewData.values as Record<string, unknown> | undefined) ?? {}), ...exception.values },
        errors,
        // Announced at the top as well as beside each field, so an error on a field the page does not show
        // (a hidden home choice, a field the form never had) is never lost; the view engine names each
        // field in that summary by its label on the page (common/views/error-summary.ts).
        formError: messageText(locale, problem.messageKey, problem.params),
        // A refusal of the form as a whole (nothing beside a field): a long page repeats it beside the
        // form. When fields are named, their errors beside them say it there, and the focus goes to the first.
        formErrorAlone: Object.keys(errors ?? {}).length === 0,
      });
      return;
    }
    if (cause instanceof UnauthenticatedError && !wantsJson(req)) {
      // A browser that still sends a session cookie had a session that ended: the sign-in page says why
      // (idle unless the session said otherwise: 12 hours, a password changed, an account disabled) and
      // returns the user to the page they asked for.
      const query = new URLSearchParams();
      if (req.method === 'GET') query.set('next', req.originalUrl);
      if (req.sessionEnded || hadSessionCookie(req)) query.set('reason', req.sessionEnded ?? 'expired');
      const search = query.toString();
      res.redirect(303, `/login${search ? `?${search}` : ''}`);
      return;
    }

    if (cause instanceof StepRequiredError && !wantsJson(req)) {
      res.redirect(303, cause.location);
      return;
    }

    const problem = this.describe(cause);
    if (problem.status >= 500) this.logger.error(cause instanceof Error ? (cause.stack ?? cause.message) : String(cause));

    const message = messageText(locale, problem.messageKey, problem.params);
    if (wantsJson(req)) {
      res.status(problem.status).json({
        statusCode: problem.status,
        error: HttpStatus[problem.status] ?? 'Error',
        message,
        ...(cause instanceof StepRequiredError ? { code: cause.code } : {}),
        // Signed out: the token a signed-out form sends (the ward tablet's PIN dialog, after its session ended).
        ...(problem.status === 401 && typeof res.locals.csrfToken === 'string' ? { csrfToken: res.locals.csrfToken } : {}),
        // A refusal about the record's state rather than the input has no fields: say so by leaving them out.
        ...(problem.fields && Object.keys(problem.fields).length > 0 ? { fields: this.translateFields(locale, problem.fields) } : {}),
      });
      return;
    }
    // A page refused for its query (a calendar date out of bounds) says which value and why: each
    // line names the parameter as the address has it (`quarter=2026-Q9`), then the reason.
    const fieldMessages = Object.entries(this.translateFields(locale, problem.fields) ?? {}).map(([field, text]) =>
      translate(locale, 'errors.fieldMessage', { label: queryLabel(req, field), message: text }));
    const title = translate(locale, `errors.title${problem.status >= 500 ? 500 : problem.status === 404 ? 404 : 'Other'}`);
    res.status(problem.status).render('errors/error', { status: problem.status, message, title, fieldMessages, ...recoveryLinks(req, problem.status) }, (err, html) => {
      // A broken template must not hide the original error behind a second one.
      if (err) res.type('text/plain').send(message);
      else res.send(html);
    });
  }

  private describe(exception: unknown): Problem {
    if (exception instanceof ValidationError || exception instanceof TooManyRequestsError) {
      return { status: exception.status, messageKey: exception.detail.key, params: exception.detail.params, fields: exception.fields };
    }
    if (exception instanceof DomainError) {
      return { status: exception.status, messageKey: exception.detail.key, params: exception.detail.params };
    }
    // A domain error thrown inside Express middleware (body-parser's verify hook) arrives wrapped by
    // the platform adapter; its own status and message are the answer.
    if (exception instanceof HttpException && exception.cause instanceof DomainError) return this.describe(exception.cause);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return { status, messageKey: HTTP_MESSAGE_KEYS[status] ?? (status >= 500 ? 'errors.server' : 'errors.badRequest') };
    }
    return { status: 500, messageKey: 'errors.server' };
  }

  private translateFields(locale: string, fields: Problem['fields']): Record<string, string> | undefined {
    if (!fields) return undefined;
    return Object.fromEntries(Object.entries(fields).map(([name, m]) => [name, messageText(locale, m.key, m.params)]));
  }
}

/** A query parameter as the address has it: `name=value` (the value cut to 40 characters), or the bare name. */
/**
 * Ways on from a page refused for its address: back to the page the reader came from (the same
 * site's), and, for a query refused (a quarter typed by hand, an old bookmark), the same page without
 * it, with its usual settings. (Not a guessed parent: /invitations/<token>'s is no page.)
 */
function recoveryLinks(req: Request, status: number): { backHref: string | null; usualHref: string | null } {
  if (req.method !== 'GET' || status >= 500 || status === 401) return { backHref: null, usualHref: null };
  const here = req.originalUrl;
  const backHref = sameSiteReferer(req, here);
  if (status !== 400 && status !== 422) return { backHref, usualHref: null };
  const usualHref = here.includes('?') ? req.path : null;
  return { backHref, usualHref: usualHref === backHref ? null : usualHref };
}

/** The path of the page the reader came from, when it is this site's and not this very address. */
function sameSiteReferer(req: Request, here: string): string | null {
  try {
    const referer = req.get('referer');
    const from = referer ? new URL(referer) : null;
    const path = from && from.host === req.get('host') ? `${from.pathname}${from.search}` : null;
    return path && path !== here && path.startsWith('/') && !path.startsWith('//') ? path : null;
  } catch {
    return null;
  }
}

function queryLabel(req: Request, field: string): string {
  const value = req.method === 'GET' ? (req.query as Record<string, unknown>)[field] : undefined;
  if (typeof value !== 'string') return field;
  return `${field}=${value.length > 40 ? `${value.slice(0, 40)}…` : value}`;
}
