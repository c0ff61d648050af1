import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { sqlRow, sqlRun } from '../database/sql';
import { entryHash } from './audit-hash';
import { appendHead, auditHeadsFile, lastWrittenHead, WrittenHead } from './audit-heads';
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
  /**
   * Set when every entry checks but none is keyed: a chain written before AUDIT_KEY, which anyone
   * with the table could have recomputed. Not ok until it is re-keyed (rekeyLegacyChain).
   */
  unkeyed?: true;
  /** Set when the chain checks but the last head written to the heads file is no longer in it. */
  missingHead?: WrittenHead;
}

/** What starting with a key did to the chain. */
export type RekeyOutcome = 'keyed' | 'rekeyed' | 'broken' | 'refused';

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
  private readonly logger = new Logger(AuditService.name);
  private readonly key: string;
  readonly headsFile: string;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'auditKey' | 'database' | 'uploadsDir'>,
  ) {
    this.key = config.auditKey;
    this.headsFile = auditHeadsFile(config);
  }

  /**
   * Appends an entry inside the caller's transaction, so the record and its audit entry are written
   * together or not at all.
   */
  async record(manager: EntityManager, input: AuditInput): Promise<AuditEntry> {
    return this.append(manager, input, false);
  }

  /** `keyNow`: the re-keying entry, the first one HMAC-keyed on a chain that was not. */
  private async append(manager: EntityManager, input: AuditInput, keyNow: boolean): Promise<AuditEntry> {
    // The update comes first: on PostgreSQL it locks the head row until this transaction ends.
    // Plain SQL: every write of the app runs these four statements.
    await sqlRun(manager, 'UPDATE audit_head SET seq = seq + 1 WHERE id = 1');
    const head = await sqlRow<{ seq: number | string; hash: string; keyed: number | string }>(manager, 'SELECT seq, hash, keyed FROM audit_head WHERE id = 1');
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
    // An unkeyed chain (written before AUDIT_KEY, and not yet re-keyed because it did not verify) goes
    // on as it was, so the tampering it shows stays visible rather than being sealed over.
    const hash = entryHash(head.hash, fields, keyNow || Number(head.keyed) === 1 ? this.key : null);
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

  /**
   * Walks the chain in order and names the first entry that does not match. Entries are HMAC-keyed
   * from the first one, or from a `rekey` entry; before that (a chain written before AUDIT_KEY) they
   * are plain SHA-256, which the `rekey` entry's HMAC seals by covering the last of them. Then the
   * stored end of the chain, and the last head written to the heads file, must both still be there.
   */
  async verifyChain(batchSize = 1000): Promise<ChainCheck> {
    const walked = await this.walk(batchSize);
    if (!walked.check.ok) return walked.check;
    if (walked.legacy && walked.check.entries > 0) return { ...walked.check, ok: false, unkeyed: true, firstBroken: walked.first! };
    const missingHead = await this.missingWrittenHead();
    if (missingHead) return { ok: false, entries: walked.check.entries, missingHead };
    return walked.check;
  }

  private async walk(batchSize = 1000): Promise<{ check: ChainCheck; legacy: boolean; first?: NonNullable<ChainCheck['firstBroken']> }> {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let entries = 0;
    // True until the first keyed entry: entries before it may be unkeyed.
    let legacy = true;
    let first: NonNullable<ChainCheck['firstBroken']> | undefined;
    for (;;) {
      const batch = await this.unitOfWork.manager.find(AuditEntry, {
        where: {}, order: { seq: 'ASC' }, skip: entries, take: batchSize,
      });
      for (const entry of batch) {
        const { id, hash, prevHash: storedPrev, ...fields } = entry;
        const changes = fields.changes ?? null;
        // A time that does not parse (a hand-edited row) breaks the chain rather than the check.
        const readable = !Number.isNaN(entry.at.getTime());
        const broken = { ok: false, entries, firstBroken: { seq: entry.seq, id, at: readable ? entry.at : null, action: entry.action } };
        first ??= broken.firstBroken;
        if (entry.seq !== expectedSeq || storedPrev !== prevHash || !readable) return { check: broken, legacy };
        if (entryHash(prevHash, { ...fields, changes }, this.key) === hash) {
          // Keyed entries start at the first entry or at the re-keying, nowhere else.
          if (legacy && entries > 0 && entry.action !== 'rekey') return { check: broken, legacy };
          legacy = false;
        } else if (!legacy || entry.action === 'rekey' || entryHash(prevHash, { ...fields, changes }, null) !== hash) {
          // A rekey entry is keyed by definition: one that is not was recomputed without the key.
          return { check: broken, legacy };
        }
        prevHash = hash;
        expectedSeq += 1;
        entries += 1;
      }
      if (batch.length < batchSize) break;
    }
    const head = await this.unitOfWork.manager.findOneByOrFail(AuditHead, { id: 1 });
    if (head.hash !== prevHash || head.seq !== entries) return { check: { ok: false, entries, firstBroken: { seq: entries + 1, id: 'head', at: null, action: null } }, legacy };
    return { check: { ok: true, entries }, legacy, first };
  }

  /** The last head written to the heads file when the table no longer holds that entry with that hash. */
  private async missingWrittenHead(): Promise<WrittenHead | undefined> {
    const written = lastWrittenHead(this.headsFile);
    if (!written) return undefined;
    const entry = await this.unitOfWork.manager.findOneBy(AuditEntry, { id: written.id });
    return entry && entry.hash === written.hash && entry.seq === written.seq ? undefined : written;
  }

  /**
   * Writes the end of the chain to the heads file and the log, after verifying the chain: a head is
   * only ever written for a chain that checks (writing one over a tampered chain would vouch for it).
   * Returns the check, and the head written when it was ok and the chain has entries; the caller
   * reports a failed check (the daily job logs it as an error, audit:verify exits 1).
   */
  async writeHead(now = new Date()): Promise<{ check: ChainCheck; head: WrittenHead | null }> {
    const check = await this.verifyChain();
    if (!check.ok) return { check, head: null };
    const last = await this.unitOfWork.manager.findOne(AuditEntry, { where: {}, order: { seq: 'DESC' } });
    if (!last) return { check, head: null };
    const head: WrittenHead = { at: now, id: last.id, hash: last.hash, seq: last.seq };
    appendHead(this.headsFile, head);
    return { check, head };
  }

  /**
   * A chain written before AUDIT_KEY: verified as the plain SHA-256 chain it is, then sealed by one
   * `rekey` entry whose HMAC covers the last verified hash; entries from it on are keyed. A chain that
   * does not verify is left as it is (re-keying it would launder the tampering) and said so loudly;
   * so is one whose heads file shows it was keyed before (someone rewrote it without the key).
   */
  async rekeyLegacyChain(): Promise<RekeyOutcome> {
    const state = await sqlRow<{ keyed: number | string }>(this.unitOfWork.manager, 'SELECT keyed FROM audit_head WHERE id = 1');
    if (Number(state?.keyed) === 1) return 'keyed';
    if (lastWrittenHead(this.headsFile)) {
      this.logger.error(
        `AUDIT CHAIN NOT RE-KEYED: it is marked unkeyed, but ${this.headsFile} shows it was keyed and verified before. ` +
          'Someone changed the audit tables without the key; the chain is left as it is for investigation.',
      );
      return 'refused';
    }
    const walked = await this.walk();
    if (!walked.check.ok || !walked.legacy) {
      const check = walked.check.ok ? { ...walked.check, ok: false, firstBroken: walked.first } : walked.check;
      this.logger.error(`AUDIT CHAIN NOT RE-KEYED: the existing chain does not verify, so it is left as it is: ${describeCheck(check)}`);
      return 'broken';
    }
    return this.unitOfWork.transaction(async (manager) => {
      // Takes the head row's lock first, so of two processes starting at once only one re-keys.
      await sqlRun(manager, 'UPDATE audit_head SET keyed = keyed WHERE id = 1');
      const now = await sqlRow<{ keyed: number | string; seq: number | string }>(manager, 'SELECT keyed, seq FROM audit_head WHERE id = 1');
      if (Number(now?.keyed) === 1) return 'keyed' as const;
      const entry = await this.append(manager, {
        action: 'rekey',
        entityType: 'audit_chain',
        changes: { unkeyedEntries: { old: null, new: Number(now?.seq) } },
      }, true);
      await sqlRun(manager, 'UPDATE audit_head SET keyed = 1 WHERE id = 1');
      this.logger.warn(`Audit chain re-keyed: ${walked.check.entries} unkeyed entries verified and sealed by entry ${entry.seq} (id ${entry.id})`);
      return 'rekeyed' as const;
    });
  }
}

