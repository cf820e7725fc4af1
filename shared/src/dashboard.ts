/**
 * The merchant dashboard: numbers read from daily aggregate rows (China-time business days),
 * never from the orders table. Money is integer fen; GMV is paid minus refunded and may be
 * negative on a day with more refunds than sales.
 */
import { z } from 'zod';
import { CalendarDate } from './schema';

const count = z.number().int().nonnegative();
const fen = z.number().int();

export const DashboardRange = z.enum(['today', '7d', '30d']);
export type DashboardRange = z.infer<typeof DashboardRange>;

/** The headline numbers of a range. */
export const DashboardKpis = z.object({
  /** Paid minus refunded, fen. */
  gmv: fen,
  paidAmount: count,
  paidOrders: count,
  /** Distinct buyers who paid in the range. */
  buyers: count,
  /** Paid amount ÷ paid orders, fen (0 without orders). */
  averageOrderValue: count,
  refunds: count,
  refundAmount: count,
  /** Refunded amount ÷ paid amount in the range, 0–1 (4 decimals; 0 without sales). */
  refundRate: z.number().nonnegative(),
  /** Buyers who signed in for the first time in the range. */
  newBuyers: count,
});
export type DashboardKpis = z.infer<typeof DashboardKpis>;

export const DashboardDay = z.object({
  date: CalendarDate,
  gmv: fen,
  paidAmount: count,
  paidOrders: count,
  buyers: count,
  refundAmount: count,
  newBuyers: count,
});
export type DashboardDay = z.infer<typeof DashboardDay>;

/**
 * How many orders reached each state in the range (placed = PENDING_PAYMENT), each counted from
 * its event (docs/decisions/0021-dashboard-aggregates.md).
 */
export const DashboardStatusCount = z.object({
  status: z.enum([
    'PENDING_PAYMENT',
    'PAID',
    'CLOSED',
    'CANCELLED',
    'SHIPPED',
    'COMPLETED',
    'PARTIALLY_REFUNDED',
    'REFUNDED',
  ]),
  count,
});

export const DashboardTopProduct = z.object({
  productId: z.string(),
  name: z.string(),
  units: count,
  /** Line totals of paid orders, fen (before order-level adjustments and shipping). */
  revenue: count,
});

export const DashboardHour = z.object({ hour: z.number().int().min(0).max(23), paidOrders: count, paidAmount: count });
export type DashboardHour = z.infer<typeof DashboardHour>;

export const DashboardOverview = z.object({
  range: DashboardRange,
  from: CalendarDate,
  to: CalendarDate,
  kpis: DashboardKpis,
  daily: z.array(DashboardDay),
  ordersByStatus: z.array(DashboardStatusCount),
  topProducts: z.array(DashboardTopProduct),
  /** Today's paid orders per China-time hour (24 entries). */
  hourly: z.array(DashboardHour),
});
export type DashboardOverview = z.infer<typeof DashboardOverview>;

/** What the counter sees: today's numbers only. */
export const DashboardToday = z.object({
  date: CalendarDate,
  kpis: DashboardKpis,
  ordersByStatus: z.array(DashboardStatusCount),
  hourly: z.array(DashboardHour),
});
export type DashboardToday = z.infer<typeof DashboardToday>;
