import type { Response } from 'express';
import { translate } from '../i18n/i18n';

/** Text as part of a file name: letters without their accents, digits, and '-' between words, in lower case. */
export function fileSlug(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/**
 * A download's file name in the reader's language: "insieme-" and the words of `files.<key>`
 * (locales/<locale>/files.json) with their params, made safe for every file system and mail client
 * (plain ASCII, so no RFC 5987 `filename*` is needed): "insieme-casa-serena-report-trimestrale-2026-q3.pdf".
 */
export function downloadName(locale: string, key: string, params: Record<string, unknown>, extension: string): string {
  return `${['insieme', fileSlug(translate(locale, `files.${key}`, params))].filter(Boolean).join('-')}.${extension}`;
}

/** Sets Content-Disposition to `downloadName(…)`: `attachment` to save it, `inline` to open it in the browser. */
export function sendAs(res: Response, disposition: 'attachment' | 'inline', locale: string, key: string, params: Record<string, unknown>, extension: string): void {
  res.setHeader('Content-Disposition', `${disposition}; filename="${downloadName(locale, key, params, extension)}"`);
}
