/**
 * Demo order history, so the dashboard is not empty on first start: ~90 China-time days of
 * believable orders ending now (weekends and evenings busier, a slow upward trend, a few
 * closed or cancelled checkouts, some refunds), against the catalog's published SKUs.
 * Written through the owners' bulk paths (auth's buyers, orders' finished orders, payments'
 * succeeded refunds), none of which touches stock; then the dashboard is rebuilt for the
 * range. Only into a shop without orders, so it runs once. Deterministic for a given seed.
 */
import { newId } from '@chatmall/shared';
import type { DataSource } from 'typeorm';
import { insertDemoBuyers, type DemoBuyer } from '../../auth/seed/demo-buyers';
import { publishedSkus, type SkuView } from '../../catalog/sku-lookup';
import type { OrderService } from '../../orders/order.service';
import { insertDemoOrders, type DemoOrder } from '../../orders/seed/demo-orders';
import { insertDemoRefunds, type DemoRefund } from '../../payments/seed/demo-refunds';
import type { DashboardService } from '../dashboard.service';
import { addDays, dayOf, dayStart } from '../days';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Relative weight of each China-time hour: quiet nights, a lunch bump, a busy evening. */
const HOUR_WEIGHTS = [
  0.35, 0.18, 0.1, 0.06, 0.05, 0.08, 0.2, 0.45, 0.75, 0.95, 1.05, 1.25, 1.6, 1.45, 1.0, 0.95, 1.05, 1.15, 1.35, 1.85,
  2.4, 2.6, 2.0, 1.0,
];
/** Sunday … Saturday (getUTCDay of the China date). */
const WEEKDAY_WEIGHTS = [1.45, 0.9, 0.85, 0.9, 0.95, 1.15, 1.5];

const ADDRESSES = [
  {
    recipient: '林小茶',
    phone: '13800138001',
    province: '浙江省',
    city: '杭州市',
    district: '西湖区',
    detail: '龙井路 18 号',
  },
  {
    recipient: '王一',
    phone: '13900139002',
    province: '上海市',
    city: '上海市',
    district: '徐汇区',
    detail: '漕溪北路 88 号',
  },
  {
    recipient: '陈晨',
    phone: '13700137003',
    province: '广东省',
    city: '深圳市',
    district: '南山区',
    detail: '科技园 3 栋',
  },
  {
    recipient: '李雷',
    phone: '13600136004',
    province: '北京市',
    city: '北京市',
    district: '朝阳区',
    detail: '望京 SOHO T1',
  },
  {
    recipient: '赵敏',
    phone: '13500135005',
    province: '四川省',
    city: '成都市',
    district: '武侯区',
    detail: '桐梓林路 6 号',
  },
];

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoHistory {
  from: string;
  to: string;
  buyers: DemoBuyer[];
  orders: DemoOrder[];
  refunds: DemoRefund[];
}

