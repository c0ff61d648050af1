import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Not, Repository } from 'typeorm';
import { AuditService, diffFields } from '../audit/audit.service';
import { assertHomeAccess } from '../common/access/home-scope';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { UnitOfWork } from '../database/unit-of-work';
import { AddFamilyLinkDto, isRelationship, UpdateFamilyLinkDto } from './dto/family-link.dto';
import { FamilyLink } from './entities/family-link.entity';
import { FamilyAccess, ResidentStatus } from './residents.enums';
import { Resident } from './entities/resident.entity';
import { FamilyMemberFacts, FamilyMembers } from './family-member-facts';

/** A link as other modules read it: who relates to whom, how, and what it lets them do. */
export type FamilyLinkBrief = Pick<FamilyLink, 'familyMemberId' | 'residentId' | 'homeId' | 'relationship' | 'access' | 'active' | 'primaryContact'>;

/** A link as the family member's page lists it. */
export interface FamilyLinkOfMemberView {
  id: string;
  residentId: string;
  residentName: string;
  relationship: string;
  /** The translation key for the relationship, or null for a value written before the fixed list. */
  relationshipKey: string | null;
  primaryContact: boolean;
  access: FamilyAccess;
  active: boolean;
  /** Only from a save that made this link the main contact: who was the resident's main contact before. */
  formerPrimaryContacts?: string[];
}

/** A link as the resident's page lists it. */
export interface FamilyLinkOfResidentView {
  id: string;
  familyMemberId: string;
  familyMemberName: string;
  email: string | null;
  phone: string | null;
  /** The phone number as a tel: address, so a tap on a tablet dials it. */
  phoneHref: string | null;
  relationship: string;
  relationshipKey: string | null;
  primaryContact: boolean;
  access: FamilyAccess;
  active: boolean;
}

export interface ResidentOption {
  id: string;
  name: string;
}

/** Residents a new link may point at: people living in the home now. */
const LINKABLE_STATUSES: ResidentStatus[] = ['active', 'on_leave'];

const LINK_FIELDS = ['familyMemberId', 'residentId', 'relationship', 'primaryContact', 'access', 'active'] as const;
/** Who and whom a link joins never changes; a different pair is a different link. */
const EDITABLE_LINK_FIELDS = ['relationship', 'primaryContact', 'access', 'active'] as const;

type ResidentNameParts = Pick<Resident, 'firstName' | 'lastName' | 'preferredName'>;

/** The name staff and families know a resident by: the preferred first name when there is one. */
export function residentDisplayName(resident: ResidentNameParts): string {
  return `${resident.preferredName?.trim() || resident.firstName} ${resident.lastName}`;
}

/** A phone number as written ("+39 02 555-0100") as a tel: address ("tel:+39025550100"). */
export function telHref(phone: string | null): string | null {
  const digits = phone?.replace(/[^0-9+]/g, '');
  return digits ? `tel:${digits}` : null;
}

function relationshipKey(relationship: string): string | null {
  return isRelationship(relationship) ? `families.relationships.${relationship}` : null;
}

/**
 * The links between family members and residents. They live with residents because they decide who
 * may see a resident. Every method that takes the acting user is scoped to that user's homes, so a
 * record of another home is simply not found.
 */
@Injectable()
export class FamilyLinksService {
  constructor(
    @InjectRepository(FamilyLink) private readonly links: Repository<FamilyLink>,
    @InjectRepository(Resident) private readonly residents: Repository<Resident>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly familyMembers: FamilyMembers,
  ) {}

  async linksForFamilyMember(user: SessionUser, familyMemberId: string): Promise<FamilyLinkOfMemberView[]> {
    const member = await this.findFamilyMember(user, familyMemberId);
    const links = await this.links.findBy({ familyMemberId, homeId: member.homeId });
    const residents = await this.residentsById(member.homeId, links.map((link) => link.residentId));
    return links
      .filter((link) => residents.has(link.residentId))
      .map((link) => toMemberView(link, residents.get(link.residentId)!))
      // Current links first, then by name, so an ended link does not hide the ones that matter.
      .sort((a, b) => Number(b.active) - Number(a.active) || a.residentName.localeCompare(b.residentName, 'it'));
  }

  async linksForResident(user: SessionUser, residentId: string): Promise<FamilyLinkOfResidentView[]> {
    const resident = await this.residents.findOne({ select: { id: true, homeId: true }, where: { id: residentId } });
    if (!resident) throw new NotFoundError();
    assertHomeAccess(user, resident.homeId);
    const links = await this.links.findBy({ residentId, homeId: resident.homeId });
    const members = new Map(
      (await this.familyMembers.briefsByIds(links.map((link) => link.familyMemberId)))
        .filter((member) => member.homeId === resident.homeId && member.archivedAt === null)
        .map((member) => [member.id, member]),
    );
    return links
      .filter((link) => members.has(link.familyMemberId))
      .map((link) => {
        const member = members.get(link.familyMemberId)!;
        return {
          id: link.id, familyMemberId: member.id, familyMemberName: `${member.firstName} ${member.lastName}`, email: member.email, phone: member.phone, phoneHref: telHref(member.phone),
          relationship: link.relationship, relationshipKey: relationshipKey(link.relationship), primaryContact: link.primaryContact,
          access: link.access, active: link.active,
        };
      })
      // The primary contact is who staff ring first: put them on top.
      .sort((a, b) =>
        Number(b.active) - Number(a.active) || Number(b.primaryContact) - Number(a.primaryContact) || a.familyMemberName.localeCompare(b.familyMemberName, 'it'),
      );
  }

