import { ArgumentMetadata, ValidationError as ClassValidatorError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { FieldErrors, ValidationError } from '../errors/domain-errors';
import { DATE_RANGE_PARAMS } from './form-fields';

const BOUNDED = new Set(['maxLength', 'minLength', 'min', 'max', 'arrayMaxSize', 'arrayMinSize']);
/** Rules of a choice from a list: their message already says what to do when nothing is chosen. */
const CHOICES = new Set(['isIn', 'isUuid', 'isEnum']);

/** class-validator's failures as message keys, one per field: `validation.<constraint>`. */
export function toFieldErrors(errors: ClassValidatorError[], parent = ''): FieldErrors {
  const fields: FieldErrors = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const [constraint, message] = Object.entries(error.constraints ?? {})[0] ?? [];
    if ((constraint === 'isArray' || constraint === 'arrayNotEmpty') && (error.value === undefined || error.value === null || (Array.isArray(error.value) && error.value.length === 0))) {
      // A list of boxes with none ticked (a form sends nothing then): "Choose at least one.", not "Send a list here.".
      fields[path] = { key: 'validation.chooseSome', params: {} };
    } else if (constraint && !CHOICES.has(constraint) && leftBlank(error)) {
      // Nothing typed in a field that must be filled: "Fill in this field.", not "wrong format" (an empty date or
      // time). A choice left unmade keeps its own words ("Choose one of the options.").
      fields[path] = { key: 'validation.isNotEmpty', params: {} };
    } else if (constraint) {
      // class-validator's messages read "<property> must be … <bound> …"; the bound is the number after the name.
      const bound = BOUNDED.has(constraint) ? /(-?\d+(\.\d+)?)/.exec((message ?? '').slice(error.property.length))?.[1] : undefined;
      const params: Record<string, string> = constraint === 'dateRange' ? DATE_RANGE_PARAMS : bound === undefined ? {} : { n: bound };
      fields[path] = { key: `validation.${constraint}`, params };
    }
    Object.assign(fields, toFieldErrors(error.children ?? [], path));
  }
  return fields;
}

/**
 * A field sent blank ('' or spaces) whose rules do not let it be left out (no @IsOptional or
 * @ValidateIf on it). An unknown field, or a list, is never "left blank".
 */
function leftBlank(error: ClassValidatorError): boolean {
  if (typeof error.value !== 'string' || error.value.trim() !== '' || !error.target) return false;
  if (error.constraints && 'whitelistValidation' in error.constraints) return false;
  const rules = getMetadataStorage().getTargetValidationMetadatas(error.target.constructor, '', false, false);
  return !rules.some((rule) => rule.propertyName === error.property && rule.type === 'conditionalValidation');
}

/**
 * Fields holding a NUL character, by path (`note`, `entries.0.staffNote`). Nobody types one, and
 * PostgreSQL cannot store one in text: without this check it answers an error, and the app a 500.
 * Walked with a stack of its own, not recursion, so no nesting a client sends can overflow the call
 * stack (bodies are bounded before parsing too: common/http/body-bounds.ts).
 */
export function fieldsWithNul(value: unknown): FieldErrors {
  const fields: FieldErrors = {};
  const pending: { value: unknown; parent: string }[] = [{ value, parent: '' }];
  while (pending.length > 0) {
    const { value: current, parent } = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    const children: { value: unknown; parent: string }[] = [];
    for (const [name, item] of Object.entries(current as Record<string, unknown>)) {
      const path = parent ? `${parent}.${name}` : name;
      const strings = Array.isArray(item) ? item.filter((x) => typeof x === 'string') : [item];
      if (strings.some((x) => typeof x === 'string' && x.includes('\u0000')) || name.includes('\u0000')) fields[path] = { key: 'validation.invalidCharacter' };
      else if (Array.isArray(item)) item.forEach((child, index) => children.push({ value: child, parent: `${path}.${index}` }));
      else children.push({ value: item, parent: path });
    }
    // Reversed onto the stack, so fields are named in the order the body gives them.
    pending.push(...children.reverse());
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

type MetadataStorage = ReturnType<typeof getMetadataStorage>;

/**
 * class-validator looks up a class's rules afresh for every object it checks, walking every
 * validated class of the app to find inherited ones: 21 times per saved 20-resident log. The rules
 * are fixed once the DTO classes are loaded, so each class's list is kept after its first lookup,
 * and dropped whenever a rule is added. (Lookups by group, which the app does not use, are not kept.)
 */
export function rememberValidationRules(storage: MetadataStorage = getMetadataStorage()): void {
  const marked = storage as MetadataStorage & { rulesRemembered?: boolean };
  if (marked.rulesRemembered) return;
  marked.rulesRemembered = true;
  const lookUp = storage.getTargetValidationMetadatas.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  const known = new Map<unknown, Map<string, ReturnType<MetadataStorage['getTargetValidationMetadatas']>>>();
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    if (groups && groups.length > 0) return lookUp(target, schema, always, strictGroups, groups);
    const key = `${schema}|${always}|${strictGroups}`;
    let byOptions = known.get(target);
    if (!byOptions) known.set(target, (byOptions = new Map()));
    let rules = byOptions.get(key);
    if (!rules) byOptions.set(key, (rules = lookUp(target, schema, always, strictGroups, groups)));
    return rules;
  };
  storage.addValidationMetadata = (metadata) => {
    known.clear();
    add(metadata);
  };
}

export function createValidationPipe(): ValidationPipe {
  rememberValidationRules();
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    // The failing object's class, for toFieldErrors to tell a required field left blank from an optional one
    // (Nest leaves it out by default). The errors become message keys here; nothing of them is sent as it is.
    validationError: { target: true, value: true },
    exceptionFactory: (errors) => new ValidationError(toFieldErrors(errors)),
  });
}