/** The history as data (pure: the same seed, SKUs and `now` give the same history). */
export function planDemoHistory(
  skus: readonly SkuView[],
  opts: { now?: Date; days?: number; perDay?: number; seed?: number } = {},
): DemoHistory {
  const now = opts.now ?? new Date();
  const days = opts.days ?? 90;
  const perDay = opts.perDay ?? 26;
  const rnd = prng(opts.seed ?? 20_251_201);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const between = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const to = dayOf(now);
  const from = addDays(to, -(days - 1));
  // Popular SKUs sell more (a gentle Zipf over a fixed shuffle of the catalog).
  const ranked = [...skus].sort(() => rnd() - 0.5);
  const skuWeights = ranked.map((_, i) => 1 / (i + 1) ** 0.8);
  const skuTotal = skuWeights.reduce((a, b) => a + b, 0);
  const pickSku = () => {
    let r = rnd() * skuTotal;
    for (let i = 0; i < ranked.length; i++) if ((r -= skuWeights[i]) <= 0) return ranked[i];
    return ranked[ranked.length - 1];
  };
  const hourTotal = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);
  const pickTime = (day: string, maxHour: number) => {
    const total = HOUR_WEIGHTS.slice(0, maxHour + 1).reduce((a, b) => a + b, 0);
    let r = rnd() * total;
    let hour = 0;
    while (hour < maxHour && (r -= HOUR_WEIGHTS[hour]) > 0) hour++;
    return new Date(dayStart(day).getTime() + hour * HOUR + between(0, 59) * MINUTE + between(0, 59) * 1000);
  };
  void hourTotal;

  const buyers: DemoBuyer[] = [];
  const orders: DemoOrder[] = [];
  const refunds: DemoRefund[] = [];
  const newBuyer = (at: Date): DemoBuyer => {
    const id = newId('buyer', at.getTime());
    const b = { id, openid: `o_demo_${id.slice(-16)}`, nickname: `茶友${buyers.length + 1}`, createdAt: at };
    buyers.push(b);
    return b;
  };
  let seq = 0;
  for (let d = 0; d < days; d++) {
    const day = addDays(from, d);
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    const trend = 0.8 + (0.4 * d) / days;
    const isToday = day === to;
    const maxHour = isToday ? Math.max(0, Math.floor((now.getTime() - dayStart(day).getTime()) / HOUR) - 1) : 23;
    const dayShare = isToday ? HOUR_WEIGHTS.slice(0, maxHour + 1).reduce((a, b) => a + b, 0) / hourTotal : 1;
    const n = Math.round(perDay * WEEKDAY_WEIGHTS[weekday] * trend * dayShare * (0.8 + rnd() * 0.4));
    // A few people sign in and only look.
    for (let i = 0; i < Math.round(n * 0.08); i++) newBuyer(pickTime(day, maxHour));
    for (let i = 0; i < n; i++) {
      const createdAt = pickTime(day, maxHour);
      const returning = buyers.length > 20 && rnd() < 0.38;
      const buyer = returning
        ? (pick(buyers.filter((b) => b.createdAt < createdAt).slice(-400)) ??
          newBuyer(new Date(createdAt.getTime() - between(1, 30) * MINUTE)))
        : newBuyer(new Date(createdAt.getTime() - between(1, 30) * MINUTE));
      const lineCount = rnd() < 0.62 ? 1 : rnd() < 0.75 ? 2 : 3;
      const chosen = new Map<string, SkuView>();
      while (chosen.size < Math.min(lineCount, skus.length)) {
        const s = pickSku();
        chosen.set(s.skuId, s);
      }
      const lines = [...chosen.values()].map((s) => ({
        id: newId('orderLine', createdAt.getTime()),
        skuId: s.skuId,
        productId: s.productId,
        name: s.name,
        specValues: s.specValues,
        image: s.image,
        unitPrice: s.price,
        quantity: rnd() < 0.8 ? 1 : between(2, 3),
      }));
      const itemsTotal = lines.reduce((t, l) => t + l.unitPrice * l.quantity, 0);
      const shippingFee = itemsTotal >= 9900 ? 0 : 1000;
      const payable = itemsTotal + shippingFee;
      const orderNo = `CMD${createdAt
        .toISOString()
        .replace(/[-:TZ.]/g, '')
        .slice(0, 14)}${String(seq++).padStart(7, '0')}`;
      const base = {
        id: newId('order', createdAt.getTime()),
        orderNo,
        buyerId: buyer.id,
        shippingFee,
        address: pick(ADDRESSES),
        createdAt,
        lines,
      };
      const late = (t: number) => (t <= now.getTime() ? new Date(t) : null);
      const unpaid = rnd();
      if (unpaid < 0.06) {
        const cancelled = unpaid < 0.025;
        const closedAt = new Date(createdAt.getTime() + (cancelled ? between(1, 10) : 15) * MINUTE);
        if (closedAt > now) continue;
        orders.push({
          ...base,
          status: cancelled ? 'CANCELLED' : 'CLOSED',
          paidAt: null,
          shippedAt: null,
          completedAt: null,
          closedAt,
          closeReason: cancelled ? 'buyer_cancelled' : 'payment_timeout',
        });
        continue;
      }
      const paidAt = late(createdAt.getTime() + between(1, 8) * MINUTE + between(0, 59) * 1000);
      if (!paidAt) continue;
      const refund = rnd() < 0.055 ? (rnd() < 0.6 ? 'full' : 'part') : null;
      const shippedAt = refund === 'full' ? null : late(paidAt.getTime() + between(3, 30) * HOUR);
      const completedAt = shippedAt && !refund ? late(shippedAt.getTime() + between(3, 7) * DAY) : null;
      const refundAt = refund ? late(paidAt.getTime() + between(2, 60) * HOUR) : null;
      const status =
        refundAt && refund === 'full'
          ? 'REFUNDED'
          : refundAt
            ? 'PARTIALLY_REFUNDED'
            : completedAt
              ? 'COMPLETED'
              : shippedAt
                ? 'SHIPPED'
                : 'PAID';
      orders.push({ ...base, status, paidAt, shippedAt, completedAt, closedAt: null, closeReason: null });
      if (refundAt) {
        const amount = refund === 'full' ? payable : Math.max(100, Math.round((lines[0].unitPrice * 0.5) / 100) * 100);
        refunds.push({
          id: newId('refund', refundAt.getTime()),
          orderId: base.id,
          orderNo,
          buyerId: buyer.id,
          outRefundNo: `RD${orderNo.slice(3)}`,
          amount: Math.min(amount, payable),
          reason: refund === 'full' ? '不想要了' : '包装破损，部分退款',
          createdAt: new Date(refundAt.getTime() - between(10, 120) * MINUTE),
          succeededAt: refundAt,
        });
      }
    }
  }
  return { from, to, buyers, orders, refunds };
}

/**
 * Writes the demo history into a shop that has published SKUs and no orders, then rebuilds
 * the dashboard for its days. Returns what it wrote, or null when it did nothing.
 */
export async function seedDemoHistory(
  db: DataSource,
  services: { orders: Pick<OrderService, 'hasAnyOrder'>; dashboard: Pick<DashboardService, 'rebuild'> },
  opts: { now?: Date; days?: number; perDay?: number; seed?: number } = {},
): Promise<{ from: string; to: string; buyers: number; orders: number; refunds: number } | null> {
  if (await services.orders.hasAnyOrder()) return null;
  const skus = await publishedSkus(db.manager);
  if (!skus.length) return null;
  const h = planDemoHistory(skus, opts);
  await insertDemoBuyers(db, h.buyers);
  await insertDemoOrders(db, h.orders);
  await insertDemoRefunds(db, h.refunds);
  await services.dashboard.rebuild(h.from, h.to);
  return { from: h.from, to: h.to, buyers: h.buyers.length, orders: h.orders.length, refunds: h.refunds.length };
}
