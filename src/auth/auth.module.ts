import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HomesModule } from '../homes/homes.module';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { AuthApiController } from './api/auth-api.controller';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { InvitationsController } from './invitations.controller';
import { InvitationsService } from './invitations.service';
import { Invitation } from './entities/invitation.entity';
import { LoginAttempt } from './entities/login-attempt.entity';
import { LoginThrottleCounter } from './entities/login-throttle-counter.entity';
import { GroupMembership } from './entities/group-membership.entity';
import { Membership } from './entities/membership.entity';
import { SessionRecord } from './entities/session.entity';
import { User } from './entities/user.entity';
import { LoginThrottle } from './login-throttle';
import { ARGON2_OPTIONS, PASSWORD_HASHING, PasswordHasher } from './password-hasher';
import { PasswordResetController } from './password-reset.controller';
import { PasswordResetService } from './password-reset.service';
import { EmailChangeController } from './email-change.controller';
import { EmailChangeService } from './email-change.service';
import { EmailChange } from './entities/email-change.entity';
import { PasswordReset } from './entities/password-reset.entity';
import { DatabaseSessionStore } from './session/database-session.store';
import { SessionManager } from './session/session-manager';
import { SessionMiddleware } from './session/session.middleware';
import { MfaController } from './mfa/mfa.controller';
import { MfaCredential } from './mfa/mfa-credential.entity';
import { MfaEnrolmentGuard } from './mfa/mfa-enrolment.guard';
import { MfaRecoveryCode } from './mfa/mfa-recovery-code.entity';
import { MfaService } from './mfa/mfa.service';

@Module({
  imports: [TypeOrmModule.forFeature([User, Membership, GroupMembership, SessionRecord, LoginAttempt, LoginThrottleCounter, Invitation, PasswordReset, EmailChange, MfaCredential, MfaRecoveryCode]), HomesModule],
  controllers: [AuthController, AuthApiController, InvitationsController, AccountsController, PasswordResetController, EmailChangeController, MfaController],
  providers: [AuthService, InvitationsService, AccountsService, PasswordResetService, EmailChangeService, PasswordHasher, LoginThrottle,
    { provide: PASSWORD_HASHING, useValue: ARGON2_OPTIONS }, DatabaseSessionStore, SessionManager, SessionMiddleware,
    MfaService,
    // Global: in production an admin or manager without MFA is sent to enrol before anything else.
    { provide: APP_GUARD, useClass: MfaEnrolmentGuard },
  ],
  exports: [AuthService, InvitationsService, EmailChangeService, DatabaseSessionStore, SessionManager, SessionMiddleware, PasswordHasher, LoginThrottle],
})
export class AuthModule {}
