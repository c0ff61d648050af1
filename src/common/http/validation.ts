import { ValidationError as ClassValidatorError, ValidationPipe } from '@nestjs/common';
import { FieldErrors, ValidationError } from '../errors/domain-errors';

const BOUNDED = new Set(['maxLength', 'minLength', 'min', 'max', 'arrayMaxSize', 'arrayMinSize']);

/** class-validator's failures as message keys, one per field: `validation.<constraint>`. */
export function toFieldErrors(errors: ClassValidatorError[], parent = ''): FieldErrors {
  const fields: FieldErrors = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const [constraint, message] = Object.entries(error.constraints ?? {})[0] ?? [];
    if (constraint) {
      // class-validator's messages read "<property> must be … <bound> …"; the bound is the number after the name.
      const bound = BOUNDED.has(constraint) ? /(-?\d+(\.\d+)?)/.exec((message ?? '').slice(error.property.length))?.[1] : undefined;
      fields[path] = { key: `validation.${constraint}`, params: bound === undefined ? {} : { n: bound } };
    }
    Object.assign(fields, toFieldErrors(error.children ?? [], path));
  }
  return fields;
}

/** The global pipe: unknown fields are refused, known ones converted to their declared types. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => new ValidationError(toFieldErrors(errors)),
  });
}
