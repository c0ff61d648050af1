import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { StepRequiredError } from '../../common/errors/domain-errors';
import { ALLOW_WITHOUT_MFA } from './allow-without-mfa.decorator';
import { MfaService } from './mfa.service';

export const MFA_ENROLMENT_PATH = '/account/mfa';
export const MFA_ENROLMENT_REQUIRED = 'mfa_enrolment_required';

/**
 * In production an admin or manager without MFA reaches nothing but the enrolment (and signing out):
 * pages go there, the API answers 403 `mfa_enrolment_required`. A PIN session on an enrolled ward
 * tablet is left alone: it is bound to a tablet a manager enrolled and reaches ward routes only.
 */
@Injectable()
export class MfaEnrolmentGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, private readonly mfa: MfaService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const user = req.user;
    if (!user || !this.mfa.isRequiredFor(user.role) || req.session?.signedInBy === 'pin') return true;
    if (this.reflector.getAllAndOverride<boolean>(ALLOW_WITHOUT_MFA, [context.getHandler(), context.getClass()])) return true;
    if (await this.mfa.isEnabled(user.id)) return true;
    throw new StepRequiredError(MFA_ENROLMENT_REQUIRED, MFA_ENROLMENT_PATH, { key: 'mfa.enrolmentRequired' });
  }
}
