import { ArgumentMetadata, ValidationError as ClassValidatorError, ValidationPipe } from '@nestjs/common';
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

/**
 * Fields holding a NUL character, by path (`note`, `entries.0.staffNote`). Nobody types one, and
 * PostgreSQL cannot store one in text: without this check it answers an error, and the app a 500.
 */
export function fieldsWithNul(value: unknown, parent = ''): FieldErrors {
  const fields: FieldErrors = {};
  if (value === null || typeof value !== 'object') return fields;
  for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
    const path = parent ? `${parent}.${name}` : name;
    const strings = Array.isArray(item) ? item.filter((x) => typeof x === 'string') : [item];
    if (strings.some((x) => typeof x === 'string' && x.includes('\u0000')) || name.includes('\u0000')) fields[path] = { key: 'validation.invalidCharacter' };
    else if (Array.isArray(item)) item.forEach((child, index) => Object.assign(fields, fieldsWithNul(child, `${path}.${index}`)));
    else Object.assign(fields, fieldsWithNul(item, path));
  }
  return fields;
}

/** The global pipe: unknown fields are refused, known ones converted to their declared types. */
class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const fields = fieldsWithNul(value);
      if (Object.keys(fields).length > 0) throw new ValidationError(fields);
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => new ValidationError(toFieldErrors(errors)),
  });
}
