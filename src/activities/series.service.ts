import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, MoreThan, Raw, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { SessionUser } from '../common/access/session-user';
import { ValidationError } from '../common/errors/domain-errors';
import { translate } from '../common/i18n/i18n';
import { addDays, todayIn, utcToLocal } from '../common/time/zoned';
import { lockRow } from '../database/row-lock';
import { UnitOfWork } from '../database/unit-of-work';
import { ResidentsService } from '../residents/residents.service';
import { Activity } from './entities/activity.entity';
import { ActivitySeries } from './entities/activity-series.entity';
import { Participation } from './entities/participation.entity';
import { RosterEntry } from './entities/roster-entry.entity';
import { WaitlistEntry } from './entities/waitlist-entry.entity';
import { allDates, describeRule, endingBefore, occurrencesBetween, RuleChoice, ruleErrors, ruleText } from './series/series-rule';

/** Occurrences exist as activities this far ahead of today (12 weeks). */
export const MATERIALISE_DAYS = 84;

/** What the occurrences of a series share (an activity's own fields, less its date, status and roster). */
export type SeriesTemplate = Pick<
  Activity, 'activityTypeId' | 'title' | 'durationMinutes' | 'location' | 'unitId' | 'capacity' | 'phases' | 'leadStaffId' | 'description' | 'visibleToFamilies'
>;

export type EditScope = 'this' | 'following' | 'series';

const TEMPLATE_FIELDS = ['activityTypeId', 'title', 'durationMinutes', 'location', 'unitId', 'capacity', 'phases', 'leadStaffId', 'description', 'visibleToFamilies'] as const;

const later = (a: string, b: string) => (a > b ? a : b);

/**
 * Recurring series (docs/planning.md, "Series"): the rule and template in `activity_series`, the
 * occurrences as plain `activity` rows linked by `seriesId`, materialised 12 weeks ahead (at creation,
 * after an edit, and daily by `SeriesJob`). An occurrence that is past, held, cancelled or has
 * participation logged is never rewritten: edits of a series touch future planned occurrences only.
 */
@Injectable()
export class SeriesService {
  constructor(
    @InjectRepository(ActivitySeries) private readonly series: Repository<ActivitySeries>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly residents: ResidentsService,
  ) {}

  /** A new series from its first date and time, materialised up to 12 weeks ahead (at least its first occurrence), each occurrence inviting `invited`. */
  async create(
    m: EntityManager, user: SessionUser, homeId: string, zone: string, template: SeriesTemplate, choice: RuleChoice, startDate: string, startTime: string,
    invited: string[] = [], now = new Date(),
  ): Promise<Activity[]> {
    const errors = ruleErrors(choice, startDate);
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const rule = ruleText(choice);
    const dates = allDates(rule, startDate, startTime);
    const series = m.create(ActivitySeries, {
      id: randomUUID(), homeId, rule, startDate, startTime, timezone: zone, endsOn: dates[dates.length - 1], materialisedUntil: addDays(startDate, -1),
      ...template, rosterResidentIds: invited, skippedDates: [], movedOccurrences: [],
    });
    // A copy: on PostgreSQL the insert writes the returned defaults back, simple-json columns as raw text.
    await m.insert(ActivitySeries, { ...series });
    const created = await this.materialise(m, series, now, dates[0]);
    await this.audit.record(m, {
      action: 'create', userId: user.id, role: user.role, entityType: 'activity_series', entityId: series.id, homeId,
      changes: { rule: { old: null, new: rule }, startDate: { old: null, new: startDate }, startTime: { old: null, new: startTime } },
    });
    return created;
  }

