import { randomUUID } from 'node:crypto';
import { createReadStream, mkdirSync, renameSync, rmSync, writeFileSync, ReadStream } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ValidationError } from '../common/errors/domain-errors';

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

const JPEG_START = Buffer.from([0xff, 0xd8, 0xff]);
const JPEG_END = Buffer.from([0xff, 0xd9]);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * What an uploaded file really is, judged by its bytes, never its name or declared type: a JPEG
 * starts FF D8 FF and ends with the FF D9 marker; a PNG starts with its signature and ends with IEND.
 */
export function imageKind(bytes: Buffer): 'jpeg' | 'png' | null {
  const tail = bytes.subarray(Math.max(0, bytes.length - 32));
  if (bytes.subarray(0, 3).equals(JPEG_START) && tail.includes(JPEG_END)) return 'jpeg';
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE) && tail.includes(Buffer.from('IEND'))) return 'png';
  return null;
}

/** Resident photos on disk, under server-made names, outside anything served statically. */
@Injectable()
export class ResidentPhotos {
  private readonly dir: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.dir = join(config.uploadsDir, 'photos');
  }

  /** Checks and stores an upload; returns the stored file's name. */
  store(upload: { buffer: Buffer; size: number } | undefined, uploadError?: string): string {
    if (uploadError === 'LIMIT_FILE_SIZE') throw new ValidationError({ photo: { key: 'residents.photoTooLarge' } });
    if (uploadError) throw new ValidationError({ photo: { key: 'residents.photoNotImage' } });
    if (!upload || upload.size === 0) throw new ValidationError({ photo: { key: 'residents.photoMissing' } });
    if (upload.size > MAX_PHOTO_BYTES) throw new ValidationError({ photo: { key: 'residents.photoTooLarge' } });
    const kind = imageKind(upload.buffer);
    if (!kind) throw new ValidationError({ photo: { key: 'residents.photoNotImage' } });
    mkdirSync(this.dir, { recursive: true });
    const name = `${randomUUID()}.${kind === 'jpeg' ? 'jpg' : 'png'}`;
    // Written aside and renamed, so a reader never sees half a file.
    const partial = join(this.dir, `${name}.part`);
    writeFileSync(partial, upload.buffer, { mode: 0o600 });
    renameSync(partial, join(this.dir, name));
    return name;
  }

  remove(name: string | null): void {
    if (name && /^[0-9a-f-]{36}\.(jpg|png)$/.test(name)) rmSync(join(this.dir, name), { force: true });
  }

  open(name: string): { stream: ReadStream; contentType: string } {
    if (!/^[0-9a-f-]{36}\.(jpg|png)$/.test(name)) throw new ValidationError({}, { key: 'errors.notFound' });
    return { stream: createReadStream(join(this.dir, name)), contentType: name.endsWith('.png') ? 'image/png' : 'image/jpeg' };
  }
}
