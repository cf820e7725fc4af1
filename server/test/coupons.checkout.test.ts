/**
 * Coupons at checkout on MariaDB: the server re-prices with the shared pricing (the preview
 * lists every coupon with why an inapplicable one does not apply; a coupon asked for that does
 * not apply is a 400 on body.couponId), placing an order locks its coupon in the order's
 * transaction (20 concurrent orders with one coupon: exactly one), and the coupons module's
 * subscribers, driven through the events processor, consume it on `order.paid`, release it on
 * close or cancel, and restore it on a full refund (unless the shop says not to, or it expired).
 * The expiry sweep marks coupons expired and publishes `coupon.expiring` once per coupon.
 */
import { newId, type CouponTemplateInput } from '@chatmall/shared';
import type { Job } from 'bullmq';
import { noTx } from '../src/kernel/tx';
import { couponJobs } from '../src/modules/coupons/coupons.jobs';
import { CouponEntity } from '../src/modules/coupons/coupon.entity';
import { CouponTemplateEntity } from '../src/modules/coupons/coupon-template.entity';
import { Subscribers } from '../src/modules/events';
import { OrderEntity } from '../src/modules/orders/order.entity';
import { RefundEntity } from '../src/modules/payments/refund.entity';
import { SkuEntity } from '../src/modules/catalog/sku.entity';
import { startStack, type TestStack } from './support/harness';
import { api, makeBuyer, makeStaff, type TestBuyer } from './support/people';

let stack: TestStack;
let owner: { id: string; auth: { authorization: string } };
const ownerActor = () => ({ kind: 'staff', staffId: owner.id, role: 'owner', sessionId: 'test' }) as const;

beforeAll(async () => {
  stack = await startStack();
  owner = await makeStaff(stack.db, 'owner');
}, 60_000);
afterAll(async () => stack?.close());

const design = (over: Partial<CouponTemplateInput> = {}): CouponTemplateInput => ({
  title: '满99减10',
  benefit: { kind: 'amount_off', amountOff: 1000, threshold: 9900 },
  scope: { type: 'shop' },
  validity: { kind: 'days', days: 7 },
  totalStock: 1000,
  perBuyerLimit: 5,
  stacksWithMemberDiscount: false,
  claimable: true,
  ...over,
});

/** A published template and one coupon of it in the buyer's wallet. */
async function couponFor(b: TestBuyer, over: Partial<CouponTemplateInput> = {}): Promise<string> {
  const { couponTemplates, coupons } = stack.app.services;
  const t = await couponTemplates.create(noTx, ownerActor(), design(over));
  await couponTemplates.publish(noTx, ownerActor(), t.id);
  const r = await coupons.claim(noTx, b.id, t.id, newId('coupon').slice(4, 30));
  if (!r.ok) throw new Error(r.message);
  return r.coupon.id;
}

const coupon = (id: string) => stack.db.getRepository(CouponEntity).findOneByOrFail({ id });

/** Runs the coupons module's subscribers for the event of this topic and key, twice (a redelivery). */
async function deliver(topic: string, key: string) {
  const subs = new Subscribers();
  stack.app.modules.find((m) => m.name === 'coupons')?.subscribe?.(subs);
  const processor = subs.processor(stack.db, stack.log);
  const rows = (await stack.db.query('SELECT id FROM outbox_events WHERE topic = ? AND event_key = ?', [
    topic,
    key,
  ])) as { id: string }[];
  expect(rows).toHaveLength(1);
  const job = { data: { eventId: rows[0].id } } as Job;
  await processor(job);
  await processor(job);
}

const order = (b: TestBuyer, body: Record<string, unknown>, key = newId('order').slice(4, 30)) =>
  api(stack.baseUrl, 'POST', '/api/orders', b.auth, {
    clientKey: key,
    items: [{ skuId: 'sku_longjing1', quantity: 1 }],
    addressId: b.addressId,
    ...body,
  });

