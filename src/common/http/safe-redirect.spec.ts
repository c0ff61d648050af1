import { safeLocalPath } from './safe-redirect';

const sut = safeLocalPath;

/** Where a browser on our site would go for a Location header with this value. */
function originReached(location: string): string {
  return new URL(location, 'https://insieme.example/').origin;
}

describe('safeLocalPath', () => {
  it.each(['/', '/admin/homes', '/homes/casa-serena/edit?tab=units#top', '/search?q=a//b'])(
    'should keep the path when it is local: %s',
    (path) => {
      expect(sut(path)).toBe(path);
    },
  );

  it.each([
    ['a protocol-relative URL', '//evil.com'],
    ['a backslash after the slash', '/\\evil.com'],
    ['an absolute URL', 'https://evil.com'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a relative path', 'admin/homes'],
    ['an empty string', ''],
    ['a carriage return', '/ok\r\nSet-Cookie: x=1'],
    ['a line feed', '/ok\nLocation: https://evil.com'],
  ])('should return the fallback when the candidate is %s', (_description, candidate) => {
    expect(sut(candidate)).toBe('/');
  });

  it.each<unknown>([undefined, null, 42, ['/admin'], { path: '/admin' }])(
    'should return the fallback when the candidate is not a string: %p',
    (candidate) => {
      expect(sut(candidate)).toBe('/');
    },
  );

  it('should return the given fallback when one is passed', () => {
    expect(sut('//evil.com', '')).toBe('');
  });

  it('should never lead off the site when the path hides a tab that browsers strip', () => {
    // Browsers drop tabs from URLs, so "/\t/evil.com" is read as "//evil.com".
    const result = sut('/\t/evil.com');

    expect(originReached(result)).toBe('https://insieme.example');
  });
});
