import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { HelperOptions, TemplateDelegate } from 'handlebars';
import { DEFAULT_LOCALE, isLocale, translate } from '../common/i18n/i18n';
import { VIEWS_DIR } from '../common/paths';
import type { MailTemplate } from './mail.enums';

export const MAIL_VIEWS_DIR = join(VIEWS_DIR, 'mail');

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  locale: string;
}

type Params = Record<string, string | number>;

/** Only `t`: a mail says nothing the catalogues do not, in the recipient's language. */
const handlebars = Handlebars.create();
handlebars.registerHelper('t', (key: string, options: HelperOptions) => {
  const hash = options.hash as Record<string, unknown>;
  const missing = Object.keys(hash).find((name) => hash[name] === undefined || hash[name] === null);
  if (missing) throw new Error(`mail text ${key} needs the parameter ${missing}`);
  const text = translate((options.data?.root as { locale?: string } | undefined)?.locale ?? DEFAULT_LOCALE, key, options.hash);
  // A placeholder left unfilled is a caller's mistake: better no mail than one reading "sent by {sender}".
  const unfilled = /\{(\w+)\}/.exec(text);
  if (unfilled) throw new Error(`mail text ${key} needs the parameter ${unfilled[1]}`);
  return text;
});
const KNOWN = { knownHelpers: { t: true }, knownHelpersOnly: true };

const compiled = new Map<string, TemplateDelegate>();
function template(file: string, escape: boolean): TemplateDelegate {
  const key = `${file}:${escape}`;
  let delegate = compiled.get(key);
  if (!delegate) {
    delegate = handlebars.compile(readFileSync(join(MAIL_VIEWS_DIR, file), 'utf8'), { ...KNOWN, noEscape: !escape, strict: true });
    compiled.set(key, delegate);
  }
  return delegate;
}

/**
 * Subject, plain text and HTML of a mail in a language (English when the language is not ours).
 * The HTML escapes every value (a name such as `<b>` shows as typed); the text is plain, so nothing
 * in it is escaped; the subject is one line.
 */
export function renderMail(name: MailTemplate, locale: string, params: Params): RenderedMail {
  const language = isLocale(locale) ? locale : DEFAULT_LOCALE;
  const subject = translate(language, `mail.${name}.subject`, params).replace(/[\r\n]+/g, ' ').trim();
  // Values reach the templates as given; undefined would print nothing where a name belongs.
  for (const [key, value] of Object.entries(params)) if (value === undefined || value === null) throw new Error(`mail parameter ${key} is missing`);
  const data = { ...params, locale: language, subject };
  const text = template(`${name}.text.hbs`, false)(data);
  const body = template(`${name}.html.hbs`, true)(data);
  const html = template('layout.html.hbs', true)({ ...data, body: new Handlebars.SafeString(body) });
  return { subject, text: text.trim() + '\n', html, locale: language };
}