/** One line saying what a failed check found, for the log and the command line. */
export function describeCheck(check: ChainCheck): string {
  if (check.ok) return `ok: ${check.entries} entries`;
  if (check.missingHead) {
    const h = check.missingHead;
    return `the head written on ${h.at.toISOString()} (entry ${h.seq}, id ${h.id}) is no longer in the table: entries from ${h.seq} or earlier were removed (the table ends after entry ${check.entries})`;
  }
  const broken = check.firstBroken!;
  if (check.unkeyed) return `none of its ${check.entries} entries is keyed with AUDIT_KEY (first entry ${broken.seq}, id ${broken.id}): it was written before the key, or recomputed without it`;
  // Every entry from the first failing is also what a different AUDIT_KEY from the one it was written with looks like.
  const wrongKey = broken.seq === 1 ? ' (or AUDIT_KEY is not the key the chain was written with)' : '';
  if (broken.id === 'head') return `broken after entry ${check.entries}: the recorded end of the chain does not match its last entry (entries removed from the end?)`;
  return (
    `broken at entry ${broken.seq} (id ${broken.id}, ${broken.at ? broken.at.toISOString() : 'unreadable time'}, action ${broken.action}): ` +
    `it was changed, or an entry before it was removed or inserted, or recomputed without the key${wrongKey}. The ${check.entries} entries before it are intact.`
  );
}
