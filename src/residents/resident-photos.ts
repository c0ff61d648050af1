import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync, writeFileSync, ReadStream } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { NotFoundError } from '../common/errors/domain-errors';
import { MAX_IMAGE_BYTES, processImage } from '../common/images/image-pipeline';

export const MAX_PHOTO_BYTES = MAX_IMAGE_BYTES;

/** A stored name: server-made. Files uploaded before the image pipeline may be PNGs. */
const STORED_NAME = /^[0-9a-f-]{36}\.(jpg|png)$/;

/**
 * Resident profile photos on disk, under server-made names, outside anything served statically. An
 * upload goes through the image pipeline (decoded, turned upright, metadata dropped, re-encoded): the
 * full picture is kept as `<uuid>.jpg` and the 400 px thumbnail the pages show as `<uuid>.thumb.jpg`.
 */
@Injectable()
export class ResidentPhotos {
  private readonly dir: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.dir = join(config.uploadsDir, 'photos');
  }

  /** Decodes, re-encodes and stores an upload (before any transaction: decoding is slow); returns the stored file's name. */
  async store(upload: { buffer: Buffer; size?: number } | undefined): Promise<string> {
    const image = await processImage(upload?.buffer, 'photo');
    mkdirSync(this.dir, { recursive: true });
    const id = randomUUID();
    this.write(`${id}.thumb.jpg`, image.thumb);
    this.write(`${id}.jpg`, image.full);
    return `${id}.jpg`;
  }

  remove(name: string | null): void {
    if (!name || !STORED_NAME.test(name)) return;
    rmSync(join(this.dir, name), { force: true });
    rmSync(join(this.dir, name.replace(/\.(jpg|png)$/, '.thumb.jpg')), { force: true });
  }

  /** The thumbnail when there is one (uploads before the pipeline have none), else the file itself. */
  open(name: string): { stream: ReadStream; contentType: string } {
    if (!STORED_NAME.test(name)) throw new NotFoundError();
    const thumb = join(this.dir, name.replace(/\.(jpg|png)$/, '.thumb.jpg'));
    if (existsSync(thumb)) return { stream: createReadStream(thumb), contentType: 'image/jpeg' };
    return { stream: createReadStream(join(this.dir, name)), contentType: name.endsWith('.png') ? 'image/png' : 'image/jpeg' };
  }

  private write(name: string, bytes: Buffer): void {
    // Written aside and renamed, so a reader never sees half a file.
    const partial = join(this.dir, `${name}.part`);
    writeFileSync(partial, bytes, { mode: 0o600 });
    renameSync(partial, join(this.dir, name));
  }
}
