/** The catalog's search and stock SQL is portable: the same calls on SQLite, the database `npm start` uses. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/main/data-source';
import type { StaffPrincipal } from '../src/modules/auth/principal';
import { CatalogAdminService } from '../src/modules/catalog/catalog-admin.service';
import { CatalogService } from '../src/modules/catalog/catalog.service';
import { seedDemoShop } from '../src/modules/catalog/seed/demo-shop';

let db: DataSource;
const actor: StaffPrincipal = { kind: 'staff', staffId: 'staff_sqlitetest', role: 'owner', sessionId: 'sess_x' };

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chatmall-sqlite-catalog-'));
  db = createDataSource({ db: { url: `sqlite:${path.join(dir, 'db.sqlite')}`, poolSize: 1, connectTimeoutMs: 2000 } });
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  await seedDemoShop(db, path.join(dir, 'media'));
});
afterAll(async () => db?.destroy());

it('keyword search matches Chinese and English names and takes % literally', async () => {
  const catalog = new CatalogService(db);
  const admin = new CatalogAdminService(db);
  expect((await catalog.listProducts({ q: '龙井', limit: 50 })).items.map((p) => p.id)).toContain('prod_longjing');
  expect((await catalog.listProducts({ q: 'longjing', limit: 50 })).items.map((p) => p.id)).toContain('prod_longjing');
  expect((await catalog.listProducts({ q: '%', limit: 50 })).items).toEqual([]);
  const p = await admin.createProduct({}, actor, {
    categoryId: 'cat_nuts',
    name: '100%可可',
    nameEn: 'Cocoa',
    subtitle: '',
    description: '',
    images: [],
    specs: [],
    skus: [{ specValues: [], price: 100, originalPrice: null, stock: 1, image: null }],
  });
  await admin.setPublished({}, actor, p.id, true);
  expect((await catalog.listProducts({ q: '%', limit: 50 })).items.map((i) => i.id)).toEqual([p.id]);
  expect((await admin.listProducts({ q: '可可', limit: 50, published: 'true' })).items.map((i) => i.id)).toEqual([
    p.id,
  ]);
});

it('a stock adjustment never goes below zero', async () => {
  const admin = new CatalogAdminService(db);
  await admin.setStock({}, actor, 'sku_longjing1', 3);
  expect((await admin.adjustStock({}, actor, 'sku_longjing1', { delta: -3 })).stock).toBe(0);
  await expect(admin.adjustStock({}, actor, 'sku_longjing1', { delta: -1 })).rejects.toMatchObject({
    code: 'OUT_OF_STOCK',
  });
  expect((await admin.adjustStock({}, actor, 'sku_longjing1', { delta: 2 })).stock).toBe(2);
});
