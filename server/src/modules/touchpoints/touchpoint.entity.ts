import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { TouchpointKind } from '@chatmall/shared';

/**
 * The touchpoints module's tables (their only writer): touchpoints with their codes, one row
 * per touchpoint and China-time day of what it brought (kept by event subscribers), and the
 * first orders attributed to a touchpoint (one per buyer). docs/decisions/0033.
 */
@Entity('touchpoints')
@Index('idx_touchpoints_kind', ['kind'])
export class TouchpointEntity {
  /** Also the scene both codes carry (`tp_…`, ≤ 32 characters for the mini-program code). */
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ type: 'varchar', length: 10 })
  kind!: TouchpointKind;

  @Column({ type: 'varchar', length: 40 })
  name!: string;

  @Column({ name: 'qr_ticket', type: 'varchar', length: 200 })
  qrTicket!: string;

  @Column({ name: 'qr_url', type: 'varchar', length: 300 })
  qrUrl!: string;

  @Column({ name: 'qr_expires_at', type: 'datetime', nullable: true })
  qrExpiresAt!: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  address!: string | null;

  /** Degrees × 1,000,000 (about 0.1 m), an integer on every database. */
  @Column({ name: 'latitude_e6', type: 'int', nullable: true })
  latitudeE6!: number | null;

  @Column({ name: 'longitude_e6', type: 'int', nullable: true })
  longitudeE6!: number | null;

  @Column({ type: 'varchar', length: 60, nullable: true })
  hours!: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  phone!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}

/** What one touchpoint brought on one China-time day. */
@Entity('touchpoint_days')
export class TouchpointDayEntity {
  @PrimaryColumn({ name: 'touchpoint_id', type: 'varchar', length: 40 })
  touchpointId!: string;

  /** YYYY-MM-DD in China time. */
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  @Column({ type: 'int', default: 0 })
  scans!: number;

  @Column({ name: 'new_followers', type: 'int', default: 0 })
  newFollowers!: number;

  @Column({ name: 'first_orders', type: 'int', default: 0 })
  firstOrders!: number;

  /** Fen. */
  @Column({ type: 'int', default: 0 })
  gmv!: number;
}

/** A buyer's first paid order within 30 days of following from a touchpoint: one per buyer. */
@Entity('touchpoint_first_orders')
@Index('uq_touchpoint_first_orders_order', ['orderNo'], { unique: true })
@Index('idx_touchpoint_first_orders_tp', ['touchpointId'])
export class TouchpointFirstOrderEntity {
  @PrimaryColumn({ name: 'buyer_id', type: 'varchar', length: 40 })
  buyerId!: string;

  @Column({ name: 'touchpoint_id', type: 'varchar', length: 40 })
  touchpointId!: string;

  @Column({ name: 'order_no', type: 'varchar', length: 40 })
  orderNo!: string;

  @Column({ type: 'int' })
  amount!: number;

  @Column({ name: 'paid_at', type: 'datetime' })
  paidAt!: Date;
}
