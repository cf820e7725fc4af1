/**
 * Column helpers that keep migrations portable between MySQL/MariaDB and SQLite while
 * matching what the entities declare (a test checks the migrated schema has no drift).
 */
import type { QueryRunner, TableColumnOptions } from 'typeorm';

const isSqlite = (qr: QueryRunner) => qr.connection.options.type === 'better-sqlite3';

export function idColumn(name = 'id', primary = true): TableColumnOptions {
  return { name, type: 'varchar', length: '40', isPrimary: primary };
}

export function createdAt(qr: QueryRunner, name = 'created_at'): TableColumnOptions {
  return isSqlite(qr)
    ? { name, type: 'datetime', default: "datetime('now')" }
    : { name, type: 'datetime', precision: 6, default: 'CURRENT_TIMESTAMP(6)' };
}

export function updatedAt(qr: QueryRunner, name = 'updated_at'): TableColumnOptions {
  return isSqlite(qr)
    ? { name, type: 'datetime', default: "datetime('now')" }
    : { name, type: 'datetime', precision: 6, default: 'CURRENT_TIMESTAMP(6)', onUpdate: 'CURRENT_TIMESTAMP(6)' };
}

/** SQLite spells the integer type `integer`; MySQL `int`. */
export function int(qr: QueryRunner, name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions {
  return { name, type: isSqlite(qr) ? 'integer' : 'int', ...extra };
}

/** A boolean with a default, stored as tinyint(1) on MySQL and 0/1 on SQLite. */
export function bool(qr: QueryRunner, name: string, value: boolean): TableColumnOptions {
  return { name, type: 'boolean', default: isSqlite(qr) ? (value ? 1 : 0) : value };
}
