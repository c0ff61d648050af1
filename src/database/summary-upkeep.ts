import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from './unit-of-work';

/** What keeps the group view's summary tables current (docs/groups.md, "Summary tables"). */
export interface SummaryKeeper {
  /** These activities' participation, contributions, status or start changed in this transaction. */
  activitiesChanged(m: EntityManager, activityIds: readonly string[]): Promise<void>;
  /** Everything of these homes is to be counted again (a home's time zone changed: its quarters moved). */
  homesChanged(m: EntityManager, homeIds: readonly string[]): Promise<void>;
}

/**
 * Where the writers of what the summary tables count (participation, an activity's status and start,
 * contributions, a home's zone) report a change, inside their own transaction so the summary commits
 * or rolls back with it. The tables belong to the reports read model, which sits above those writers:
 * it supplies the keeper when the app starts (ReportsModule.onModuleInit) instead of being imported by
 * them, as the activities module supplies residents' facts (docs/architecture.md).
 */
@Injectable()
export class SummaryUpkeep implements SummaryKeeper {
  private keeper: SummaryKeeper | null = null;
  /** Activities changed by the unit of work running on a manager, brought up to date at its end. */
  private readonly pending = new Map<EntityManager, Set<string>>();

  /**
   * The recount runs at the end of the unit of work, after the unit's own writes (its audit entry
   * among them): on PostgreSQL every writer then takes the summary rows' locks after the audit
   * head's, in one order, so two writers never wait for each other's (the crash test found the
   * deadlock when a contribution recounted before its audit entry while a save held the head). An
   * activity changed twice in a unit is recounted once.
   */
  constructor(private readonly unitOfWork: UnitOfWork) {
    unitOfWork.atEndOfUnit({
      settle: async (m) => {
        const ids = this.pending.get(m);
        if (!ids) return;
        this.pending.delete(m);
        await this.required().activitiesChanged(m, [...ids].sort());
      },
      discard: (m) => {
        this.pending.delete(m);
      },
    });
  }

  supply(keeper: SummaryKeeper): void {
    this.keeper = keeper;
  }

  async activitiesChanged(m: EntityManager, activityIds: readonly string[]): Promise<void> {
    // Outside a unit of work (a tool's own transaction), at once.
    if (!this.unitOfWork.isInUnit(m)) return this.required().activitiesChanged(m, activityIds);
    this.required();
    const ids = this.pending.get(m) ?? new Set<string>();
    for (const id of activityIds) ids.add(id);
    this.pending.set(m, ids);
  }

  homesChanged(m: EntityManager, homeIds: readonly string[]): Promise<void> {
    return this.required().homesChanged(m, homeIds);
  }

  private required(): SummaryKeeper {
    // The reports module is part of every app built from AppModule; a missing keeper is a wiring bug.
    if (!this.keeper) throw new Error('SummaryUpkeep: the reports module has not supplied its summary keeper');
    return this.keeper;
  }
}
