import { createHash } from 'node:crypto';
import type { AuditEntry } from './entities/audit-entry.entity';

/**
 * The hash that links an audit entry to the one before it: the fields it covers, in a fixed order.
 * Framework-free, so the benchmark's bare server (src/cli/bench/baseline-server.ts) writes the chain
 * exactly as the app does.
 */
export function entryHash(prevHash: string, e: Omit<AuditEntry, 'id' | 'hash' | 'prevHash'>): string {
  const canonical = JSON.stringify([
    e.seq, e.at.toISOString(), e.userId, e.role, e.action, e.entityType, e.entityId, e.homeId, e.changes, e.ip, e.userAgent,
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}
