import { getMetadataStorage } from 'class-validator';
import fc from 'fast-check';

// class-transformer keeps @Type() targets here; the package ships the types apart from the code.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

/*
 * Hostile values for property-based bad-input tests, and plausible ones read from a DTO's
 * class-validator rules, so that a payload can be right in every field but one and reach the handler.
 */

/** A JSON value whose objects may repeat keys or use `__proto__`, which plain objects cannot carry. */
export type Json = string | number | boolean | null | Json[] | JsonObject;
export interface JsonObject {
  pairs: [string, Json][];
}
/** A field as a form sends it: one value, or the field repeated. */
export type FormValue = string | string[];
export type Pairs<V> = [string, V][];

export function jsonObject(pairs: [string, Json][]): JsonObject {
  return { pairs };
}

/** JSON text, written by hand so that `__proto__` and repeated keys reach the server as sent. */
export function toJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object') return `{${value.pairs.map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** application/x-www-form-urlencoded, a repeated field once per value. */
export function toForm(pairs: Pairs<FormValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of pairs) for (const item of Array.isArray(value) ? value : [value]) params.append(key, item);
  return params.toString();
}

/** Script and markup that must never come back unescaped in a page. */
export const SCRIPT_MARKERS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'];

const HOSTILE_TEXT = [
  ...SCRIPT_MARKERS,
  "' OR '1'='1", "1'; DROP TABLE resident; --", '" OR 1=1 --', "') UNION SELECT password_hash FROM \"user\" --", '\\', "%' --",
  '{{constructor.constructor "return process"}}', '{{> main}}', '${7*7}', '=HYPERLINK("http://x")', '@SUM(1+1)', '+1-1', '-1+1',
  '\u0000', 'a\u0000b', '\uD800', 'x\uDC00y', '\u202Eevil\u202C', '\u200B\u200C\u200D\uFEFF', '\u05E9\u05DC\u05D5\u05DD', 'مرحبا', '👩‍👩‍👧‍👦', 'e\u0301\u0301\u0301', '\r\n\t',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf',
  '', ' ', '   ', 'null', 'undefined', 'true', 'on', 'NaN', 'Infinity', '-Infinity', '-1', '0', '-0', '1e309', '9'.repeat(30), '0x1F', '1.5', ' 5 ', '5abc',
  '2026-02-30', '2026-13-01', '2026-00-10', '0000-00-00', '9999-12-31', '0001-01-01', '2026-1-1', '2026-02-29', '2026-01-01T25:61:00Z', '2026-Q5', '2026-Q0', 'Q3-2026',
  '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '00000000-0000-4000-8000-00000000000g', '../../etc/passwd', '%00', '%2e%2e%2f', 'file:///etc/passwd',
  'https://evil.example/', '//evil.example', '/\\evil.example', 'javascript:alert(1)',
];

/** Text a user or a script could send in one field: hostile fragments, random unicode, very long text. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('x', 'é', '\u0000', '😀', "'"), fc.integer({ min: 1_000, max: 20_000 })).map(([c, n]) => c.repeat(n)) },
);

/** Keys that try to reach an object's prototype, in JSON and in form field names. */
export const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype', 'a[__proto__][polluted]', '__proto__[polluted]', 'constructor[prototype][polluted]', '__proto__.polluted'];

const pollutingObject: fc.Arbitrary<Json> = fc.constantFrom<Json>(
  jsonObject([['__proto__', jsonObject([['polluted', 'yes']])]]),
  jsonObject([['constructor', jsonObject([['prototype', jsonObject([['polluted', 'yes']])]])]]),
  jsonObject([['prototype', jsonObject([['polluted', 'yes']])]]),
);

