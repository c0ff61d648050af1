import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { PROJECT_ROOT } from '../paths';

export const LOCALES = ['en', 'it'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

export type Catalogue = { [key: string]: string | Catalogue };

export const LOCALES_DIR = join(PROJECT_ROOT, 'locales');

/** A language's catalogue: locales/<locale>/<namespace>.json, each file one namespace ("auth.json" -> "auth.*"). */
export function loadCatalogue(locale: string, dir = LOCALES_DIR): Catalogue {
  const folder = join(dir, locale);
  return Object.fromEntries(
    readdirSync(folder)
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => [basename(file, '.json'), JSON.parse(readFileSync(join(folder, file), 'utf8')) as Catalogue]),
  );
}

export const catalogues: Record<Locale, Catalogue> = { en: loadCatalogue('en'), it: loadCatalogue('it') };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Every key of a catalogue, dotted ("auth.signIn"), for the test that both languages match. */
export function catalogueKeys(catalogue: Catalogue, prefix = ''): string[] {
  return Object.entries(catalogue).flatMap(([name, value]) =>
    typeof value === 'string' ? [prefix + name] : catalogueKeys(value, `${prefix}${name}.`),
  );
}

function lookup(catalogue: Catalogue, key: string): string | undefined {
  let node: string | Catalogue | undefined = catalogue;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/**
 * A catalogue text is an ICU message (intl-messageformat): `{name}` is filled with a value, and
 * `{count, plural, one {# resident} other {# residents}}` chooses the words for the number in the
 * language's plural categories (Intl.PluralRules). `<` and `>` are plain text (`ignoreTag`); an
 * apostrophe is plain text too, except before `{`, `}`, `<`, `>` (or `#` in a plural), where ICU
 * starts quoted text: write `''` for an apostrophe there ("your ''{yours}''").
 */
type Ast = ReturnType<IntlMessageFormat['getAst']>;
type Element = Ast[number];

/** The element kinds we look at, as @formatjs/icu-messageformat-parser numbers them (its `TYPE`). */
const LITERAL = 0;
const ARGUMENT = 1;
const PLURAL = 6;
const POUND = 7;

interface Entry {
  /** The message as written in the catalogue. */
  text: string;
  /** The text itself when the message has no argument: returned as it is, with no formatting. */
  plain?: string;
  /** Compiled on first use, once for the language. */
  message?: IntlMessageFormat;
  /** The message's arguments, by name, and whether each chooses words by its value (plural, select) or is filled in. */
  args?: Map<string, 'text' | 'choice'>;
  /** Only text, {name}, plurals and #: written by `render` below, the same text intl-messageformat writes, faster. */
  simple?: boolean;
}

/** Whether ICU would read anything but the plain text in it: braces, or an apostrophe that quotes. */
function needsFormatting(text: string): boolean {
  return /[{}]|'['{}<>#]/.test(text);
}

function entryOf(text: string): Entry {
  return needsFormatting(text) ? { text } : { text, plain: text };
}

/** Every text of a catalogue by its dotted key; an argument-free text is returned as it is. */
function flatten(catalogue: Catalogue): Map<string, Entry> {
  return new Map(catalogueKeys(catalogue).map((key) => [key, entryOf(lookup(catalogue, key)!)]));
}

/** Looked up on every label of every page: one map per language, made once; messages compiled on first use. */
const texts: Record<Locale, Map<string, Entry>> = { en: flatten(catalogues.en), it: flatten(catalogues.it) };

/** The message compiled for the language; throws on a text that is not a valid ICU message. */
export function compileMessage(text: string, locale: Locale): IntlMessageFormat {
  return new IntlMessageFormat(text, locale, undefined, { ignoreTag: true });
}

/** Every argument an ICU message names, nested ones too, with whether it chooses words (plural, select) or is filled in. */
export function messageArguments(ast: Ast, into = new Map<string, 'text' | 'choice'>()): Map<string, 'text' | 'choice'> {
  for (const element of ast) {
    if ('options' in element) {
      into.set(element.value, 'choice');
      for (const option of Object.values(element.options)) messageArguments(option.value, into);
    } else if ('children' in element) {
      messageArguments(element.children, into);
    } else if (element.type !== LITERAL && element.type !== POUND && !into.has(element.value)) {
      into.set(element.value, 'text');
    }
  }
  return into;
}

function compiled(entry: Entry, language: Locale): Entry & { message: IntlMessageFormat; args: Map<string, 'text' | 'choice'> } {
  if (!entry.message || !entry.args) {
    entry.message = compileMessage(entry.text, language);
    const ast = entry.message.getAst();
    entry.args = messageArguments(ast);
    entry.simple = isSimple(ast);
    // Braces only in quoted text ("'{'"): a plain text after all.
    if (entry.args.size === 0) entry.plain = ast.map((element) => (element.type === LITERAL ? element.value : '')).join('');
  }
  return entry as Entry & { message: IntlMessageFormat; args: Map<string, 'text' | 'choice'> };
}

/** The message with each argument in `missing` written back as `{name}`, so a caller sees what it did not fill. */
function withPlaceholders(ast: Ast, missing: Set<string>): Ast {
  return ast.map((element): Element => {
    if (element.type !== LITERAL && element.type !== POUND && 'value' in element && missing.has(element.value)) {
      return { type: LITERAL, value: `{${element.value}}` } as Element;
    }
    if ('options' in element) {
      const options = Object.fromEntries(Object.entries(element.options).map(([name, option]) => [name, { ...option, value: withPlaceholders(option.value, missing) }]));
      return { ...element, options } as Element;
    }
    return element;
  });
}

/** Whether `render` can write a message: text, {name}, cardinal plurals without offset, and #. */
function isSimple(ast: Ast): boolean {
  return ast.every((element) => {
    if (element.type === LITERAL || element.type === ARGUMENT || element.type === POUND) return true;
    if (element.type !== PLURAL || element.pluralType !== 'cardinal' || element.offset) return false;
    return Object.values(element.options).every((option) => isSimple(option.value));
  });
}

/**
 * Per language, the plural category and the written form of whole counts, kept once seen (up to 10,000 of
 * them): intl-messageformat's own formatting of a plural takes ~20 µs a call here, this ~1 µs.
 */
class Counts {
  private readonly rules: Intl.PluralRules;
  private readonly numbers: Intl.NumberFormat;
  private readonly categories = new Map<number, string>();
  private readonly written = new Map<number, string>();

  constructor(locale: Locale) {
    this.rules = new Intl.PluralRules(locale);
    this.numbers = new Intl.NumberFormat(locale);
  }

  category(n: number): string {
    let found = this.categories.get(n);
    if (found === undefined) {
      found = this.rules.select(n);
      if (Number.isInteger(n) && this.categories.size < 10_000) this.categories.set(n, found);
    }
    return found;
  }

  write(n: number): string {
    let found = this.written.get(n);
    if (found === undefined) {
      found = this.numbers.format(n);
      if (Number.isInteger(n) && this.written.size < 10_000) this.written.set(n, found);
    }
    return found;
  }
}

const counts: Record<Locale, Counts> = { en: new Counts('en'), it: new Counts('it') };

/** A simple message written as intl-messageformat writes it: `=n` before the category, `other` when the category has no form. */
function render(ast: Ast, values: Record<string, string | number>, language: Locale, count: number): string {
  let out = '';
  for (const element of ast) {
    if (element.type === LITERAL) out += element.value;
    else if (element.type === ARGUMENT) out += String(values[element.value]);
    else if (element.type === POUND) out += counts[language].write(count);
    else if (element.type === PLURAL) {
      const n = Number(values[element.value]);
      const option = element.options[`=${n}`] ?? element.options[counts[language].category(n)] ?? element.options.other;
      out += render(option.value, values, language, n);
    }
  }
  return out;
}

const ITALIAN_MONTHS = '(?:gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre|gen|feb|mar|apr|mag|giu|lug|ago|set|ott|nov|dic)';
/** Italian dates after an article: "il 8 dicembre" is written "l'8 dicembre", "dal 11" "dall'11". */
const ITALIAN_ELISION = new RegExp(`\\b(il|dal|al|del|nel|sul)\\s+(8|11)(?=\\s+${ITALIAN_MONTHS}\\b)`, 'gi');
/** The first of a month after an article is an ordinal: "dal 1° ottobre", not "dal 1 ottobre". */
const ITALIAN_FIRST = new RegExp(`\\b(il|dal|al|del|nel|sul)\\s+1(?=\\s+${ITALIAN_MONTHS}\\b)`, 'gi');
const ELIDED: Record<string, string> = { il: "l'", dal: "dall'", al: "all'", del: "dell'", nel: "nell'", sul: "sull'" };

/** A message's text as the language writes it once its values are in: in Italian, an article before a date beginning with a vowel elides. */
export function elided(text: string, language: Locale): string {
  if (language !== 'it' || !/\b(?:1|8|11)\s/.test(text)) return text;
  return text
    .replace(ITALIAN_ELISION, (_match, article: string, day: string) => {
      const short = ELIDED[article.toLowerCase()];
      return `${article[0] === article[0].toUpperCase() ? short[0].toUpperCase() + short.slice(1) : short}${day}`;
    })
    .replace(ITALIAN_FIRST, (_match, article: string) => `${article} 1°`);
}

function format(entry: Entry, language: Locale, params: Record<string, unknown>): string {
  let ready: ReturnType<typeof compiled>;
  try {
    ready = compiled(entry, language);
  } catch {
    // Not a valid message (the catalogue test catches it): the text as written, never a failed page.
    return entry.text;
  }
  const { message, args, plain, simple } = ready;
  if (plain !== undefined) return plain;
  const values: Record<string, string | number> = {};
  let missing: Set<string> | undefined;
  for (const [name, kind] of args) {
    const value = params[name];
    if (value === undefined) (missing ??= new Set()).add(name);
    // A count stays a number, for its plural category and for `#` (written in the language: 1,234 / 1.234);
    // a whole number given as text (class-validator's constraints) counts as the number.
    else values[name] = kind === 'choice' && (typeof value === 'number' || /^-?\d+$/.test(String(value))) ? Number(value) : String(value);
  }
  try {
    if (simple && !missing) return elided(render(message.getAst(), values, language, 0), language);
    const formatter = missing ? new IntlMessageFormat(withPlaceholders(message.getAst(), missing), language, undefined, { ignoreTag: true }) : message;
    return elided(String(formatter.format(values)), language);
  } catch {
    // A value the message cannot take: the text as written, never a failed page.
    return entry.text;
  }
}

/**
 * The text for a key in a language, its ICU message formatted with `params` (an argument with no value
 * stays `{name}`). A missing key shows the key itself, so it is visible on the page and caught by the
 * catalogue tests rather than shown blank.
 */
export function translate(locale: string, key: string, params: Record<string, unknown> = {}): string {
  const language = isLocale(locale) ? locale : DEFAULT_LOCALE;
  const entry = texts[language].get(key);
  if (entry !== undefined) return entry.plain ?? format(entry, language, params);
  // Not in the language: the English text stands in (a key added since start-up is read, uncached).
  const own = lookup(catalogues[language], key);
  if (own !== undefined) return format(entryOf(own), language, params);
  const english = texts[DEFAULT_LOCALE].get(key);
  if (english !== undefined) return english.plain ?? format(english, DEFAULT_LOCALE, params);
  const fallback = lookup(catalogues[DEFAULT_LOCALE], key);
  return fallback === undefined ? key : format(entryOf(fallback), DEFAULT_LOCALE, params);
}

/** The ICU message of a key as written in the catalogue (English when the language lacks it), for a script that formats it in the browser. */
export function messageSource(locale: string, key: string): string {
  const language = isLocale(locale) ? locale : DEFAULT_LOCALE;
  // From the start-up map first (a page's scripts take dozens of these), as translate reads its texts.
  return texts[language].get(key)?.text ?? lookup(catalogues[language], key) ?? texts[DEFAULT_LOCALE].get(key)?.text ?? lookup(catalogues[DEFAULT_LOCALE], key) ?? key;
}

/** The best of our languages for an Accept-Language header. */
export function localeFromAcceptLanguage(header: string | undefined): Locale {
  if (!header) return DEFAULT_LOCALE;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.split(';').map((piece) => piece.trim());
      const q = params.find((p) => /^q\s*=/.test(p));
      return { lang: tag.slice(0, 2).toLowerCase(), q: q === undefined ? 1 : Number(q.split('=')[1]) };
    })
    // q=0 means "not this language".
    .filter((entry) => !Number.isNaN(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked.map((entry) => entry.lang).find(isLocale) ?? DEFAULT_LOCALE;
}
