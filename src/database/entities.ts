import { Activity } from '../activities/entities/activity.entity';
import { ActivitySeries } from '../activities/entities/activity-series.entity';
import { ActivityType } from '../activities/entities/activity-type.entity';
import { HelpOffer } from '../activities/entities/help-offer.entity';
import { Participation } from '../activities/entities/participation.entity';
import { RosterEntry } from '../activities/entities/roster-entry.entity';
import { WaitlistEntry } from '../activities/entities/waitlist-entry.entity';
import { AuditEntry } from '../audit/entities/audit-entry.entity';
import { AuditHead } from '../audit/entities/audit-head.entity';
import { EmailChange } from '../auth/entities/email-change.entity';
import { Invitation } from '../auth/entities/invitation.entity';
import { PasswordReset } from '../auth/entities/password-reset.entity';
import { LoginAttempt } from '../auth/entities/login-attempt.entity';
import { LoginThrottleCounter } from '../auth/entities/login-throttle-counter.entity';
import { Membership } from '../auth/entities/membership.entity';
import { SessionRecord } from '../auth/entities/session.entity';
import { User } from '../auth/entities/user.entity';
import { MfaCredential } from '../auth/mfa/mfa-credential.entity';
import { MfaRecoveryCode } from '../auth/mfa/mfa-recovery-code.entity';
import { IdempotencyKey } from '../common/idempotency/idempotency-key.entity';
import { Contribution } from '../contributions/entities/contribution.entity';
import { MailMessage } from '../mail/entities/mail-message.entity';
import { Message } from '../messages/entities/message.entity';
import { MessageRead } from '../messages/entities/message-read.entity';
import { MessageThread } from '../messages/entities/message-thread.entity';
import { DigestRun } from '../notifications/entities/digest-run.entity';
import { NotificationPreference } from '../notifications/entities/notification-preference.entity';
import { Notification } from '../notifications/entities/notification.entity';
import { NewsPost } from '../photos/entities/news-post.entity';
import { Photo } from '../photos/entities/photo.entity';
import { PhotoSetting } from '../photos/entities/photo-setting.entity';
import { PhotoTag } from '../photos/entities/photo-tag.entity';
import { ActivityPlan } from '../plans/entities/activity-plan.entity';
import { GoalAttainment } from '../plans/entities/goal-attainment.entity';
import { PlanGoal } from '../plans/entities/plan-goal.entity';
import { PlanReview } from '../plans/entities/plan-review.entity';
import { Feedback } from '../voice/entities/feedback.entity';
import { Suggestion } from '../voice/entities/suggestion.entity';
import { WellbeingCheckIn } from '../voice/entities/wellbeing-check-in.entity';
import { FamilyLink } from '../residents/entities/family-link.entity';
import { FamilyMember } from '../families/entities/family-member.entity';
import { Home } from '../homes/entities/home.entity';
import { Unit } from '../homes/entities/unit.entity';
import { Resident } from '../residents/entities/resident.entity';
import { StaffMember } from '../staff/entities/staff-member.entity';
import { Volunteer } from '../volunteers/entities/volunteer.entity';
import { StaffPin } from '../ward-devices/entities/staff-pin.entity';
import { WardDevice } from '../ward-devices/entities/ward-device.entity';
import { JobLease } from '../jobs/entities/job-lease.entity';
import { ActivityTally } from '../reports/entities/activity-tally.entity';
import { HomeDayTally } from '../reports/entities/home-day-tally.entity';
import { IssuedReport } from '../reports/entities/issued-report.entity';
import { ResidentReach } from '../reports/entities/resident-reach.entity';
import { ActivityPlanHistory } from '../plans/entities/activity-plan-history.entity';
import { VolunteerHistory } from '../volunteers/entities/volunteer-history.entity';
import { SuggestionHistory } from '../voice/entities/suggestion-history.entity';
import { CalendarFeed } from '../calendar-feeds/entities/calendar-feed.entity';
import { RetentionHold } from '../data-protection/entities/retention-hold.entity';
import { HomeGroup } from '../homes/entities/home-group.entity';
import { GroupMembership } from '../auth/entities/group-membership.entity';

/** Every entity, for the DataSource that the app and the CLI share. Each is owned by one module. */
export const entities = [
  Home, Unit, User, Membership, Invitation, PasswordReset, EmailChange, SessionRecord, LoginAttempt, AuditEntry, AuditHead,
  Resident, FamilyMember, FamilyLink, Volunteer, StaffMember,
  ActivityType, Activity, ActivitySeries, RosterEntry, WaitlistEntry, Participation, HelpOffer, Contribution, IdempotencyKey,
  ActivityPlan, PlanGoal, PlanReview, GoalAttainment, Suggestion, Feedback, WellbeingCheckIn, Notification,
  WardDevice, StaffPin, MailMessage, MessageThread, Message, MessageRead,
  NotificationPreference, DigestRun,
  Photo, PhotoTag, NewsPost, PhotoSetting,
  LoginThrottleCounter,
  MfaCredential, MfaRecoveryCode,
  JobLease,
  IssuedReport,
  ActivityTally,
  HomeDayTally,
  ResidentReach,
  ActivityPlanHistory, VolunteerHistory, SuggestionHistory,
  CalendarFeed,
  HomeGroup, GroupMembership,
  RetentionHold,
];