/** Any JSON where a scalar was expected: wrong types, arrays, nested and polluting objects. */
export const hostileJson: fc.Arbitrary<Json> = fc.oneof(
  { weight: 5, arbitrary: hostileText },
  { weight: 2, arbitrary: fc.constantFrom<Json>(0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, true, false, null) },
  { weight: 1, arbitrary: fc.double().map((n) => (Number.isFinite(n) ? n : 0)) },
  { weight: 2, arbitrary: fc.array(fc.oneof(hostileText, fc.integer(), fc.constant(null)), { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom('a', 'id', 'length', '0', ...POLLUTING_KEYS), hostileText), { maxLength: 3 }).map((pairs) => jsonObject(pairs)) },
  { weight: 1, arbitrary: pollutingObject },
  { weight: 1, arbitrary: fc.constant<Json>([[[[[[[[[[[]]]]]]]]]]]) },
);

/** What a form can carry where one value was expected: hostile text, or the field repeated. */
export const hostileFormValue: fc.Arbitrary<FormValue> = fc.oneof(
  { weight: 5, arbitrary: hostileText },
  { weight: 1, arbitrary: fc.array(hostileText, { minLength: 2, maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constant(Array.from({ length: 300 }, () => '1')) },
);

/** One of a DTO's fields as its validation rules describe it. */
export interface FieldSpec {
  name: string;
  optional: boolean;
  list: boolean;
  rules: Map<string, unknown[]>;
  nested?: new () => object;
}

export function fieldSpecs(dto: new (...args: never[]) => object): FieldSpec[] {
  const specs = new Map<string, FieldSpec>();
  for (const meta of getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false)) {
    const spec: FieldSpec = specs.get(meta.propertyName) ?? { name: meta.propertyName, optional: false, list: false, rules: new Map() };
    specs.set(meta.propertyName, spec);
    if (meta.type === 'conditionalValidation') spec.optional = true;
    if (meta.each || meta.name === 'isArray') spec.list = true;
    if (meta.type === 'nestedValidation') {
      spec.list = true;
      spec.nested = defaultMetadataStorage.findTypeMetadata(dto, meta.propertyName)?.typeFunction() as new () => object;
    }
    if (meta.name) spec.rules.set(meta.name, meta.constraints ?? []);
  }
  return [...specs.values()];
}

/** Ids for a field by its name: `residentIds` draws from residents, `personId` from anyone, and so on. */
export type IdsFor = (fieldName: string) => string[];

/** A value that passes a field's own rules as far as they can be read, with ids of real records. */
export function plausible(spec: FieldSpec, ids: IdsFor, mode: 'form' | 'json', depth = 0): fc.Arbitrary<Json> {
  const one = plausibleOne(spec, ids, mode, depth);
  if (!spec.list) return one;
  const max = Math.min(3, Number(spec.rules.get('arrayMaxSize')?.[0] ?? 3));
  const min = Math.min(max, Number(spec.rules.get('arrayMinSize')?.[0] ?? 0));
  return fc.array(one, { minLength: min, maxLength: max });
}

function plausibleOne(spec: FieldSpec, ids: IdsFor, mode: 'form' | 'json', depth: number): fc.Arbitrary<Json> {
  const rule = (name: string) => spec.rules.get(name);
  const number = (n: number) => (mode === 'form' ? String(n) : n);
  if (spec.nested && depth < 2) {
    const fields = fieldSpecs(spec.nested);
    return fc.tuple(...fields.map((f) => fc.option(plausible(f, ids, mode, depth + 1), { nil: undefined, freq: f.optional ? 3 : 20 }))).map((values) =>
      jsonObject(fields.flatMap((f, i) => (values[i] === undefined ? [] : [[f.name, values[i]] as [string, Json]]))),
    );
  }
  if (rule('isIn')) return fc.constantFrom(...(rule('isIn')![0] as Json[]));
  if (rule('isUuid')) {
    const pool = ids(spec.name);
    return pool.length > 0 ? fc.constantFrom(...pool) : fc.uuid();
  }
  if (rule('isBoolean')) return mode === 'form' ? fc.constantFrom('on', '') : fc.boolean();
  if (rule('isInt') || rule('min') || rule('max') || rule('isNumber')) {
    const min = Number(rule('min')?.[0] ?? 0);
    const max = Number(rule('max')?.[0] ?? min + 100);
    return fc.integer({ min, max: Math.min(max, min + 1000) }).map(number);
  }
  if (rule('isEmail')) return fc.integer({ min: 1, max: 1e6 }).map((n) => `fuzz${n}@example.test`);
  if (rule('isDateString')) return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (rule('matches')) {
    const pattern = rule('matches')![0] as RegExp;
    // Dates are the common case; a few days that do not exist are part of the bargain.
    if (pattern.test('2026-03-14')) {
      const wellFormed = fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      // Days that fit the layout but not the calendar are what such a pattern lets through.
      const impossible = ['2026-02-30', '2025-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '0000-01-01', '9999-12-31'].filter((d) => pattern.test(d));
      return impossible.length > 0 ? fc.oneof({ weight: 4, arbitrary: wellFormed }, { weight: 1, arbitrary: fc.constantFrom(...impossible) }) : wellFormed;
    }
    return fc.stringMatching(pattern, { size: 'xsmall' }).map((v) => v.slice(0, Number(rule('maxLength')?.[0] ?? 200)));
  }
  const maxLength = Number(rule('maxLength')?.[0] ?? 40);
  const minLength = Number(rule('minLength')?.[0] ?? (rule('isNotEmpty') ? 1 : 0));
  return fc.string({ unit: 'grapheme-ascii', minLength: Math.min(minLength, 40), maxLength: Math.max(Math.min(maxLength, 40), minLength) }).map((v) => (minLength > 0 && v.trim() === '' ? `x${v}`.slice(0, maxLength) : v));
}

/** JSON as a form would send it: strings, repeated fields for lists, nested objects flattened away. */
export function asFormValue(value: Json): FormValue {
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : toJson(v)));
  if (typeof value === 'string') return value;
  if (value === null) return '';
  return typeof value === 'object' ? toJson(value) : String(value);
}

