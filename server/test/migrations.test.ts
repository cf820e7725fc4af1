import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import type { QueryRunner } from 'typeorm';
import { CouponTemplateOrigin1764892800000 } from '../migrations/1764892800000-coupon-template-origin';
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

// Every migration runs on a fresh MariaDB database: seconds, more as the schema grows.
jest.setTimeout(60_000);

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

describe('coupon template origin (1764892800000)', () => {
  it('adds the column and names the pack of every template a red-envelope pack made before it', async () => {
    const calls: unknown[][] = [];
    const qr = {
      addColumn: async (table: string, column: { name: string; isNullable: boolean }) =>
        calls.push(['addColumn', table, column.name, column.isNullable]),
      query: async (sql: string, params: unknown[] = []) => {
        calls.push(['query', sql, params]);
        return sql.startsWith('SELECT')
          ? [
              { id: 'rp_1', title: '店庆红包', coupon_template_id: 'cpt_1' },
              { id: 'rp_2', title: '新客"红包"', coupon_template_id: 'cpt_2' },
            ]
          : [];
      },
    };
    await new CouponTemplateOrigin1764892800000().up(qr as unknown as QueryRunner);
    expect(calls[0]).toEqual(['addColumn', 'coupon_templates', 'origin', true]);
    const updates = calls.filter((c) => String(c[1]).startsWith('UPDATE'));
    expect(updates.map((u) => [JSON.parse((u[2] as string[])[0]), (u[2] as string[])[1]])).toEqual([
      [{ kind: 'red_envelope', packId: 'rp_1', packTitle: '店庆红包' }, 'cpt_1'],
      [{ kind: 'red_envelope', packId: 'rp_2', packTitle: '新客"红包"' }, 'cpt_2'],
    ]);
  });
});
