import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import Handlebars from 'handlebars';
import { VIEWS_DIR } from '../paths';
import { configureViews, headingText, renderView, VIEW_COMPILE_OPTIONS } from './view-engine';


/** Renders a view (a path under views/, or an absolute one). */
function render(file: string, options: Record<string, unknown>): string {
  let result: { error: unknown; html?: string } | undefined;
  renderView(isAbsolute(file) ? file : join(VIEWS_DIR, file), options, (error, html) => (result = { error, html }));
  if (!result) throw new Error('renderView did not call back');
  if (result.error) throw result.error as Error;
  return result.html!;
}

describe('view engine', () => {
  beforeAll(() => {
    const app = { setBaseViewsDir: jest.fn(), engine: jest.fn(), setViewEngine: jest.fn() };
    configureViews(app as unknown as NestExpressApplication);
  });

  it('compiles every view and partial with the declared helpers only', () => {
    const files = readdirSync(VIEWS_DIR, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.hbs'));
    expect(files).toContain(join('activities', 'today.hbs'));
    expect(files.length).toBeGreaterThan(40);
    for (const file of files) {
      expect(() => Handlebars.precompile(readFileSync(join(VIEWS_DIR, file), 'utf8'), VIEW_COMPILE_OPTIONS)).not.toThrow();
    }
  });

  it('refuses a helper that is not declared, when the template is compiled', () => {
    expect(() => Handlebars.precompile('<p>{{shout title}}</p>', VIEW_COMPILE_OPTIONS)).toThrow(/shout/);
    // A plain value is a lookup, not a helper call.
    expect(() => Handlebars.precompile('<p>{{title}}</p>', VIEW_COMPILE_OPTIONS)).not.toThrow();
  });

  it('renders a page inside the layout, in the page language, escaping values', () => {
    const html = render('errors/error.hbs', { cache: true, locale: 'it', status: 404, title: 'Non trovato', message: '<b>nulla</b>', csrfToken: 'tok' });
    expect(html).toMatch(/^<!doctype html>/);
    // A page for nobody signed in also asks the ward tablet to drop the day's cached pages (docs/offline.md).
    expect(html).toContain('<html lang="it" data-clear-ward-cache>');
    expect(html).toContain('<p class="error-code">404</p>');
    expect(html).toContain('&lt;b&gt;nulla&lt;/b&gt;');
    expect(html).toContain('<input type="hidden" name="_csrf" value="tok">');
    // Nobody signed in: the way on is signing in.
    expect(html).toContain('<a class="button" href="/login">Accedi</a>');
  });

  it('renders a page alone when the layout is turned off, and the same page from its cache', () => {
    const options = { cache: true, layout: false as const, locale: 'en', status: 500, title: 'Oops', message: 'broken' };
    const first = render('errors/error.hbs', options);
    expect(first).not.toContain('<html');
    expect(first).toContain('<h1>Oops</h1>');
    expect(render('errors/error.hbs', { ...options })).toBe(first);
  });

  it('outside the view cache, compiles a view once and again only after the file changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'insieme-views-'));
    try {
      const file = join(dir, 'page.hbs');
      const options = { layout: false as const, locale: 'en', name: 'Ada' };
      writeFileSync(file, '<p>{{name}}</p>');
      const mtime = new Date('2026-01-01T10:00:00Z');
      utimesSync(file, mtime, mtime);
      expect(render(file, options)).toBe('<p>Ada</p>');
      // Same modification time: the compiled template is used, not the file's new text.
      writeFileSync(file, '<p>Hello {{name}}</p>');
      utimesSync(file, mtime, mtime);
      expect(render(file, options)).toBe('<p>Ada</p>');
      // Saved again (a later modification time): compiled afresh, as when editing views.
      const later = new Date(mtime.getTime() + 2_000);
      utimesSync(file, later, later);
      expect(render(file, options)).toBe('<p>Hello Ada</p>');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('should keep a multi-line value as written when a partial on its own line shows it, a refused form\'s textarea included', () => {
    const html = render('messages/family-thread.hbs', {
      cache: true, layout: false, locale: 'en', resident: { id: 'r1', displayName: 'Rosa' }, messages: [], canWrite: true, maxLength: 4000,
      values: { body: 'First line\nsecond line\n  third, indented by its writer' }, errors: { body: 'Too long' },
    });
    expect(html).toContain('>First line\nsecond line\n  third, indented by its writer</textarea>');
  });

  it('passes a failing template to the callback instead of throwing', () => {
    let failure: unknown;
    renderView(join(VIEWS_DIR, 'no-such-view.hbs'), {}, (error) => (failure = error));
    expect(String(failure)).toMatch(/ENOENT/);
  });
});

describe('headingText, the title of a page that sets none', () => {
  it('is the first heading as text, its markup and escapes undone', () => {
    expect(headingText('<main><h1 class="x">Piani da <em>rivedere</em></h1><h1>Other</h1></main>')).toBe('Piani da rivedere');
    expect(headingText('<h1>Ciao, Marco &amp; Anna &#x27;Nina&#x27; &lt;3 è</h1>')).toBe("Ciao, Marco & Anna 'Nina' <3 è");
    expect(headingText('<h1>\n  Ospiti\n  <span class="badge">12</span>\n</h1>')).toBe('Ospiti 12');
  });

  it('is nothing for a page without a heading, or an empty one', () => {
    expect(headingText('<p>No heading</p>')).toBeUndefined();
    expect(headingText('<h1> <span></span> </h1>')).toBeUndefined();
    expect(headingText('<h2>Only a second level</h2>')).toBeUndefined();
  });
});
