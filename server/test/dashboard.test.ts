/**
 * Acceptance 3 of the merchant console issue: the dashboard's numbers equal plain SQL
 * aggregates over a fixed seeded history (China-time days: `+ INTERVAL 8 HOUR`), stay right
 * when the same `order.paid` is delivered twice (through the events processor, and as two
 * racing calls of the effect), and after a rebuild of a date range. The dashboard API never
 * touches the orders table (every query it sends is captured by the DataSource's logger).
 */
import { newId } from '@chatmall/shared';
import type { Job } from 'bullmq';
import { noTx } from '../src/kernel/tx';
import { publishedSkus } from '../src/modules/catalog/sku-lookup';
import { addDays, dayOf } from '../src/modules/dashboard/days';
import { seedDemoHistory } from '../src/modules/dashboard/seed/demo-history';
import { Subscribers } from '../src/modules/events';
import { startStack, type TestStack } from './support/harness';
import { api, makeBuyer, makeStaff } from './support/people';

let stack: TestStack;
let owner: { id: string; auth: { authorization: string } };
let from: string;
let to: string;

const chinaDay = (col: string) => `DATE_FORMAT(${col} + INTERVAL 8 HOUR, '%Y-%m-%d')`;
const n = (v: unknown) => Number(v ?? 0);

/** The expected numbers of [first, last], written as plain SQL over the source tables. */
async function expected(first: string, last: string) {
  const q = (sql: string, params: unknown[] = []) => stack.db.query(sql, params) as Promise<Record<string, unknown>[]>;
  const [paid] = await q(
    `SELECT COUNT(*) AS orders, COALESCE(SUM(payable), 0) AS amount, COUNT(DISTINCT buyer_id) AS buyers
       FROM orders WHERE paid_at IS NOT NULL AND ${chinaDay('paid_at')} BETWEEN ? AND ?`,
    [first, last],
  );
  const [refunds] = await q(
    `SELECT COUNT(*) AS count, COALESCE(SUM(amount), 0) AS amount FROM refunds
      WHERE status = 'SUCCESS' AND ${chinaDay('succeeded_at')} BETWEEN ? AND ?`,
    [first, last],
  );
  const [buyers] = await q(`SELECT COUNT(*) AS count FROM buyers WHERE ${chinaDay('created_at')} BETWEEN ? AND ?`, [
    first,
    last,
  ]);
  const [placed] = await q(`SELECT COUNT(*) AS count FROM orders WHERE ${chinaDay('created_at')} BETWEEN ? AND ?`, [
    first,
    last,
  ]);
  const [shipped] = await q(`SELECT COUNT(*) AS count FROM orders WHERE ${chinaDay('shipped_at')} BETWEEN ? AND ?`, [
    first,
    last,
  ]);
  const top = await q(
    `SELECT l.product_id, SUM(l.quantity) AS units, SUM(l.line_total) AS revenue
       FROM order_lines l JOIN orders o ON o.id = l.order_id
      WHERE o.paid_at IS NOT NULL AND ${chinaDay('o.paid_at')} BETWEEN ? AND ?
      GROUP BY l.product_id ORDER BY SUM(l.line_total) DESC, l.product_id LIMIT 10`,
    [first, last],
  );
  const daily = await q(
    `SELECT ${chinaDay('paid_at')} AS day, COUNT(*) AS orders, SUM(payable) AS amount, COUNT(DISTINCT buyer_id) AS buyers
       FROM orders WHERE paid_at IS NOT NULL AND ${chinaDay('paid_at')} BETWEEN ? AND ? GROUP BY day`,
    [first, last],
  );
  const hourly = await q(
    `SELECT HOUR(paid_at + INTERVAL 8 HOUR) AS hour, COUNT(*) AS orders, SUM(payable) AS amount
       FROM orders WHERE paid_at IS NOT NULL AND ${chinaDay('paid_at')} = ? GROUP BY hour`,
    [last],
  );
  return {
    kpis: {
      paidOrders: n(paid.orders),
      paidAmount: n(paid.amount),
      buyers: n(paid.buyers),
      refunds: n(refunds.count),
      refundAmount: n(refunds.amount),
      gmv: n(paid.amount) - n(refunds.amount),
      newBuyers: n(buyers.count),
      averageOrderValue: n(paid.orders) ? Math.round(n(paid.amount) / n(paid.orders)) : 0,
    },
    placed: n(placed.count),
    shipped: n(shipped.count),
    top: top.map((t) => ({ productId: t.product_id, units: n(t.units), revenue: n(t.revenue) })),
    daily: new Map(
      daily.map((d) => [d.day as string, { orders: n(d.orders), amount: n(d.amount), buyers: n(d.buyers) }]),
    ),
    hourly: new Map(hourly.map((h) => [n(h.hour), { orders: n(h.orders), amount: n(h.amount) }])),
  };
}

