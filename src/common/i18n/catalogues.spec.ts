import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ROLES } from '../../auth/auth.enums';
import { catalogueKeys, catalogues, translate } from './i18n';

const ROOT = resolve(__dirname, '../../..');

/** Files under a folder (recursively) whose names end with `extension`, as absolute paths. */
function filesUnder(folder: string, extension: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith(extension))
    .map((name) => join(folder, name));
}

/** Every capture of the first group of `pattern` in the files, with the file it came from. */
function usages(files: string[], pattern: RegExp): { key: string; file: string }[] {
  return files.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(pattern)].map((match) => ({ key: match[1], file: relative(ROOT, file) })),
  );
}

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]))].sort();
}

const englishKeys = catalogueKeys(catalogues.en);
const italianKeys = catalogueKeys(catalogues.it);
const english = new Set(englishKeys);

/** Keys that are not in the English catalogue, each with where it is used, for a readable failure. */
function missingFromEnglish(used: { key: string; file: string }[]): string[] {
  return used.filter(({ key }) => !english.has(key)).map(({ key, file }) => `${key} (${file})`);
}

describe('translation catalogues', () => {
  it('should have the same keys in the English and Italian catalogues when compared', () => {
    const missing = {
      missingFromItalian: englishKeys.filter((key) => !italianKeys.includes(key)),
      missingFromEnglish: italianKeys.filter((key) => !english.has(key)),
    };

    expect(missing).toEqual({ missingFromItalian: [], missingFromEnglish: [] });
  });

  it('should have no empty text when any language is checked', () => {
    const empty = [
      ...englishKeys.filter((key) => translate('en', key).trim() === '').map((key) => `en: ${key}`),
      ...italianKeys.filter((key) => translate('it', key).trim() === '').map((key) => `it: ${key}`),
    ];

    expect(empty).toEqual([]);
  });

  it('should use the same placeholders in both languages when a text has any', () => {
    const mismatches = englishKeys
      .filter((key) => italianKeys.includes(key))
      .map((key) => ({ key, en: placeholders(translate('en', key)), it: placeholders(translate('it', key)) }))
      .filter(({ en, it }) => en.join() !== it.join());

    expect(mismatches).toEqual([]);
  });

  describe('keys used in the code', () => {
    const templates = filesUnder(join(ROOT, 'views'), '.hbs');
    const sources = filesUnder(join(ROOT, 'src'), '.ts').filter((file) => !file.endsWith('.spec.ts'));

    it('should know every key when a template uses it as t "key"', () => {
      const used = usages(templates, /\bt "([a-zA-Z0-9_.]+)"/g);

      expect(used.length).toBeGreaterThan(0);
      expect(missingFromEnglish(used)).toEqual([]);
    });

    it('should know every key when the source writes it as key: or labelKey:', () => {
      const used = [
        ...usages(sources, /\bkey: '([a-z][a-zA-Z0-9]*\.[a-zA-Z0-9_.]+)'/g),
        ...usages(sources, /\blabelKey: '([a-z][a-zA-Z0-9]*\.[a-zA-Z0-9_.]+)'/g),
      ];

      expect(used.length).toBeGreaterThan(0);
      expect(missingFromEnglish(used)).toEqual([]);
    });

    it('should have a name for every role when roles are shown as roles.<role>', () => {
      expect(ROLES.map((role) => `roles.${role}`).filter((key) => !english.has(key))).toEqual([]);
    });

    it('should have a message for every constraint when a DTO decorator can fail with it', () => {
      // The decorator each constraint name comes from, as class-validator names them.
      const constraintOf: Record<string, string> = {
        IsNotEmpty: 'isNotEmpty', IsString: 'isString', IsEmail: 'isEmail', IsIn: 'isIn', Matches: 'matches',
        MaxLength: 'maxLength', MinLength: 'minLength', IsInt: 'isInt', Min: 'min', Max: 'max',
        IsBoolean: 'isBoolean', IsUUID: 'isUuid', IsDateString: 'isDateString', IsISO8601: 'isIso8601',
        IsArray: 'isArray', ArrayMaxSize: 'arrayMaxSize', ArrayMinSize: 'arrayMinSize',
        // Ours (common/http/form-fields.ts): IsIsoDate is Matches, IsDateString, then IsDateInBounds.
        IsIsoDate: 'isDateString', IsDateInBounds: 'dateRange',
      };
      const dtoFiles = sources.filter((file) => /[\\/]dto[\\/][^\\/]+\.ts$/.test(file));
      const decorators = usages(dtoFiles, /@(Is[A-Z]\w*|Matches|MaxLength|MinLength|Min|Max|ArrayMaxSize|ArrayMinSize)\(/g)
        .map(({ key }) => key)
        .filter((name) => name !== 'IsOptional');

      expect(dtoFiles.length).toBeGreaterThan(0);
      const unmapped = decorators.filter((name) => !(name in constraintOf));
      expect(unmapped).toEqual([]);
      const keys = [...new Set(decorators.map((name) => `validation.${constraintOf[name]}`)), 'validation.whitelistValidation'];
      expect(keys.filter((key) => !english.has(key))).toEqual([]);
    });
  });
});
