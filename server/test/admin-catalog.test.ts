/**
 * The merchant console's catalog: categories, products with SKUs, publishing, prices and
 * stock. Every change is audited with its actor and detail; bad input changes nothing.
 */
import { AuditLogEntity } from '../src/modules/auth/audit-log.entity';
import { ProductEntity } from '../src/modules/catalog/product.entity';
import { SkuEntity } from '../src/modules/catalog/sku.entity';
import { startStack, type TestStack } from './support/harness';
import { api, makeBuyer, makeStaff } from './support/people';

let stack: TestStack;
let owner: { id: string; auth: { authorization: string } };
let marketer: { id: string; auth: { authorization: string } };
let clerk: { id: string; auth: { authorization: string } };

beforeAll(async () => {
  stack = await startStack();
  owner = await makeStaff(stack.db, 'owner');
  marketer = await makeStaff(stack.db, 'marketer');
  clerk = await makeStaff(stack.db, 'clerk');
}, 60_000);
afterAll(async () => stack?.close());

const call = (method: string, path: string, auth?: { authorization: string }, body?: unknown) =>
  api(stack.baseUrl, method, path, auth, body);

const audits = (action: string, entityId: string) =>
  stack.db.getRepository(AuditLogEntity).find({ where: { action, entityId }, order: { id: 'ASC' } });

const productCount = () => stack.db.getRepository(ProductEntity).count();
const skuRow = (id: string) => stack.db.getRepository(SkuEntity).findOneByOrFail({ id });

const jasmine = {
  categoryId: 'cat_flower',
  name: '茉莉花茶',
  nameEn: 'Jasmine Tea',
  subtitle: '七窨茉莉，花香鲜灵',
  description: '福州茉莉花茶，窨制七次。',
  images: ['/media/demo/prod_longjing.svg'],
  specs: [
    { name: '规格', nameEn: 'Weight', values: ['50g', '100g'] },
    { name: '包装', nameEn: 'Pack', values: ['袋装', '罐装'] },
  ],
  skus: [
    { specValues: ['50g', '袋装'], price: 3800, stock: 10 },
    { specValues: ['100g', '罐装'], price: 7800, originalPrice: 8800, stock: 5 },
  ],
};

describe('categories', () => {
  it('are created, renamed and deleted by a marketer, each change audited, and buyers see them', async () => {
    const created = await call('POST', '/api/admin/categories', marketer.auth, { name: '礼盒', nameEn: 'Gift Boxes' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name: '礼盒', nameEn: 'Gift Boxes', icon: '' });
    const id = created.body.id as string;
    const shelf = (await call('GET', '/api/categories')).body.items;
    expect(shelf[shelf.length - 1].id).toBe(id);

    const renamed = await call('PATCH', `/api/admin/categories/${id}`, owner.auth, { nameEn: 'Gift Sets' });
    expect(renamed.body).toMatchObject({ id, name: '礼盒', nameEn: 'Gift Sets' });

    const deleted = await call('DELETE', `/api/admin/categories/${id}`, owner.auth);
    expect(deleted.status).toBe(200);
    expect(deleted.body.items.map((c: { id: string }) => c.id)).not.toContain(id);

    const [create] = await audits('category.create', id);
    expect(create).toMatchObject({ actorId: marketer.id, actorRole: 'marketer', entity: 'category' });
    expect((await audits('category.update', id))[0]).toMatchObject({
      actorId: owner.id,
      detail: { nameEn: { from: 'Gift Boxes', to: 'Gift Sets' } },
    });
    expect(await audits('category.delete', id)).toHaveLength(1);
  });

  it('a category that still has products cannot be deleted (409) and stays', async () => {
    const res = await call('DELETE', '/api/admin/categories/cat_greentea', owner.auth);
    expect(res.status).toBe(409);
    expect((await call('GET', '/api/categories')).body.items.map((c: { id: string }) => c.id)).toContain(
      'cat_greentea',
    );
  });
});

