import { plainToInstance } from 'class-transformer';
import { ArrayNotEmpty, getMetadataStorage, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, MinLength, ValidationError, validate } from 'class-validator';
import { fieldsWithNul, rememberValidationRules, toFieldErrors } from './validation';

const sut = toFieldErrors;

class ExampleDto {
  @IsString()
  @IsNotEmpty()
  name: string;

  @MaxLength(5)
  nickname: string;

  @MinLength(4)
  code: string;

  @IsIn(['en', 'it'])
  locale: string;

  @Matches(/^[a-z0-9-]+$/)
  slug: string;

  @MaxLength(60)
  addressLine2: string;
}

const VALID = { name: 'Ada', nickname: 'ada', code: 'abcd', locale: 'en', slug: 'casa-serena', addressLine2: 'Via Roma 1' };

/** The class-validator errors for ExampleDto built from VALID with some fields changed. */
function errorsFor(overrides: Record<string, unknown>): Promise<ValidationError[]> {
  const dto = plainToInstance(ExampleDto, { ...VALID, ...overrides });
  return validate(dto, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
}

/** A hand-built class-validator error, for shapes that are awkward to produce with decorators. */
function failure(property: string, constraints?: Record<string, string>, children: ValidationError[] = []): ValidationError {
  return Object.assign(new ValidationError(), { property, constraints, children });
}

describe('toFieldErrors', () => {
  it('should return no fields when there are no errors', () => {
    expect(sut([])).toEqual({});
  });

  it('should give the key validation.<constraint> and no params when the constraint has no bound', async () => {
    const fields = sut(await errorsFor({ name: '', locale: 'fr' }));

    expect(fields).toEqual({
      name: { key: 'validation.isNotEmpty', params: {} },
      locale: { key: 'validation.isIn', params: {} },
    });
  });

  it('should say "fill in this field" for a required field sent blank, whatever rule failed first, and not for an optional one', async () => {
    class TimeDto {
      @Matches(/^\d\d:\d\d$/)
      @IsString()
      time: string;

      @IsOptional()
      @Matches(/^\d\d:\d\d$/)
      @IsString()
      endTime?: string;
    }
    const errors = await validate(plainToInstance(TimeDto, { time: ' ', endTime: '' }), { stopAtFirstError: true });

    expect(sut(errors)).toEqual({
      time: { key: 'validation.isNotEmpty', params: {} },
      endTime: { key: 'validation.matches', params: {} },
    });
  });

  it('should ask for at least one when a list of boxes comes with none ticked, not for "a list"', async () => {
    class GroupsDto {
      @ArrayNotEmpty()
      @IsArray()
      groupIds: string[];
    }
    const none = await validate(plainToInstance(GroupsDto, {}), { stopAtFirstError: true });
    const empty = await validate(plainToInstance(GroupsDto, { groupIds: [] }), { stopAtFirstError: true });
    const notAList = await validate(plainToInstance(GroupsDto, { groupIds: 'x' }), { stopAtFirstError: true });

    expect([sut(none), sut(empty)]).toEqual([{ groupIds: { key: 'validation.chooseSome', params: {} } }, { groupIds: { key: 'validation.chooseSome', params: {} } }]);
    expect(sut(notAList)).toEqual({ groupIds: { key: 'validation.isArray', params: {} } });
  });

  it('should keep a choice\'s own words when it is left unmade', async () => {
    const fields = sut(await errorsFor({ locale: '' }));

    expect(fields.locale).toEqual({ key: 'validation.isIn', params: {} });
  });

  it('should pass the bound as n when maxLength fails', async () => {
    const fields = sut(await errorsFor({ nickname: 'too long' }));

    expect(fields).toEqual({ nickname: { key: 'validation.maxLength', params: { n: '5' } } });
  });

  it('should pass the bound as n when minLength fails', async () => {
    const fields = sut(await errorsFor({ code: 'ab' }));

    expect(fields).toEqual({ code: { key: 'validation.minLength', params: { n: '4' } } });
  });

  it('should pass the bound as n when the property name contains a digit', async () => {
    const fields = sut(await errorsFor({ addressLine2: 'x'.repeat(61) }));

    expect(fields.addressLine2).toEqual({ key: 'validation.maxLength', params: { n: '60' } });
  });

  it('should give validation.matches when a pattern does not match', async () => {
    const fields = sut(await errorsFor({ slug: 'Not A Slug' }));

    expect(fields.slug.key).toBe('validation.matches');
  });

  it('should give validation.whitelistValidation when an unknown field is sent', async () => {
    const fields = sut(await errorsFor({ isAdmin: true }));

    expect(fields).toEqual({ isAdmin: { key: 'validation.whitelistValidation', params: {} } });
  });

  it('should keep only the first constraint when a field fails several', () => {
    const errors = [failure('name', { isNotEmpty: 'name should not be empty', isString: 'name must be a string' })];

    expect(sut(errors)).toEqual({ name: { key: 'validation.isNotEmpty', params: {} } });
  });

  it('should name a nested field parent.child when a child object fails', () => {
    const errors = [
      failure('contact', undefined, [failure('email', { isEmail: 'email must be an email' })]),
    ];

    expect(sut(errors)).toEqual({ 'contact.email': { key: 'validation.isEmail', params: {} } });
  });

  it('should join every level when children are nested more than once', () => {
    const errors = [
      failure('resident', undefined, [
        failure('contacts', undefined, [
          failure('0', undefined, [failure('phone', { maxLength: 'phone must be shorter than or equal to 20 characters' })]),
        ]),
      ]),
    ];

    expect(sut(errors)).toEqual({
      'resident.contacts.0.phone': { key: 'validation.maxLength', params: { n: '20' } },
    });
  });

  it('should report both the parent and its children when both fail', () => {
    const errors = [
      failure('contact', { isObject: 'contact must be an object' }, [failure('name', { isNotEmpty: 'name should not be empty' })]),
    ];

    expect(sut(errors)).toEqual({
      contact: { key: 'validation.isObject', params: {} },
      'contact.name': { key: 'validation.isNotEmpty', params: {} },
    });
  });

  it('should put the parent path first when a parent is given', () => {
    expect(sut([failure('name', { isNotEmpty: 'name should not be empty' })], 'unit')).toEqual({
      'unit.name': { key: 'validation.isNotEmpty', params: {} },
    });
  });
});

describe('fieldsWithNul', () => {
  it('should name each field holding a NUL character, nested ones by path, when a body carries some', () => {
    const body = { title: 'ok', note: 'a\u0000b', tags: ['x', '\u0000'], entries: [{ staffNote: 'fine' }, { staffNote: '\u0000' }], nested: { deep: '\u0000' } };
    expect(fieldsWithNul(body)).toEqual({
      note: { key: 'validation.invalidCharacter' },
      tags: { key: 'validation.invalidCharacter' },
      'entries.1.staffNote': { key: 'validation.invalidCharacter' },
      'nested.deep': { key: 'validation.invalidCharacter' },
    });
  });

  it('should find nothing when no string holds a NUL character', () => {
    expect(fieldsWithNul({ a: 'text', b: 1, c: null, d: ['é', '😀'], e: { f: true } })).toEqual({});
    expect(fieldsWithNul(undefined)).toEqual({});
  });

  it('should walk a body nested 100,000 deep without overflowing the stack when one arrives', () => {
    let body: unknown = ['\u0000'];
    for (let i = 0; i < 100_000; i++) body = [body];
    const fields = fieldsWithNul({ x: body });
    expect(Object.values(fields)).toEqual([{ key: 'validation.invalidCharacter' }]);
    expect(Object.keys(fields)[0]).toMatch(/^x(\.0){100000}$/);
  });
});

describe('rememberValidationRules', () => {
  class Base {
    @IsString()
    name: string;
  }
  class Child extends Base {
    @IsInt()
    age: number;
  }

  beforeAll(() => rememberValidationRules());

  it('should keep checking the rules of a class and of the classes it extends', async () => {
    const errors = await validate(plainToInstance(Child, { name: 3, age: 'x' }));
    expect(errors.map((e) => e.property).sort()).toEqual(['age', 'name']);
    expect(await validate(plainToInstance(Child, { name: 'Ada', age: 3 }))).toEqual([]);
  });

  it('should give the same list for a class on every lookup', () => {
    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(Child, '', false, false);
    expect(storage.getTargetValidationMetadatas(Child, '', false, false)).toBe(first);
    expect(first.map((m) => m.propertyName).sort()).toEqual(['age', 'name']);
  });

  it('should see a rule added after a lookup', async () => {
    class Later {
      @IsString()
      title: string;
    }
    expect(await validate(plainToInstance(Later, { title: 1 }))).toHaveLength(1);
    // A rule declared on the class after it was first checked (as a decorator run late would add it).
    IsNotEmpty()(Later.prototype, 'title');
    const errors = await validate(plainToInstance(Later, { title: '' }));
    expect(errors[0]?.constraints).toHaveProperty('isNotEmpty');
  });
});
