import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import { entryHash } from '../../audit/audit-hash';
import { refreshTalliesOn } from '../../reports/tally/headline-tally';
import { listenForBench } from './bare-listen';

/**
 * The benchmark's yardstick: a bare node:http server that makes the same writes as the app's
 * participation save, on the same schema with the app's pragmas, in one transaction per request:
 * the idempotency key with its answer (a replay returns the stored answer), one upsert per resident,
 * the group view's summary tables brought up to date by the app's own statements (refreshTalliesOn),
 * and the audit entry chained to the one before (the old values read first, as the app records
 * them). Nothing else: no session, no access or CSRF check, no validation, no framework. Run as a
 * child process: `node baseline-server.js FILE`; it prints the port it listens on.
 */
function main(): void {
  const file = process.argv[2];
  if (!file) throw new Error('Usage: baseline-server FILE');
  // The app's key (AUDIT_KEY), so the entries written here verify as the app's do.
  const auditKey = process.env.AUDIT_KEY;
  if (!auditKey) throw new Error('baseline-server needs AUDIT_KEY');
  const db = new Database(file, { timeout: 10_000 });
  // The same pragmas as the app's writer (src/database/data-source.ts). Temporary files in memory
  // change nothing here (single-row statements, no savepoints: no journals to keep), measured.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('temp_store = MEMORY');
  const homeOf = db.prepare<[string], { homeId: string }>('SELECT "homeId" FROM activity WHERE id = ?');
  const storedAnswer = db.prepare<[string], { responseBody: string }>('SELECT "responseBody" FROM idempotency_key WHERE id = ?');
  const storeAnswer = db.prepare('INSERT INTO idempotency_key (id, "userId", "requestHash", "statusCode", "responseBody", "createdAt") VALUES (?, ?, ?, ?, ?, ?)');
  const logged = db.prepare<[string], Record<string, unknown> & { residentId: string }>(
    'SELECT "residentId", engagement, "moodBefore", "moodAfter", "staffNote", "familyNote" FROM participation WHERE "activityId" = ?',
  );
  const upsert = db.prepare(
    `INSERT INTO participation (id, "createdAt", "updatedAt", "homeId", "activityId", "residentId", engagement, "moodBefore", "moodAfter", "staffNote", "familyNote", "recordedBy", "recordedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT ("activityId", "residentId") DO UPDATE SET engagement = excluded.engagement, "moodBefore" = excluded."moodBefore",
       "moodAfter" = excluded."moodAfter", "staffNote" = excluded."staffNote", "familyNote" = excluded."familyNote", "recordedBy" = excluded."recordedBy",
       "recordedAt" = excluded."recordedAt", "updatedAt" = excluded."updatedAt"`,
  );
  const nextSeq = db.prepare('UPDATE audit_head SET seq = seq + 1 WHERE id = 1');
  const head = db.prepare<[], { seq: number; hash: string; keyed: number }>('SELECT seq, hash, keyed FROM audit_head WHERE id = 1');
  const appendEntry = db.prepare(
    `INSERT INTO audit_entry (id, seq, at, "userId", role, action, "entityType", "entityId", "homeId", changes, ip, "userAgent", "prevHash", hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const setHeadHash = db.prepare('UPDATE audit_head SET hash = ? WHERE id = 1');

  type Entry = { residentId: string; engagement: string; moodBefore?: number; moodAfter?: number; staffNote?: string; familyNote?: string };
  const FIELDS = ['engagement', 'moodBefore', 'moodAfter', 'staffNote', 'familyNote'] as const;
  const sqlTime = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

  const save = db.transaction((key: string, rawBody: string, activityId: string, homeId: string, entries: Entry[]): string => {
    const replay = storedAnswer.get(key);
    if (replay) return replay.responseBody;
    const before = new Map(logged.all(activityId).map((row) => [row.residentId, row]));
    const at = new Date();
    const now = sqlTime(at);
    const changes: Record<string, { old: unknown; new: unknown }> = {};
    for (const e of entries) {
      const row = { engagement: e.engagement, moodBefore: e.moodBefore ?? null, moodAfter: e.moodAfter ?? null, staffNote: e.staffNote ?? null, familyNote: e.familyNote ?? null };
      upsert.run(randomUUID(), now, now, homeId, activityId, e.residentId, row.engagement, row.moodBefore, row.moodAfter, row.staffNote, row.familyNote, null, now);
      const old = before.get(e.residentId);
      for (const field of FIELDS) if ((old?.[field] ?? null) !== row[field]) changes[`${e.residentId}.${field}`] = { old: old?.[field] ?? null, new: row[field] };
    }
    // The group view's summary, as the app keeps it in the same transaction (its own statements).
    refreshTalliesOn(db, [activityId]);
    nextSeq.run();
    const { seq, hash: prevHash, keyed } = head.get()!;
    const fields = {
      seq, at, userId: null, role: null, action: 'update' as const, entityType: 'participation', entityId: activityId, homeId,
      changes: Object.keys(changes).length > 0 ? changes : null, ip: null, userAgent: null,
    };
    const hash = entryHash(prevHash, fields, keyed === 1 ? auditKey : null);
    appendEntry.run(randomUUID(), seq, now, null, null, fields.action, fields.entityType, activityId, homeId, fields.changes && JSON.stringify(fields.changes), null, null, prevHash, hash);
    setHeadHash.run(hash);
    const answer = JSON.stringify({ activityId, saved: entries.length });
    storeAnswer.run(key, 'baseline', createHash('sha256').update(rawBody).digest('hex'), 200, answer, now);
    return answer;
  });
  const route = /^\/api\/activities\/([0-9a-f-]{36})\/participation$/;

  const server = createServer((req, res) => {
    const match = route.exec(req.url ?? '');
    const key = req.headers['idempotency-key'];
    if (req.method !== 'PUT' || !match || typeof key !== 'string') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const body = JSON.parse(rawBody) as { entries: Entry[] };
        const activity = homeOf.get(match[1]);
        if (!activity) {
          res.writeHead(404).end();
          return;
        }
        const answer = save(`baseline:${key}`, rawBody, match[1], activity.homeId, body.entries);
        res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
      } catch (error) {
        res.writeHead(500).end(String(error));
      }
    });
  });
  listenForBench(server);
}

main();
