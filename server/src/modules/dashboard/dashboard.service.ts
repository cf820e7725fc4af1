/**
 * The dashboard's aggregates: daily rows kept by event subscribers (each fact counted once,
 * its event key recorded under a unique key in the same transaction as the increment), a
 * rebuild that replaces any range of days from the source tables (through the orders,
 * payments and auth modules' read methods, one transaction per day), and the reads the API
 * serves, which touch these rows only: their size depends on the days asked for, never on
 * how many orders the shop has.
 */
import type {
  DashboardDay,
  DashboardHour,
  DashboardKpis,
  DashboardOverview,
  DashboardRange,
  DashboardToday,
} from '@chatmall/shared';
import { Between, type DataSource, type EntityManager } from 'typeorm';
import { insertIgnore } from '../../kernel/dialect';
import type { Logger } from '../../kernel/logger';
import { execute } from '../../kernel/sql';
import { withTx } from '../../kernel/tx';
import type { BuyerService } from '../auth/buyer.service';
import type { OrderService } from '../orders/order.service';
import type { RefundService } from '../payments/refund.service';
import { DashboardDayEntity, DashboardGapEntity, DashboardHourEntity } from './dashboard.entity';
import { addDays, dayOf, daysBetween, dayStart, eachDay, hourOf } from './days';

/** A buyer's gap (days since their previous paying day) is kept up to this; it also means "never". */
export const GAP_CAP = 31;
const BATCH = 2000;
/** Days gathered in one pass over the source tables while rebuilding. */
const WINDOW_DAYS = 7;

export interface DashboardSources {
  orders: Pick<OrderService, 'activityOf' | 'activityBetween' | 'paidLines'>;
  refunds: Pick<RefundService, 'succeededAt' | 'succeededBetween'>;
  buyers: Pick<BuyerService, 'registeredAt' | 'registeredBetween'>;
}

const COUNTERS = {
  paidOrders: 'paid_orders',
  paidAmount: 'paid_amount',
  newBuyers: 'new_buyers',
  refundCount: 'refund_count',
  refundAmount: 'refund_amount',
  placedOrders: 'placed_orders',
  closedOrders: 'closed_orders',
  cancelledOrders: 'cancelled_orders',
  shippedOrders: 'shipped_orders',
  completedOrders: 'completed_orders',
  refundedOrders: 'refunded_orders',
  partiallyRefundedOrders: 'partially_refunded_orders',
} as const;
type Counter = keyof typeof COUNTERS;

/** What one day gains: from one event, or from everything the rebuild read for the day. */
interface DayFacts {
  counters: Partial<Record<Counter, number>>;
  hours: Map<number, { orders: number; amount: number }>;
  products: Map<string, { name: string; units: number; revenue: number }>;
  buyers: Set<string>;
  /** `topic:eventKey` of every fact counted. */
  keys: string[];
}

const emptyFacts = (): DayFacts => ({
  counters: {},
  hours: new Map(),
  products: new Map(),
  buyers: new Set(),
  keys: [],
});

function count(f: DayFacts, c: Counter, n = 1) {
  f.counters[c] = (f.counters[c] ?? 0) + n;
}

function addPaid(
  f: DayFacts,
  order: { buyerId: string; payable: number; paidAt: Date },
  lines: readonly { productId: string; name: string; quantity: number; lineTotal: number }[],
) {
  count(f, 'paidOrders');
  count(f, 'paidAmount', order.payable);
  const h = hourOf(order.paidAt);
  const hour = f.hours.get(h) ?? { orders: 0, amount: 0 };
  hour.orders++;
  hour.amount += order.payable;
  f.hours.set(h, hour);
  for (const l of lines) {
    const p = f.products.get(l.productId) ?? { name: l.name, units: 0, revenue: 0 };
    p.units += l.quantity;
    p.revenue += l.lineTotal;
    f.products.set(l.productId, p);
  }
  f.buyers.add(order.buyerId);
}

/** Multi-row INSERT in chunks (placeholders stay well under both drivers' limits). */
async function insertRows(
  tx: EntityManager,
  head: string,
  columns: number,
  rows: readonly unknown[][],
  chunk = 400,
): Promise<void> {
  const tuple = `(${Array(columns).fill('?').join(', ')})`;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    await execute(tx, `${head} VALUES ${part.map(() => tuple).join(', ')}`, part.flat());
  }
}

