/**
 * Every unique key reachable from the API, raced: concurrent duplicate creations answer one
 * 2xx and 409s naming the field (never a 500), on MariaDB; the same mapping on SQLite.
 * Repeating an order's client key is idempotent instead: one order, the same answer.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mapError } from '../src/kernel/errors';
import { uniqueKeyFields } from '../src/kernel/db';
import { createDataSource } from '../src/main/data-source';
import type { StaffPrincipal } from '../src/modules/auth/principal';
import { CatalogAdminService } from '../src/modules/catalog/catalog-admin.service';
import { SkuEntity } from '../src/modules/catalog/sku.entity';
import { OrderEntity } from '../src/modules/orders/order.entity';
import { startStack, type TestStack } from './support/harness';
import { api, makeBuyer, makeStaff } from './support/people';

let stack: TestStack;
let owner: { auth: { authorization: string } };
beforeAll(async () => {
  stack = await startStack();
  owner = await makeStaff(stack.db, 'owner');
}, 60_000);
afterAll(async () => stack?.close());

const six = <T>(fn: () => Promise<T>) => Promise.all(Array.from({ length: 6 }, fn));
const statuses = (rs: { status: number }[]) => rs.map((r) => r.status).sort();

it('the same staff username six times at once: one 200, five 409 naming body.username', async () => {
  const rs = await six(() =>
    api(stack.baseUrl, 'POST', '/api/admin/staff', owner.auth, {
      username: 'racer_clerk',
      displayName: '店员',
      role: 'clerk',
      password: 'correct horse battery',
    }),
  );
  expect(statuses(rs)).toEqual([200, 409, 409, 409, 409, 409]);
  for (const r of rs.filter((r) => r.status === 409))
    expect(r.body).toMatchObject({ code: 'CONFLICT', fields: [{ path: 'body.username' }] });
});

it('the same category name six times at once: one 200, five 409 naming body.name', async () => {
  const rs = await six(() =>
    api(stack.baseUrl, 'POST', '/api/admin/categories', owner.auth, { name: '新品茶', nameEn: 'New teas' }),
  );
  expect(statuses(rs)).toEqual([200, 409, 409, 409, 409, 409]);
  for (const r of rs.filter((r) => r.status === 409))
    expect(r.body).toMatchObject({ code: 'CONFLICT', fields: [{ path: 'body.name', message: 'is already taken' }] });
  // Renaming another category to a taken name is the same conflict.
  const other = await api(stack.baseUrl, 'POST', '/api/admin/categories', owner.auth, { name: '旧茶', nameEn: 'Old' });
  const renamed = await api(stack.baseUrl, 'PATCH', `/api/admin/categories/${other.body.id}`, owner.auth, {
    name: '新品茶',
  });
  expect(renamed).toMatchObject({ status: 409, body: { fields: [{ path: 'body.name' }] } });
});

it('six edits adding the same spec combination at once leave one SKU of it, and no 5xx', async () => {
  const product = await api(stack.baseUrl, 'GET', '/api/admin/products/prod_longjing', owner.auth);
  const skus = product.body.skus.map((s: { specValues: string[]; price: number }) => ({
    specValues: s.specValues,
    price: s.price,
  }));
  const spec = product.body.specs as { name: string; values: string[] }[];
  const specs = [{ ...spec[0], values: [...spec[0].values, '500g'] }];
  const rs = await six(() =>
    api(stack.baseUrl, 'PATCH', '/api/admin/products/prod_longjing', owner.auth, {
      specs,
      skus: [...skus, { specValues: ['500g'], price: 58800, initialStock: 5 }],
    }),
  );
  expect(rs.filter((r) => r.status !== 200 && r.status !== 409)).toEqual([]);
  expect(rs.some((r) => r.status === 200)).toBe(true);
  for (const r of rs.filter((r) => r.status === 409))
    expect(r.body.fields).toEqual([{ path: 'body.skus', message: 'is already taken' }]);
  const rows = await stack.db.getRepository(SkuEntity).findBy({ productId: 'prod_longjing' });
  expect(rows.filter((s) => s.specValues.join() === '500g')).toHaveLength(1);
});

it('the same order client key six times at once: one order, every answer the same order', async () => {
  const buyer = await makeBuyer(stack.db, 'keyracer');
  const rs = await six(() =>
    api(stack.baseUrl, 'POST', '/api/orders', buyer.auth, {
      clientKey: 'raced-client-key-1',
      items: [{ skuId: 'sku_jasmine1', quantity: 1 }],
      addressId: buyer.addressId,
    }),
  );
  expect(statuses(rs)).toEqual([200, 200, 200, 200, 200, 200]);
  expect(new Set(rs.map((r) => r.body.id)).size).toBe(1);
  expect(await stack.db.getRepository(OrderEntity).countBy({ buyerId: buyer.id })).toBe(1);
});

it('on SQLite a duplicate key maps to the same 409 naming the field', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chatmall-sqlite-unique-'));
  const db = createDataSource({
    db: { url: `sqlite:${path.join(dir, 'db.sqlite')}`, poolSize: 1, connectTimeoutMs: 2000 },
  });
  await db.initialize();
  try {
    await db.runMigrations({ transaction: 'each' });
    const admin = new CatalogAdminService(db);
    const actor: StaffPrincipal = { kind: 'staff', staffId: 'staff_x', role: 'owner', sessionId: 'sess_x' };
    await admin.createCategory({}, actor, { name: '花茶', nameEn: 'Flower', icon: '' });
    const err = await admin
      .createCategory({}, actor, { name: '花茶', nameEn: 'Again', icon: '' })
      .catch((e: unknown) => e);
    expect(mapError(err, 'req', { uniqueFields: uniqueKeyFields(db) })).toMatchObject({
      status: 409,
      problem: { code: 'CONFLICT', fields: [{ path: 'body.name', message: 'is already taken' }] },
    });
  } finally {
    await db.destroy();
  }
});
