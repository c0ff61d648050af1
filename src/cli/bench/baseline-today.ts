import 'reflect-metadata';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { dayListQuery, daySummaries, SummaryRow, todayView } from '../../activities/day-list';
import { SESSION_USER_SQL, SessionUserRow, sessionUserOf } from '../../auth/session/session-user-query';
import { ABSOLUTE_TIMEOUT_MS, SESSION_SQL } from '../../auth/session/database-session.store';
import { sessionIdFromCookie } from '../../auth/session/session-cookie';
import type { SessionData } from '../../auth/session/session-data';
import { localeFromAcceptLanguage } from '../../common/i18n/i18n';
import { localeFromCookie } from '../../common/i18n/locale-cookie';
import { VIEWS_DIR } from '../../common/paths';
import { localDayRange, todayIn } from '../../common/time/zoned';
import type { NavItem } from '../../common/views/navigation';
import { registerViews, renderView } from '../../common/views/view-engine';
import { asDate, asNumber, sqliteParameters } from '../../database/sql';
import { PlaceRow, placesOf, placesSql } from '../../homes/places';
import { UNREAD_SQL } from '../../notifications/notifications.service';
import { listenForBench } from './bare-listen';
import { pageLocals } from '../../request-context/page-locals';

/**
 * The yardstick of the benchmark's part (b): a bare node:http + better-sqlite3 + Handlebars server
 * answering a signed-in carer's `GET /today?date=…&unitId=…` with the same work as the app, to the
 * same bytes (test/bench-baseline.e2e-spec.ts compares them): the session row by its signed cookie,
 * the user with their homes, the unread count, the homes and units, the day's activities (the app's
 * own statements, imported), the view model and the layout's locals from the app's own functions,
 * rendered with the app's compiled templates and helpers. Nothing else: no framework, no guards, no
 * validation, no session write. What the bench does not ask for is refused with 501 rather than
 * done differently: an admin (whose homes are every home), no unitId (the carer's own unit), a menu
 * with a message count (managers, coordinators). On the database file the app uses, read-only as the
 * app's reader connection is. Run as a child process: `node baseline-today.js FILE` with
 * SESSION_SECRET set; it prints the port it listens on.
 */
function main(): void {
  const file = process.argv[2];
  const secret = process.env.SESSION_SECRET;
  if (!file || !secret) throw new Error('Usage: SESSION_SECRET=… baseline-today FILE');
  // As the app's reader (src/database/data-source.ts).
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 10_000 });
  const sessionRow = db.prepare<[string], { data: string; expiresAt: string }>(SESSION_SQL);
  const userRows = db.prepare<[string], SessionUserRow>(SESSION_USER_SQL);
  const unread = db.prepare<[string], { n: number }>(UNREAD_SQL);
  const statements = new Map<string, Database.Statement>();
  const rows = <T>(text: string, params: readonly unknown[]): T[] => {
    let statement = statements.get(text);
    if (!statement) statements.set(text, (statement = db.prepare(text)));
    return statement.all(...sqliteParameters(params)) as T[];
  };
  registerViews();
  const todayFile = join(VIEWS_DIR, 'activities', 'today.hbs');

  function today(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const sid = sessionIdFromCookie(req, secret!);
    const row = sid === undefined ? undefined : sessionRow.get(sid);
    const session = row && asDate(row.expiresAt).getTime() > Date.now() ? (JSON.parse(row.data) as SessionData) : undefined;
    // The request context's checks: a PIN session belongs to a tablet (none here), and ends after 12 hours.
    const live = session?.userId && session.signedInBy !== 'pin' && session.authenticatedAt && Date.now() - session.authenticatedAt <= ABSOLUTE_TIMEOUT_MS;
    const user = live ? sessionUserOf(userRows.all(session.userId!)) : null;
    if (!user) {
      res.writeHead(401).end();
      return;
    }
    const unitId = url.searchParams.get('unitId') ?? undefined;
    if (user.role === 'admin' || unitId === undefined) {
      res.writeHead(501).end();
      return;
    }
    const locale = user.locale ?? localeFromCookie(req) ?? localeFromAcceptLanguage(req.headers['accept-language']);
    const locals = pageLocals({
      locale, user, url: req.url ?? '/', csrfToken: session!.csrfToken ?? undefined, flash: session!.flash ?? [], demoAccounts: undefined, wardDevice: false, pinSession: false,
    });
    if ((locals.nav as NavItem[]).some((item) => item.countKey)) {
      res.writeHead(501).end();
      return;
    }
    const unreadNotifications = asNumber(unread.get(user.id)?.n);

    const date = url.searchParams.get('date') ?? todayIn(user.timezone);
    const places = placesOf(user.homeIds.length > 0 ? rows<PlaceRow>(placesSql(user.homeIds.length), user.homeIds) : []);
    const { start, end } = localDayRange(date, user.timezone);
    const query = dayListQuery(user, start, end, { unitId });
    const activities = query ? daySummaries(rows<SummaryRow>(query.text, query.params), places) : [];
    const options = { ...locals, unreadNotifications, ...todayView(user, date, unitId, places, activities), cache: true };
    renderView(todayFile, options, (error, html) => {
      if (error) {
        res.writeHead(500).end(String(error));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
    });
  }

  const server = createServer((req, res) => {
    if (req.method !== 'GET' || !req.url?.startsWith('/today')) {
      res.writeHead(404).end();
      return;
    }
    try {
      today(req, res);
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  listenForBench(server);
}

main();