const num = (v: unknown): number => Number(v ?? 0);

export class DashboardService {
  constructor(
    private readonly db: DataSource,
    private readonly sources: DashboardSources,
    private readonly log: Logger,
  ) {}

  // ------------------------------------------------------------------ events

  /** `order.placed`: counted on the day the order was placed. */
  async orderPlaced(orderId: string): Promise<boolean> {
    const o = await this.sources.orders.activityOf({ id: orderId });
    if (!o) return this.missing('order.placed', orderId);
    const f = emptyFacts();
    count(f, 'placedOrders');
    return this.apply(`order.placed:${orderId}`, dayOf(o.createdAt), f);
  }

  /** `order.paid`: paid orders and amount, the hour, the products, the buyer. */
  async orderPaid(orderNo: string): Promise<boolean> {
    const o = await this.sources.orders.activityOf({ orderNo });
    if (!o?.paidAt) return this.missing('order.paid', orderNo);
    const lines = (await this.sources.orders.paidLines([o.id])).get(o.id) ?? [];
    const f = emptyFacts();
    addPaid(f, { ...o, paidAt: o.paidAt }, lines);
    return this.apply(`order.paid:${orderNo}`, dayOf(o.paidAt), f);
  }

  /** `order.closed` / `order.cancelled`: counted on the day it ended. */
  async orderEnded(topic: 'order.closed' | 'order.cancelled', orderId: string): Promise<boolean> {
    const o = await this.sources.orders.activityOf({ id: orderId });
    if (!o?.closedAt) return this.missing(topic, orderId);
    const f = emptyFacts();
    count(f, topic === 'order.closed' ? 'closedOrders' : 'cancelledOrders');
    return this.apply(`${topic}:${orderId}`, dayOf(o.closedAt), f);
  }

  async orderShipped(orderId: string): Promise<boolean> {
    const o = await this.sources.orders.activityOf({ id: orderId });
    if (!o?.shippedAt) return this.missing('order.shipped', orderId);
    const f = emptyFacts();
    count(f, 'shippedOrders');
    return this.apply(`order.shipped:${orderId}`, dayOf(o.shippedAt), f);
  }

  async orderCompleted(orderId: string): Promise<boolean> {
    const o = await this.sources.orders.activityOf({ id: orderId });
    if (!o?.completedAt) return this.missing('order.completed', orderId);
    const f = emptyFacts();
    count(f, 'completedOrders');
    return this.apply(`order.completed:${orderId}`, dayOf(o.completedAt), f);
  }

  /** `refund.succeeded`: counted on the day the money went back. */
  async refundSucceeded(e: {
    outRefundNo: string;
    amount: number;
    orderStatus: 'PARTIALLY_REFUNDED' | 'REFUNDED';
  }): Promise<boolean> {
    const at = await this.sources.refunds.succeededAt(e.outRefundNo);
    if (!at) return this.missing('refund.succeeded', e.outRefundNo);
    const f = emptyFacts();
    count(f, 'refundCount');
    count(f, 'refundAmount', e.amount);
    count(f, e.orderStatus === 'REFUNDED' ? 'refundedOrders' : 'partiallyRefundedOrders');
    return this.apply(`refund.succeeded:${e.outRefundNo}`, dayOf(at), f);
  }

  async buyerRegistered(buyerId: string): Promise<boolean> {
    const at = await this.sources.buyers.registeredAt(buyerId);
    if (!at) return this.missing('buyer.registered', buyerId);
    const f = emptyFacts();
    count(f, 'newBuyers');
    return this.apply(`buyer.registered:${buyerId}`, dayOf(at), f);
  }

  private missing(topic: string, key: string): false {
    this.log.warn({ topic, key }, 'dashboard: the source row of an event is missing; not counted');
    return false;
  }

