import { Injectable } from '@nestjs/common';

/**
 * What residents' pages need to know from activities. Records sit below activities (activities
 * import residents, never the reverse), so the activities module supplies these facts when the app
 * starts (`ResidentActivityFacts.supply`), and the residents module reads no activity table itself.
 */
export interface ActivityFactsSource {
  /** Attended participations per resident in the 7 days before now. */
  attendanceCounts(residentIds: string[]): Promise<Map<string, number>>;
  /** Residents on a planned or held activity that this volunteer is confirmed to help with. */
  residentsAssignedTo(volunteerId: string): Promise<string[]>;
}

@Injectable()
export class ResidentActivityFacts implements ActivityFactsSource {
  private source: ActivityFactsSource | null = null;

  supply(source: ActivityFactsSource): void {
    this.source = source;
  }

  attendanceCounts(residentIds: string[]): Promise<Map<string, number>> {
    return this.required().attendanceCounts(residentIds);
  }

  residentsAssignedTo(volunteerId: string): Promise<string[]> {
    return this.required().residentsAssignedTo(volunteerId);
  }

  private required(): ActivityFactsSource {
    // The activities module is part of every app built from AppModule; a missing source is a wiring bug.
    if (!this.source) throw new Error('ResidentActivityFacts: the activities module has not supplied its facts');
    return this.source;
  }
}
