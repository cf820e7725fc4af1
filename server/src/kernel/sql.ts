/**
 * Plain parameterised SQL for the statements on hot paths (the payment notification's
 * transaction), where TypeORM's query builder spends more CPU than the database does
 * (measured with `npm run bench:notify`). Written once for both databases the server runs
 * on: the few differences between MariaDB and SQLite are bridged here.
 */
import type { EntityManager, EntityTarget, ObjectLiteral, QueryResult } from 'typeorm';
import { isSqlite } from './dialect';

export { insertIgnore } from './dialect';

/**
 * A Date as SQLite stores a `datetime` column: UTC text, exactly as TypeORM writes it (so
 * rows written here and by repositories compare and read back alike). MariaDB's driver
 * takes Dates as they are (the connection runs in UTC).
 */
const sqliteDate = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

/**
 * Runs one statement in the manager's transaction (or on its own connection) and resolves
 * to the number of rows it changed.
 */
export async function execute(em: EntityManager, sql: string, params: readonly unknown[]): Promise<number> {
  const values = isSqlite(em) ? params.map((p) => (p instanceof Date ? sqliteDate(p) : p)) : [...params];
  const runner = em.queryRunner ?? em.connection.createQueryRunner();
  try {
    const result = (await runner.query(sql, values, true)) as QueryResult;
    return result.affected ?? 0;
  } finally {
    if (!em.queryRunner) await runner.release();
  }
}

/** A condition on one column: a value, `null` (IS NULL), or a list of values (IN). */
type Condition<V> = V | null | readonly V[];
export type Where<E> = { [K in keyof E]?: Condition<E[K]> };

/**
 * `UPDATE … SET … WHERE a = ? AND b IN (?, ?) AND c IS NULL` as one statement: properties
 * are named by the entity's metadata, and its update-date column (if any) is set to now, as
 * a repository update would. Resolves to the number of rows changed.
 */
export async function updateWhere<E extends ObjectLiteral>(
  em: EntityManager,
  entity: EntityTarget<E>,
  set: Partial<NoInfer<E>>,
  where: Where<NoInfer<E>>,
): Promise<number> {
  const meta = em.connection.getMetadata(entity);
  const column = (property: string) => {
    const c = meta.findColumnWithPropertyName(property);
    if (!c) throw new Error(`${meta.tableName} has no column for ${property}`);
    return c.databaseName;
  };
  const assignments: [string, unknown][] = Object.entries(set)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [column(k), v]);
  if (meta.updateDateColumn) assignments.push([meta.updateDateColumn.databaseName, new Date()]);
  const conditions: string[] = [];
  const values: unknown[] = [];
  for (const [k, v] of Object.entries(where)) {
    if (v === undefined) continue;
    if (v === null) conditions.push(`${column(k)} IS NULL`);
    else if (Array.isArray(v)) {
      if (!v.length) return 0; // IN () matches nothing
      conditions.push(`${column(k)} IN (${v.map(() => '?').join(', ')})`);
      values.push(...(v as unknown[]));
    } else {
      conditions.push(`${column(k)} = ?`);
      values.push(v);
    }
  }
  if (!conditions.length) throw new Error(`updateWhere on ${meta.tableName} without a condition`);
  return execute(
    em,
    `UPDATE ${meta.tableName} SET ${assignments.map(([c]) => `${c} = ?`).join(', ')} WHERE ${conditions.join(' AND ')}`,
    [...assignments.map(([, v]) => v), ...values],
  );
}
