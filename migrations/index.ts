import { Foundation1795881600000 } from './1795881600000-foundation';
import { Invitations1795881700000 } from './1795881700000-invitations';
import { Activities1795881800000 } from './1795881800000-activities';
import { PlansAndVoice1795881900000 } from './1795881900000-plans-and-voice';
import { PerformanceIndexes1795882000000 } from './1795882000000-performance-indexes';
import { ResidentErasure1795882150000 } from './1795882150000-resident-erasure';
import { ReportIndexes1795882200000 } from './1795882200000-report-indexes';
import { ParticipationTappedAt1795882300000 } from './1795882300000-participation-tapped-at';
import { WardDevices1795882400000 } from './1795882400000-ward-devices';
import { MailOutbox1795882500000 } from './1795882500000-mail-outbox';
import { AccountsByEmail1795882600000 } from './1795882600000-accounts-by-email';
import { NotificationPreferences1795882700000 } from './1795882700000-notification-preferences';
import { PhotosAndNews1795882800000 } from './1795882800000-photos-and-news';
import { Messages1795882900000 } from './1795882900000-messages';
import { LoginThrottle1795883000000 } from './1795883000000-login-throttle';
import { Mfa1795883100000 } from './1795883100000-mfa';
import { AuditKeyAndJobLease1795883400000 } from './1795883400000-audit-key-and-job-lease';
import { CanonicalInstants1795883500000 } from './1795883500000-canonical-instants';
import { HomeCountry1795883600000 } from './1795883600000-home-country';
import { IssuedReports1795883700000 } from './1795883700000-issued-reports';
import { EffectiveDatedHistory1795883800000 } from './1795883800000-effective-dated-history';
import { ActivityTypeDefaults1795883900000 } from './1795883900000-activity-type-defaults';
import { ActivitySeries1795884000000 } from './1795884000000-activity-series';
import { WaitingList1795884100000 } from './1795884100000-waiting-list';
import { CalendarFeeds1795884200000 } from './1795884200000-calendar-feeds';
import { HomeGroups1795884300000 } from './1795884300000-home-groups';
import { GroupTallies1795884500000 } from './1795884500000-group-tallies';
import { RetentionHolds1795884600000 } from './1795884600000-retention-holds';
import { PhotoChecks1795884700000 } from './1795884700000-photo-checks';
import { ParticipationCoveringKey1795884800000 } from './1795884800000-participation-covering-key';
import { ActivityWindowIndex1795884400000 } from './1795884400000-activity-window-index';

/** Every migration in order. Never edit one that has been merged: add a new one. */
export const migrations = [
  Foundation1795881600000, Invitations1795881700000, Activities1795881800000, PlansAndVoice1795881900000, PerformanceIndexes1795882000000, ResidentErasure1795882150000,
  ReportIndexes1795882200000, ParticipationTappedAt1795882300000, WardDevices1795882400000,
  MailOutbox1795882500000, AccountsByEmail1795882600000, NotificationPreferences1795882700000, PhotosAndNews1795882800000, Messages1795882900000,
  LoginThrottle1795883000000,
  Mfa1795883100000,
  AuditKeyAndJobLease1795883400000,
  CanonicalInstants1795883500000,
  HomeCountry1795883600000,
  IssuedReports1795883700000,
  EffectiveDatedHistory1795883800000,
  ActivityTypeDefaults1795883900000,
  ActivitySeries1795884000000,
  WaitingList1795884100000,
  CalendarFeeds1795884200000,
  HomeGroups1795884300000,
  ActivityWindowIndex1795884400000,
  GroupTallies1795884500000,
  RetentionHolds1795884600000,
  PhotoChecks1795884700000,
  ParticipationCoveringKey1795884800000,
];