  /**
   * Creates the occurrences after `materialisedUntil` up to 12 weeks from today (or `atLeast`), with
   * the series' roster. Idempotent: the watermark moves on, and a date that has an occurrence already
   * (by the rule's date, moved or not) is never created twice. The caller holds the series' lock.
   */
  async materialise(m: EntityManager, series: ActivitySeries, now = new Date(), atLeast?: string): Promise<Activity[]> {
    const horizon = later(addDays(todayIn(series.timezone, now), MATERIALISE_DAYS), atLeast ?? '');
    const from = addDays(series.materialisedUntil, 1);
    if (from > horizon) return [];
    const skipped = new Set(series.skippedDates);
    const existing = await m.findBy(Activity, { seriesId: series.id });
    const covered = new Set(existing.map((a) => this.originalDate(series, a)));
    const dates = occurrencesBetween(series.rule, series.startDate, series.startTime, series.timezone, from, horizon).filter((o) => !skipped.has(o.date) && !covered.has(o.date));
    const created = dates.map((o) => m.create(Activity, {
      id: randomUUID(), homeId: series.homeId, ...templateOf(series), startsAt: o.startsAt, seriesId: series.id, status: 'planned' as const, completedAt: null, cancelReason: null,
    }));
    // Copies: a several-row insert writes what the driver returns back into the objects (SQLite: the last row's id into each).
    if (created.length > 0) await m.insert(Activity, created.map((a) => ({ ...a })));
    const roster = await this.rosterToCopy(m, series, series.rosterResidentIds);
    // Those the places leave out wait, in the series' order, as on an occurrence invited in bulk.
    const waiting = (await this.rosterToCopy(m, { ...series, capacity: null }, series.rosterResidentIds)).filter((id) => !roster.includes(id));
    for (const activity of created) {
      await this.setRoster(m, activity, roster);
      if (waiting.length > 0) {
        await m.insert(WaitlistEntry, waiting.map((residentId, i) => ({ id: randomUUID(), homeId: activity.homeId, activityId: activity.id, residentId, position: i + 1 })));
      }
    }
    await m.update(ActivitySeries, { id: series.id }, { materialisedUntil: horizon });
    series.materialisedUntil = horizon;
    return created;
  }

  /**
   * A roster change made on an occurrence "and the following" reaches the dates not created yet: the
   * residents the series invites gain `add` and lose `remove` (ActivitiesService.invite, removeFromRoster).
   */
  async carryRoster(m: EntityManager, seriesId: string, add: readonly string[], remove: readonly string[]): Promise<void> {
    const series = await m.findOneBy(ActivitySeries, { id: seriesId });
    if (!series) return;
    const kept = series.rosterResidentIds.filter((id) => !remove.includes(id));
    const next = [...kept, ...add.filter((id) => !kept.includes(id))];
    if (next.length === series.rosterResidentIds.length && next.every((id, i) => id === series.rosterResidentIds[i])) return;
    await m.update(ActivitySeries, { id: seriesId }, { rosterResidentIds: next });
  }

  /** The scheduled job's work: every series not yet materialised 12 weeks ahead is extended, each in its own transaction. */
  async extendAll(now = new Date()): Promise<number> {
    // A day more than the horizon in any zone: the per-series horizon is computed in its own zone.
    const cutoff = addDays(todayIn('UTC', now), MATERIALISE_DAYS + 1);
    // Not yet 12 weeks ahead, and not yet at the rule's last date (a series that ended is never read again).
    const due = await this.series.find({
      select: { id: true }, where: { materialisedUntil: Raw((column) => `${column} < :cutoff AND ${column} < "endsOn"`, { cutoff }) },
    });
    let created = 0;
    for (const { id } of due) {
      created += await this.unitOfWork.transaction(async (m) => {
        await lockRow(m, 'activity_series', id);
        const series = await m.findOneByOrFail(ActivitySeries, { id });
        return (await this.materialise(m, series, now)).length;
      });
    }
    return created;
  }

