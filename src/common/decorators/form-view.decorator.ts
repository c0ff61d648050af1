import { SetMetadata } from '@nestjs/common';

export const FORM_VIEW = 'insieme:form-view';

export interface FormViewOptions {
  template: string;
  /** Fixed view data the template needs besides the submitted values (a heading, a mode). */
  data?: Record<string, unknown>;
}

/**
 * The template that shows this handler's form. When the submission is rejected, the form is shown
 * again at the same address with what the user typed and the errors beside the fields.
 */
export const FormView = (template: string, data: Record<string, unknown> = {}) =>
  SetMetadata<string, FormViewOptions>(FORM_VIEW, { template, data });
