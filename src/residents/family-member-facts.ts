import { Injectable } from '@nestjs/common';

/** A relative's record as the family links need it. */
export interface FamilyMemberFacts {
  id: string;
  homeId: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  archivedAt: Date | null;
}

export interface FamilyMembersSource {
  briefsByIds(ids: readonly string[]): Promise<FamilyMemberFacts[]>;
}

/**
 * Relatives' records, for the family links residents own. The families module sits above residents
 * (its pages manage links through FamilyLinksService), so it supplies these when the app starts and
 * the residents module reads no family_member row itself.
 */
@Injectable()
export class FamilyMembers implements FamilyMembersSource {
  private source: FamilyMembersSource | null = null;

  supply(source: FamilyMembersSource): void {
    this.source = source;
  }

  briefsByIds(ids: readonly string[]): Promise<FamilyMemberFacts[]> {
    if (ids.length === 0) return Promise.resolve([]);
    // The families module is part of every app built from AppModule; a missing source is a wiring bug.
    if (!this.source) throw new Error('FamilyMembers: the families module has not supplied its records');
    return this.source.briefsByIds(ids);
  }

  async byId(id: string): Promise<FamilyMemberFacts | undefined> {
    return (await this.briefsByIds([id]))[0];
  }
}
