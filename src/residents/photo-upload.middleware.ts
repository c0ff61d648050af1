import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { MAX_PHOTO_BYTES } from './resident-photos';

declare module 'express-serve-static-core' {
  interface Request {
    /** multer's error code when an upload was refused (too large, too many parts). */
    uploadError?: string;
  }
}

const parser = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_PHOTO_BYTES, files: 1, fields: 5, fieldSize: 10_000, parts: 6 },
}).single('photo');

/**
 * Parses the photo form before the guards run, so the CSRF token in the form is readable. A refused
 * upload is noted on the request rather than thrown, so the page can say why beside the field.
 */
@Injectable()
export class PhotoUploadMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    if (!req.is('multipart/form-data')) {
      next();
      return;
    }
    parser(req, res, (error?: unknown) => {
      if (error) {
        req.uploadError = (error as { code?: string }).code ?? 'INVALID';
        req.body ??= {};
      }
      next();
    });
  }
}
