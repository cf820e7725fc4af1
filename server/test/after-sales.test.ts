/**
 * Buyer after-sales (售后) against the sandbox's WeChat Pay: requests by lines and quantities
 * (the amount from unit prices) or by amount, with the buyer's own photos; the limits (units
 * bought, money left) answer 400 naming the field and change nothing; a pending request can be
 * withdrawn (and then holds no money), and a withdrawal racing an approval has one winner; the
 * owner's restock list is bounded by the units sold less those already restocked on the order.
 */
import { SkuEntity } from '../src/modules/catalog/sku.entity';
import { OrderEntity } from '../src/modules/orders/order.entity';
import { RefundEntity } from '../src/modules/payments/refund.entity';
import { getJson } from './support/harness';
import { api, makeBuyer, makeStaff, type TestBuyer } from './support/people';
import { startPayStack, waitFor, type PayStack } from './support/pay-stack';

jest.setTimeout(60_000);
let p: PayStack;
let owner: { auth: { authorization: string } };
beforeAll(async () => {
  p = await startPayStack();
  owner = await makeStaff(p.stack.db, 'owner');
}, 60_000);
afterAll(async () => p?.close());

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

let n = 0;
interface PlacedOrder {
  id: string;
  orderNo: string;
  price: { payable: number };
  lines: { id: string; skuId: string; quantity: number; unitPrice: number }[];
}
/** A paid order of the given lines, paid through the sandbox's cashier. */
async function paidOrder(items: { skuId: string; quantity: number }[]): Promise<PlacedOrder> {
  const placed = await api(p.apiUrl, 'POST', '/api/orders', p.buyer.auth, {
    clientKey: `aftersales-${++n}-${Date.now()}`,
    items,
    addressId: p.buyer.addressId,
  });
  expect(placed.status).toBe(200);
  const pay = await api(p.apiUrl, 'POST', `/api/orders/${placed.body.id}/pay`, p.buyer.auth);
  await p.sandboxCall('POST', `/sandbox/pay/prepay/${pay.body.prepayId}/pay`);
  await waitFor(
    () => p.stack.db.getRepository(OrderEntity).findOneByOrFail({ id: placed.body.id }),
    (o) => o.status === 'PAID',
  );
  return placed.body as PlacedOrder;
}
const ask = (orderId: string, body: unknown, who: TestBuyer = p.buyer) =>
  api(p.apiUrl, 'POST', `/api/orders/${orderId}/refunds`, who.auth, body);
const refundsOf = (orderId: string) => p.stack.db.getRepository(RefundEntity).findBy({ orderId });
const refundOf = (id: string) => p.stack.db.getRepository(RefundEntity).findOneByOrFail({ id });
const stockOf = async (skuId: string) =>
  (await p.stack.db.getRepository(SkuEntity).findOneByOrFail({ id: skuId })).stock;
async function upload(who: TestBuyer, bytes = PNG): Promise<string> {
  const res = await getJson(`${p.apiUrl}/api/media`, {
    method: 'POST',
    headers: { ...who.auth, 'content-type': 'image/png' },
    body: bytes,
  });
  expect(res.status).toBe(200);
  return res.body.url as string;
}

