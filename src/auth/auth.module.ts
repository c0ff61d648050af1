import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HomesModule } from '../homes/homes.module';
import { AuthApiController } from './api/auth-api.controller';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { InvitationsController } from './invitations.controller';
import { InvitationsService } from './invitations.service';
import { Invitation } from './entities/invitation.entity';
import { LoginAttempt } from './entities/login-attempt.entity';
import { Membership } from './entities/membership.entity';
import { SessionRecord } from './entities/session.entity';
import { User } from './entities/user.entity';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { DatabaseSessionStore } from './session/database-session.store';
import { SessionManager } from './session/session-manager';

@Module({
  imports: [TypeOrmModule.forFeature([User, Membership, SessionRecord, LoginAttempt, Invitation]), HomesModule],
  controllers: [AuthController, AuthApiController, InvitationsController],
  providers: [AuthService, InvitationsService, PasswordHasher, LoginThrottle, DatabaseSessionStore, SessionManager],
  exports: [AuthService, InvitationsService, DatabaseSessionStore],
})
export class AuthModule {}
