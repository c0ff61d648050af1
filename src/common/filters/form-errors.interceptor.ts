import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { catchError, Observable, throwError } from 'rxjs';
import { FORM_VIEW, FormViewOptions } from '../decorators/form-view.decorator';
import { DomainError } from '../errors/domain-errors';

/** Marks a domain error from a form submission, so the filter shows the form again instead of an error page. */
export class FormRejection extends Error {
  constructor(readonly view: FormViewOptions, readonly error: DomainError, readonly values: Record<string, unknown>) {
    super(error.message);
  }
}

/** Fields never sent back to the browser, even when the form is shown again. */
const NEVER_ECHOED = /password|_csrf|token/i;

@Injectable()
export class FormErrorsInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const view = this.reflector.get<FormViewOptions | undefined>(FORM_VIEW, context.getHandler());
    if (!view) return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (!(error instanceof DomainError) || error.status >= 500 || error.status === 401) return throwError(() => error);
        const body = (req.body ?? {}) as Record<string, unknown>;
        const values = Object.fromEntries(Object.entries(body).filter(([name]) => !NEVER_ECHOED.test(name)));
        return throwError(() => new FormRejection(view, error, values));
      }),
    );
  }
}
