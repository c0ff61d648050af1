import { createHash, createHmac } from 'node:crypto';
import type { AuditEntry } from './entities/audit-entry.entity';

/**
 * The hash that links an audit entry to the one before it: the fields it covers, in a fixed order.
 * With a key (AUDIT_KEY) it is an HMAC-SHA256, which nobody without the key can recompute, so an
 * entry removed or changed in the table cannot be hidden by re-chaining the rest. Without a key it
 * is the plain SHA-256 that chains written before the key existed used (kept only to check them).
 * Framework-free, so the benchmark's bare server (src/cli/bench/baseline-server.ts) writes the chain
 * exactly as the app does.
 */
export function entryHash(prevHash: string, e: Omit<AuditEntry, 'id' | 'hash' | 'prevHash'>, key: string | null): string {
  const canonical = JSON.stringify([
    e.seq, e.at.toISOString(), e.userId, e.role, e.action, e.entityType, e.entityId, e.homeId, e.changes, e.ip, e.userAgent,
  ]);
  const digest = key === null ? createHash('sha256') : createHmac('sha256', key);
  return digest.update(prevHash).update('\n').update(canonical).digest('hex');
}
