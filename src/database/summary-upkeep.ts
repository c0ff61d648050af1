import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

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

  supply(keeper: SummaryKeeper): void {
    this.keeper = keeper;
  }

  activitiesChanged(m: EntityManager, activityIds: readonly string[]): Promise<void> {
    return this.required().activitiesChanged(m, activityIds);
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