  /**
   * Edits "this and the following" or "the whole series" from one occurrence: the template (and the
   * rule, when the form gives one) change, future planned occurrences follow, and the occurrence's
   * roster is copied to each of them. "This and the following" splits the series at the occurrence's
   * date into two series, each with its own rule. Answers how many occurrences changed.
   */
  async edit(
    m: EntityManager, user: SessionUser, occurrence: Activity, template: SeriesTemplate, edit: { scope: Exclude<EditScope, 'this'>; choice?: RuleChoice; date: string; time: string },
    now = new Date(),
  ): Promise<number> {
    await lockRow(m, 'activity_series', occurrence.seriesId!);
    const old = await m.findOneByOrFail(ActivitySeries, { id: occurrence.seriesId! });
    const previousRule = old.rule;
    const roster = (await m.findBy(RosterEntry, { activityId: occurrence.id })).map((e) => e.residentId);
    const at = this.originalDate(old, occurrence);
    const before = occurrencesBetween(old.rule, old.startDate, old.startTime, old.timezone, old.startDate, addDays(at, -1));
    let series = old;
    if (edit.scope === 'following' && before.length > 0) {
      series = await this.split(m, old, at, before[before.length - 1].date, edit, now);
    } else {
      const startDate = edit.scope === 'following' ? edit.date : old.startDate;
      const rule = edit.choice ? this.checkedRule(edit.choice, startDate) : old.rule;
      const changes: Partial<ActivitySeries> = { rule, startDate, startTime: edit.time, endsOn: allDates(rule, startDate, edit.time).pop() ?? startDate };
      await m.update(ActivitySeries, { id: old.id }, changes);
      Object.assign(old, changes);
    }
    Object.assign(series, template, { rosterResidentIds: roster });
    await m.update(ActivitySeries, { id: series.id }, { ...template, rosterResidentIds: roster });
    const changed = await this.reconcile(m, user, series, roster, now);
    await this.audit.record(m, {
      action: 'update', userId: user.id, role: user.role, entityType: 'activity_series', entityId: series.id, homeId: series.homeId,
      changes: { scope: { old: null, new: edit.scope }, from: { old: null, new: at }, rule: { old: previousRule, new: series.rule } },
    });
    return changed;
  }

  /** Records that an occurrence moved off its rule's date, so the series never makes that date again. */
  async recordMove(m: EntityManager, activity: Activity): Promise<void> {
    if (!activity.seriesId) return;
    await lockRow(m, 'activity_series', activity.seriesId);
    const series = await m.findOneByOrFail(ActivitySeries, { id: activity.seriesId });
    if (series.movedOccurrences.some((x) => x.activityId === activity.id)) return;
    const from = utcToLocal(activity.startsAt, series.timezone).date;
    await m.update(ActivitySeries, { id: series.id }, { movedOccurrences: [...series.movedOccurrences, { from, activityId: activity.id }] });
  }

  /** Leaves an occurrence's date out of its series (EXDATE); the occurrence is cancelled, with its reason. */
  async skip(m: EntityManager, user: SessionUser, activity: Activity): Promise<void> {
    await lockRow(m, 'activity_series', activity.seriesId!);
    const series = await m.findOneByOrFail(ActivitySeries, { id: activity.seriesId! });
    const date = this.originalDate(series, activity);
    if (!series.skippedDates.includes(date)) await m.update(ActivitySeries, { id: series.id }, { skippedDates: [...series.skippedDates, date].sort() });
    await this.cancelOccurrence(m, user, activity);
    await this.audit.record(m, {
      action: 'update', userId: user.id, role: user.role, entityType: 'activity_series', entityId: series.id, homeId: series.homeId, changes: { skippedDates: { old: null, new: date } },
    });
  }

  /** Whether an occurrence may be rewritten by its series: planned, in the future, nothing logged. */
  async isUntouched(m: EntityManager, activity: Activity, now = new Date()): Promise<boolean> {
    return activity.status === 'planned' && activity.startsAt > now && !(await m.existsBy(Participation, { activityId: activity.id }));
  }

