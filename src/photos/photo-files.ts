import { createReadStream, mkdirSync, renameSync, rmSync, writeFileSync, ReadStream } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { ProcessedImage } from '../common/images/image-pipeline';
import type { PhotoSize } from './photos.enums';

const ID = /^[0-9a-f-]{36}$/;

/**
 * Activity and news photos on disk, named after their row's id (`<id>.jpg`, `<id>.thumb.jpg`), under
 * the uploads folder, which nothing serves statically: only the access-checked photo route reads them.
 */
@Injectable()
export class PhotoFiles {
  private readonly dir: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.dir = join(config.uploadsDir, 'activity-photos');
  }

  write(id: string, image: ProcessedImage): void {
    if (!ID.test(id)) throw new Error('photo id expected');
    mkdirSync(this.dir, { recursive: true });
    for (const [name, bytes] of [[`${id}.thumb.jpg`, image.thumb], [`${id}.jpg`, image.full]] as const) {
      // Written aside and renamed, so a reader never sees half a file.
      writeFileSync(join(this.dir, `${name}.part`), bytes, { mode: 0o600 });
      renameSync(join(this.dir, `${name}.part`), join(this.dir, name));
    }
  }

  remove(id: string): void {
    if (!ID.test(id)) return;
    rmSync(join(this.dir, `${id}.jpg`), { force: true });
    rmSync(join(this.dir, `${id}.thumb.jpg`), { force: true });
  }

  open(id: string, size: PhotoSize): ReadStream {
    return createReadStream(join(this.dir, size === 'thumb' ? `${id}.thumb.jpg` : `${id}.jpg`));
  }
}
