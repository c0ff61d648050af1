import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linkifyHtml } from './linkify';
import { registerViews, renderView } from './view-engine';

const sut = linkifyHtml;
const A = (href: string, text = href) => `<a href="${href}" rel="noopener noreferrer nofollow" target="_blank">${text}</a>`;

describe('linkifyHtml', () => {
  it('should make an http or https address a link that opens apart, the rest as text', () => {
    expect(sut('The photos: https://example.org/album and http://casa.example.it/menu')).toBe(
      `The photos: ${A('https://example.org/album')} and ${A('http://casa.example.it/menu')}`,
    );
    expect(sut('HTTPS://Example.org/A')).toBe(A('HTTPS://Example.org/A'));
  });

  it('should escape the text around the links as a plain value would be', () => {
    expect(sut('<b>Hi</b> & "bye" \'ok\' `x` a=b')).toBe('&lt;b&gt;Hi&lt;/b&gt; &amp; &quot;bye&quot; &#x27;ok&#x27; &#x60;x&#x60; a&#x3D;b');
  });

  it('should keep line breaks, which the page shows as written', () => {
    expect(sut('Line one\nhttps://example.org\nline three')).toBe(`Line one\n${A('https://example.org')}\nline three`);
  });

  it('should show nothing when there is no text', () => {
    expect(sut('')).toBe('');
    expect(sut(null)).toBe('');
    expect(sut(undefined)).toBe('');
  });

  it('should escape an address\'s query in the link and in its text', () => {
    expect(sut('https://example.org/?a=1&b=2')).toBe(A('https://example.org/?a&#x3D;1&amp;b&#x3D;2'));
  });

  it('should leave sentence punctuation after an address outside the link', () => {
    for (const mark of ['.', ',', ';', ':', '!', '?', '...', '?!']) {
      expect(sut(`See https://example.org/page${mark} Bye`)).toBe(`See ${A('https://example.org/page')}${mark} Bye`);
    }
    // Within the address it stays: a query, a port, a path with dots.
    expect(sut('https://example.org:8080/a.b/c?d=e,f')).toBe(A('https://example.org:8080/a.b/c?d&#x3D;e,f'));
  });

  it('should leave a closing parenthesis the address did not open outside the link, and keep one it did', () => {
    expect(sut('(see https://example.org/page)')).toBe(`(see ${A('https://example.org/page')})`);
    expect(sut('(see https://example.org/page).')).toBe(`(see ${A('https://example.org/page')}).`);
    expect(sut('https://it.wikipedia.org/wiki/Mina_(cantante)')).toBe(A('https://it.wikipedia.org/wiki/Mina_(cantante)'));
    expect(sut('(https://it.wikipedia.org/wiki/Mina_(cantante))')).toBe(`(${A('https://it.wikipedia.org/wiki/Mina_(cantante)')})`);
  });

  it('should end an address at a quote, typographic ones from a phone included', () => {
    expect(sut('"https://example.org/a"')).toBe(`&quot;${A('https://example.org/a')}&quot;`);
    expect(sut('“https://example.org/a” «https://example.org/b»')).toBe(`“${A('https://example.org/a')}” «${A('https://example.org/b')}»`);
    expect(sut("'https://example.org/a'")).toBe(`&#x27;${A('https://example.org/a')}&#x27;`);
  });

  it('should never link another scheme', () => {
    for (const text of ['javascript:alert(1)', 'JavaScript://example.org/%0Aalert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', 'mailto:a@example.org', 'ftp://example.org/file', '//example.org/x']) {
      expect(sut(text)).not.toContain('<a ');
    }
    expect(sut('javascript:alert(1)')).toBe('javascript:alert(1)');
  });

  it('should not start a link inside a word or another scheme', () => {
    expect(sut('xhttps://example.org')).toBe('xhttps://example.org');
    expect(sut('javascript:https://example.org')).toBe('javascript:https://example.org');
  });

  it('should leave an address without a host as text', () => {
    expect(sut('https:// and http://:80/x and https://.')).toBe('https:// and http://:80/x and https://.');
  });

  it('should not let an address close its attribute or open a tag', () => {
    const html = sut('https://example.org/"><script>alert(1)</script>');
    expect(html).toBe(`${A('https://example.org/')}&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;`);
    expect(html).not.toContain('<script');
  });

  it('should escape a quote or an event handler written into an address', () => {
    const single = sut("https://example.org/a'onmouseover='alert(1)");
    expect(single).toBe(A('https://example.org/a&#x27;onmouseover&#x3D;&#x27;alert(1)'));
    expect(single.match(/"/g)).toHaveLength(6);
    expect(sut('https://example.org/`onfocus=alert(1)`')).toBe(`${A('https://example.org/')}&#x60;onfocus&#x3D;alert(1)&#x60;`);
  });

  it('should not link a script written as markup around an address', () => {
    const html = sut('<a href="javascript:alert(1)">https://example.org</a>');
    expect(html).toBe(`&lt;a href&#x3D;&quot;javascript:alert(1)&quot;&gt;${A('https://example.org')}&lt;/a&gt;`);
  });

  it('should take a long message without stalling', () => {
    const text = `https://${'a'.repeat(20_000)}${'.'.repeat(20_000)} ${'(https://x.org) '.repeat(1_000)}`;
    const started = Date.now();
    sut(text);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('the linkify view helper', () => {
  let dir: string;
  beforeAll(() => {
    registerViews();
    dir = mkdtempSync(join(tmpdir(), 'insieme-linkify-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should write the linked text into a page unescaped once, and a plain value escaped as ever', () => {
    const file = join(dir, 'page.hbs');
    writeFileSync(file, '<p>{{linkify body}}</p><p>{{body}}</p>');
    let html: string | undefined;
    renderView(file, { cache: true, layout: false, body: 'Go to https://example.org/?a=1&b=2 <now>' }, (error, out) => {
      if (error) throw error as Error;
      html = out;
    });
    expect(html).toBe(
      `<p>Go to ${A('https://example.org/?a&#x3D;1&amp;b&#x3D;2')} &lt;now&gt;</p><p>Go to https://example.org/?a&#x3D;1&amp;b&#x3D;2 &lt;now&gt;</p>`,
    );
  });
});