async function expectDashboardMatchesSql() {
  for (const range of ['today', '7d', '30d'] as const) {
    const res = await api(stack.baseUrl, 'GET', `/api/admin/dashboard?range=${range}`, owner.auth);
    expect(res.status).toBe(200);
    const o = res.body;
    const want = await expected(o.from, o.to);
    expect(o.to).toBe(dayOf(new Date()));
    expect(o.kpis).toMatchObject(want.kpis);
    const reached = (status: string) => o.ordersByStatus.find((s: { status: string }) => s.status === status).count;
    expect(reached('PENDING_PAYMENT')).toBe(want.placed);
    expect(reached('SHIPPED')).toBe(want.shipped);
    expect(
      o.topProducts.map((t: { productId: string; units: number; revenue: number }) => ({
        productId: t.productId,
        units: t.units,
        revenue: t.revenue,
      })),
    ).toEqual(want.top);
    for (const d of o.daily) {
      const w = want.daily.get(d.date) ?? { orders: 0, amount: 0, buyers: 0 };
      expect({ date: d.date, orders: d.paidOrders, amount: d.paidAmount, buyers: d.buyers }).toEqual({
        date: d.date,
        ...w,
      });
    }
    for (const h of o.hourly)
      expect({ hour: h.hour, orders: h.paidOrders, amount: h.paidAmount }).toEqual({
        hour: h.hour,
        ...(want.hourly.get(h.hour) ?? { orders: 0, amount: 0 }),
      });
  }
}

beforeAll(async () => {
  stack = await startStack();
  owner = await makeStaff(stack.db, 'owner');
  // A fixed history (same seed), 45 days ending now, so 30 days and today both have orders.
  const seeded = await seedDemoHistory(stack.db, stack.app.services, { days: 45, perDay: 14, seed: 7 });
  expect(seeded?.orders).toBeGreaterThan(300);
  expect(seeded?.refunds).toBeGreaterThan(5);
  ({ from, to } = seeded as { from: string; to: string });
}, 120_000);
afterAll(async () => stack?.close());

it('the seeded history and its rebuild equal plain SQL over orders, refunds and buyers', async () => {
  await expectDashboardMatchesSql();
});

