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
    ? { name, type: 'datetime', default: "(datetime('now'))" }
    : { name, type: 'datetime', precision: 6, default: 'CURRENT_TIMESTAMP(6)' };
}

export function updatedAt(qr: QueryRunner, name = 'updated_at'): TableColumnOptions {
  return isSqlite(qr)
    ? { name, type: 'datetime', default: "(datetime('now'))" }
    : { name, type: 'datetime', precision: 6, default: 'CURRENT_TIMESTAMP(6)', onUpdate: 'CURRENT_TIMESTAMP(6)' };
}
