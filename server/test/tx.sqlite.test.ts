/**
 * On SQLite (`npm start`) a process has one connection: transactions opened at once by
 * different tasks take turns instead of nesting inside each other, so none sees another's
 * half-done work, a failed one rolls back alone, and the file's lock is held only as long as
 * one transaction runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { withTx } from '../src/kernel/tx';
import { createDataSource } from '../src/main/data-source';

let db: DataSource;
beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chatmall-sqlite-tx-'));
  db = createDataSource({ db: { url: `sqlite:${path.join(dir, 'db.sqlite')}`, poolSize: 1, connectTimeoutMs: 2000 } });
  await db.initialize();
  await db.query('CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)');
  await db.query('INSERT INTO counter (id, n) VALUES (1, 0)');
});
afterAll(async () => db?.destroy());

const tick = () => new Promise((r) => setTimeout(r, 2));

it('eight read-modify-write transactions started at once all count, one after the other', async () => {
  await Promise.all(
    Array.from({ length: 8 }, () =>
      withTx(db, {}, async ({ tx }) => {
        const [{ n }] = (await tx.query('SELECT n FROM counter WHERE id = 1')) as { n: number }[];
        await tick(); // another task gets the event loop here
        await tx.query('UPDATE counter SET n = ? WHERE id = 1', [n + 1]);
      }),
    ),
  );
  expect((await db.query('SELECT n FROM counter WHERE id = 1'))[0].n).toBe(8);
});

it('a transaction that fails rolls back alone; the ones beside it commit', async () => {
  const before = (await db.query('SELECT n FROM counter WHERE id = 1'))[0].n as number;
  const results = await Promise.allSettled([
    withTx(db, {}, async ({ tx }) => {
      await tx.query('UPDATE counter SET n = n + 1 WHERE id = 1');
      await tick();
    }),
    withTx(db, {}, async ({ tx }) => {
      await tx.query('UPDATE counter SET n = n + 100 WHERE id = 1');
      await tick();
      throw new Error('changed my mind');
    }),
    withTx(db, {}, async ({ tx }) => {
      await tx.query('UPDATE counter SET n = n + 1 WHERE id = 1');
    }),
  ]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect((await db.query('SELECT n FROM counter WHERE id = 1'))[0].n).toBe(before + 2);
});

it('a transaction opened from inside another (its context not passed on) runs rather than wait for itself', async () => {
  const done = await withTx(db, {}, async () => withTx(db, {}, async ({ tx }) => tx.query('SELECT 1 AS one')));
  expect(done).toEqual([{ one: 1 }]);
});
