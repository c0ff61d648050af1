import { Foundation1795881600000 } from './1795881600000-foundation';
import { Invitations1795881700000 } from './1795881700000-invitations';
import { Activities1795881800000 } from './1795881800000-activities';
import { PlansAndVoice1795881900000 } from './1795881900000-plans-and-voice';
import { PerformanceIndexes1795882000000 } from './1795882000000-performance-indexes';
import { ResidentErasure1795882150000 } from './1795882150000-resident-erasure';
import { ReportIndexes1795882200000 } from './1795882200000-report-indexes';

/** Every migration in order. Never edit one that has been merged: add a new one. */
export const migrations = [Foundation1795881600000, Invitations1795881700000, Activities1795881800000, PlansAndVoice1795881900000, PerformanceIndexes1795882000000, ResidentErasure1795882150000, ReportIndexes1795882200000];
