/**
 * The dashboard's aggregate rows, one set per China-time business day (`YYYY-MM-DD`). Kept by
 * the dashboard's event subscribers and replaced day by day by the rebuild; the dashboard API
 * reads only these, never the orders table.
 */
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One business day's totals. GMV = paid_amount − refund_amount. */
@Entity('dashboard_days')
export class DashboardDayEntity {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  @Column({ name: 'paid_orders', type: 'int', default: 0 })
  paidOrders!: number;

  @Column({ name: 'paid_amount', type: 'int', default: 0 })
  paidAmount!: number;

  /** Distinct buyers who paid that day (rows of dashboard_day_buyers). */
  @Column({ name: 'paying_buyers', type: 'int', default: 0 })
  payingBuyers!: number;

  @Column({ name: 'new_buyers', type: 'int', default: 0 })
  newBuyers!: number;

  @Column({ name: 'refund_count', type: 'int', default: 0 })
  refundCount!: number;

  @Column({ name: 'refund_amount', type: 'int', default: 0 })
  refundAmount!: number;

  @Column({ name: 'placed_orders', type: 'int', default: 0 })
  placedOrders!: number;

  @Column({ name: 'closed_orders', type: 'int', default: 0 })
  closedOrders!: number;

  @Column({ name: 'cancelled_orders', type: 'int', default: 0 })
  cancelledOrders!: number;

  @Column({ name: 'shipped_orders', type: 'int', default: 0 })
  shippedOrders!: number;

  @Column({ name: 'completed_orders', type: 'int', default: 0 })
  completedOrders!: number;

  /** Orders a refund made fully REFUNDED that day. */
  @Column({ name: 'refunded_orders', type: 'int', default: 0 })
  refundedOrders!: number;

  @Column({ name: 'partially_refunded_orders', type: 'int', default: 0 })
  partiallyRefundedOrders!: number;
}

/** Paid orders per China-time hour of a day (the hourly heat). */
@Entity('dashboard_day_hours')
export class DashboardHourEntity {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  @PrimaryColumn({ type: 'int' })
  hour!: number;

  @Column({ name: 'paid_orders', type: 'int', default: 0 })
  paidOrders!: number;

  @Column({ name: 'paid_amount', type: 'int', default: 0 })
  paidAmount!: number;
}

/** Units and line revenue of paid orders per product and day (top products). */
@Entity('dashboard_day_products')
export class DashboardProductEntity {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  @PrimaryColumn({ name: 'product_id', type: 'varchar', length: 40 })
  productId!: string;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ type: 'int', default: 0 })
  units!: number;

  @Column({ type: 'int', default: 0 })
  revenue!: number;
}

/**
 * The buyers who paid on a day, each once, with the days since that buyer's previous paying
 * day (`gap`, capped at GAP_CAP; GAP_CAP also means "never before").
 */
@Entity('dashboard_day_buyers')
@Index('idx_dashboard_day_buyers_buyer', ['buyerId', 'day'])
export class DashboardBuyerEntity {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  @PrimaryColumn({ name: 'buyer_id', type: 'varchar', length: 40 })
  buyerId!: string;

  @Column({ type: 'int' })
  gap!: number;
}

/**
 * How many of a day's paying buyers had each gap: distinct buyers over a window of up to 30
 * days is then a sum over at most 30 × 31 rows, however many buyers there are.
 */
@Entity('dashboard_day_gaps')
export class DashboardGapEntity {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  @PrimaryColumn({ type: 'int' })
  gap!: number;

  @Column({ type: 'int', default: 0 })
  buyers!: number;
}

/**
 * Every fact counted, by its event (`order.paid:CM…`), with the day it was counted on: an
 * increment runs only if its key is inserted here in the same transaction, so a redelivery
 * that races cannot count twice; the rebuild rewrites a day's keys with its rows.
 */
@Entity('dashboard_applied')
@Index('idx_dashboard_applied_day', ['day'])
export class DashboardAppliedEntity {
  @PrimaryColumn({ name: 'event_key', type: 'varchar', length: 120 })
  eventKey!: string;

  @Column({ type: 'varchar', length: 10 })
  day!: string;
}
