/**
 * A local path to return to after a form, never another site: "//evil", "/\evil" and paths hiding
 * control characters (browsers strip tabs and newlines, turning "/\t/evil" into "//evil") are refused.
 */
export function safeLocalPath(candidate: unknown, fallback = '/'): string {
  if (typeof candidate !== 'string') return fallback;
  if (!candidate.startsWith('/') || candidate.startsWith('//')) return fallback;
  // eslint-disable-next-line no-control-regex -- matching control characters is the point of this check
  if (/[\\\u0000-\u001f\u007f]/.test(candidate)) return fallback;
  return candidate;
}