it('reads only aggregate rows: no query of the dashboard API touches orders, order_lines or refunds', async () => {
  const seen: string[] = [];
  const logger = stack.db.logger;
  const spy = jest.spyOn(logger, 'logQuery').mockImplementation((query: string) => void seen.push(query));
  try {
    for (const path of [
      '/api/admin/dashboard?range=30d',
      '/api/admin/dashboard?range=today',
      '/api/admin/dashboard/today',
    ])
      expect((await api(stack.baseUrl, 'GET', path, owner.auth)).status).toBe(200);
  } finally {
    spy.mockRestore();
  }
  const dashboardQueries = seen.filter((s) => /dashboard_/.test(s));
  expect(dashboardQueries.length).toBeGreaterThan(5);
  expect(seen.filter((s) => /\b(FROM|JOIN|UPDATE|INTO)\s+`?(orders|order_lines|refunds|buyers)\b/i.test(s))).toEqual(
    [],
  );
});

it('the same order.paid delivered twice, or racing, counts once', async () => {
  const { orders, dashboard } = stack.app.services;
  const buyer = await makeBuyer(stack.db, 'twice');
  // makeBuyer writes the row without signing in: deliver its buyer.registered here.
  expect(await dashboard.buyerRegistered(buyer.id)).toBe(true);
  const [sku] = await publishedSkus(stack.db.manager);
  const order = await orders.place(noTx, buyer.id, {
    clientKey: newId('order'),
    items: [{ skuId: sku.skuId, quantity: 1 }],
    addressId: buyer.addressId,
  });
  expect(await orders.markPaid(noTx, order.orderNo, order.price.payable, new Date())).toEqual({ ok: true });
  const [event] = (await stack.db.query(`SELECT id FROM outbox_events WHERE topic = 'order.paid' AND event_key = ?`, [
    order.orderNo,
  ])) as { id: string }[];

  // Only the dashboard's effects (the others send WeChat messages), through the events processor.
  const subs = new Subscribers();
  stack.app.modules.find((m) => m.name === 'dashboard')?.subscribe?.(subs);
  const processor = subs.processor(stack.db, stack.log);
  const job = { data: { eventId: event.id } } as Job;
  await processor(job);
  await processor(job);
  // The outbox says "done" after the first; the effect itself refuses a second count, even racing.
  expect(await Promise.all([dashboard.orderPaid(order.orderNo), dashboard.orderPaid(order.orderNo)])).toEqual([
    false,
    false,
  ]);
  // The placed event was never delivered: count it now, twice at once.
  expect((await Promise.all([dashboard.orderPlaced(order.id), dashboard.orderPlaced(order.id)])).sort()).toEqual([
    false,
    true,
  ]);
  await expectDashboardMatchesSql();
});

it('shipping publishes order.shipped, counted once on the day it shipped however often it arrives', async () => {
  const { orders, dashboard } = stack.app.services;
  const buyer = await makeBuyer(stack.db, 'shipped');
  expect(await dashboard.buyerRegistered(buyer.id)).toBe(true);
  const [sku] = await publishedSkus(stack.db.manager);
  const order = await orders.place(noTx, buyer.id, {
    clientKey: newId('order'),
    items: [{ skuId: sku.skuId, quantity: 1 }],
    addressId: buyer.addressId,
  });
  await dashboard.orderPlaced(order.id);
  expect(await orders.markPaid(noTx, order.orderNo, order.price.payable, new Date())).toEqual({ ok: true });
  await dashboard.orderPaid(order.orderNo);
  const before = (await dashboard.today()).ordersByStatus.find((s) => s.status === 'SHIPPED')?.count ?? 0;

  const actor = { kind: 'staff', staffId: owner.id, role: 'owner', sessionId: 'test' } as const;
  await orders.ship(noTx, actor, order.id, '顺丰速运', 'SF1234567890');
  const events = (await stack.db.query(
    `SELECT payload FROM outbox_events WHERE topic = 'order.shipped' AND event_key = ?`,
    [order.id],
  )) as { payload: string | object }[];
  expect(events).toHaveLength(1);
  expect(await Promise.all([dashboard.orderShipped(order.id), dashboard.orderShipped(order.id)])).toContain(false);
  expect(await dashboard.orderShipped(order.id)).toBe(false);
  const after = (await dashboard.today()).ordersByStatus.find((s) => s.status === 'SHIPPED')?.count;
  expect(after).toBe(before + 1);
  await expectDashboardMatchesSql();
});

it('a rebuild of a date range replaces drifted rows with the source tables’ numbers, and later deliveries still count once', async () => {
  const first = addDays(to, -10);
  // Drift: the rows of the range are wrong, one day is missing altogether.
  await stack.db.query('UPDATE dashboard_days SET paid_orders = paid_orders + 7, paid_amount = 1 WHERE day >= ?', [
    first,
  ]);
  await stack.db.query('DELETE FROM dashboard_day_products WHERE day = ?', [addDays(to, -3)]);
  await stack.db.query('DELETE FROM dashboard_day_gaps WHERE day = ?', [addDays(to, -2)]);
  await expect(expectDashboardMatchesSql()).rejects.toThrow();

  expect(await stack.app.services.dashboard.rebuild(first, to)).toBe(11);
  await expectDashboardMatchesSql();

  // Every order paid in the range is recorded as counted: delivering its event again is a no-op.
  const [paid] = (await stack.db.query(
    `SELECT order_no FROM orders WHERE paid_at IS NOT NULL AND ${chinaDay('paid_at')} = ? LIMIT 1`,
    [to],
  )) as { order_no: string }[];
  expect(await stack.app.services.dashboard.orderPaid(paid.order_no)).toBe(false);
  await expectDashboardMatchesSql();

  // A rebuild of the whole history (what the seed ran) gives the same numbers again.
  await stack.app.services.dashboard.rebuild(from, to);
  await expectDashboardMatchesSql();
});

it('today’s numbers: owner, marketer and clerk may read them; the ranges are for owner and marketer', async () => {
  const clerk = await makeStaff(stack.db, 'clerk');
  const today = await api(stack.baseUrl, 'GET', '/api/admin/dashboard/today', clerk.auth);
  expect(today.status).toBe(200);
  const want = await expected(to, to);
  expect(today.body.kpis).toMatchObject(want.kpis);
  expect(today.body.hourly).toHaveLength(24);
  expect((await api(stack.baseUrl, 'GET', '/api/admin/dashboard?range=7d', clerk.auth)).status).toBe(403);
});