describe('the shelf order of categories', () => {
  const shelf = async () =>
    ((await call('GET', '/api/categories')).body.items as { id: string; position: number }[]).map((c) => c.id);
  const reorders = () =>
    stack.db.getRepository(AuditLogEntity).find({ where: { action: 'category.reorder' }, order: { id: 'ASC' } });

  it('a marketer puts the whole shelf in a new order in one call; buyers see it and one audit entry has from and to', async () => {
    const before = await shelf();
    const after = [before[before.length - 1], ...before.slice(0, -1)].reverse();
    const entries = (await reorders()).length;
    const res = await call('PUT', '/api/admin/categories/order', marketer.auth, { ids: after });
    expect(res.status).toBe(200);
    expect(res.body.items.map((c: { id: string; position: number }) => [c.id, c.position])).toEqual(
      after.map((id, i) => [id, i]),
    );
    expect(await shelf()).toEqual(after);
    const log = await reorders();
    expect(log).toHaveLength(entries + 1);
    expect(log[log.length - 1]).toMatchObject({ actorId: marketer.id, detail: { from: before, to: after } });

    // The same order again changes nothing and writes nothing.
    expect((await call('PUT', '/api/admin/categories/order', owner.auth, { ids: after })).status).toBe(200);
    expect(await reorders()).toHaveLength(entries + 1);
  });

  it.each([
    ['leaves a category out', (ids: string[]) => ids.slice(1), 409],
    ['names a category that does not exist', (ids: string[]) => [...ids.slice(1), 'cat_nosuchthing'], 409],
    ['names a category twice', (ids: string[]) => [...ids, ids[0]], 400],
  ])('a list that %s is refused naming body.ids and the shelf stays as it was', async (_what, change, status) => {
    const before = await shelf();
    const entries = (await reorders()).length;
    const res = await call('PUT', '/api/admin/categories/order', owner.auth, { ids: change([...before].reverse()) });
    expect(res.status).toBe(status);
    expect(res.body.fields.map((f: { path: string }) => f.path)).toContain('body.ids');
    expect(await shelf()).toEqual(before);
    expect(await reorders()).toHaveLength(entries);
  });

  it('a clerk may not reorder the shelf (403)', async () => {
    const res = await call('PUT', '/api/admin/categories/order', clerk.auth, { ids: await shelf() });
    expect(res.status).toBe(403);
  });
});