  /**
   * Counts one event's facts into its day, once: the event key goes into dashboard_applied
   * first (a duplicate inserts nothing, and a racing second delivery waits on the key until
   * the first commits), and only a fresh key increments. Returns whether it counted.
   */
  private async apply(key: string, day: string, f: DayFacts): Promise<boolean> {
    return withTx(this.db, {}, async ({ tx }) => {
      const fresh = await execute(tx, `${insertIgnore(tx)} INTO dashboard_applied (event_key, day) VALUES (?, ?)`, [
        key,
        day,
      ]);
      if (!fresh) return false;
      let newPayers = 0;
      for (const b of f.buyers) if (await this.addBuyerDay(tx, day, b)) newPayers++;
      await execute(tx, `${insertIgnore(tx)} INTO dashboard_days (day) VALUES (?)`, [day]);
      const sets = Object.entries(f.counters).map(([c, n]) => [COUNTERS[c as Counter], n] as const);
      if (newPayers) sets.push(['paying_buyers', newPayers] as never);
      if (sets.length)
        await execute(
          tx,
          `UPDATE dashboard_days SET ${sets.map(([c]) => `${c} = ${c} + ?`).join(', ')} WHERE day = ?`,
          [...sets.map(([, n]) => n), day],
        );
      for (const [hour, h] of f.hours) {
        await execute(tx, `${insertIgnore(tx)} INTO dashboard_day_hours (day, hour) VALUES (?, ?)`, [day, hour]);
        await execute(
          tx,
          'UPDATE dashboard_day_hours SET paid_orders = paid_orders + ?, paid_amount = paid_amount + ? WHERE day = ? AND hour = ?',
          [h.orders, h.amount, day, hour],
        );
      }
      for (const [productId, p] of f.products) {
        await execute(tx, `${insertIgnore(tx)} INTO dashboard_day_products (day, product_id, name) VALUES (?, ?, ?)`, [
          day,
          productId,
          p.name,
        ]);
        await execute(
          tx,
          'UPDATE dashboard_day_products SET units = units + ?, revenue = revenue + ?, name = ? WHERE day = ? AND product_id = ?',
          [p.units, p.revenue, p.name, day, productId],
        );
      }
      return true;
    });
  }

  private async bumpGap(tx: EntityManager, day: string, gap: number, by: number) {
    await execute(tx, `${insertIgnore(tx)} INTO dashboard_day_gaps (day, gap) VALUES (?, ?)`, [day, gap]);
    await execute(tx, 'UPDATE dashboard_day_gaps SET buyers = buyers + ? WHERE day = ? AND gap = ?', [by, day, gap]);
  }

  /**
   * The buyer paid on `day`: their row with the gap since their previous paying day, and the
   * gap of their next paying day (if one was counted already) moved to start from this one.
   */
  private async addBuyerDay(tx: EntityManager, day: string, buyerId: string): Promise<boolean> {
    const [prev] = (await tx.query('SELECT MAX(day) AS d FROM dashboard_day_buyers WHERE buyer_id = ? AND day < ?', [
      buyerId,
      day,
    ])) as { d: string | null }[];
    const gap = prev?.d ? Math.min(GAP_CAP, daysBetween(prev.d, day)) : GAP_CAP;
    const added = await execute(
      tx,
      `${insertIgnore(tx)} INTO dashboard_day_buyers (day, buyer_id, gap) VALUES (?, ?, ?)`,
      [day, buyerId, gap],
    );
    if (!added) return false;
    await this.bumpGap(tx, day, gap, 1);
    const [next] = (await tx.query(
      'SELECT day, gap FROM dashboard_day_buyers WHERE buyer_id = ? AND day > ? ORDER BY day LIMIT 1',
      [buyerId, day],
    )) as { day: string; gap: number }[];
    if (next) {
      const moved = Math.min(GAP_CAP, daysBetween(day, next.day));
      if (moved !== num(next.gap)) {
        await execute(tx, 'UPDATE dashboard_day_buyers SET gap = ? WHERE day = ? AND buyer_id = ?', [
          moved,
          next.day,
          buyerId,
        ]);
        await this.bumpGap(tx, next.day, num(next.gap), -1);
        await this.bumpGap(tx, next.day, moved, 1);
      }
    }
    return true;
  }

  // ------------------------------------------------------------------ rebuild