describe('re-pricing', () => {
  it('the preview judges every coupon, picks the best, and says why the others do not apply', async () => {
    const b = await makeBuyer(stack.db, 'previewer');
    const big = await couponFor(b); // 满99减10: ¥68 is ¥31 short
    const small = await couponFor(b, { title: '无门槛减5', benefit: { kind: 'no_threshold', amountOff: 500 } });
    const black = await couponFor(b, { title: '红茶券', scope: { type: 'categories', categoryIds: ['cat_blacktea'] } });
    const res = await api(stack.baseUrl, 'POST', '/api/checkout/preview', b.auth, {
      items: [{ skuId: 'sku_longjing1', quantity: 1 }],
    });
    expect(res.status).toBe(200);
    expect(res.body.coupon).toMatchObject({ couponId: small, chosenBy: 'best' });
    expect(res.body.couponDiscount).toBe(500);
    const verdicts = new Map(res.body.coupons.map((v: { couponId: string }) => [v.couponId, v]));
    expect(verdicts.get(big)).toMatchObject({
      applicable: false,
      refusal: { code: 'BELOW_THRESHOLD', gap: 3100, message: '差 ¥31.00 可用 (¥31.00 short)' },
    });
    expect(verdicts.get(black)).toMatchObject({ applicable: false, refusal: { code: 'NOT_FOR_THESE_ITEMS' } });
    expect(res.body.adjustments).toEqual([expect.objectContaining({ kind: 'coupon', amount: -500 })]);
    // ¥68 − ¥5 = ¥63 of goods, below ¥99: ¥10 shipping.
    expect(res.body.payable).toBe(6300 + 1000);

    const none = await api(stack.baseUrl, 'POST', '/api/checkout/preview', b.auth, {
      items: [{ skuId: 'sku_longjing1', quantity: 1 }],
      coupon: 'none',
    });
    expect([none.body.coupon, none.body.payable]).toEqual([null, 6800 + 1000]);
  });

  it('placing with a coupon that does not apply is a 400 on body.couponId with the reason, and places nothing', async () => {
    const b = await makeBuyer(stack.db, 'short');
    const big = await couponFor(b);
    const res = await order(b, { couponId: big });
    expect([res.status, res.body.fields]).toEqual([
      400,
      [{ path: 'body.couponId', message: '差 ¥31.00 可用 (¥31.00 short)' }],
    ]);
    const other = await makeBuyer(stack.db, 'other');
    const theirs = await couponFor(other, { benefit: { kind: 'no_threshold', amountOff: 500 } });
    const stolen = await order(b, { couponId: theirs });
    expect([stolen.status, stolen.body.fields[0].path]).toEqual([400, 'body.couponId']);
    expect(await stack.db.getRepository(OrderEntity).countBy({ buyerId: b.id })).toBe(0);
    expect((await coupon(theirs)).status).toBe('USABLE');
  });

  it('an order records its coupon and discount, with the discount among its adjustments', async () => {
    const b = await makeBuyer(stack.db, 'recorder');
    const c = await couponFor(b, { benefit: { kind: 'amount_off', amountOff: 1000, threshold: 9900 } });
    const res = await order(b, {
      couponId: c,
      items: [
        { skuId: 'sku_longjing1', quantity: 1 },
        { skuId: 'sku_biluochun1', quantity: 1 },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.coupon).toEqual({ couponId: c, discount: 1000 });
    expect(res.body.price).toMatchObject({ itemsTotal: 12_600, shippingFee: 0, payable: 11_600 });
    // Each line keeps its share (¥68 and ¥58 of ¥126), for a refund of one line.
    expect(res.body.lines.map((l: { skuId: string; discount: number }) => [l.skuId, l.discount])).toEqual([
      ['sku_longjing1', 540],
      ['sku_biluochun1', 460],
    ]);
    expect(res.body.price.adjustments).toEqual([
      { kind: 'coupon', label: expect.stringContaining('满99减10'), amount: -1000 },
    ]);
    expect(await coupon(c)).toMatchObject({ status: 'LOCKED', orderId: res.body.id, orderNo: res.body.orderNo });
    // The buyer's usable coupons no longer offer it.
    const preview = await api(stack.baseUrl, 'POST', '/api/checkout/preview', b.auth, {
      items: [{ skuId: 'sku_longjing1', quantity: 2 }],
    });
    expect(preview.body.coupons).toEqual([]);
    expect(preview.body.coupons.map((v: { couponId: string }) => v.couponId)).not.toContain(c);
  });
  it('a refund of a couponed line returns what the buyer paid for those units, the whole line exactly when asked back in steps', async () => {
    const b = await makeBuyer(stack.db, 'line-refund');
    const c = await couponFor(b, { benefit: { kind: 'amount_off', amountOff: 1000, threshold: 9900 } });
    const placed = await order(b, {
      couponId: c,
      items: [
        { skuId: 'sku_longjing1', quantity: 3 },
        { skuId: 'sku_biluochun1', quantity: 1 },
      ],
    });
    expect(placed.status).toBe(200);
    await stack.app.services.orders.markPaid(noTx, placed.body.orderNo, placed.body.price.payable, new Date());
    const line = placed.body.lines.find((l: { skuId: string }) => l.skuId === 'sku_longjing1');
    const paid = line.unitPrice * 3 - line.discount;
    expect(line.discount).toBeGreaterThan(0);
    const ask = (quantity: number) =>
      api(stack.baseUrl, 'POST', `/api/orders/${placed.body.id}/refunds`, b.auth, {
        lines: [{ orderLineId: line.id, quantity }],
        reasonCode: 'DAMAGED',
        reason: '破损',
      });
    const first = await ask(1);
    expect(first.status).toBe(200);
    // Never the list price: the unit's share of the coupon stays with the shop.
    expect(first.body.amount).toBe(Math.floor(paid / 3));
    const rest = await ask(2);
    expect(rest.status).toBe(200);
    expect(first.body.amount + rest.body.amount).toBe(paid);
  });
});

describe('lock, consume, release, restore', () => {
  it('20 concurrent orders by one buyer with one coupon: exactly one places, 19 are 409 on body.couponId', async () => {
    const b = await makeBuyer(stack.db, 'racer');
    const c = await couponFor(b, { benefit: { kind: 'no_threshold', amountOff: 800 } });
    const stockBefore = (await stack.db.getRepository(SkuEntity).findOneByOrFail({ id: 'sku_biluochun1' })).stock;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        order(b, { couponId: c, items: [{ skuId: 'sku_biluochun1', quantity: 1 }] }, `race-${i}-${b.id.slice(-8)}`),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 409);
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(19);
    expect(refused.every((r) => r.body.fields?.[0]?.path === 'body.couponId')).toBe(true);
    expect(await stack.db.getRepository(OrderEntity).countBy({ buyerId: b.id })).toBe(1);
    expect(await coupon(c)).toMatchObject({ status: 'LOCKED', orderId: ok[0].body.id });
    // The refused orders took no stock.
    expect((await stack.db.getRepository(SkuEntity).findOneByOrFail({ id: 'sku_biluochun1' })).stock).toBe(
      stockBefore - 1,
    );
  }, 60_000);

  it('a closed order releases its coupon; a cancelled one too; each once however often delivered', async () => {
    const b = await makeBuyer(stack.db, 'closer');
    const c = await couponFor(b, { benefit: { kind: 'no_threshold', amountOff: 500 } });
    const placed = await order(b, { couponId: c });
    const { orders } = stack.app.services;
    expect(await orders.closeIfUnpaid(noTx, placed.body.id, new Date(Date.now() + 3_600_000))).toBe(true);
    expect((await coupon(c)).status).toBe('LOCKED');
    await deliver('order.closed', placed.body.id);
    expect(await coupon(c)).toMatchObject({ status: 'USABLE', orderId: null, orderNo: null });

    const again = await order(b, { couponId: c });
    expect(again.status).toBe(200);
    expect((await api(stack.baseUrl, 'POST', `/api/orders/${again.body.id}/cancel`, b.auth)).status).toBe(200);
    await deliver('order.cancelled', again.body.id);
    expect((await coupon(c)).status).toBe('USABLE');
  });

  it('order.paid consumes the coupon once and counts it on the template', async () => {
    const b = await makeBuyer(stack.db, 'payer');
    const c = await couponFor(b, { benefit: { kind: 'no_threshold', amountOff: 500 } });
    const placed = await order(b, { couponId: c });
    const { orders } = stack.app.services;
    expect(await orders.markPaid(noTx, placed.body.orderNo, placed.body.price.payable, new Date())).toEqual({
      ok: true,
    });
    await deliver('order.paid', placed.body.orderNo);
    const used = await coupon(c);
    expect(used).toMatchObject({ status: 'USED', orderId: placed.body.id });
    expect(used.usedAt).not.toBeNull();
    expect((await stack.db.getRepository(CouponTemplateEntity).findOneByOrFail({ id: used.templateId })).used).toBe(1);
    const wallet = await api(stack.baseUrl, 'GET', '/api/coupons?tab=used', b.auth);
    expect(wallet.body.items).toEqual([expect.objectContaining({ id: c, status: 'USED', orderId: placed.body.id })]);
  });

  /** A paid order with the coupon, then refunded in full through the refund service's settlement. */
  async function paidThenFullyRefunded(b: TestBuyer, c: string) {
    const placed = await order(b, { couponId: c });
    const { orders, refunds } = stack.app.services;
    await orders.markPaid(noTx, placed.body.orderNo, placed.body.price.payable, new Date());
    await deliver('order.paid', placed.body.orderNo);
    expect((await coupon(c)).status).toBe('USED');
    const asked = await api(stack.baseUrl, 'POST', `/api/orders/${placed.body.id}/refunds`, b.auth, {
      amount: placed.body.price.payable,
      reasonCode: 'OTHER',
      reason: '不想要了',
    });
    expect(asked.status).toBe(200);
    // Approved as the owner would; WeChat Pay's answer is played by the settlement itself.
    await stack.db.getRepository(RefundEntity).update({ id: asked.body.id }, { status: 'APPROVED' });
    const { outRefundNo } = await stack.db.getRepository(RefundEntity).findOneByOrFail({ id: asked.body.id });
    expect(await refunds.settle(noTx, outRefundNo, 'SUCCESS')).toBe('SETTLED');
    await deliver('refund.succeeded', outRefundNo);
    return placed.body;
  }

  it('a full refund gives a still-valid coupon back; not when the shop turned it off; not once expired', async () => {
    const settings = stack.app.services.settings;
    const b = await makeBuyer(stack.db, 'refunded');

    const c1 = await couponFor(b, { benefit: { kind: 'no_threshold', amountOff: 500 } });
    await paidThenFullyRefunded(b, c1);
    expect(await coupon(c1)).toMatchObject({ status: 'USABLE', orderId: null, usedAt: null });
    const back = await stack.db
      .getRepository(CouponTemplateEntity)
      .findOneByOrFail({ id: (await coupon(c1)).templateId });
    expect(back.used).toBe(0);

    await settings.update(noTx, ownerActor(), { restoreCouponOnFullRefund: false });
    const c2 = await couponFor(b, { benefit: { kind: 'no_threshold', amountOff: 400 } });
    await paidThenFullyRefunded(b, c2);
    expect((await coupon(c2)).status).toBe('USED');
    await settings.update(noTx, ownerActor(), { restoreCouponOnFullRefund: true });

    const c3 = await couponFor(b, { benefit: { kind: 'no_threshold', amountOff: 300 } });
    const placed = await order(b, { couponId: c3 });
    const { orders, refunds } = stack.app.services;
    await orders.markPaid(noTx, placed.body.orderNo, placed.body.price.payable, new Date());
    await deliver('order.paid', placed.body.orderNo);
    // It ends before the refund comes through.
    await stack.db.getRepository(CouponEntity).update({ id: c3 }, { validUntil: new Date(Date.now() - 1000) });
    const asked = await api(stack.baseUrl, 'POST', `/api/orders/${placed.body.id}/refunds`, b.auth, {
      amount: placed.body.price.payable,
      reasonCode: 'OTHER',
      reason: '不想要了',
    });
    await stack.db.getRepository(RefundEntity).update({ id: asked.body.id }, { status: 'APPROVED' });
    const { outRefundNo } = await stack.db.getRepository(RefundEntity).findOneByOrFail({ id: asked.body.id });
    await refunds.settle(noTx, outRefundNo, 'SUCCESS');
    await deliver('refund.succeeded', outRefundNo);
    expect((await coupon(c3)).status).toBe('USED');
  });

  it('a coupon that takes the whole goods total on a free-shipping shop pays the order at placement', async () => {
    const b = await makeBuyer(stack.db, 'freebie');
    const settings = stack.app.services.settings;
    await settings.update(noTx, ownerActor(), { shipping: { flatFee: 0 } });
    try {
      const c = await couponFor(b, { benefit: { kind: 'no_threshold', amountOff: 9000 } });
      const res = await order(b, { couponId: c });
      expect(res.body).toMatchObject({
        status: 'PAID',
        price: { payable: 0 },
        coupon: { couponId: c, discount: 6800 },
      });
      await deliver('order.paid', res.body.orderNo);
      expect((await coupon(c)).status).toBe('USED');
    } finally {
      await settings.update(noTx, ownerActor(), { shipping: { flatFee: 1000 } });
    }
  });
});

describe('expiry', () => {
  it('the sweep marks ended coupons expired and reminds once per coupon in its last day', async () => {
    const b = await makeBuyer(stack.db, 'forgetful');
    const ended = await couponFor(b, { benefit: { kind: 'no_threshold', amountOff: 100 } });
    const ending = await couponFor(b, { benefit: { kind: 'no_threshold', amountOff: 200 } });
    const later = await couponFor(b, { benefit: { kind: 'no_threshold', amountOff: 300 } });
    const locked = await couponFor(b, { benefit: { kind: 'no_threshold', amountOff: 400 } });
    const placed = await order(b, { couponId: locked });
    expect(placed.status).toBe(200);
    const repo = stack.db.getRepository(CouponEntity);
    const now = Date.now();
    await repo.update({ id: ended }, { validUntil: new Date(now - 60_000) });
    await repo.update({ id: ending }, { validUntil: new Date(now + 12 * 3_600_000) });
    await repo.update({ id: locked }, { validUntil: new Date(now - 60_000) });

    // Through the job's processor, as the worker runs it, twice.
    const run = couponJobs(stack.app.services.coupons, stack.log);
    const first = (await run({ name: 'expiry-sweep', data: {} } as Job)) as { expired: number; reminded: number };
    const second = (await run({ name: 'expiry-sweep', data: {} } as Job)) as { expired: number; reminded: number };
    expect(second).toEqual({ expired: 0, reminded: 0 });
    expect(first.expired).toBeGreaterThanOrEqual(1);
    expect((await coupon(ended)).status).toBe('EXPIRED');
    expect((await coupon(ending)).status).toBe('USABLE');
    expect((await coupon(later)).status).toBe('USABLE');
    // A coupon held by an unpaid order is left to the order (it is released or used).
    expect((await coupon(locked)).status).toBe('LOCKED');

    const events = (await stack.db.query(
      "SELECT event_key, payload FROM outbox_events WHERE topic = 'coupon.expiring' AND event_key IN (?, ?, ?)",
      [ended, ending, later],
    )) as { event_key: string; payload: string | Record<string, unknown> }[];
    expect(events.map((e) => e.event_key)).toEqual([ending]);
    const payload = typeof events[0].payload === 'string' ? JSON.parse(events[0].payload) : events[0].payload;
    expect(payload).toMatchObject({ couponId: ending, buyerId: b.id, benefitText: '无门槛减2 (¥2 off)' });
    expect((await coupon(ending)).remindedAt).not.toBeNull();
  });
});
