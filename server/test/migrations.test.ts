import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { createDataSource } from '../src/main/data-source';
import { freshDatabase, testConfig } from './support/harness';

/** The migrated schema must equal what the entities declare, on both databases. */
async function pendingSchemaChanges(url: string): Promise<string[]> {
  const db = createDataSource({ db: { url, poolSize: 2, connectTimeoutMs: 2000 } });
  await db.initialize();
  try {
    await db.runMigrations({ transaction: 'each' });
    const sql = await db.driver.createSchemaBuilder().log();
    return sql.upQueries.map((q) => q.query);
  } finally {
    await db.destroy();
  }
}

describe('migrations', () => {
  it('leave no drift from the entities on MariaDB', async () => {
    const config = testConfig();
    await freshDatabase(config);
    expect(await pendingSchemaChanges(config.db.url)).toEqual([]);
  });

  it('leave no drift from the entities on SQLite', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'chatmall-sqlite-')), 'db.sqlite');
    expect(await pendingSchemaChanges(`sqlite:${file}`)).toEqual([]);
  });

  it('can be re-run: a second run applies nothing', async () => {
    const config = testConfig();
    await freshDatabase(config);
    const db = createDataSource(config);
    await db.initialize();
    try {
      expect((await db.runMigrations()).length).toBeGreaterThan(0);
      expect(await db.runMigrations()).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
