import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import Database from 'better-sqlite3';

/**
 * The benchmark's yardstick: a bare node:http server that saves a participation log the way the
 * app's tables need it (one upsert per resident, in one transaction, with the app's pragmas), and
 * nothing else: no session, no validation, no audit, no idempotency key. Run as a child process:
 * `node baseline-server.js FILE`; it prints the port it listens on.
 */
function main(): void {
  const file = process.argv[2];
  if (!file) throw new Error('Usage: baseline-server FILE');
  const db = new Database(file, { timeout: 10_000 });
  // The same durability as the app (src/database/data-source.ts).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  const homeOf = db.prepare<[string], { homeId: string }>('SELECT homeId FROM activity WHERE id = ?');
  const upsert = db.prepare(
    `INSERT INTO participation (id, createdAt, updatedAt, homeId, activityId, residentId, engagement, moodBefore, moodAfter, staffNote, familyNote, recordedBy, recordedAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (activityId, residentId) DO UPDATE SET engagement = excluded.engagement, moodBefore = excluded.moodBefore,
       moodAfter = excluded.moodAfter, staffNote = excluded.staffNote, familyNote = excluded.familyNote, recordedBy = excluded.recordedBy,
       recordedAt = excluded.recordedAt, updatedAt = excluded.updatedAt`,
  );
  type Entry = { residentId: string; engagement: string; moodBefore?: number; moodAfter?: number; staffNote?: string; familyNote?: string };
  const save = db.transaction((activityId: string, homeId: string, entries: Entry[]) => {
    const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
    for (const e of entries) {
      upsert.run(randomUUID(), now, now, homeId, activityId, e.residentId, e.engagement, e.moodBefore ?? null, e.moodAfter ?? null, e.staffNote ?? null, e.familyNote ?? null, null, now);
    }
  });
  const route = /^\/api\/activities\/([0-9a-f-]{36})\/participation$/;

  const server = createServer((req, res) => {
    const match = route.exec(req.url ?? '');
    if (req.method !== 'PUT' || !match) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { entries: Entry[] };
        const activity = homeOf.get(match[1]);
        if (!activity) {
          res.writeHead(404).end();
          return;
        }
        save(match[1], activity.homeId, body.entries);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ activityId: match[1], saved: body.entries.length }));
      } catch (error) {
        res.writeHead(500).end(String(error));
      }
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

main();
