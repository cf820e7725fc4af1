/**
 * Generated from the contract table: every PATCH route changes exactly the fields it names.
 * For each field of each PATCH body, a fresh subject is patched with that field alone and
 * read back: the field changed, every other field is as it was. A `null` or non-object body
 * is a 400. A PATCH route without a fixture here fails the test, so none is skipped.
 */
import { contract, fillPath, type Endpoint } from '@chatmall/shared';
import type { z } from 'zod';
import { startStack, type TestStack } from './support/harness';
import { unwrap } from './support/contract-walk';
import { api, makeBuyer, makeStaff, type TestBuyer } from './support/people';

type Params = Record<string, string>;
interface PatchFixture {
  who: 'buyer' | 'owner';
  /** Makes a fresh subject to patch; resolves to its path parameters. */
  create(): Promise<Params>;
  /** Reads the subject back, keyed like the PATCH body. */
  read(params: Params): Promise<Record<string, unknown>>;
  /** For every field of the body: a valid value unlike the one `create` made. */
  alternate: Record<string, unknown>;
  /** Fields that may only change together with others (sent along, not compared). */
  companions?: Record<string, Record<string, unknown>>;
}

let stack: TestStack;
let buyer: TestBuyer;
let owner: { auth: Record<string, string> };
let n = 0;
const call = (who: 'buyer' | 'owner', method: string, path: string, body?: unknown) =>
  api(stack.baseUrl, method, path, who === 'buyer' ? buyer.auth : owner.auth, body);
const ok = async <T>(p: Promise<{ status: number; body: T }>) => {
  const r = await p;
  expect([r.status, (r.body as { fields?: unknown })?.fields]).toEqual([200, undefined]);
  return r.body;
};

const pick = (o: Record<string, unknown>, keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, o[k]]));

