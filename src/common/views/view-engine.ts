import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import hbs from 'hbs';
import type { HelperOptions } from 'handlebars';
import { translate } from '../i18n/i18n';
import { formatDate, formatDateTime } from './format';
import { VIEWS_DIR } from '../paths';

let helpersRegistered = false;

/** Handlebars with our layout, partials and helpers; `t` reads the request's language from the page data. */
export function configureViews(app: NestExpressApplication): void {
  app.setBaseViewsDir(VIEWS_DIR);
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layouts/main' });
  if (helpersRegistered) return;
  helpersRegistered = true;
  registerPartials(join(VIEWS_DIR, 'partials'));
  hbs.registerHelper('t', function (this: unknown, key: string, options: HelperOptions) {
    return translate(rootLocale(options), key, options.hash);
  });
  hbs.registerHelper('formatDate', function (this: unknown, value: unknown, options: HelperOptions) {
    return formatDate(value, rootLocale(options));
  });
  hbs.registerHelper('formatDateTime', function (this: unknown, value: unknown, options: HelperOptions) {
    const root = options.data?.root as { timezone?: string } | undefined;
    return formatDateTime(value, rootLocale(options), root?.timezone ?? 'Europe/Rome');
  });
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('neq', (a: unknown, b: unknown) => a !== b);
  hbs.registerHelper('array', (...items: unknown[]) => items.slice(0, -1));
  hbs.registerHelper('includes', (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value));
  hbs.registerHelper('concat', (...parts: unknown[]) => parts.slice(0, -1).join(''));
  hbs.registerHelper('lookupField', (values: Record<string, unknown> | undefined, name: string) => values?.[name] ?? '');
}

function rootLocale(options: HelperOptions): string {
  return (options.data?.root as { locale?: string } | undefined)?.locale ?? 'en';
}

/**
 * Registers every partial before the first request. (hbs's own registerPartials reads the folder
 * asynchronously, so a page rendered straight after start-up could miss a partial.)
 */
function registerPartials(dir: string): void {
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.hbs'))) {
    // Compiled once here: Handlebars compiles a partial given as text again on every page.
    hbs.handlebars.registerPartial(basename(file, '.hbs'), hbs.handlebars.compile(readFileSync(join(dir, file), 'utf8')));
  }
}
