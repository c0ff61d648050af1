import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ForbiddenError } from '../common/errors/domain-errors';
import { requestPath } from '../common/http/session';

/**
 * The routes a PIN session may use: ward work only (Today, activity pages, logs and photos, the
 * activities API, the session keep-alive, resident photos, the ward pages, sign-out, language). The home page
 * only sends a carer on to Today. Everything else needs a password sign-in.
 */
const WARD_ROUTES: RegExp[] = [
  /^\/$/,
  /^\/today(\/|$)/,
  // An activity's page, its log, its photos and the time given at it; planning (new, edit, cancel, roster, offers) needs a password.
  /^\/activities\/(?!new$)[^/]+(\/(log|contributions|photos)(\/.*)?)?$/,
  // Reading an activity photo; deleting one needs a password.
  /^\/photos\/[^/]+\/(thumb|full)$/,
  /^\/api\/activities(\/|$)/,
  /^\/api\/session(\/|$)/,
  /^\/api\/ward(\/|$)/,
  /^\/residents\/[^/]+\/photo$/,
  /^\/ward(\/|$)/,
  /^\/logout$/,
  /^\/locale$/,
];

export function isWardRoute(path: string): boolean {
  return WARD_ROUTES.some((route) => route.test(path));
}

/** A session started with a PIN on a ward tablet reaches the ward's routes only (403 elsewhere). */
@Injectable()
export class PinSessionGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (!req.user || req.session?.signedInBy !== 'pin') return true;
    if (isWardRoute(requestPath(req))) return true;
    throw new ForbiddenError({ key: 'ward.passwordNeeded' });
  }
}