const MISSING = Symbol('missing');

/**
 * A body (or query) for a DTO: each field plausible, hostile or missing, sometimes with fields the DTO
 * does not know, prototype keys among them. Without a DTO, only stray fields.
 */
export function payload<M extends 'form' | 'json'>(
  dto: (new (...args: never[]) => object) | undefined,
  ids: IdsFor,
  mode: M,
): fc.Arbitrary<Pairs<M extends 'form' ? FormValue : Json>> {
  type V = M extends 'form' ? FormValue : Json;
  const hostile = (mode === 'form' ? hostileFormValue : hostileJson) as fc.Arbitrary<V>;
  const fields = dto ? fieldSpecs(dto) : [];
  const field = (spec: FieldSpec) =>
    fc.oneof(
      { weight: 6, arbitrary: plausible(spec, ids, mode).map((v) => (mode === 'form' ? asFormValue(v) : v) as V) },
      { weight: 2, arbitrary: hostile },
      { weight: 1, arbitrary: fc.constant(MISSING) },
    );
  const strays = fc.oneof(
    { weight: 4, arbitrary: fc.constant([] as Pairs<V>) },
    {
      weight: 1,
      arbitrary: fc.array(
        fc.tuple(
          fc.oneof(fc.constantFrom(...POLLUTING_KEYS, 'id', 'role', 'homeId', 'isAdmin', 'createdAt', 'extra', 'a[b]', 'a.b', ''), hostileText.map((k) => k.slice(0, 60))),
          mode === 'json' ? fc.oneof(pollutingObject, hostileJson) : hostileFormValue,
        ) as fc.Arbitrary<[string, V]>,
        { minLength: 1, maxLength: 3 },
      ),
    },
  );
  return fc.tuple(fc.tuple(...fields.map(field)), strays).map(([values, extra]) => [
    ...fields.flatMap((spec, i) => (values[i] === MISSING ? [] : [[spec.name, values[i]] as [string, V]])),
    ...extra,
  ]);
}
