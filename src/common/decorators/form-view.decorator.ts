import { applyDecorators, SetMetadata } from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import type { Request } from 'express';
import { FORM_VIEW, FormErrorsInterceptor, FormViewOptions } from '../filters/form-errors.interceptor';

export { FORM_VIEW, type FormViewOptions };

/**
 * The template that shows this handler's form. When the submission is rejected, the form is shown
 * again at the same address with what the user typed and the errors beside the fields.
 */
export const FormView = <C>(
  template: string,
  data: Record<string, unknown> = {},
  context?: (controller: C, req: Request) => Promise<Record<string, unknown>> | Record<string, unknown>,
) => applyDecorators(SetMetadata<string, FormViewOptions>(FORM_VIEW, { template, data, context: context as FormViewOptions['context'] }), formErrorsFirst);

/**
 * FormErrorsInterceptor as the handler's first interceptor, whatever the order of the decorators: it
 * must see what the others throw (an image upload's refusal is shown on the form too), as it did when
 * it was the app's one global interceptor. UseInterceptors would append it after those already declared.
 */
const formErrorsFirst: MethodDecorator = (_target, _key, descriptor) => {
  const declared = (Reflect.getMetadata(INTERCEPTORS_METADATA, descriptor.value as object) ?? []) as unknown[];
  Reflect.defineMetadata(INTERCEPTORS_METADATA, [FormErrorsInterceptor, ...declared.filter((i) => i !== FormErrorsInterceptor)], descriptor.value as object);
};
