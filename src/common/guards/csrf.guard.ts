import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { SKIP_CSRF } from '../decorators/skip-csrf.decorator';
import { ForbiddenError } from '../errors/domain-errors';
import { csrf } from '../http/csrf';
import { SignedDoubleSubmit } from '../http/signed-double-submit';
import { defersCsrf } from '../images/image-upload';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every state-changing request carries a CSRF token: a signed-in user's is the synchroniser token in
 * their session; an anonymous visitor's, who has no session, the signed double-submit token. Which
 * one is settled by who is signed in, so a token from before sign-in is worth nothing after it.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  private readonly anonymous: SignedDoubleSubmit;

  constructor(private readonly reflector: Reflector, @Inject(APP_CONFIG) config: AppConfig) {
    this.anonymous = new SignedDoubleSubmit(config.sessionSecret);
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (SAFE_METHODS.has(req.method)) return true;
    if (this.reflector.getAllAndOverride<boolean>(SKIP_CSRF, [context.getHandler(), context.getClass()])) return true;
    if (req.user && defersCsrf(this.reflector, context, req)) {
      // An image form's token is in its body, which is read only after the guards (ImageUploadInterceptor checks it).
      req.csrfDeferred = true;
      return true;
    }
    if (req.user) {
      if (!csrf.isRequestValid(req)) throw new ForbiddenError({ key: 'errors.csrf' });
    } else if (!this.anonymous.isRequestValid(req)) {
      throw new ForbiddenError({ key: 'errors.csrfAnonymous' });
    }
    // The token has done its job; DTOs do not list it.
    if (req.body && typeof req.body === 'object') delete (req.body as Record<string, unknown>)._csrf;
    return true;
  }
}
