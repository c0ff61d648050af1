import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { sqlRow, sqlRun } from '../database/sql';
import { entryHash } from './audit-hash';
import { UnitOfWork } from '../database/unit-of-work';
import { AuditEntry, FieldChanges } from './entities/audit-entry.entity';
import { AuditAction } from './audit.enums';
import { AuditHead } from './entities/audit-head.entity';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  action: AuditAction;
  userId?: string | null;
  role?: string | null;
  entityType?: string | null;
  entityId?: string | null;
  homeId?: string | null;
  changes?: FieldChanges | null;
  ip?: string | null;
  userAgent?: string | null;
}

export interface ChainCheck {
  ok: boolean;
  entries: number;
  /**
   * The first entry whose hash or link does not match, when the chain is broken; `id` 'head' (and no
   * time or action) when every entry matches but the stored end of the chain does not.
   */
  firstBroken?: { seq: number; id: string; at: Date | null; action: string | null };
}

/** The fields that differ between two versions of a record, old -> new. */
export function diffFields(before: object, after: object, fields: readonly string[]): FieldChanges {
  const changes: FieldChanges = {};
  const was = before as Record<string, unknown>;
  const now = after as Record<string, unknown>;
  for (const field of fields) {
    const oldValue = was[field] ?? null;
    const newValue = now[field] ?? null;
    if (JSON.stringify(oldValue) !== JSON.stringify(newValue)) changes[field] = { old: oldValue, new: newValue };
  }
  return changes;
}

@Injectable()
export class AuditService {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  /**
   * Appends an entry inside the caller's transaction, so the record and its audit entry are written
   * together or not at all.
   */
  async record(manager: EntityManager, input: AuditInput): Promise<AuditEntry> {
    // The update comes first: on PostgreSQL it locks the head row until this transaction ends.
    // Plain SQL: every write of the app runs these four statements.
    await sqlRun(manager, 'UPDATE audit_head SET seq = seq + 1 WHERE id = 1');
    const head = await sqlRow<{ seq: number | string; hash: string }>(manager, 'SELECT seq, hash FROM audit_head WHERE id = 1');
    if (!head) throw new Error('audit_head has no row: run the migrations');
    const fields = {
      seq: Number(head.seq),
      at: new Date(),
      userId: input.userId ?? null,
      role: input.role ?? null,
      action: input.action,
      entityType: input.entityType ?? null,
      entityId: input.entityId ?? null,
      homeId: input.homeId ?? null,
      changes: input.changes && Object.keys(input.changes).length > 0 ? input.changes : null,
      ip: input.ip?.slice(0, 64) ?? null,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    };
    const hash = entryHash(head.hash, fields);
    const entry: AuditEntry = { id: randomUUID(), ...fields, prevHash: head.hash, hash };
    await sqlRun(
      manager,
      `INSERT INTO audit_entry (id, seq, at, "userId", role, action, "entityType", "entityId", "homeId", changes, ip, "userAgent", "prevHash", hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [entry.id, entry.seq, entry.at, entry.userId, entry.role, entry.action, entry.entityType, entry.entityId, entry.homeId,
        entry.changes === null ? null : JSON.stringify(entry.changes), entry.ip, entry.userAgent, entry.prevHash, entry.hash],
    );
    await sqlRun(manager, 'UPDATE audit_head SET hash = ? WHERE id = 1', [hash]);
    return entry;
  }

  /** Records an entry in a transaction of its own (sign-in, sign-out). */
  recordNow(input: AuditInput): Promise<AuditEntry> {
    return this.unitOfWork.transaction((manager) => this.record(manager, input));
  }

  /** Walks the chain in order and names the first entry that does not match. */
  async verifyChain(batchSize = 1000): Promise<ChainCheck> {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let entries = 0;
    for (;;) {
      const batch = await this.unitOfWork.manager.find(AuditEntry, {
        where: {}, order: { seq: 'ASC' }, skip: entries, take: batchSize,
      });
      for (const entry of batch) {
        const { id, hash, prevHash: storedPrev, ...fields } = entry;
        const changes = fields.changes ?? null;
        // A time that does not parse (a hand-edited row) breaks the chain rather than the check.
        const readable = !Number.isNaN(entry.at.getTime());
        if (entry.seq !== expectedSeq || storedPrev !== prevHash || !readable || entryHash(prevHash, { ...fields, changes }) !== hash) {
          return { ok: false, entries, firstBroken: { seq: entry.seq, id, at: readable ? entry.at : null, action: entry.action } };
        }
        prevHash = hash;
        expectedSeq += 1;
        entries += 1;
      }
      if (batch.length < batchSize) break;
    }
    const head = await this.unitOfWork.manager.findOneByOrFail(AuditHead, { id: 1 });
    if (head.hash !== prevHash || head.seq !== entries) return { ok: false, entries, firstBroken: { seq: entries + 1, id: 'head', at: null, action: null } };
    return { ok: true, entries };
  }
}
