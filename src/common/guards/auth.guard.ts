import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AuditService } from '../../audit/audit.service';
import type { Role } from '../../auth/auth.enums';
import { IS_PUBLIC } from '../decorators/public.decorator';
import { ROLES_KEY } from '../decorators/roles.decorator';
import { ForbiddenError, UnauthenticatedError } from '../errors/domain-errors';

/** The same refusal (user, method, path) is audited once in this long, so a loop or a scan cannot flood the chain. */
export const REFUSAL_AUDIT_EVERY_MS = 10 * 60 * 1000;

/**
 * Deny by default: a route needs a signed-in user unless it is @Public(), and one of its @Roles().
 * A signed-in user refused by role is audited (`access_denied` on the path asked for), on pages and
 * the API alike (SPEC 3's audit actions; ASVS V16.3.2, failed authorization decisions are logged).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);
  /** When each refusal was last audited by this process: only a shortcut, each process audits its own. */
  private readonly audited = new Map<string, number>();

  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const user = req.user;
    if (!user) throw new UnauthenticatedError();
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(user.role)) return this.refuse(req);
    return true;
  }

  private async refuse(req: Request): Promise<never> {
    const user = req.user!;
    const path = `${req.method} ${(req.baseUrl + req.path).slice(0, 300)}`;
    const key = `${user.id} ${path}`;
    const now = Date.now();
    if ((this.audited.get(key) ?? 0) <= now - REFUSAL_AUDIT_EVERY_MS) {
      if (this.audited.size >= 10_000) this.audited.clear();
      this.audited.set(key, now);
      await this.audit
        .recordNow({
          action: 'access_denied', userId: user.id, role: user.role, entityType: 'route', entityId: null, homeId: null,
          changes: { route: { old: null, new: path } }, ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null,
        })
        // The refusal stands whatever happens to its record.
        .catch((error: unknown) => this.logger.error(`access_denied not audited: ${String(error)}`));
    }
    throw new ForbiddenError();
  }
}
