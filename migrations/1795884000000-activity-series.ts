import { DateTime } from 'luxon';
import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, foreignKey } from './portable-columns';

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

interface SeriesRow {
  seriesId: string;
  homeId: string;
  timezone: string;
  activityTypeId: string;
  title: string;
  startsAt: string | Date;
  durationMinutes: number;
  location: string | null;
  unitId: string | null;
  capacity: number | null;
  phases: string | null;
  leadStaffId: string | null;
  description: string | null;
  visibleToFamilies: boolean | number;
}

/**
 * Issue 19 item 1: a recurring series as a rule (`activity_series`, owned by activities; see
 * docs/planning.md, "Series"). Each existing `activity.seriesId` (weekly repeats made with "repeat
 * for N weeks") becomes a series of that id: FREQ=WEEKLY with the COUNT of its occurrences, starting
 * at its first, in its home's zone, with its first occurrence's fields as the template. Every
 * occurrence already exists, so it is materialised to its last date; nothing else changes.
 */
export class ActivitySeries1795884000000 implements MigrationInterface {
  name = 'ActivitySeries1795884000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    const postgres = queryRunner.connection.options.type === 'postgres';
    const json = (name: string) => ({ name, type: 'text', isNullable: false, default: `'[]'` });
    await queryRunner.createTable(new Table({
      name: 'activity_series',
      columns: [
        c.id(), ...c.timestamps(), c.ref('homeId'), c.text('rule', false), c.varchar('startDate', 10), c.varchar('startTime', 5), c.varchar('timezone', 64),
        c.varchar('endsOn', 10), c.varchar('materialisedUntil', 10),
        c.ref('activityTypeId'), c.varchar('title', 160), c.integer('durationMinutes'), c.varchar('location', 120, true), c.ref('unitId', true),
        c.integer('capacity', undefined, true), json('phases'), c.ref('leadStaffId', true), c.text('description'), c.boolean('visibleToFamilies', true),
        json('rosterResidentIds'), json('skippedDates'), json('movedOccurrences'),
      ],
      foreignKeys: [
        foreignKey('homeId', 'home'), foreignKey('activityTypeId', 'activity_type'), foreignKey('unitId', 'unit', 'SET NULL'),
        foreignKey('leadStaffId', 'staff_member', 'SET NULL'),
      ],
      indices: [new TableIndex({ name: 'IDX_activity_series_materialised', columnNames: ['materialisedUntil'] }), new TableIndex({ name: 'IDX_activity_series_home', columnNames: ['homeId'] })],
    }));

    const rows: SeriesRow[] = await queryRunner.query(
      'SELECT a."seriesId", a."homeId", h.timezone, a."activityTypeId", a.title, a."startsAt", a."durationMinutes", a.location, a."unitId", a.capacity, a.phases, ' +
        'a."leadStaffId", a.description, a."visibleToFamilies" FROM activity a JOIN home h ON h.id = a."homeId" WHERE a."seriesId" IS NOT NULL ORDER BY a."seriesId", a."startsAt", a.id',
    );
    const bySeries = new Map<string, SeriesRow[]>();
    for (const row of rows) bySeries.set(row.seriesId, [...(bySeries.get(row.seriesId) ?? []), row]);
    const local = (row: SeriesRow) => {
      const instant = row.startsAt instanceof Date ? row.startsAt : new Date(`${row.startsAt.replace(' ', 'T')}Z`);
      return DateTime.fromJSDate(instant, { zone: row.timezone });
    };
    const names = [
      'id', 'homeId', 'rule', 'startDate', 'startTime', 'timezone', 'endsOn', 'materialisedUntil', 'activityTypeId', 'title', 'durationMinutes', 'location', 'unitId',
      'capacity', 'phases', 'leadStaffId', 'description', 'visibleToFamilies',
    ];
    const marks = names.map((_, i) => (postgres ? `$${i + 1}` : '?')).join(', ');
    for (const [seriesId, occurrences] of bySeries) {
      const first = occurrences[0];
      const start = local(first);
      const last = local(occurrences[occurrences.length - 1]).toISODate()!;
      const rule = `FREQ=WEEKLY;INTERVAL=1;BYDAY=${WEEKDAYS[start.weekday - 1]};COUNT=${occurrences.length}`;
      const shown = first.visibleToFamilies === true || first.visibleToFamilies === 1;
      await queryRunner.query(`INSERT INTO activity_series (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${marks})`, [
        seriesId, first.homeId, rule, start.toISODate(), start.toFormat('HH:mm'), first.timezone, last, last, first.activityTypeId, first.title, first.durationMinutes,
        first.location, first.unitId, first.capacity, first.phases ?? '[]', first.leadStaffId, first.description, postgres ? shown : shown ? 1 : 0,
      ]);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('activity_series');
  }
}