describe('products', () => {
  it('a new product stays hidden from buyers until published, and hides again when unpublished', async () => {
    const created = await call('POST', '/api/admin/products', marketer.auth, jasmine);
    expect(created.status).toBe(200);
    const p = created.body;
    expect(p).toMatchObject({ published: false, cover: jasmine.images[0], priceFrom: 3800, priceTo: 7800 });
    expect(p.skus.map((s: { specValues: string[]; stock: number }) => [s.specValues, s.stock])).toEqual([
      [['50g', '袋装'], 10],
      [['100g', '罐装'], 5],
    ]);

    expect((await call('GET', `/api/products/${p.id}`)).status).toBe(404);
    const hidden = await call('GET', '/api/products?categoryId=cat_flower&limit=50');
    expect(hidden.body.items.map((i: { id: string }) => i.id)).not.toContain(p.id);
    const adminList = await call('GET', '/api/admin/products?published=false&limit=50', clerk.auth);
    expect(adminList.body.items.map((i: { id: string }) => i.id)).toEqual([p.id]);
    expect(adminList.body.items[0]).toMatchObject({ published: false, stock: 15 });

    const published = await call('POST', `/api/admin/products/${p.id}/publish`, marketer.auth);
    expect(published.body.published).toBe(true);
    const seen = await call('GET', `/api/products/${p.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ name: '茉莉花茶', favouriteCount: 0, specs: jasmine.specs });
    const listed = await call('GET', '/api/products?categoryId=cat_flower&limit=50');
    expect(listed.body.items.map((i: { id: string }) => i.id)).toContain(p.id);

    // Publishing twice changes nothing and writes no second entry.
    await call('POST', `/api/admin/products/${p.id}/publish`, owner.auth);
    await call('POST', `/api/admin/products/${p.id}/unpublish`, owner.auth);
    expect((await call('GET', `/api/products/${p.id}`)).status).toBe(404);

    expect((await audits('product.create', p.id))[0]).toMatchObject({
      actorId: marketer.id,
      detail: { name: '茉莉花茶', categoryId: 'cat_flower' },
    });
    expect((await audits('product.publish', p.id)).map((a) => a.actorId)).toEqual([marketer.id]);
    expect((await audits('product.unpublish', p.id)).map((a) => a.actorId)).toEqual([owner.id]);
  });

  it('the favourite count on a product page counts the buyers who favourited it', async () => {
    for (const name of ['fav-a', 'fav-b']) {
      const buyer = await makeBuyer(stack.db, name);
      expect((await call('PUT', '/api/favourites/prod_maofeng', buyer.auth)).status).toBe(200);
    }
    expect((await call('GET', '/api/products/prod_maofeng')).body.favouriteCount).toBe(2);
  });

  it('an update keeps the SKUs whose combination stays (id and stock), adds new ones and removes the rest', async () => {
    const p = (await call('POST', '/api/admin/products', owner.auth, jasmine)).body;
    const [small, large] = p.skus;
    await call('POST', `/api/admin/skus/${small.id}/stock-adjustments`, clerk.auth, { delta: -3 });

    const res = await call('PATCH', `/api/admin/products/${p.id}`, marketer.auth, {
      name: '福州茉莉花茶',
      specs: [
        { name: '规格', nameEn: 'Weight', values: ['50g', '250g'] },
        { name: '包装', nameEn: 'Pack', values: ['袋装'] },
      ],
      skus: [
        { specValues: ['50g', '袋装'], price: 3600 },
        { specValues: ['250g', '袋装'], price: 16800, initialStock: 4 },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('福州茉莉花茶');
    expect(
      res.body.skus.map((s: { id: string; stock: number; price: number }) => [s.id === small.id, s.stock, s.price]),
    ).toEqual([
      [true, 7, 3600],
      [false, 4, 16800],
    ]);
    expect(await stack.db.getRepository(SkuEntity).existsBy({ id: large.id })).toBe(false);

    const [update] = await audits('product.update', p.id);
    expect(update).toMatchObject({ actorId: marketer.id, detail: { name: { from: '茉莉花茶', to: '福州茉莉花茶' } } });
    expect(update.detail.skus).toMatchObject({ kept: [small.id], removed: [large.id] });
    expect((await audits('sku.price', small.id))[0].detail).toMatchObject({
      from: { price: 3800 },
      to: { price: 3600 },
    });
  });

  it.each([
    [
      'a spec value the product does not have',
      { skus: [{ specValues: ['50g', '礼盒'], price: 100 }] },
      'body.skus.0.specValues.1',
    ],
    ['a value missing for one dimension', { skus: [{ specValues: ['50g'], price: 100 }] }, 'body.skus.0.specValues'],
    [
      'the same combination twice',
      {
        skus: [
          { specValues: ['50g', '袋装'], price: 100 },
          { specValues: ['50g', '袋装'], price: 200 },
        ],
      },
      'body.skus.1.specValues',
    ],
    ['a price in yuan with a fraction', { skus: [{ specValues: ['50g', '袋装'], price: 38.5 }] }, 'body.skus.0.price'],
    ['no SKU at all', { skus: [] }, 'body.skus'],
    ['an unknown category', { categoryId: 'cat_nosuchthing' }, 'body.categoryId'],
  ])('creating a product with %s answers 400 naming the field and writes nothing', async (_what, change, path) => {
    const before = await productCount();
    const auditsBefore = await stack.db.getRepository(AuditLogEntity).count();
    const res = await call('POST', '/api/admin/products', owner.auth, { ...jasmine, ...change });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.fields.map((f: { path: string }) => f.path)).toContain(path);
    expect(await productCount()).toBe(before);
    expect(await stack.db.getRepository(AuditLogEntity).count()).toBe(auditsBefore);
  });

  it('a SKU set that does not match the product’s existing specs is refused and nothing changes', async () => {
    const res = await call('PATCH', '/api/admin/products/prod_longjing', owner.auth, {
      name: '改名',
      skus: [{ specValues: ['75g'], price: 100 }],
    });
    expect(res.status).toBe(400);
    expect(res.body.fields[0].path).toBe('body.skus.0.specValues.0');
    const after = (await call('GET', '/api/admin/products/prod_longjing', owner.auth)).body;
    expect(after.name).toBe('明前西湖龙井');
    expect(after.skus).toHaveLength(3);
  });
});

describe('prices', () => {
  it('a marketer changes a price; it is audited from → to and buyers see it', async () => {
    const res = await call('PUT', '/api/admin/skus/sku_longjing1/price', marketer.auth, { price: 6600 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'sku_longjing1', productId: 'prod_longjing', price: 6600 });
    const page = (await call('GET', '/api/products/prod_longjing')).body;
    expect(page.skus[0].price).toBe(6600);
    const [entry] = await audits('sku.price', 'sku_longjing1');
    expect(entry).toMatchObject({
      actorId: marketer.id,
      actorRole: 'marketer',
      detail: { productId: 'prod_longjing', from: { price: 6800 }, to: { price: 6600 } },
    });
  });

  it.each([[68.5], ['6800'], [-1]])(
    'a price of %p answers 400 naming body.price and nothing is written',
    async (price) => {
      const before = await skuRow('sku_longjing2');
      const auditsBefore = (await audits('sku.price', 'sku_longjing2')).length;
      const res = await call('PUT', '/api/admin/skus/sku_longjing2/price', owner.auth, { price });
      expect(res.status).toBe(400);
      expect(res.body.fields.map((f: { path: string }) => f.path)).toEqual(['body.price']);
      expect((await skuRow('sku_longjing2')).price).toBe(before.price);
      expect(await audits('sku.price', 'sku_longjing2')).toHaveLength(auditsBefore);
    },
  );

  it('a clerk may not change prices (403)', async () => {
    expect((await call('PUT', '/api/admin/skus/sku_longjing2/price', clerk.auth, { price: 1 })).status).toBe(403);
  });
});

describe('stock', () => {
  it('a clerk sets a counted stock and adjusts by a delta, each audited with from and to', async () => {
    expect((await call('PUT', '/api/admin/skus/sku_longjing3/stock', clerk.auth, { stock: 40 })).body.stock).toBe(40);
    const res = await call('POST', '/api/admin/skus/sku_longjing3/stock-adjustments', clerk.auth, {
      delta: -15,
      reason: '破损',
    });
    expect(res.status).toBe(200);
    expect(res.body.stock).toBe(25);
    expect((await audits('sku.stock', 'sku_longjing3')).map((a) => a.detail)).toEqual([
      { productId: 'prod_longjing', mode: 'set', from: expect.any(Number), to: 40 },
      { productId: 'prod_longjing', mode: 'adjust', delta: -15, from: 40, to: 25, reason: '破损' },
    ]);
    expect((await audits('sku.stock', 'sku_longjing3'))[1].actorId).toBe(clerk.id);
  });

  it('taking off more units than are on hand answers 409 naming body.delta and leaves stock unchanged', async () => {
    await call('PUT', '/api/admin/skus/sku_longjing3/stock', owner.auth, { stock: 5 });
    const entries = (await audits('sku.stock', 'sku_longjing3')).length;
    const res = await call('POST', '/api/admin/skus/sku_longjing3/stock-adjustments', owner.auth, { delta: -6 });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('OUT_OF_STOCK');
    expect(res.body.fields).toEqual([{ path: 'body.delta', message: 'would take stock below zero (5 on hand)' }]);
    expect((await skuRow('sku_longjing3')).stock).toBe(5);
    expect(await audits('sku.stock', 'sku_longjing3')).toHaveLength(entries);
  });

  it.each([
    [{ stock: -1 }, 'body.stock'],
    [{ stock: 2.5 }, 'body.stock'],
  ])('setting stock to %p answers 400 naming the field', async (body, path) => {
    const res = await call('PUT', '/api/admin/skus/sku_longjing3/stock', owner.auth, body);
    expect(res.status).toBe(400);
    expect(res.body.fields[0].path).toBe(path);
  });

  it('60 concurrent take-one adjustments against 20 units: exactly 20 succeed and stock ends at 0, never below', async () => {
    await call('PUT', '/api/admin/skus/sku_maofeng1/stock', owner.auth, { stock: 20 });
    const results = await Promise.all(
      Array.from({ length: 60 }, () =>
        call('POST', '/api/admin/skus/sku_maofeng1/stock-adjustments', clerk.auth, { delta: -1 }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 409)).toHaveLength(40);
    expect((await skuRow('sku_maofeng1')).stock).toBe(0);
    const adjustments = (await audits('sku.stock', 'sku_maofeng1')).filter((a) => a.detail.mode === 'adjust');
    expect(adjustments).toHaveLength(20);
    expect(adjustments.map((a) => a.detail.to).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 20 }, (_, i) => i),
    );
  });

  it('an unknown SKU answers 404', async () => {
    const res = await call('POST', '/api/admin/skus/sku_nosuchthing/stock-adjustments', owner.auth, { delta: 1 });
    expect(res.status).toBe(404);
  });
});

describe('the audit log', () => {
  it('pages newest first for the owner, each page older than the last, until none is left', async () => {
    for (const name of ['审计甲', '审计乙', '审计丙'])
      expect((await call('POST', '/api/admin/categories', marketer.auth, { name, nameEn: name })).status).toBe(200);
    const all = await stack.db.getRepository(AuditLogEntity).find({ order: { id: 'DESC' } });
    const seen: string[] = [];
    let cursor = '';
    for (;;) {
      const page = await call('GET', `/api/admin/audit?limit=2${cursor && `&cursor=${cursor}`}`, owner.auth);
      expect(page.status).toBe(200);
      seen.push(...(page.body.items as { id: string }[]).map((a) => a.id));
      if (!page.body.nextCursor) break;
      cursor = page.body.nextCursor as string;
    }
    expect(seen).toEqual(all.map((a) => a.id));
  });
});