const fixtures: Record<string, PatchFixture> = {
  updateAddress: {
    who: 'buyer',
    async create() {
      const a = await ok(
        call('buyer', 'POST', '/api/addresses', {
          recipient: '张三',
          phone: '13800138000',
          province: '浙江省',
          city: '杭州市',
          district: '西湖区',
          detail: `龙井路 ${++n} 号`,
        }),
      );
      return { id: (a as { id: string }).id };
    },
    async read({ id }) {
      const list = (await ok(call('buyer', 'GET', '/api/addresses'))) as { items: { id: string }[] };
      return list.items.find((a) => a.id === id) as Record<string, unknown>;
    },
    alternate: {
      recipient: '王二',
      phone: '13700000000',
      province: '江苏省',
      city: '南京市',
      district: '玄武区',
      detail: '中山路 1 号',
      isDefault: true,
    },
  },
  updateCategory: {
    who: 'owner',
    async create() {
      const c = await ok(
        call('owner', 'POST', '/api/admin/categories', { name: `补丁类目${++n}`, nameEn: `Patch ${n}` }),
      );
      return { id: (c as { id: string }).id };
    },
    async read({ id }) {
      const list = (await ok(call('owner', 'GET', '/api/categories'))) as { items: { id: string }[] };
      return list.items.find((c) => c.id === id) as Record<string, unknown>;
    },
    alternate: { name: '改过的类目', nameEn: 'Renamed', icon: '/media/demo/cat_greentea.svg', position: 777 },
  },
  updateProduct: {
    who: 'owner',
    async create() {
      const p = await ok(
        call('owner', 'POST', '/api/admin/products', {
          categoryId: 'cat_greentea',
          name: `补丁茶${++n}`,
          nameEn: `Patch tea ${n}`,
          subtitle: '原副标题',
          description: '原描述',
          images: ['/media/demo/prod_longjing.svg'],
          specs: [{ name: '规格', nameEn: 'Size', values: ['50g'] }],
          skus: [{ specValues: ['50g'], price: 6800, stock: 5 }],
        }),
      );
      return { id: (p as { id: string }).id };
    },
    async read({ id }) {
      const p = (await ok(call('owner', 'GET', `/api/admin/products/${id}`))) as Record<string, unknown> & {
        skus: { specValues: string[]; price: number }[];
      };
      return { ...p, skus: p.skus.map((s) => ({ specValues: s.specValues, price: s.price })) };
    },
    alternate: {
      categoryId: 'cat_blacktea',
      name: '改名的茶',
      nameEn: 'Renamed tea',
      subtitle: '新副标题',
      description: '新描述',
      images: ['/media/demo/prod_longjing_2.svg'],
      specs: [{ name: '规格', nameEn: 'Size', values: ['50g', '100g'] }],
      position: 555,
      skus: [{ specValues: ['50g'], price: 7200 }],
    },
    companions: {
      specs: {
        skus: [
          { specValues: ['50g'], price: 6800 },
          { specValues: ['100g'], price: 12800 },
        ],
      },
    },
  },
  updateShopSettings: {
    who: 'owner',
    async create() {
      return {};
    },
    async read() {
      return (await ok(call('owner', 'GET', '/api/admin/shop-settings'))) as Record<string, unknown>;
    },
    alternate: {
      name: `补丁小店${++n}`,
      nameEn: 'Patched Shop',
      logo: '/media/demo/shop_logo_2.svg',
      servicePhone: '021-55556666',
      shipping: { flatFee: 1200 },
      restoreCouponOnFullRefund: false,
    },
  },
  updateCouponTemplate: {
    who: 'owner',
    async create() {
      const t = await ok(
        call('owner', 'POST', '/api/admin/coupon-templates', {
          title: `补丁券${++n}`,
          benefit: { kind: 'amount_off', amountOff: 1000, threshold: 9900 },
          scope: { type: 'shop' },
          validity: { kind: 'days', days: 7 },
          totalStock: 100,
          perBuyerLimit: 1,
          stacksWithMemberDiscount: false,
          claimable: true,
        }),
      );
      return { id: (t as { id: string }).id };
    },
    async read({ id }) {
      return (await ok(call('owner', 'GET', `/api/admin/coupon-templates/${id}`))) as Record<string, unknown>;
    },
    alternate: {
      title: '改过的券',
      benefit: { kind: 'percent_off', percentOff: 10, maxOff: 2000, threshold: 0 },
      scope: { type: 'categories', categoryIds: ['cat_greentea'] },
      validity: { kind: 'window', from: '2026-12-01T00:00:00.000Z', until: '2026-12-31T16:00:00.000Z' },
      totalStock: 500,
      perBuyerLimit: 3,
      stacksWithMemberDiscount: true,
      claimable: false,
    },
  },
  updateStaff: {
    who: 'owner',
    async create() {
      const s = await ok(
        call('owner', 'POST', '/api/admin/staff', {
          username: `patch_staff_${++n}`,
          displayName: '补丁店员',
          role: 'clerk',
          password: 'patch-password-1',
        }),
      );
      return { id: (s as { id: string }).id };
    },
    async read({ id }) {
      const list = (await ok(call('owner', 'GET', '/api/admin/staff'))) as { items: { id: string }[] };
      return list.items.find((s) => s.id === id) as Record<string, unknown>;
    },
    alternate: { role: 'marketer', disabled: true },
  },
  updateCartLine: {
    who: 'buyer',
    async create() {
      await ok(call('buyer', 'POST', '/api/cart/items', { skuId: 'sku_jasmine1', quantity: 1 }));
      await ok(call('buyer', 'PATCH', '/api/cart/items/sku_jasmine1', { quantity: 2, selected: true }));
      return { skuId: 'sku_jasmine1' };
    },
    async read({ skuId }) {
      const cart = (await ok(call('buyer', 'GET', '/api/cart'))) as { lines: { skuId: string }[] };
      return cart.lines.find((l) => l.skuId === skuId) as Record<string, unknown>;
    },
    alternate: { quantity: 3, selected: false },
  },
  updateReview: {
    who: 'buyer',
    async create() {
      // A received order, then a review of its line.
      const orders = stack.app.services.orders;
      const placed = await orders.place({}, buyer.id, {
        clientKey: `patch-review-${++n}-${Date.now()}`,
        items: [{ skuId: 'sku_qimen1', quantity: 1 }],
        addressId: buyer.addressId,
      });
      await orders.markPaid({}, placed.orderNo, placed.price.payable, new Date());
      await ok(
        call('owner', 'POST', `/api/admin/orders/${placed.id}/ship`, { carrier: '顺丰', trackingNo: `SF${n}00000` }),
      );
      await ok(call('buyer', 'POST', `/api/orders/${placed.id}/confirm-receipt`));
      const order = (await ok(call('buyer', 'GET', `/api/orders/${placed.id}`))) as { lines: { id: string }[] };
      const r = await ok(
        call('buyer', 'POST', '/api/reviews', {
          orderLineId: order.lines[0].id,
          rating: 5,
          content: '原来的评价',
          photos: [],
          displayName: '茶友',
        }),
      );
      return { id: (r as { id: string }).id, orderId: placed.id };
    },
    async read({ id, orderId }) {
      const mine = (await ok(call('buyer', 'GET', `/api/orders/${orderId}/reviews`))) as { items: { id: string }[] };
      return mine.items.find((r) => r.id === id) as Record<string, unknown>;
    },
    alternate: { rating: 3, content: '改过的评价', photos: ['(uploaded in beforeAll)'], displayName: null },
  },
};