  async addLink(user: SessionUser, familyMemberId: string, input: AddFamilyLinkDto): Promise<FamilyLinkOfMemberView> {
    return this.unitOfWork.transaction(async (m) => {
      const member = await this.findFamilyMember(user, familyMemberId);
      if (member.archivedAt) throw new ValidationError({}, { key: 'families.archivedNoChanges' });
      // Only a resident of the family member's own home: any other id, even one that exists, is not found.
      const resident = await m.findOneBy(Resident, { id: input.residentId, homeId: member.homeId });
      if (!resident) throw new NotFoundError();
      if (!LINKABLE_STATUSES.includes(resident.status)) throw new ValidationError({ residentId: { key: 'families.residentNotCurrent' } });
      if (await m.existsBy(FamilyLink, { familyMemberId, residentId: resident.id })) {
        throw new ValidationError({ residentId: { key: 'families.linkExists' } });
      }
      const former = input.primaryContact ? await this.clearPrimaryContact(m, user, resident.id, null) : [];
      const link = m.create(FamilyLink, {
        homeId: member.homeId, familyMemberId, residentId: resident.id, relationship: input.relationship,
        primaryContact: input.primaryContact, access: input.access, active: true,
      });
      await m.insert(FamilyLink, link);
      await this.audit.record(m, {
        action: 'create', userId: user.id, role: user.role, entityType: 'family_link', entityId: link.id, homeId: link.homeId,
        changes: diffFields({}, link, LINK_FIELDS),
      });
      return { ...toMemberView(link, resident), formerPrimaryContacts: former };
    });
  }

  /**
   * Changes a link; unticking "active" is how a link ends. `familyMemberId`, when given, is the
   * member whose page the form was on: a link of anyone else is not found.
   */
  async updateLink(user: SessionUser, linkId: string, input: UpdateFamilyLinkDto, familyMemberId?: string): Promise<FamilyLinkOfMemberView> {
    return this.unitOfWork.transaction(async (m) => {
      const link = await m.findOneBy(FamilyLink, { id: linkId });
      if (!link || !user.homeIds.includes(link.homeId) || (familyMemberId !== undefined && link.familyMemberId !== familyMemberId)) {
        throw new NotFoundError();
      }
      const member = await this.findFamilyMember(user, link.familyMemberId);
      if (member.archivedAt) throw new ValidationError({}, { key: 'families.archivedNoChanges' });
      const resident = await m.findOneByOrFail(Resident, { id: link.residentId });
      const next = {
        relationship: input.linkRelationship,
        access: input.linkAccess,
        active: input.linkActive,
        // An ended link cannot be the one staff ring first.
        primaryContact: input.linkPrimaryContact && input.linkActive,
      };
      const former = next.primaryContact && !link.primaryContact ? await this.clearPrimaryContact(m, user, link.residentId, link.id) : [];
      const changes = diffFields(link, next, EDITABLE_LINK_FIELDS);
      if (Object.keys(changes).length > 0) {
        await m.update(FamilyLink, { id: link.id }, next);
        await this.audit.record(m, {
          action: 'update', userId: user.id, role: user.role, entityType: 'family_link', entityId: link.id, homeId: link.homeId, changes,
        });
      }
      return { ...toMemberView({ ...link, ...next }, resident), formerPrimaryContacts: former };
    });
  }

  /**
   * Residents a family member may see through an active link (used by the family role's access
   * rules). An archived family member has none, whatever their links say.
   */
  async activeLinkedResidentIds(familyMemberId: string): Promise<string[]> {
    const member = await this.familyMembers.byId(familyMemberId);
    if (!member || member.archivedAt) return [];
    const links = await this.links.find({ select: { id: true, residentId: true }, where: { familyMemberId, homeId: member.homeId, active: true } });
    return links.map((link) => link.residentId);
  }

  /** A relative may contribute (offer help, suggest) in a home through an active "contribute" link to one of its residents. */
  async mayContributeIn(familyMemberId: string, homeId: string): Promise<boolean> {
    return this.links.existsBy({ familyMemberId, homeId, access: 'contribute', active: true });
  }

  /** The link between a family member and a resident; an archived member's link counts as inactive. */
  async linkFor(familyMemberId: string, residentId: string): Promise<{ access: FamilyAccess; active: boolean } | null> {
    const link = await this.links.findOneBy({ familyMemberId, residentId });
    if (!link) return null;
    const member = await this.familyMembers.byId(familyMemberId);
    return { access: link.access, active: link.active && !!member && member.archivedAt === null };
  }

