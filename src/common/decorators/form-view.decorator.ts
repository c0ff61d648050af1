import { SetMetadata } from '@nestjs/common';
import type { Request } from 'express';

export const FORM_VIEW = 'insieme:form-view';

export interface FormViewOptions {
  template: string;
  /** Fixed view data the template needs besides the submitted values (a heading, a mode). */
  data?: Record<string, unknown>;
  /** Loads the rest of the page (lists beside the form, the record's name) from the controller. */
  context?: (controller: never, req: Request) => Promise<Record<string, unknown>> | Record<string, unknown>;
}

/**
 * The template that shows this handler's form. When the submission is rejected, the form is shown
 * again at the same address with what the user typed and the errors beside the fields.
 */
export const FormView = <C>(
  template: string,
  data: Record<string, unknown> = {},
  context?: (controller: C, req: Request) => Promise<Record<string, unknown>> | Record<string, unknown>,
) => SetMetadata<string, FormViewOptions>(FORM_VIEW, { template, data, context: context as FormViewOptions['context'] });
