import { DataSource, EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';

/** TypeORM exports no ColumnMetadata from its root; named through EntityMetadata, no deep import. */
type ColumnMetadata = EntityMetadata['columns'][number];

/** SQLite binds at most 32766 parameters a statement, PostgreSQL 65535; stay under the smaller. */
const MAX_PARAMETERS = 32_000;
/** Past this many rows a statement, bigger batches only cost memory. */
const MAX_ROWS = 2_000;

/**
 * Writes many rows of one entity with plain multi-row INSERT statements. TypeORM's insert builder
 * spends more time building each row than the database spends storing it, which matters for
 * millions of rows; values still go through the driver's own conversion (dates, booleans, JSON),
 * so the rows read back exactly as if the app had written them. Missing timestamps default to `at`,
 * other missing values to their entity's literal default.
 */
export class BulkInserter {
  private readonly placeholder: (index: number) => string;

  constructor(private readonly dataSource: DataSource, private readonly at: Date) {
    this.placeholder = dataSource.options.type === 'postgres' ? (i) => `$${i + 1}` : () => '?';
  }

  async insert<T extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<T>, rows: Partial<T>[]): Promise<void> {
    if (rows.length === 0) return;
    const metadata = this.dataSource.getMetadata(entity);
    // An increasing key (a history's order) is the database's to give.
    const columns = metadata.columns.filter((c) => !(c.isGenerated && c.generationStrategy === 'increment'));
    const driver = this.dataSource.driver;
    const perStatement = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / columns.length)));
    const head = `INSERT INTO ${driver.escape(metadata.tablePath)} (${columns.map((c) => driver.escape(c.databaseName)).join(', ')}) VALUES `;
    const statements = new Map<number, string>();
    const sqlFor = (count: number): string => {
      let sql = statements.get(count);
      if (!sql) {
        const tuples: string[] = [];
        for (let r = 0; r < count; r += 1) tuples.push(`(${columns.map((_, c) => this.placeholder(r * columns.length + c)).join(', ')})`);
        sql = head + tuples.join(', ');
        statements.set(count, sql);
      }
      return sql;
    };
    for (let start = 0; start < rows.length; start += perStatement) {
      const batch = rows.slice(start, start + perStatement);
      const params: unknown[] = new Array(batch.length * columns.length);
      let i = 0;
      for (const row of batch) for (const column of columns) params[i++] = this.value(row, column);
      await m.query(sqlFor(batch.length), params);
    }
  }

  private value(row: ObjectLiteral, column: ColumnMetadata): unknown {
    let value = row[column.propertyName];
    if (value === undefined && (column.isCreateDate || column.isUpdateDate)) value = this.at;
    // A column the generator does not know of yet takes its entity's default value, as an insert by the app would.
    if (value === undefined && ['string', 'number', 'boolean'].includes(typeof column.default)) value = column.default;
    if (value === undefined || value === null) return null;
    return this.dataSource.driver.preparePersistentValue(value, column);
  }
}
