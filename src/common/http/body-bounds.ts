import type { IncomingMessage } from 'node:http';
import { BadRequestError, UnsupportedMediaTypeError } from '../errors/domain-errors';

/** The deepest nesting of arrays and objects a JSON body may have; no form or tablet sends more than 4. */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x5b, 0x7b]); // [ {
const CLOSE = new Set([0x5d, 0x7d]); // ] }

/**
 * Whether a JSON text nests arrays and objects deeper than `max`, read byte by byte with no recursion:
 * brackets inside strings do not count. UTF-8 only, where no byte of a multi-byte character can be a
 * quote, a backslash or a bracket. Malformed JSON is left for JSON.parse to refuse.
 */
export function nestsDeeperThan(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (OPEN.has(byte)) {
      if (++depth > max) return true;
    } else if (CLOSE.has(byte)) depth--;
  }
  return false;
}

/**
 * body-parser's `verify` hook for JSON: it runs on the raw bytes once the size limit has held (for
 * any framing, Content-Length or chunked) and before JSON.parse, whose recursion (and then
 * class-transformer's and class-validator's) a deeply nested body would exhaust into a 500.
 */
export function verifyJsonBody(_req: IncomingMessage, _res: unknown, body: Buffer, encoding: string | null): void {
  // The scan reads UTF-8 bytes; JSON exchanged between systems is UTF-8 (RFC 8259 §8.1).
  if (encoding && encoding.toLowerCase().replace('_', '-') !== 'utf-8') throw new UnsupportedMediaTypeError({ key: 'errors.jsonCharset' });
  if (nestsDeeperThan(body, MAX_JSON_DEPTH)) throw new BadRequestError({ key: 'errors.tooDeep', params: { n: MAX_JSON_DEPTH } });
}
