import type Sharp from 'sharp';
import { ValidationError } from '../errors/domain-errors';
import { lazyModule } from '../lazy-module';

/** sharp and its libvips load with the first picture, not at start-up. */
const sharp = lazyModule(() => require('sharp') as typeof Sharp);

/** The largest upload read (a phone camera's JPEG is 2-8 MB); larger answers 413 before more is read. */
export const MAX_IMAGE_BYTES = 12 * 1024 * 1024;
/** The longest edge of a stored photo and of its thumbnail, in pixels. */
export const FULL_EDGE = 2048;
export const THUMB_EDGE = 400;
/** Decoding stops above this many pixels (a small file can claim a huge canvas: a decompression bomb). */
const MAX_INPUT_PIXELS = 64_000_000;

/** What the pipeline keeps: two freshly encoded JPEGs, never the uploaded bytes. */
export interface ProcessedImage {
  full: Buffer;
  thumb: Buffer;
  width: number;
  height: number;
}

/**
 * The raster formats taken: JPEG, PNG, WebP, and AVIF (sharp calls it `heif`: an AV1 picture in a HEIF
 * box). sharp decodes more (SVG, GIF among them), which are refused. HEIC, an iPhone's HEVC picture in
 * the same box, is refused too: sharp's prebuilt libvips has no HEVC decoder. An iPhone sends JPEG when a
 * photo is chosen in a page's file field (`accept="image/*"`), so HEIC arrives only as a file carried elsewhere first.
 */
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'heif']);
/** The only coding taken inside a HEIF box: AV1 (AVIF). */
const ACCEPTED_HEIF_CODING = 'av1';

/**
 * Markup that makes a file a polyglot: a JPEG with an HTML page in a comment or after its end still
 * decodes as a picture. The stored file is re-encoded, so such bytes would never be served, but a file
 * carrying them is refused outright: nobody's camera writes `<script`.
 */
const MARKUP = /<(?:script|html|!doctype|svg|iframe|body|object|embed|\?xml|meta[\s/])|javascript:/i;

function signature(bytes: Buffer): string | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  if (bytes.subarray(4, 8).toString('latin1') === 'ftyp' && /^(mif1|msf1|avif)$/.test(bytes.subarray(8, 12).toString('latin1'))) return 'heif';
  return null;
}

/**
 * Picture formats people send that are not taken, known by their signature, so that the refusal names
 * the type and the ones accepted rather than calling the file unreadable. (A `mif1` HEIF box may hold
 * HEVC too: that is found once decoded, by its coding.)
 */
function refusedType(bytes: Buffer): string | null {
  const head = bytes.subarray(0, 12).toString('latin1');
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return 'GIF';
  if (head.startsWith('II*\0') || head.startsWith('MM\0*')) return 'TIFF';
  if (head.slice(4, 8) === 'ftyp' && /^(heic|heix|heim|heis|hevc|hevx)$/.test(head.slice(8, 12))) return 'HEIC';
  if (/^\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!--[\s\S]{0,500}?-->\s*)?(?:<!doctype svg[^>]{0,500}>\s*)?<svg[\s>]/i.test(bytes.subarray(0, 2048).toString('latin1'))) return 'SVG';
  return null;
}

const notImage = (field: string) => new ValidationError({ [field]: { key: 'photos.notImage' } });
const refused = (field: string, type: string) => new ValidationError({ [field]: type === 'HEIC' ? { key: 'photos.heicRefused' } : { key: 'photos.typeRefused', params: { type } } });

/**
 * The one image pipeline (activity photos, news photos, resident profile photos): the bytes must be a
 * raster picture by their signature, free of markup, and decode with sharp; the picture is turned
 * upright (EXIF orientation), fitted inside 2048 px and re-encoded as JPEG without any metadata (EXIF,
 * GPS, XMP, comments are all dropped), with a 400 px thumbnail.
 */
export async function processImage(bytes: Buffer | undefined, field = 'photo'): Promise<ProcessedImage> {
  if (!bytes || bytes.length === 0) throw new ValidationError({ [field]: { key: 'photos.missing' } });
  const kind = signature(bytes);
  if (!kind) {
    const type = refusedType(bytes);
    throw type ? refused(field, type) : notImage(field);
  }
  if (MARKUP.test(bytes.toString('latin1'))) throw notImage(field);
  try {
    const source = sharp()(bytes, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS, animated: false });
    const meta = await source.metadata();
    if (meta.format === 'heif' && meta.compression !== ACCEPTED_HEIF_CODING) throw refused(field, 'HEIC');
    if (!meta.format || !ACCEPTED_FORMATS.has(meta.format) || !meta.width || !meta.height) throw notImage(field);
    // rotate() with no angle applies the EXIF orientation; no withMetadata(), so nothing of the original travels on.
    const upright = source.clone().rotate();
    const full = await upright.clone().resize(FULL_EDGE, FULL_EDGE, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 85 }).toBuffer({ resolveWithObject: true });
    const thumb = await upright.clone().resize(THUMB_EDGE, THUMB_EDGE, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 80 }).toBuffer();
    return { full: full.data, thumb, width: full.info.width, height: full.info.height };
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw notImage(field);
  }
}