  /** The series' rule in words and its next occurrences, for the activity page; null when not in a series. */
  async overview(seriesId: string, locale: string, now = new Date()): Promise<{ rule: string; next: { id: string; date: string; time: string; isCancelled: boolean }[] } | null> {
    const series = await this.series.findOneBy({ id: seriesId });
    if (!series) return null;
    const next = await this.series.manager.find(Activity, {
      select: { id: true, startsAt: true, status: true }, where: { seriesId, startsAt: MoreThan(now) }, order: { startsAt: 'ASC' }, take: 6,
    });
    return {
      rule: describeRule(series.rule, locale),
      next: next.map((a) => ({ id: a.id, ...utcToLocal(a.startsAt, series.timezone), isCancelled: a.status === 'cancelled' })),
    };
  }

  /** The rule of a series as the edit form shows it: its start and rule text (the form reads the choice back). */
  async ruleOf(seriesId: string): Promise<{ rule: string; startDate: string; endsOn: string } | null> {
    const series = await this.series.findOneBy({ id: seriesId });
    return series ? { rule: series.rule, startDate: series.startDate, endsOn: series.endsOn } : null;
  }

  // Helpers ----------------------------------------------------------------------------------

  private checkedRule(choice: RuleChoice, startDate: string): string {
    const errors = ruleErrors(choice, startDate);
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    return ruleText(choice);
  }

  /** Ends `old` before `at` and makes the series that goes on from there, with the occurrences it takes over. */
  private async split(
    m: EntityManager, old: ActivitySeries, at: string, lastBefore: string, edit: { choice?: RuleChoice; date: string; time: string }, now: Date,
  ): Promise<ActivitySeries> {
    let rule: string;
    if (edit.choice) {
      rule = this.checkedRule(edit.choice, edit.date);
    } else {
      // The same rule goes on: a count is what remained of it, an end date stays.
      const remaining = allDates(old.rule, old.startDate, old.startTime).filter((d) => d >= at).length;
      rule = /COUNT=\d+/.test(old.rule) ? old.rule.replace(/COUNT=\d+/, `COUNT=${Math.max(1, remaining)}`) : old.rule;
    }
    const next = m.create(ActivitySeries, {
      ...old, id: randomUUID(), createdAt: undefined, updatedAt: undefined, rule, startDate: edit.date, startTime: edit.time,
      endsOn: allDates(rule, edit.date, edit.time).pop() ?? edit.date,
      skippedDates: old.skippedDates.filter((d) => d >= at), movedOccurrences: old.movedOccurrences.filter((x) => x.from >= at),
    });
    await m.insert(ActivitySeries, { ...next });
    const oldChanges = {
      rule: endingBefore(old.rule, at), endsOn: lastBefore, skippedDates: old.skippedDates.filter((d) => d < at),
      movedOccurrences: old.movedOccurrences.filter((x) => x.from < at),
    };
    await m.update(ActivitySeries, { id: old.id }, oldChanges);
    // The occurrences from the split on that may still change go with the new series; the others stay where they were.
    const takeOver: string[] = [];
    for (const activity of await m.findBy(Activity, { seriesId: old.id })) {
      if (this.originalDate(old, activity) >= at && (await this.isUntouched(m, activity, now))) takeOver.push(activity.id);
    }
    if (takeOver.length > 0) await m.update(Activity, { id: In(takeOver) }, { seriesId: next.id });
    Object.assign(old, oldChanges);
    return next;
  }