const patchRoutes = (Object.entries(contract) as [string, Endpoint][]).filter(([, e]) => e.method === 'PATCH');

beforeAll(async () => {
  stack = await startStack();
  buyer = await makeBuyer(stack.db, 'patcher');
  owner = await makeStaff(stack.db, 'owner');
  // A photo of the buyer's own, for the review's photos.
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex'),
    Buffer.from(`patch test ${Date.now()}`),
  ]);
  const uploaded = await fetch(`${stack.baseUrl}/api/media`, {
    method: 'POST',
    headers: { ...buyer.auth, 'content-type': 'image/png' },
    body: png,
  });
  expect(uploaded.status).toBe(200);
  fixtures.updateReview.alternate.photos = [((await uploaded.json()) as { url: string }).url];
}, 60_000);
afterAll(async () => stack?.close());

it('every PATCH route in the contract has a fixture here', () => {
  expect(patchRoutes.map(([name]) => name).filter((name) => !fixtures[name])).toEqual([]);
});

const fieldsOf = (e: Endpoint) => Object.keys((unwrap(e.body) as z.ZodObject).shape);

describe.each(patchRoutes)('%s', (name, e) => {
  const fx = fixtures[name];
  it('has an alternate value for every field of its body', () => {
    expect(fieldsOf(e).filter((f) => !(f in (fx?.alternate ?? {})))).toEqual([]);
  });

  it.each(fieldsOf(e))('patching %s alone changes it and nothing else', async (field) => {
    const params = await fx.create();
    const before = await fx.read(params);
    const companions = fx.companions?.[field] ?? {};
    const res = await call(fx.who, 'PATCH', fillPath(e.path, params), { [field]: fx.alternate[field], ...companions });
    expect([res.status, res.body?.fields]).toEqual([200, undefined]);
    const after = await fx.read(params);
    // Every other field the route may change is as it was (bookkeeping such as updatedAt may move).
    const others = fieldsOf(e).filter((k) => k !== field && !(k in companions));
    expect(pick(after, others)).toEqual(pick(before, others));
    expect(after[field]).not.toEqual(before[field]);
  });

  it.each([
    ['null', 'null'],
    ['an array', '[]'],
    ['a string', '"x"'],
    ['a number', '5'],
  ])('a body of %s is a 400 and changes nothing', async (_what, raw) => {
    const params = await fx.create();
    const before = await fx.read(params);
    const res = await fetch(stack.baseUrl + fillPath(e.path, params), {
      method: 'PATCH',
      headers: { ...(fx.who === 'buyer' ? buyer.auth : owner.auth), 'content-type': 'application/json' },
      body: raw,
    });
    expect(res.status).toBe(400);
    expect(await fx.read(params)).toEqual(before);
  });
});
