import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ROLES } from '../../auth/auth.enums';
import type { Locale } from './i18n';
import { catalogueKeys, catalogues, compileMessage, LOCALES, messageArguments, messageSource, translate } from './i18n';

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

/** The arguments a message names, sorted, each with whether it is a count (plural) or filled in. */
function argumentsOf(locale: Locale, key: string): string[] {
  const args = messageArguments(compileMessage(messageSource(locale, key), locale).getAst());
  return [...args.entries()].map(([name, kind]) => `${name}:${kind}`).sort();
}

/** The plural arguments of a message, by name. */
function pluralsOf(locale: Locale, key: string): string[] {
  return argumentsOf(locale, key).filter((arg) => arg.endsWith(':choice')).map((arg) => arg.split(':')[0]);
}

/** A value for every argument of a message: a count for a plural, a word otherwise. */
function sampleValues(locale: Locale, key: string, count: number): Record<string, string | number> {
  return Object.fromEntries(argumentsOf(locale, key).map((arg) => {
    const [name, kind] = arg.split(':');
    return [name, kind === 'choice' ? count : `<${name}>`];
  }));
}

/** The smallest number of each plural category of a language (Italian has "many" for millions: 1000000). */
function categorySamples(locale: Locale): Map<string, number> {
  const rules = new Intl.PluralRules(locale);
  const samples = new Map<string, number>();
  for (const n of [0, 1, 2, 3, 5, 11, 21, 100, 1_000_000, 2_000_000]) if (!samples.has(rules.select(n))) samples.set(rules.select(n), n);
  return samples;
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

  it.each(LOCALES)('should parse every text as an ICU message when the language is %s', (locale) => {
    const keys = locale === 'en' ? englishKeys : italianKeys;
    const broken = keys.flatMap((key) => {
      try {
        compileMessage(messageSource(locale, key), locale);
        return [];
      } catch (error) {
        return [`${key}: ${(error as Error).message}`];
      }
    });

    expect(keys.length).toBeGreaterThan(0);
    expect(broken).toEqual([]);
  });

  it('should use the same arguments in both languages when a text has any', () => {
    // Names only: Italian may count what English does not ("{n, plural, one {Aggiunto} other {Aggiunti}}" for "Added {n}").
    const names = (locale: Locale, key: string) => argumentsOf(locale, key).map((arg) => arg.split(':')[0]).join();
    const mismatches = englishKeys
      .filter((key) => italianKeys.includes(key))
      .map((key) => ({ key, en: names('en', key), it: names('it', key) }))
      .filter(({ en, it }) => en !== it);

    expect(mismatches).toEqual([]);
  });

  it('should show every text without arguments as written, apostrophes and all, when nothing is filled in', () => {
    // ICU quotes with an apostrophe before a brace: such a text needs '' to keep its apostrophe.
    const changed = [...LOCALES].flatMap((locale) =>
      (locale === 'en' ? englishKeys : italianKeys)
        .filter((key) => argumentsOf(locale, key).length === 0 && translate(locale, key) !== messageSource(locale, key))
        .map((key) => `${locale}: ${key}`),
    );

    expect(changed).toEqual([]);
  });

  it('should fill every simple argument as a plain substitution would when a text has no plural', () => {
    // The texts as they read before ICU: "{name}" replaced, nothing else touched (an apostrophe next to a
    // placeholder, as in "your '{yours}'", must be written '' to survive).
    const differing = [...LOCALES].flatMap((locale) =>
      (locale === 'en' ? englishKeys : italianKeys)
        .filter((key) => argumentsOf(locale, key).length > 0 && pluralsOf(locale, key).length === 0)
        .filter((key) => {
          const values = sampleValues(locale, key, 0);
          const plain = messageSource(locale, key).replace(/''/g, "'").replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
          return translate(locale, key, values) !== plain;
        })
        .map((key) => `${locale}: ${key}`),
    );

    expect(differing).toEqual([]);
  });

  describe.each(LOCALES)('plural texts in %s', (locale) => {
    const keys = (locale === 'en' ? englishKeys : italianKeys).filter((key) => pluralsOf(locale, key).length > 0);

    it('should have plural texts to check', () => {
      expect(keys.length).toBeGreaterThan(30);
    });

    it.each([...categorySamples(locale)])('should render the %s category (e.g. %d) of every plural text with the number and no braces', (category, count) => {
      const number = new Intl.NumberFormat(locale).format(count);
      // These say 1 in words ("in the last day", "the first"), or are the unit beside a figure shown apart.
      const inWords = new Set(['portal.hoursUnit', ...(category === 'one'
        ? ['reports.summary.facts.periodValue', 'reports.summary.intro.participation', 'reports.summary.intro.contributions', 'reports.summary.intro.feedback', 'dataProtection.retention.firstOnly']
        : [])]);
      const wrong = keys
        .map((key) => ({ key, text: translate(locale, key, sampleValues(locale, key, count)) }))
        // `#` writes the number in the language (1.000.000); a plain {n} beside it writes 1000000.
        .filter(({ key, text }) => /[{}#]/.test(text) || text.trim() === '' || (!inWords.has(key) && !text.includes(number) && !text.includes(String(count))))
        .map(({ key, text }) => `${key}: ${text}`);

      expect(wrong).toEqual([]);
    });

    it.each([0, 1, 2, 21, 1.5, 12345, 1_000_000])('should write each text as intl-messageformat does when the count is %d', (count) => {
      // translate() writes simple messages itself, for speed: it must say exactly what the library says.
      const differing = (locale === 'en' ? englishKeys : italianKeys)
        .filter((key) => argumentsOf(locale, key).length > 0)
        .map((key) => {
          const values = sampleValues(locale, key, count);
          return { key, ours: translate(locale, key, values), library: String(compileMessage(messageSource(locale, key), locale).format(values)) };
        })
        .filter(({ ours, library }) => ours !== library);

      expect(differing).toEqual([]);
    });

    it('should give each plural argument its one and other forms when the text counts', () => {
      // A plural that cannot tell 1 from 2 is no plural: every one needs both, and "other" is required by ICU.
      const incomplete = keys.flatMap((key) => {
        const source = messageSource(locale, key);
        return pluralsOf(locale, key)
          .filter((name) => !new RegExp(`\\{${name}, plural, one \\{[^]*other \\{`).test(source))
          .map((name) => `${key} (${name})`);
      });

      expect(incomplete).toEqual([]);
    });
  });

  describe('counted words', () => {
    // The words for 0, 1 and 2 of the main counted texts, in both languages.
    const examples: [string, Record<string, string | number>, Record<Locale, [string, string, string]>][] = [
      ['residents.count', {}, { en: ['0 residents', '1 resident', '2 residents'], it: ['0 ospiti', '1 ospite', '2 ospiti'] }],
      ['activities.logSaved', {}, {
        en: ['Saved: 0 residents logged.', 'Saved: 1 resident logged.', 'Saved: 2 residents logged.'],
        it: ['Salvato: 0 ospiti registrati.', 'Salvato: 1 ospite registrato.', 'Salvato: 2 ospiti registrati.'],
      }],
      ['calendar.rosterAdded', {}, { en: ['0 residents invited.', '1 resident invited.', '2 residents invited.'], it: ['0 ospiti invitati.', '1 ospite invitato.', '2 ospiti invitati.'] }],
      ['dashboard.plansNeedingAttention', {}, {
        en: ['0 residents need a plan or a plan review.', '1 resident needs a plan or a plan review.', '2 residents need a plan or a plan review.'],
        it: ['0 ospiti hanno bisogno di un piano o di una revisione.', '1 ospite ha bisogno di un piano o di una revisione.', '2 ospiti hanno bisogno di un piano o di una revisione.'],
      }],
      ['reports.summary.contributions.total', { hours: '3 h' }, {
        en: ['0 contributions, 3 h in all.', '1 contribution, 3 h in all.', '2 contributions, 3 h in all.'],
        it: ['0 contributi, 3 h in tutto.', '1 contributo, 3 h in tutto.', '2 contributi, 3 h in tutto.'],
      }],
      ['auth.throttled', {}, {
        en: ['Too many sign-in attempts. Wait 0 minutes and try again.', 'Too many sign-in attempts. Wait 1 minute and try again.', 'Too many sign-in attempts. Wait 2 minutes and try again.'],
        it: ['Troppi tentativi di accesso. Attendi 0 minuti e riprova.', 'Troppi tentativi di accesso. Attendi 1 minuto e riprova.', 'Troppi tentativi di accesso. Attendi 2 minuti e riprova.'],
      }],
      ['validation.maxLength', {}, { en: ['Use at most 0 characters.', 'Use at most 1 character.', 'Use at most 2 characters.'], it: ['Usa al massimo 0 caratteri.', 'Usa al massimo 1 carattere.', 'Usa al massimo 2 caratteri.'] }],
      ['ward.restored', { names: 'Anna', time: '10:00' }, {
        en: ['Restored 0 unsaved taps by Anna at 10:00.', 'Restored 1 unsaved tap by Anna at 10:00.', 'Restored 2 unsaved taps by Anna at 10:00.'],
        it: ['Ripristinati 0 tocchi non salvati di Anna alle 10:00.', 'Ripristinato 1 tocco non salvato di Anna alle 10:00.', 'Ripristinati 2 tocchi non salvati di Anna alle 10:00.'],
      }],
      ['ward.itemLine', { title: 'Bingo', time: '10:00' }, { en: ['Bingo: 0 residents, saved at 10:00', 'Bingo: 1 resident, saved at 10:00', 'Bingo: 2 residents, saved at 10:00'], it: ['Bingo: 0 ospiti, salvato alle 10:00', 'Bingo: 1 ospite, salvato alle 10:00', 'Bingo: 2 ospiti, salvato alle 10:00'] }],
      ['reports.needingAttentionCount', {}, {
        en: ["0 residents attended fewer than one activity a week. Their names are in the manager's copy.", "1 resident attended fewer than one activity a week. Their names are in the manager's copy.", "2 residents attended fewer than one activity a week. Their names are in the manager's copy."],
        it: ["0 ospiti hanno frequentato meno di un'attività a settimana. I nomi sono nella copia della direzione.", "1 ospite ha frequentato meno di un'attività a settimana. I nomi sono nella copia della direzione.", "2 ospiti hanno frequentato meno di un'attività a settimana. I nomi sono nella copia della direzione."],
      }],
      ['plans.daysN', {}, { en: ['0 days', '1 day', '2 days'], it: ['0 giorni', '1 giorno', '2 giorni'] }],
      ['portal.hoursUnit', {}, { en: ['hours', 'hour', 'hours'], it: ['ore', 'ora', 'ore'] }],
    ];

    it.each(examples.flatMap(([key, params, words]) => LOCALES.map((locale) => [locale, key, params, words[locale]] as const)))(
      'should read right for 0, 1 and 2 when the text is %s %s',
      (locale, key, params, words) => {
        const count = pluralsOf(locale, key)[0];
        expect([0, 1, 2].map((n) => translate(locale, key, { ...params, [count]: n }))).toEqual(words);
      },
    );

    it('should write the number in the language when a count is large', () => {
      // Italian groups from five digits (CLDR's minimum grouping digits): 1234 but 12.345.
      expect([translate('en', 'residents.count', { n: 12345 }), translate('it', 'residents.count', { n: 12345 }), translate('it', 'residents.count', { n: 1234 })])
        .toEqual(['12,345 residents', '12.345 ospiti', '1234 ospiti']);
    });

    it('should keep no hand-made singular beside its plural when a count picks the words', () => {
      // "ward.waitingOne" and "ward.restoredOne" were such pairs; the plural message says both now.
      expect(englishKeys.filter((key) => /(One|Singular|Plural)$/.test(key) && !/belowOne/.test(key))).toEqual([]);
    });
  });

  describe('keys used in the code', () => {
    const templates = filesUnder(join(ROOT, 'views'), '.hbs');
    const sources = filesUnder(join(ROOT, 'src'), '.ts').filter((file) => !file.endsWith('.spec.ts'));

    it('should know every key when a template uses it as t "key"', () => {
      const used = [...usages(templates, /\bt "([a-zA-Z0-9_.]+)"/g), ...usages(templates, /\btSource "([a-zA-Z0-9_.]+)"/g)];

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
        MaxLength: 'maxLength', MinLength: 'minLength', IsInt: 'isInt', Min: 'min', Max: 'max', IsDefined: 'isDefined',
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
