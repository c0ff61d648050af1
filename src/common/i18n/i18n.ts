import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
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

/** Every text of a catalogue by its dotted key, with whether it has {placeholders} to fill. */
function flatten(catalogue: Catalogue): Map<string, { text: string; hasParams: boolean }> {
  return new Map(
    catalogueKeys(catalogue).map((key) => {
      const text = lookup(catalogue, key)!;
      return [key, { text, hasParams: /\{\w+\}/.test(text) }];
    }),
  );
}

/** Looked up on every label of every page: one map per language, made once. */
const texts: Record<Locale, ReturnType<typeof flatten>> = { en: flatten(catalogues.en), it: flatten(catalogues.it) };

/**
 * The text for a key in a language, with {name} placeholders filled. A missing key shows the key
 * itself, so it is visible on the page and caught by the catalogue tests rather than shown blank.
 */
export function translate(locale: string, key: string, params: Record<string, unknown> = {}): string {
  const language = isLocale(locale) ? locale : DEFAULT_LOCALE;
  const entry = texts[language].get(key);
  if (entry && !entry.hasParams) return entry.text;
  // Not in the language (the English text stands in) or with placeholders to fill.
  const text = entry?.text ?? lookup(catalogues[language], key) ?? lookup(catalogues[DEFAULT_LOCALE], key) ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
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