  /**
   * Brings the future planned occurrences of a series in line with its rule and template, up to
   * 12 weeks ahead: each keeps its place if the rule still has its date (a moved one keeps its new
   * time), is cancelled if not, and dates without one get one. Each gets `roster`.
   */
  private async reconcile(m: EntityManager, user: SessionUser, series: ActivitySeries, roster: string[], now: Date): Promise<number> {
    const horizon = later(addDays(todayIn(series.timezone, now), MATERIALISE_DAYS), series.materialisedUntil);
    const skipped = new Set(series.skippedDates);
    const wanted = new Map(
      occurrencesBetween(series.rule, series.startDate, series.startTime, series.timezone, series.startDate, horizon)
        .filter((o) => o.startsAt > now && !skipped.has(o.date)).map((o) => [o.date, o]),
    );
    const occurrences = await m.findBy(Activity, { seriesId: series.id });
    const logged = new Set(
      occurrences.length === 0 ? [] : (await m.find(Participation, { select: { activityId: true }, where: { activityId: In(occurrences.map((a) => a.id)) } })).map((p) => p.activityId),
    );
    const residents = await this.rosterToCopy(m, series, roster);
    const covered = new Set<string>();
    let changed = 0;
    for (const activity of occurrences) {
      const date = this.originalDate(series, activity);
      if (activity.status !== 'planned' || activity.startsAt <= now || logged.has(activity.id)) {
        covered.add(date);
        continue;
      }
      const target = wanted.get(date);
      if (!target) {
        await this.cancelOccurrence(m, user, activity);
        changed += 1;
        continue;
      }
      covered.add(date);
      const moved = series.movedOccurrences.some((x) => x.activityId === activity.id);
      await m.update(Activity, { id: activity.id }, { ...templateOf(series), startsAt: moved ? activity.startsAt : target.startsAt });
      await this.setRoster(m, activity, residents);
      changed += 1;
    }
    const created = [...wanted.values()].filter((o) => !covered.has(o.date)).map((o) => m.create(Activity, {
      id: randomUUID(), homeId: series.homeId, ...templateOf(series), startsAt: o.startsAt, seriesId: series.id, status: 'planned' as const, completedAt: null, cancelReason: null,
    }));
    if (created.length > 0) await m.insert(Activity, created.map((a) => ({ ...a })));
    for (const activity of created) await this.setRoster(m, activity, residents);
    await m.update(ActivitySeries, { id: series.id }, { materialisedUntil: horizon });
    series.materialisedUntil = horizon;
    return changed + created.length;
  }

  /** The rule's date an occurrence stands for: where it was moved from, or its own local date. */
  private originalDate(series: ActivitySeries, activity: Activity): string {
    return series.movedOccurrences.find((x) => x.activityId === activity.id)?.from ?? utcToLocal(activity.startsAt, series.timezone).date;
  }

  /** Of the residents to invite, those still living in the home, as many as the series has places for. */
  private async rosterToCopy(m: EntityManager, series: ActivitySeries, residentIds: string[]): Promise<string[]> {
    if (residentIds.length === 0) return [];
    const current = new Set(
      (await this.residents.briefsByIds(residentIds, m)).filter((r) => r.homeId === series.homeId && (r.status === 'active' || r.status === 'on_leave')).map((r) => r.id),
    );
    const kept = residentIds.filter((id) => current.has(id));
    return series.capacity === null ? kept : kept.slice(0, series.capacity);
  }

  /** Makes an occurrence's roster exactly these residents. */
  private async setRoster(m: EntityManager, activity: Pick<Activity, 'id' | 'homeId'>, residentIds: string[]): Promise<void> {
    const present = (await m.findBy(RosterEntry, { activityId: activity.id })).map((e) => e.residentId);
    const gone = present.filter((id) => !residentIds.includes(id));
    const added = residentIds.filter((id) => !present.includes(id));
    if (gone.length > 0) await m.delete(RosterEntry, { activityId: activity.id, residentId: In(gone) });
    if (added.length > 0) await m.insert(RosterEntry, added.map((residentId) => ({ id: randomUUID(), homeId: activity.homeId, activityId: activity.id, residentId })));
  }

  /** A planned occurrence the series no longer has: cancelled (its offers and notes stay readable), never deleted. */
  private async cancelOccurrence(m: EntityManager, user: SessionUser, activity: Activity): Promise<void> {
    await m.update(Activity, { id: activity.id }, { status: 'cancelled', cancelReason: translate(user.locale, 'series.skipReason') });
    await this.audit.record(m, {
      action: 'archive', userId: user.id, role: user.role, entityType: 'activity', entityId: activity.id, homeId: activity.homeId,
      changes: { status: { old: activity.status, new: 'cancelled' } },
    });
  }
}

function templateOf(series: ActivitySeries): SeriesTemplate {
  return Object.fromEntries(TEMPLATE_FIELDS.map((field) => [field, series[field]])) as SeriesTemplate;
}