describe('asking for money back', () => {
  it('names lines and units: the amount is their unit prices; photos are the buyer’s own uploads', async () => {
    const order = await paidOrder([
      { skuId: 'sku_longjing1', quantity: 2 },
      { skuId: 'sku_jinjunmei1', quantity: 1 },
    ]);
    const longjing = order.lines.find((l) => l.skuId === 'sku_longjing1')!;
    const photo = await upload(p.buyer);
    expect(photo).toMatch(new RegExp(`^/media/buyers/${p.buyer.id}/[0-9a-f]{32}\\.png$`));

    const req = await ask(order.id, {
      lines: [{ orderLineId: longjing.id, quantity: 1 }],
      reasonCode: 'DAMAGED',
      reason: '罐子压扁了',
      photos: [photo],
    });
    expect(req.status).toBe(200);
    expect(req.body).toMatchObject({
      status: 'REQUESTED',
      amount: 6800,
      reasonCode: 'DAMAGED',
      reason: '罐子压扁了',
      photos: [photo],
      lines: [{ orderLineId: longjing.id, skuId: 'sku_longjing1', quantity: 1, amount: 6800 }],
    });

    // The 售后 tab: this buyer's requests across orders, newest first; another buyer sees none of them.
    const mine = await api(p.apiUrl, 'GET', '/api/refunds?limit=50', p.buyer.auth);
    expect(mine.body.items[0]).toMatchObject({ id: req.body.id, orderNo: order.orderNo });
    const stranger = await makeBuyer(p.stack.db, 'stranger');
    expect((await api(p.apiUrl, 'GET', '/api/refunds', stranger.auth)).body.items).toEqual([]);

    // Someone else's upload (or an outside URL) cannot be attached.
    const theirs = await upload(stranger, Buffer.concat([PNG, Buffer.from([0])]));
    const borrowed = await ask(order.id, {
      amount: 100,
      reasonCode: 'QUALITY',
      photos: [photo, theirs, 'https://evil.example/x.png'],
    });
    expect(borrowed.status).toBe(400);
    expect(borrowed.body.fields.map((f: { path: string }) => f.path)).toEqual(['body.photos.1', 'body.photos.2']);
    // A stranger cannot ask on this order at all.
    expect((await ask(order.id, { amount: 100, reasonCode: 'QUALITY' }, stranger)).status).toBe(404);
    expect(await refundsOf(order.id)).toHaveLength(1);
  });

  it('refuses more units than were bought (400 naming the line), counting earlier requests, and changes nothing', async () => {
    const order = await paidOrder([{ skuId: 'sku_jinjunmei1', quantity: 2 }]);
    const line = order.lines[0];
    const over = await ask(order.id, { lines: [{ orderLineId: line.id, quantity: 3 }], reasonCode: 'CHANGED_MIND' });
    expect(over.status).toBe(400);
    expect(over.body.fields).toEqual([
      { path: 'body.lines.0.quantity', message: 'at most 2 (2 bought, 0 already asked for)' },
    ]);
    // The same line twice in one request is summed.
    const twice = await ask(order.id, {
      lines: [
        { orderLineId: line.id, quantity: 1 },
        { orderLineId: line.id, quantity: 2 },
      ],
      reasonCode: 'CHANGED_MIND',
    });
    expect(twice.status).toBe(400);
    expect(twice.body.fields[0].path).toBe('body.lines.1.quantity');
    const notOnOrder = await ask(order.id, {
      lines: [{ orderLineId: 'line_nope', quantity: 1 }],
      reasonCode: 'DAMAGED',
    });
    expect(notOnOrder.body.fields).toEqual([{ path: 'body.lines.0.orderLineId', message: 'is not on this order' }]);
    expect(await refundsOf(order.id)).toEqual([]);

    expect(
      (await ask(order.id, { lines: [{ orderLineId: line.id, quantity: 1 }], reasonCode: 'DAMAGED' })).status,
    ).toBe(200);
    const again = await ask(order.id, { lines: [{ orderLineId: line.id, quantity: 2 }], reasonCode: 'DAMAGED' });
    expect(again.status).toBe(400);
    expect(again.body.fields).toEqual([
      { path: 'body.lines.0.quantity', message: 'at most 1 (2 bought, 1 already asked for)' },
    ]);
    expect(await refundsOf(order.id)).toHaveLength(1);
  });

  it('refuses an amount over what is left (400 naming body.amount) and needs a reason text for OTHER', async () => {
    const order = await paidOrder([{ skuId: 'sku_jinjunmei1', quantity: 2 }]);
    expect((await ask(order.id, { amount: 5000, reasonCode: 'QUALITY' })).status).toBe(200);
    const over = await ask(order.id, { amount: order.price.payable - 5000 + 1, reasonCode: 'QUALITY' });
    expect(over.status).toBe(400);
    expect(over.body.fields).toEqual([
      { path: 'body.amount', message: `at most ${order.price.payable - 5000} fen can still be refunded` },
    ]);
    const noWhy = await ask(order.id, { amount: 100, reasonCode: 'OTHER' });
    expect(noWhy.body.fields).toEqual([{ path: 'body.reason', message: 'say why (required for OTHER)' }]);
    const nothing = await ask(order.id, { reasonCode: 'QUALITY' });
    expect(nothing.body.fields[0].path).toBe('body.amount');
    expect(await refundsOf(order.id)).toHaveLength(1);
  });
});

