/**
 * The one place that knows which database we run on. Everything that differs between
 * MariaDB/MySQL and SQLite (row locks, duplicate-key errors, INSERT IGNORE, date binding)
 * asks here, so no service writes a dialect switch of its own.
 */
import type { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

export function isSqlite(db: DataSource | EntityManager): boolean {
  const ds = 'connection' in db ? db.connection : db;
  return ds.options.type === 'better-sqlite3';
}

/**
 * `SELECT … FOR UPDATE` on MariaDB/MySQL. SQLite has no row locks: a write transaction
 * already holds the whole database, so the plain read is current there.
 */
export function lockForUpdate<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
  return isSqlite(qb.connection) ? qb : qb.setLock('pessimistic_write');
}

/** A unique-index violation, as either driver reports it. */
export function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * The database gave up on this transaction because of another one: MariaDB/MySQL chose it
 * as a deadlock victim (1213) or its lock wait timed out (1205); SQLite found the database
 * busy or locked past its timeout. The whole transaction may be tried again.
 */
export function isLockConflict(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; driverError?: { code?: string; errno?: number } };
  const code = e?.driverError?.code ?? e?.code;
  const errno = e?.driverError?.errno ?? e?.errno;
  return (
    code === 'ER_LOCK_DEADLOCK' ||
    code === 'ER_LOCK_WAIT_TIMEOUT' ||
    errno === 1213 ||
    errno === 1205 ||
    code === 'SQLITE_BUSY' ||
    code === 'SQLITE_LOCKED'
  );
}

/** `INSERT IGNORE` on MariaDB, `INSERT OR IGNORE` on SQLite: a duplicate key skips the row. */
export function insertIgnore(em: EntityManager): string {
  return isSqlite(em) ? 'INSERT OR IGNORE' : 'INSERT IGNORE';
}

/**
 * Which unique index a duplicate-key error hit, as each driver says it: MariaDB names the
 * index (`Duplicate entry '…' for key 'uq_staff_username'`), SQLite the table's columns
 * (`UNIQUE constraint failed: staff.username`). Only names are read, never the value.
 */
export function uniqueViolation(err: unknown): { index: string } | { table: string; columns: string[] } | null {
  if (!isDuplicateKey(err)) return null;
  const e = err as { message?: string; driverError?: { message?: string; sqlMessage?: string } };
  const text = e?.driverError?.sqlMessage ?? e?.driverError?.message ?? e?.message ?? '';
  const maria = /for key '(?:[\w$]+\.)?([\w$]+)'/.exec(text);
  if (maria) return { index: maria[1] };
  const sqlite = /UNIQUE constraint failed: ([\w.$, ]+)/.exec(text);
  if (sqlite) {
    const pairs = sqlite[1].split(',').map((c) => c.trim().split('.'));
    return { table: pairs[0][0], columns: pairs.map((p) => p[1]) };
  }
  return null;
}
