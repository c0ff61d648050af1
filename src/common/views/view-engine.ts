import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import Handlebars from 'handlebars';
import type { HelperOptions, RuntimeOptions, TemplateDelegate } from 'handlebars';
import { messageSource, translate } from '../i18n/i18n';
import { errorSummary, htmlText } from './error-summary';
import { formatDate, formatDateTime, formatQuarter, formatQuarterShort } from './format';
import { linkifyHtml } from './linkify';
import { VIEWS_DIR } from '../paths';

/** Every helper a template may call; anything else is a compile error, found when the view is first compiled. */
const HELPERS: Record<string, Handlebars.HelperDelegate> = {
  t(this: unknown, key: string, options: HelperOptions) {
    return translate(rootLocale(options), key, options.hash);
  },
  /** The ICU message as written, for a script to fill in the browser (public/js/message-format.js). */
  tSource(this: unknown, key: string, options: HelperOptions) {
    return messageSource(rootLocale(options), key);
  },
  formatDate(this: unknown, value: unknown, options: HelperOptions) {
    return formatDate(value, rootLocale(options));
  },
  formatDateTime(this: unknown, value: unknown, options: HelperOptions) {
    const root = options.data?.root as { timezone?: string } | undefined;
    return formatDateTime(value, rootLocale(options), root?.timezone ?? 'Europe/Rome');
  },
  /** `{{formatQuarter q}}`; `{{formatQuarter q inSentence=true}}` within a sentence (Italian months in lower case). */
  formatQuarter(this: unknown, value: unknown, options: HelperOptions) {
    return formatQuarter(value, rootLocale(options), options.hash?.inSentence === true);
  },
  formatQuarterShort(this: unknown, value: unknown, options: HelperOptions) {
    return formatQuarterShort(value, rootLocale(options));
  },
  /** `{{linkify body}}`: free text escaped, its http(s) addresses as links (linkify.ts). */
  linkify: (text: unknown) => new Handlebars.SafeString(linkifyHtml(text)),
  eq: (a: unknown, b: unknown) => a === b,
  neq: (a: unknown, b: unknown) => a !== b,
  array: (...items: unknown[]) => items.slice(0, -1),
  /** A form sends a repeated field once as a string: that is a list of one. */
  includes: (list: unknown, value: unknown) => (Array.isArray(list) ? list.includes(value) : list === value),
  concat: (...parts: unknown[]) => parts.slice(0, -1).join(''),
  lookupField: (values: Record<string, unknown> | undefined, name: string) => values?.[name] ?? '',
};

/**
 * Compiled with the helper list declared: `{{title}}` is then a plain lookup instead of a check for a
 * helper of that name first, and a misspelt helper fails at compile time rather than printing nothing.
 * `preventIndent`: Handlebars otherwise indents every line of a partial written on a line of its own,
 * the lines of a value too, so a refused message's second line came back in its textarea with spaces
 * before it.
 */
export const VIEW_COMPILE_OPTIONS: CompileOptions = { knownHelpers: Object.fromEntries(Object.keys(HELPERS).map((name) => [name, true])), knownHelpersOnly: true, preventIndent: true };
type CompileOptions = Parameters<typeof Handlebars.compile>[1];

/** As hbs did: a template may read inherited properties, such as an entity's getter (the templates are ours, not users'). */
const RUNTIME_OPTIONS: RuntimeOptions = { allowProtoPropertiesByDefault: true, allowProtoMethodsByDefault: true };

const LAYOUT = join(VIEWS_DIR, 'layouts', 'main.hbs');

/** One Handlebars of our own: its partials and helpers are those below and no other code's. */
const handlebars = Handlebars.create();
/** Each view file compiled once, with the modification time it was compiled at (0 under `view cache`). */
const compiled = new Map<string, { delegate: TemplateDelegate; modified: number }>();
let registered = false;

/** Handlebars with our layout, partials and helpers; `t` reads the request's language from the page data. */
export function configureViews(app: NestExpressApplication): void {
  app.setBaseViewsDir(VIEWS_DIR);
  app.engine('hbs', renderView);
  app.setViewEngine('hbs');
  registerViews();
}

/** The helpers and partials, once per process (the benchmark's bare Today server renders with them too). */
export function registerViews(): void {
  if (registered) return;
  registered = true;
  handlebars.registerHelper(HELPERS);
  const partials = join(VIEWS_DIR, 'partials');
  for (const file of readdirSync(partials).filter((name) => name.endsWith('.hbs'))) {
    handlebars.registerPartial(basename(file, '.hbs'), compile(join(partials, file)));
  }
}

interface RenderOptions extends Record<string, unknown> {
  /** Express's `view cache` (on in production): compile each file once; otherwise again when the file changed, for editing. */
  cache?: boolean;
  /** `false` for a page without the layout. */
  layout?: false;
}

/** The Express view engine: the page, then the layout around it with the page as `body`. */
export function renderView(file: string, options: RenderOptions, callback: (error: unknown, html?: string) => void): void {
  let html: string;
  try {
    const page = template(file, options.cache === true);
    html = page(options, RUNTIME_OPTIONS);
    // A refused form's summary names each field as the page labels it, so it is read from the page.
    if (options.formError && options.errors && typeof options.errors === 'object') {
      options.errorSummary = errorSummary(html, options.errors as Record<string, string>, typeof options.locale === 'string' ? options.locale : 'en');
    }
    if (options.layout !== false) {
      options.body = html;
      // A page that sets no title of its own is titled by its heading (WCAG 2.4.2), so the browser's
      // tab, its history and a screen reader name the page rather than saying "Insieme" for all.
      if (!options.title) options.title = headingText(html);
      html = template(LAYOUT, options.cache === true)(options, RUNTIME_OPTIONS);
    }
  } catch (error) {
    callback(error);
    return;
  }
  callback(null, html);
}

/**
 * A view's compiled template. Under `view cache` (production) it is compiled once; otherwise the
 * file's modification time is checked at every render and the view compiled again after an edit.
 * Compiling is most of a render's time (Handlebars parses the file and generates code), so a page
 * shown twice is not compiled twice outside production either.
 */
function template(file: string, cache: boolean): TemplateDelegate {
  const found = compiled.get(file);
  if (found && cache) return found.delegate;
  const modified = cache ? 0 : statSync(file).mtimeMs;
  if (found && found.modified === modified) return found.delegate;
  const delegate = compile(file);
  compiled.set(file, { delegate, modified });
  return delegate;
}

function compile(file: string): TemplateDelegate {
  return handlebars.compile(readFileSync(file, 'utf8'), VIEW_COMPILE_OPTIONS);
}

function rootLocale(options: HelperOptions): string {
  return (options.data?.root as { locale?: string } | undefined)?.locale ?? 'en';
}

/** The text of a page's first <h1>, without its markup; undefined when it has none. */
export function headingText(html: string): string | undefined {
  const heading = /<h1\b[^>]*>([\s\S]*?)<\/h1>/i.exec(html)?.[1];
  return heading === undefined ? undefined : htmlText(heading) || undefined;
}