  /**
   * Recomputes every day from `from` to `to` (both included) from the source tables and
   * replaces their rows, one transaction per day; then re-derives the buyer gaps of the
   * GAP_CAP days after the range, which start from days in it. Returns the days rebuilt.
   */
  async rebuild(from: string, to: string, progress?: (day: string) => void): Promise<number> {
    const days = eachDay(from, to);
    for (let i = 0; i < days.length; i += WINDOW_DAYS) {
      const window = days.slice(i, i + WINDOW_DAYS);
      const facts = await this.gather(window[0], window[window.length - 1]);
      for (const day of window) {
        await this.replaceDay(day, facts.get(day) ?? emptyFacts());
        progress?.(day);
      }
    }
    const after = (await this.db.query(
      'SELECT DISTINCT day FROM dashboard_day_buyers WHERE day > ? AND day <= ? ORDER BY day',
      [to, addDays(to, GAP_CAP)],
    )) as { day: string }[];
    for (const { day } of after) await this.regap(day);
    return days.length;
  }

  /** Everything the source tables say happened on these days, per day. */
  private async gather(first: string, last: string): Promise<Map<string, DayFacts>> {
    const start = dayStart(first);
    const end = dayStart(addDays(last, 1));
    const out = new Map<string, DayFacts>();
    const on = (at: Date | null): DayFacts | null => {
      if (!at || at < start || at >= end) return null;
      const day = dayOf(at);
      let f = out.get(day);
      if (!f) out.set(day, (f = emptyFacts()));
      return f;
    };
    for (let after: string | null = null; ;) {
      const batch = await this.sources.orders.activityBetween(start, end, after, BATCH);
      if (!batch.length) break;
      after = batch[batch.length - 1].id;
      const paid = batch.filter((o) => on(o.paidAt));
      const lines = await this.sources.orders.paidLines(paid.map((o) => o.id));
      for (const o of batch) {
        let f = on(o.createdAt);
        if (f) {
          count(f, 'placedOrders');
          f.keys.push(`order.placed:${o.id}`);
        }
        if (o.paidAt && (f = on(o.paidAt))) {
          addPaid(f, { ...o, paidAt: o.paidAt }, lines.get(o.id) ?? []);
          f.keys.push(`order.paid:${o.orderNo}`);
        }
        if ((o.status === 'CLOSED' || o.status === 'CANCELLED') && (f = on(o.closedAt))) {
          count(f, o.status === 'CLOSED' ? 'closedOrders' : 'cancelledOrders');
          f.keys.push(`${o.status === 'CLOSED' ? 'order.closed' : 'order.cancelled'}:${o.id}`);
        }
        if ((f = on(o.shippedAt))) {
          count(f, 'shippedOrders');
          f.keys.push(`order.shipped:${o.id}`);
        }
        if ((f = on(o.completedAt))) {
          count(f, 'completedOrders');
          f.keys.push(`order.completed:${o.id}`);
        }
      }
      if (batch.length < BATCH) break;
    }
    for (let after: string | null = null; ;) {
      const batch = await this.sources.refunds.succeededBetween(start, end, after, BATCH);
      if (!batch.length) break;
      after = batch[batch.length - 1].id;
      for (const r of batch) {
        const f = on(r.succeededAt);
        if (!f) continue;
        count(f, 'refundCount');
        count(f, 'refundAmount', r.amount);
        count(f, r.orderStatus === 'REFUNDED' ? 'refundedOrders' : 'partiallyRefundedOrders');
        f.keys.push(`refund.succeeded:${r.outRefundNo}`);
      }
      if (batch.length < BATCH) break;
    }
    for (let after: string | null = null; ;) {
      const batch = await this.sources.buyers.registeredBetween(start, end, after, BATCH);
      if (!batch.length) break;
      after = batch[batch.length - 1].id;
      for (const b of batch) {
        const f = on(b.createdAt);
        if (!f) continue;
        count(f, 'newBuyers');
        f.keys.push(`buyer.registered:${b.id}`);
      }
      if (batch.length < BATCH) break;
    }
    return out;
  }

