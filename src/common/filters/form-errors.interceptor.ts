import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { catchError, from, mergeMap, Observable, throwError } from 'rxjs';
import { DomainError } from '../errors/domain-errors';
import { ID_PARAM, parseId } from '../http/parse-id.pipe';

export const FORM_VIEW = 'insieme:form-view';

export interface FormViewOptions {
  template: string;
  /** Fixed view data the template needs besides the submitted values (a heading, a mode). */
  data?: Record<string, unknown>;
  /**
   * Loads the rest of the page (lists beside the form, the record's name) from the controller. It may
   * return `alsoInvalid` (FieldErrors): what the service would refuse in the same submission once the
   * fields pass, so a refusal by the DTO's checks marks those too and the form is mended in one round.
   */
  context?: (controller: never, req: Request) => Promise<Record<string, unknown>> | Record<string, unknown>;
}

/** A rejected form submission, carrying what the filter needs to show the form again. */
export class FormRejection extends Error {
  constructor(
    readonly template: string,
    readonly error: DomainError,
    readonly viewData: Record<string, unknown>,
    readonly values: Record<string, unknown>,
  ) {
    super(error.message);
  }
}

/** Fields never sent back to the browser, even when the form is shown again. */
const NEVER_ECHOED = /password|_csrf|token/i;

/**
 * Attached by @FormView to the handlers that have a form, not app-wide: for every other request Nest
 * would build its interceptor chain (RxJS observables around the handler) for nothing, about a twentieth
 * of a page's time.
 */
@Injectable()
export class FormErrorsInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector, private readonly moduleRef: ModuleRef) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const view = this.reflector.get<FormViewOptions | undefined>(FORM_VIEW, context.getHandler());
    if (!view) return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    // A rejected form is shown again with its page reloaded from the ids in the URL, which the handler's
    // pipes may not have checked yet (the body can fail first): an id that is not one is not found, now.
    for (const name of Object.keys(req.params ?? {})) if (ID_PARAM.test(name)) req.params[name] = parseId(req.params[name]);
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (!(error instanceof DomainError) || error.status >= 500 || error.status === 401) return throwError(() => error);
        const body = (req.body ?? {}) as Record<string, unknown>;
        const values = Object.fromEntries(Object.entries(body).filter(([name]) => !NEVER_ECHOED.test(name)));
        return from(this.pageContext(view, context, req)).pipe(
          mergeMap((pageData) => throwError(() => new FormRejection(view.template, error, { ...pageData, ...view.data }, values))),
        );
      }),
    );
  }

  private async pageContext(view: FormViewOptions, context: ExecutionContext, req: Request): Promise<Record<string, unknown>> {
    if (!view.context) return {};
    const controller = this.moduleRef.get(context.getClass(), { strict: false });
    return view.context(controller as never, req);
  }
}
