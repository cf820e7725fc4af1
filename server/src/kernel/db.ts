/**
 * The TypeORM DataSource: MySQL/MariaDB (mysql2) in production and tests, SQLite
 * (better-sqlite3) as the embedded default for `npm start`. Schema changes go through
 * migrations only; `synchronize` stays off.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { Config } from './config';

/** What the database holds: the modules' entities and the migrations that build their tables. */
export interface Schema {
  entities: NonNullable<DataSourceOptions['entities']>;
  migrations: NonNullable<DataSourceOptions['migrations']>;
}

/** The least an SQLite write waits for the lock another process holds. */
const SQLITE_BUSY_WAIT_MS = 10_000;

export function dataSourceOptions(config: Pick<Config, 'db'>, { entities, migrations }: Schema): DataSourceOptions {
  const { url, poolSize, connectTimeoutMs } = config.db;
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    return {
      type: 'better-sqlite3',
      database: file,
      enableWAL: true,
      // How long a write waits for another process's write (the API and the worker share the
      // file): a busy database is worth waiting out, not a 503 to the buyer.
      timeout: Math.max(connectTimeoutMs, SQLITE_BUSY_WAIT_MS),
      entities,
      migrations,
      migrationsTransactionMode: 'each',
    };
  }
  return {
    type: url.startsWith('mariadb:') ? 'mariadb' : 'mysql',
    url: url.replace(/^mariadb:/, 'mysql:'),
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    connectTimeout: connectTimeoutMs,
    poolSize,
    entities,
    migrations,
    migrationsTransactionMode: 'each',
    // Fail fast instead of queueing forever while the database is away.
    extra: { connectionLimit: poolSize, queueLimit: 2000, enableKeepAlive: true },
  };
}

export function createDataSource(config: Pick<Config, 'db'>, schema: Schema): DataSource {
  return new DataSource(dataSourceOptions(config, schema));
}

export { isDuplicateKey, isSqlite, lockForUpdate } from './dialect';
import { uniqueViolation } from './dialect';

/** `SELECT 1` with a deadline, for readiness checks. */
export async function pingDatabase(ds: DataSource, timeoutMs: number): Promise<void> {
  await withTimeout(ds.query('SELECT 1'), timeoutMs, 'database ping timed out');
}

export function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The entity properties behind the unique index a duplicate-key error hit, from the
 * entities' own metadata (so a new unique index needs nothing more): the error mapping names
 * them as the fields at fault in its 409.
 */
export function uniqueKeyFields(db: DataSource): (err: unknown) => string[] | undefined {
  return (err) => {
    const v = uniqueViolation(err);
    if (!v) return undefined;
    for (const meta of db.entityMetadatas) {
      if ('index' in v) {
        const index = meta.indices.find((i) => i.isUnique && i.name === v.index);
        if (index) return index.columns.map((c) => c.propertyName);
      } else if (meta.tableName === v.table) {
        return v.columns.map((c) => meta.findColumnWithDatabaseName(c)?.propertyName ?? c);
      }
    }
    return undefined;
  };
}