  /** Each buyer's latest paying day before `day` (rows already in the table). */
  private async previousDays(tx: EntityManager, day: string, buyers: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < buyers.length; i += 500) {
      const part = buyers.slice(i, i + 500);
      const rows = (await tx.query(
        `SELECT buyer_id, MAX(day) AS d FROM dashboard_day_buyers WHERE day < ? AND buyer_id IN (${part.map(() => '?').join(', ')}) GROUP BY buyer_id`,
        [day, ...part],
      )) as { buyer_id: string; d: string }[];
      for (const r of rows) out.set(r.buyer_id, r.d);
    }
    return out;
  }

  private async replaceDay(day: string, f: DayFacts): Promise<void> {
    await withTx(this.db, {}, async ({ tx }) => {
      for (const t of [
        'dashboard_applied',
        'dashboard_day_gaps',
        'dashboard_day_buyers',
        'dashboard_day_products',
        'dashboard_day_hours',
        'dashboard_days',
      ])
        await execute(tx, `DELETE FROM ${t} WHERE day = ?`, [day]);
      const buyers = [...f.buyers];
      const prev = await this.previousDays(tx, day, buyers);
      const gaps = new Map<number, number>();
      const buyerRows = buyers.map((b) => {
        const p = prev.get(b);
        const gap = p ? Math.min(GAP_CAP, daysBetween(p, day)) : GAP_CAP;
        gaps.set(gap, (gaps.get(gap) ?? 0) + 1);
        return [day, b, gap];
      });
      const c = (k: Counter) => f.counters[k] ?? 0;
      const cols = Object.keys(COUNTERS) as Counter[];
      await execute(
        tx,
        `INSERT INTO dashboard_days (day, paying_buyers, ${cols.map((k) => COUNTERS[k]).join(', ')}) VALUES (?, ?, ${cols.map(() => '?').join(', ')})`,
        [day, buyers.length, ...cols.map(c)],
      );
      await insertRows(tx, 'INSERT INTO dashboard_day_buyers (day, buyer_id, gap)', 3, buyerRows);
      await insertRows(
        tx,
        'INSERT INTO dashboard_day_gaps (day, gap, buyers)',
        3,
        [...gaps].map(([g, n]) => [day, g, n]),
      );
      await insertRows(
        tx,
        'INSERT INTO dashboard_day_hours (day, hour, paid_orders, paid_amount)',
        4,
        [...f.hours].map(([h, v]) => [day, h, v.orders, v.amount]),
      );
      await insertRows(
        tx,
        'INSERT INTO dashboard_day_products (day, product_id, name, units, revenue)',
        5,
        [...f.products].map(([id, p]) => [day, id, p.name, p.units, p.revenue]),
      );
      await insertRows(
        tx,
        `${insertIgnore(tx)} INTO dashboard_applied (event_key, day)`,
        2,
        f.keys.map((k) => [k, day]),
        1000,
      );
    });
  }

  /** Re-derives one day's buyer gaps from the rows before it. */
  private async regap(day: string): Promise<void> {
    await withTx(this.db, {}, async ({ tx }) => {
      const rows = (await tx.query('SELECT buyer_id, gap FROM dashboard_day_buyers WHERE day = ?', [day])) as {
        buyer_id: string;
        gap: number;
      }[];
      const prev = await this.previousDays(
        tx,
        day,
        rows.map((r) => r.buyer_id),
      );
      const gaps = new Map<number, number>();
      for (const r of rows) {
        const p = prev.get(r.buyer_id);
        const gap = p ? Math.min(GAP_CAP, daysBetween(p, day)) : GAP_CAP;
        gaps.set(gap, (gaps.get(gap) ?? 0) + 1);
        if (gap !== num(r.gap))
          await execute(tx, 'UPDATE dashboard_day_buyers SET gap = ? WHERE day = ? AND buyer_id = ?', [
            gap,
            day,
            r.buyer_id,
          ]);
      }
      await execute(tx, 'DELETE FROM dashboard_day_gaps WHERE day = ?', [day]);
      await insertRows(
        tx,
        'INSERT INTO dashboard_day_gaps (day, gap, buyers)',
        3,
        [...gaps].map(([g, n]) => [day, g, n]),
      );
    });
  }

  // ------------------------------------------------------------------ reads (aggregate rows only)

  async overview(range: DashboardRange, now = new Date()): Promise<DashboardOverview> {
    const to = dayOf(now);
    const from = addDays(to, range === 'today' ? 0 : range === '7d' ? -6 : -29);
    const rows = await this.db.getRepository(DashboardDayEntity).findBy({ day: Between(from, to) });
    const byDay = new Map(rows.map((r) => [r.day, r]));
    const daily: DashboardDay[] = eachDay(from, to).map((date) => {
      const r = byDay.get(date);
      return {
        date,
        gmv: (r?.paidAmount ?? 0) - (r?.refundAmount ?? 0),
        paidAmount: r?.paidAmount ?? 0,
        paidOrders: r?.paidOrders ?? 0,
        buyers: r?.payingBuyers ?? 0,
        refundAmount: r?.refundAmount ?? 0,
        newBuyers: r?.newBuyers ?? 0,
      };
    });
    const top = (await this.db.query(
      `SELECT product_id, MAX(name) AS name, SUM(units) AS units, SUM(revenue) AS revenue
         FROM dashboard_day_products WHERE day >= ? AND day <= ?
         GROUP BY product_id ORDER BY SUM(revenue) DESC, product_id LIMIT 10`,
      [from, to],
    )) as { product_id: string; name: string; units: unknown; revenue: unknown }[];
    return {
      range,
      from,
      to,
      kpis: await this.kpis(rows, from, to),
      daily,
      ordersByStatus: this.statuses(rows),
      topProducts: top.map((t) => ({
        productId: t.product_id,
        name: t.name,
        units: num(t.units),
        revenue: num(t.revenue),
      })),
      hourly: await this.hourly(to),
    };
  }

  async today(now = new Date()): Promise<DashboardToday> {
    const day = dayOf(now);
    const rows = await this.db.getRepository(DashboardDayEntity).findBy({ day });
    return {
      date: day,
      kpis: await this.kpis(rows, day, day),
      ordersByStatus: this.statuses(rows),
      hourly: await this.hourly(day),
    };
  }

  /** Distinct paying buyers over [from, to]: each counted on their first paying day in it. */
  async distinctBuyers(from: string, to: string): Promise<number> {
    const gaps = await this.db.getRepository(DashboardGapEntity).findBy({ day: Between(from, to) });
    return gaps.filter((g) => g.gap > daysBetween(from, g.day)).reduce((n, g) => n + g.buyers, 0);
  }

  private async kpis(rows: DashboardDayEntity[], from: string, to: string): Promise<DashboardKpis> {
    const sum = (k: keyof DashboardDayEntity) => rows.reduce((n, r) => n + num(r[k]), 0);
    const paidAmount = sum('paidAmount');
    const paidOrders = sum('paidOrders');
    const refundAmount = sum('refundAmount');
    return {
      gmv: paidAmount - refundAmount,
      paidAmount,
      paidOrders,
      buyers: await this.distinctBuyers(from, to),
      averageOrderValue: paidOrders ? Math.round(paidAmount / paidOrders) : 0,
      refunds: sum('refundCount'),
      refundAmount,
      refundRate: paidAmount ? Math.round((refundAmount / paidAmount) * 10_000) / 10_000 : 0,
      newBuyers: sum('newBuyers'),
    };
  }

  private statuses(rows: DashboardDayEntity[]): DashboardOverview['ordersByStatus'] {
    const sum = (k: keyof DashboardDayEntity) => rows.reduce((n, r) => n + num(r[k]), 0);
    return [
      { status: 'PENDING_PAYMENT', count: sum('placedOrders') },
      { status: 'PAID', count: sum('paidOrders') },
      { status: 'CLOSED', count: sum('closedOrders') },
      { status: 'CANCELLED', count: sum('cancelledOrders') },
      { status: 'SHIPPED', count: sum('shippedOrders') },
      { status: 'COMPLETED', count: sum('completedOrders') },
      { status: 'PARTIALLY_REFUNDED', count: sum('partiallyRefundedOrders') },
      { status: 'REFUNDED', count: sum('refundedOrders') },
    ];
  }

  private async hourly(day: string): Promise<DashboardHour[]> {
    const rows = await this.db.getRepository(DashboardHourEntity).findBy({ day });
    const byHour = new Map(rows.map((r) => [num(r.hour), r]));
    return Array.from({ length: 24 }, (_, hour) => ({
      hour,
      paidOrders: byHour.get(hour)?.paidOrders ?? 0,
      paidAmount: byHour.get(hour)?.paidAmount ?? 0,
    }));
  }
}
