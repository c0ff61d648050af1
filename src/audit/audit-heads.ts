import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AppConfig } from '../config/app-config';

/** One line of the heads file: the end of the audit chain as it was at `at`. */
export interface WrittenHead {
  at: Date;
  id: string;
  hash: string;
  seq: number;
}

/**
 * Where the chain's heads are written: beside the SQLite file, or, for PostgreSQL, in the app's data
 * folder (the one UPLOADS_DIR sits in), one file per database. Outside the table, so an entry deleted
 * from the end of the chain (which leaves a chain that checks) is still missed.
 */
export function auditHeadsFile(config: Pick<AppConfig, 'database' | 'uploadsDir'>): string {
  if (config.database.kind === 'sqlite') return `${config.database.path}.audit-heads`;
  const url = new URL(config.database.url);
  const name = `${url.hostname}_${url.port || '5432'}_${url.pathname.replace(/^\//, '')}`.replace(/[^A-Za-z0-9_.-]/g, '_');
  return join(dirname(config.uploadsDir), `audit-heads-${name}.log`);
}

/** Appends one line: ISO time, entry id, hash, seq (tab-separated). Append-only; never rewritten. */
export function appendHead(file: string, head: WrittenHead): void {
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${head.at.toISOString()}\t${head.id}\t${head.hash}\t${head.seq}\n`, { mode: 0o600 });
}

/** The last head written, or null when none was (no file, or no well-formed line). */
export function lastWrittenHead(file: string): WrittenHead | null {
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '');
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const [at, id, hash, seq] = lines[i].split('\t');
    const when = new Date(at);
    if (id && /^[0-9a-f]{64}$/.test(hash ?? '') && /^\d+$/.test(seq ?? '') && !Number.isNaN(when.getTime())) {
      return { at: when, id, hash, seq: Number(seq) };
    }
  }
  return null;
}
