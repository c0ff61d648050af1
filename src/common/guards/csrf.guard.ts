import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { SKIP_CSRF } from '../decorators/skip-csrf.decorator';
import { ForbiddenError } from '../errors/domain-errors';
import { csrf } from '../http/csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Every state-changing request carries the session's synchroniser token. */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (SAFE_METHODS.has(req.method)) return true;
    if (this.reflector.getAllAndOverride<boolean>(SKIP_CSRF, [context.getHandler(), context.getClass()])) return true;
    if (!req.session || !csrf.isRequestValid(req)) throw new ForbiddenError({ key: 'errors.csrf' });
    // The token has done its job; DTOs do not list it.
    if (req.body && typeof req.body === 'object') delete (req.body as Record<string, unknown>)._csrf;
    return true;
  }
}
