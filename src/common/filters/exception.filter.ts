import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, TooManyRequestsError, UnauthenticatedError, ValidationError } from '../errors/domain-errors';
import { translate } from '../i18n/i18n';
import { wantsJson } from '../http/session';
import { FormRejection } from './form-errors.interceptor';

interface Problem {
  status: number;
  messageKey: string;
  params?: Record<string, string | number>;
  fields?: Record<string, { key: string; params?: Record<string, string | number> }>;
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

    if (exception instanceof FormRejection && !wantsJson(req)) {
      const problem = this.describe(exception.error);
      const errors = this.translateFields(locale, problem.fields);
      res.status(problem.status).render(exception.template, {
        formAction: req.originalUrl,
        ...exception.viewData,
        // What the user typed wins over what the page loaded.
        values: { ...((exception.viewData.values as Record<string, unknown> | undefined) ?? {}), ...exception.values },
        errors,
        // Announced at the top as well as beside each field, so an error on a field the page does not show
        // (a hidden home choice, a field the form never had) is never lost.
        formError: translate(locale, problem.messageKey, problem.params),
        errorSummary: errors && Object.keys(errors).length > 0 ? [...new Set(Object.values(errors))] : undefined,
      });
      return;
    }
    const cause = exception instanceof FormRejection ? exception.error : exception;

    if (cause instanceof UnauthenticatedError && !wantsJson(req)) {
      const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
      res.redirect(303, `/login${next}`);
      return;
    }

    const problem = this.describe(cause);
    if (problem.status >= 500) this.logger.error(cause instanceof Error ? (cause.stack ?? cause.message) : String(cause));
    if (cause instanceof TooManyRequestsError) res.setHeader('Retry-After', String(cause.retryAfterSeconds));

    const message = translate(locale, problem.messageKey, problem.params);
    if (wantsJson(req)) {
      res.status(problem.status).json({
        statusCode: problem.status,
        error: HttpStatus[problem.status] ?? 'Error',
        message,
        // A refusal about the record's state rather than the input has no fields: say so by leaving them out.
        ...(problem.fields && Object.keys(problem.fields).length > 0 ? { fields: this.translateFields(locale, problem.fields) } : {}),
      });
      return;
    }
    res.status(problem.status).render('errors/error', { status: problem.status, message, title: translate(locale, `errors.title${problem.status >= 500 ? 500 : problem.status === 404 ? 404 : 'Other'}`) }, (err, html) => {
      // A broken template must not hide the original error behind a second one.
      if (err) res.type('text/plain').send(message);
      else res.send(html);
    });
  }

  private describe(exception: unknown): Problem {
    if (exception instanceof ValidationError) {
      return { status: exception.status, messageKey: exception.detail.key, params: exception.detail.params, fields: exception.fields };
    }
    if (exception instanceof DomainError) {
      return { status: exception.status, messageKey: exception.detail.key, params: exception.detail.params };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return { status, messageKey: HTTP_MESSAGE_KEYS[status] ?? (status >= 500 ? 'errors.server' : 'errors.badRequest') };
    }
    return { status: 500, messageKey: 'errors.server' };
  }

  private translateFields(locale: string, fields: Problem['fields']): Record<string, string> | undefined {
    if (!fields) return undefined;
    return Object.fromEntries(Object.entries(fields).map(([name, m]) => [name, translate(locale, m.key, m.params)]));
  }
}