  /** The residents the "add a link" form offers: those living in the home now, by name. */
  async residentOptions(user: SessionUser, homeId: string): Promise<ResidentOption[]> {
    assertHomeAccess(user, homeId);
    const residents = await this.residents.find({
      select: { id: true, firstName: true, lastName: true, preferredName: true },
      where: { homeId, status: In(LINKABLE_STATUSES) },
    });
    return residents
      .map((resident) => ({ id: resident.id, name: residentDisplayName(resident) }))
      .sort((a, b) => a.name.localeCompare(b.name, 'it'));
  }

  /** Names of the residents each family member is actively linked to, for the families list. */
  async linkedResidentNames(user: SessionUser, familyMemberIds: string[]): Promise<Map<string, string[]>> {
    const names = new Map<string, string[]>();
    if (familyMemberIds.length === 0 || user.homeIds.length === 0) return names;
    const links = await this.links.findBy({ familyMemberId: In(familyMemberIds), homeId: In(user.homeIds), active: true });
    const residents = new Map(
      (links.length === 0 ? [] : await this.residents.find({
        select: { id: true, homeId: true, firstName: true, lastName: true, preferredName: true },
        where: { id: In([...new Set(links.map((link) => link.residentId))]), homeId: In(user.homeIds) },
      })).map((resident) => [resident.id, resident]),
    );
    for (const link of links) {
      const resident = residents.get(link.residentId);
      if (resident?.homeId !== link.homeId) continue;
      names.set(link.familyMemberId, [...(names.get(link.familyMemberId) ?? []), residentDisplayName(resident)].sort((a, b) => a.localeCompare(b, 'it')));
    }
    return names;
  }

  /** The active links to a resident of this home: who (family member id) and how related, for the participants of a plan review. */
  async activeLinksOfResident(residentId: string, homeId: string): Promise<{ familyMemberId: string; relationship: string; relationshipKey: string | null }[]> {
    const links = await this.links.find({ select: { id: true, familyMemberId: true, relationship: true }, where: { residentId, homeId, active: true } });
    return links.map((link) => ({ familyMemberId: link.familyMemberId, relationship: link.relationship, relationshipKey: relationshipKey(link.relationship) }));
  }

  /** One primary contact per resident: the new one takes the flag from whoever had it, on record. */
  /** A resident has one main contact: whoever was, is no longer (audited). Answers their names, for the notice. */
  private async clearPrimaryContact(m: EntityManager, user: SessionUser, residentId: string, exceptLinkId: string | null): Promise<string[]> {
    const current = await m.findBy(FamilyLink, {
      residentId, primaryContact: true, ...(exceptLinkId ? { id: Not(exceptLinkId) } : {}),
    });
    for (const link of current) {
      await m.update(FamilyLink, { id: link.id }, { primaryContact: false });
      await this.audit.record(m, {
        action: 'update', userId: user.id, role: user.role, entityType: 'family_link', entityId: link.id, homeId: link.homeId,
        changes: { primaryContact: { old: true, new: false } },
      });
    }
    const names: string[] = [];
    for (const link of current) {
      const member = await this.familyMembers.byId(link.familyMemberId);
      if (member) names.push(`${member.firstName} ${member.lastName}`);
    }
    return names;
  }

  private async residentsById(homeId: string, ids: string[]): Promise<Map<string, ResidentNameParts>> {
    if (ids.length === 0) return new Map();
    const residents = await this.residents.find({
      select: { id: true, firstName: true, lastName: true, preferredName: true }, where: { id: In([...new Set(ids)]), homeId },
    });
    return new Map(residents.map((resident) => [resident.id, resident]));
  }

  private async findFamilyMember(user: SessionUser, familyMemberId: string): Promise<FamilyMemberFacts> {
    const member = await this.familyMembers.byId(familyMemberId);
    if (!member || !user.homeIds.includes(member.homeId)) throw new NotFoundError();
    return member;
  }

  // Reads for other modules ------------------------------------------------------------------

  /** Every link of these family members, active or not (one query); inside a transaction, pass its manager. */
  async linksOfMembers(familyMemberIds: string[], manager: EntityManager = this.links.manager): Promise<FamilyLinkBrief[]> {
    if (familyMemberIds.length === 0) return [];
    return manager.find(FamilyLink, {
      select: { id: true, familyMemberId: true, residentId: true, homeId: true, relationship: true, access: true, active: true, primaryContact: true },
      where: { familyMemberId: In([...new Set(familyMemberIds)]) },
    });
  }
}

function toMemberView(link: Pick<FamilyLink, 'id' | 'residentId' | 'relationship' | 'primaryContact' | 'access' | 'active'>, resident: ResidentNameParts): FamilyLinkOfMemberView {
  return {
    id: link.id, residentId: link.residentId, residentName: residentDisplayName(resident), relationship: link.relationship,
    relationshipKey: relationshipKey(link.relationship), primaryContact: link.primaryContact, access: link.access, active: link.active,
  };
}
