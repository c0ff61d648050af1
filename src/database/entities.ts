import { AuditEntry } from '../audit/entities/audit-entry.entity';
import { AuditHead } from '../audit/entities/audit-head.entity';
import { Invitation } from '../auth/entities/invitation.entity';
import { LoginAttempt } from '../auth/entities/login-attempt.entity';
import { Membership } from '../auth/entities/membership.entity';
import { SessionRecord } from '../auth/entities/session.entity';
import { User } from '../auth/entities/user.entity';
import { FamilyLink } from '../residents/entities/family-link.entity';
import { FamilyMember } from '../families/entities/family-member.entity';
import { Home } from '../homes/entities/home.entity';
import { Unit } from '../homes/entities/unit.entity';
import { Resident } from '../residents/entities/resident.entity';
import { StaffMember } from '../staff/entities/staff-member.entity';
import { Volunteer } from '../volunteers/entities/volunteer.entity';

/** Every entity, for the DataSource that the app and the CLI share. Each is owned by one module. */
export const entities = [
  Home, Unit, User, Membership, Invitation, SessionRecord, LoginAttempt, AuditEntry, AuditHead,
  Resident, FamilyMember, FamilyLink, Volunteer, StaffMember,
];
