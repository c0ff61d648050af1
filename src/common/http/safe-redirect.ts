/** A local path to return to after a form, never another site ("//evil" and "/\evil" included). */
export function safeLocalPath(candidate: unknown, fallback = '/'): string {
  if (typeof candidate !== 'string') return fallback;
  if (!candidate.startsWith('/') || candidate.startsWith('//') || candidate.startsWith('/\\')) return fallback;
  if (/[\r\n]/.test(candidate)) return fallback;
  return candidate;
}