describe('withdrawing a pending request', () => {
  it('makes it WITHDRAWN, holding no money, and only while nobody has decided it', async () => {
    const order = await paidOrder([{ skuId: 'sku_jinjunmei1', quantity: 1 }]);
    const all = await ask(order.id, { amount: order.price.payable, reasonCode: 'NOT_RECEIVED' });
    const path = `/api/orders/${order.id}/refunds/${all.body.id}/withdraw`;
    const stranger = await makeBuyer(p.stack.db, 'stranger2');
    expect((await api(p.apiUrl, 'POST', path, stranger.auth)).status).toBe(404);
    const withdrawn = await api(p.apiUrl, 'POST', path, p.buyer.auth);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('WITHDRAWN');
    expect((await api(p.apiUrl, 'POST', path, p.buyer.auth)).status).toBe(409);
    expect(
      (await api(p.apiUrl, 'POST', `/api/admin/refunds/${all.body.id}/approve`, owner.auth, { restock: [] })).status,
    ).toBe(409);
    // Not counted: the whole amount can be asked for again.
    const anew = await ask(order.id, { amount: order.price.payable, reasonCode: 'NOT_RECEIVED' });
    expect(anew.status).toBe(200);
    await api(p.apiUrl, 'POST', `/api/admin/refunds/${anew.body.id}/reject`, owner.auth, {
      reason: '已签收 Signed for',
    });
    expect(
      (await api(p.apiUrl, 'POST', `/api/orders/${order.id}/refunds/${anew.body.id}/withdraw`, p.buyer.auth)).status,
    ).toBe(409);
  });

  it('racing the owner’s approval: exactly one of withdraw and approve wins', async () => {
    const order = await paidOrder([{ skuId: 'sku_jinjunmei1', quantity: 1 }]);
    for (let i = 0; i < 6; i++) {
      const req = await ask(order.id, { amount: 100, reasonCode: 'QUALITY' });
      expect(req.status).toBe(200);
      const [w, a] = await Promise.all([
        api(p.apiUrl, 'POST', `/api/orders/${order.id}/refunds/${req.body.id}/withdraw`, p.buyer.auth),
        api(p.apiUrl, 'POST', `/api/admin/refunds/${req.body.id}/approve`, owner.auth, { restock: [] }),
      ]);
      expect([w.status, a.status].sort()).toEqual([200, 409]);
      const final = await refundOf(req.body.id);
      if (w.status === 200) expect(final.status).toBe('WITHDRAWN');
      else expect(['APPROVED', 'PROCESSING', 'SUCCESS']).toContain(final.status);
    }
  });
});

describe('the owner’s restock list', () => {
  const approve = (id: string, restock: { skuId: string; quantity: number }[]) =>
    api(p.apiUrl, 'POST', `/api/admin/refunds/${id}/approve`, owner.auth, { restock });

  it('sums a SKU repeated in one list against the units sold (400 naming the entry, stock unchanged)', async () => {
    const order = await paidOrder([{ skuId: 'sku_jinjunmei1', quantity: 2 }]);
    const req = await ask(order.id, { amount: order.price.payable, reasonCode: 'NOT_RECEIVED' });
    const before = await stockOf('sku_jinjunmei1');
    const res = await approve(req.body.id, [
      { skuId: 'sku_jinjunmei1', quantity: 2 },
      { skuId: 'sku_jinjunmei1', quantity: 1 },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([
      {
        path: 'body.restock.1.quantity',
        message: 'at most 2 units of this SKU can go back (2 sold, 0 already restocked)',
      },
    ]);
    expect((await refundOf(req.body.id)).status).toBe('REQUESTED');
    expect(await stockOf('sku_jinjunmei1')).toBe(before);
  });

  it('counts earlier refunds of the order: two partial refunds of one unit each on a one-unit line restock once', async () => {
    const order = await paidOrder([{ skuId: 'sku_biluochun1', quantity: 1 }]);
    const first = await ask(order.id, { amount: 100, reasonCode: 'DAMAGED' });
    const second = await ask(order.id, { amount: 100, reasonCode: 'DAMAGED' });
    const before = await stockOf('sku_biluochun1');
    expect((await approve(first.body.id, [{ skuId: 'sku_biluochun1', quantity: 1 }])).status).toBe(200);
    await waitFor(
      () => refundOf(first.body.id),
      (r) => r.status === 'SUCCESS',
    );
    expect(await stockOf('sku_biluochun1')).toBe(before + 1);
    const refused = await approve(second.body.id, [{ skuId: 'sku_biluochun1', quantity: 1 }]);
    expect(refused.status).toBe(400);
    expect(refused.body.fields).toEqual([
      {
        path: 'body.restock.0.quantity',
        message: 'at most 0 units of this SKU can go back (1 sold, 1 already restocked)',
      },
    ]);
    expect((await refundOf(second.body.id)).status).toBe('REQUESTED');
    expect(await stockOf('sku_biluochun1')).toBe(before + 1);
    // Approved without restocking, the money still goes back.
    expect((await approve(second.body.id, [])).status).toBe(200);
    await waitFor(
      () => refundOf(second.body.id),
      (r) => r.status === 'SUCCESS',
    );
    expect(await stockOf('sku_biluochun1')).toBe(before + 1);
  });
});
