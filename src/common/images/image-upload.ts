import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata, UseInterceptors } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import multer from 'multer';
import { from, mergeMap, Observable } from 'rxjs';
import { ForbiddenError, PayloadTooLargeError, ValidationError } from '../errors/domain-errors';
import { csrf } from '../http/csrf';
import { MAX_IMAGE_BYTES } from './image-pipeline';

export const IMAGE_UPLOAD = 'insieme:image-upload';

export interface ImageUploadOptions {
  /** The file field's name. */
  field: string;
  /** How many text fields the form may send besides the file (a photo's tags are one field each). */
  maxFields: number;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the CSRF guard on an image upload whose token travels in the body, read after the guards. */
    csrfDeferred?: boolean;
  }
}

/** Room for the multipart framing and the small text fields around the file. */
const FORM_OVERHEAD = 256 * 1024;

/** What the storage below hands multer for a file over MAX_IMAGE_BYTES: its size, none of its bytes. */
interface OversizedFile {
  size: number;
  oversized: true;
}

/**
 * Multer's memory storage, bounded: up to MAX_IMAGE_BYTES of the file is kept; past that what was kept
 * is dropped and the rest streams by, so multer goes on to read the text fields that follow the file.
 * (multer's own fileSize limit would abort the whole form at that point, losing them.)
 */
const boundedMemory: multer.StorageEngine = {
  _handleFile(_req, file, done) {
    let chunks: Buffer[] = [];
    let size = 0;
    file.stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_IMAGE_BYTES) chunks.push(chunk);
      else chunks = [];
    });
    file.stream.once('error', done);
    file.stream.once('end', () => {
      const oversized: OversizedFile = { size, oversized: true };
      done(null, size > MAX_IMAGE_BYTES ? oversized : { buffer: Buffer.concat(chunks), size });
    });
  },
  _removeFile(_req, file, done) {
    delete (file as Partial<Express.Multer.File>).buffer;
    done(null);
  },
};

class CsrfRefused extends Error {}

/**
 * A route that takes one image in a multipart form. The body is read here, after the guards (so only a
 * signed-in user with the route's role makes the server read an upload), keeping at most
 * MAX_IMAGE_BYTES of the file: a larger file is let go by unkept while the text fields after it (a
 * browser sends the caption and ticks after the file) are still read, so the refusal comes back beside
 * the field with what was typed. A declared length over DISCARD_LIMIT is not parsed at all. The form's
 * CSRF token is a text field placed before the file: it is checked the moment the file part begins,
 * so no file byte is accepted without a valid token.
 */
export const ImageUpload = (field = 'photo', maxFields = 10) =>
  applyDecorators(SetMetadata<string, ImageUploadOptions>(IMAGE_UPLOAD, { field, maxFields }), UseInterceptors(ImageUploadInterceptor));

/** For the CSRF guard: this route checks a form token itself, once it has read the text fields. */
export function defersCsrf(reflector: Reflector, context: ExecutionContext, req: Request): boolean {
  const options = reflector.get<ImageUploadOptions | undefined>(IMAGE_UPLOAD, context.getHandler());
  return !!options && !!req.is('multipart/form-data') && typeof req.headers['x-csrf-token'] !== 'string';
}

/** Past this much of a refused body the connection is cut. */
const DISCARD_LIMIT = 64 * 1024 * 1024;

/**
 * Lets the rest of a refused body go by, keeping none of it, and resolves once it has: the answer
 * (the form with the error beside the field) is sent only then. Answering while the client is still
 * sending can reset the connection and lose that answer. A body that goes on past DISCARD_LIMIT is cut.
 */
function drained(req: Request): Promise<void> {
  if (req.complete) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    req.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > DISCARD_LIMIT) req.destroy();
    });
    req.once('end', () => resolve());
    req.once('close', () => resolve());
    req.once('error', () => resolve());
    req.resume();
  });
}

@Injectable()
export class ImageUploadInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const options = this.reflector.get<ImageUploadOptions>(IMAGE_UPLOAD, context.getHandler());
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    return from(this.read(options, req, res)).pipe(mergeMap(() => next.handle()));
  }

  private async read(options: ImageUploadOptions, req: Request, res: Response): Promise<void> {
    req.body ??= {};
    if (!req.is('multipart/form-data')) {
      if (req.csrfDeferred) throw new ForbiddenError({ key: 'errors.csrf' });
      return;
    }
    // Said beside the field, like any refused file; the page's summary says "some fields need attention", not "too large" again.
    const tooLarge = new PayloadTooLargeError({ [options.field]: { key: 'photos.tooLarge', params: { mb: MAX_IMAGE_BYTES / 1024 / 1024 } } });
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > DISCARD_LIMIT) {
      // Far beyond any photo: not parsed, nothing kept; the body goes by unread (or is cut) before the answer.
      await drained(req);
      throw tooLarge;
    }
    const code = await new Promise<string | null>((resolve) => {
      multer({
        storage: boundedMemory,
        // The file's own cap is the storage's; this one only stops a body that lied about its length.
        limits: { fileSize: DISCARD_LIMIT - FORM_OVERHEAD, files: 1, fields: options.maxFields + 1, fieldSize: 4_000, parts: options.maxFields + 2 },
        fileFilter: (r, _file, accept) => {
          if (r.csrfDeferred && !csrf.isRequestValid(r)) accept(new CsrfRefused());
          else accept(null, true);
        },
      }).single(options.field)(req, res, (error?: unknown) => {
        if (!error) resolve(null);
        else if (error instanceof CsrfRefused) resolve('CSRF');
        else resolve((error as { code?: string }).code ?? 'INVALID');
      });
    });
    // Refused mid-body (too large, a late token): the rest goes by before the answer.
    if (code) await drained(req);
    req.body ??= {};
    // The token is checked before anything else is said about the form: a cross-site post learns nothing.
    if (req.csrfDeferred && (code === 'CSRF' || !csrf.isRequestValid(req))) throw new ForbiddenError({ key: 'errors.csrf' });
    delete (req.body as Record<string, unknown>)._csrf;
    if (code === 'LIMIT_FILE_SIZE') throw tooLarge;
    if (code) throw new ValidationError({ [options.field]: { key: 'photos.badForm' } });
    if (req.file && (req.file as unknown as Partial<OversizedFile>).oversized) {
      req.file = undefined;
      throw tooLarge;
    }
  }
}
