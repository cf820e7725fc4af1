/**
 * Plain parameterised SQL for the statements on hot paths (the payment notification's
 * transaction), where TypeORM's query builder spends more CPU than the database does
 * (measured with `npm run bench:notify`). Written once for both databases the server runs
 * on: the few differences between MariaDB and SQLite are bridged here.
 */
import type { EntityManager, QueryResult } from 'typeorm';

const isSqlite = (em: EntityManager) => em.connection.options.type === 'better-sqlite3';

/** `INSERT IGNORE` on MariaDB, `INSERT OR IGNORE` on SQLite: a duplicate key skips the row. */
export function insertIgnore(em: EntityManager): string {
  return isSqlite(em) ? 'INSERT OR IGNORE' : 'INSERT IGNORE';
}

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
