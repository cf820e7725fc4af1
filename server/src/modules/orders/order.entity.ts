import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Adjustment, OrderStatus } from '@chatmall/shared';

export interface AddressSnapshot {
  recipient: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
}

@Entity('orders')
@Index('uq_orders_client_key', ['buyerId', 'clientKey'], { unique: true })
@Index('idx_orders_buyer_created', ['buyerId', 'createdAt', 'id'])
@Index('idx_orders_status_pay_by', ['status', 'payBy'])
export class OrderEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  /** Our `out_trade_no` for WeChat Pay: 6–32 characters, unique forever. */
  @Index('uq_orders_order_no', { unique: true })
  @Column({ name: 'order_no', type: 'varchar', length: 32 })
  orderNo!: string;

  @Column({ name: 'buyer_id', type: 'varchar', length: 40 })
  buyerId!: string;

  /** The client's idempotency key for this checkout. */
  @Column({ name: 'client_key', type: 'varchar', length: 64 })
  clientKey!: string;

  @Column({ type: 'varchar', length: 24 })
  status!: OrderStatus;

  @Column({ name: 'items_total', type: 'int' })
  itemsTotal!: number;

  @Column({ type: 'simple-json' })
  adjustments!: Adjustment[];

  @Column({ name: 'shipping_fee', type: 'int' })
  shippingFee!: number;

  /** The coupon the order used (locked at placement, used when paid, released if it closes). */
  @Column({ name: 'coupon_id', type: 'varchar', length: 40, nullable: true })
  couponId!: string | null;

  /** What the coupon took off, in fen (also an adjustment line). */
  @Column({ name: 'coupon_discount', type: 'int', default: 0 })
  couponDiscount!: number;

  /** What the buyer pays, in fen: the amount a payment must match. */
  @Column({ type: 'int' })
  payable!: number;

  /** Points that paid part of it, and the fen they were worth (DESIGN.md "Pricing order" step 5). */
  @Column({ name: 'points_used', type: 'int', default: 0 })
  pointsUsed!: number;

  @Column({ name: 'points_fen', type: 'int', default: 0 })
  pointsFen!: number;

  /** The stored-value balance that paid part of it (step 6), principal and bonus apart. */
  @Column({ name: 'balance_principal', type: 'int', default: 0 })
  balancePrincipal!: number;

  @Column({ name: 'balance_bonus', type: 'int', default: 0 })
  balanceBonus!: number;

  /** What WeChat Pay is asked for when points or balance paid part; null: all of `payable`. */
  @Column({ name: 'wechat_amount', type: 'int', nullable: true })
  wechatAmount!: number | null;

  @Column({ type: 'simple-json' })
  address!: AddressSnapshot;

  @Column({ type: 'varchar', length: 200, default: '' })
  note!: string;

  @Column({ name: 'pay_by', type: 'datetime' })
  payBy!: Date;

  @Column({ name: 'paid_at', type: 'datetime', nullable: true })
  paidAt!: Date | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  carrier!: string | null;

  @Column({ name: 'tracking_no', type: 'varchar', length: 40, nullable: true })
  trackingNo!: string | null;

  @Column({ name: 'shipped_at', type: 'datetime', nullable: true })
  shippedAt!: Date | null;

  @Column({ name: 'completed_at', type: 'datetime', nullable: true })
  completedAt!: Date | null;

  /** When it was cancelled by the buyer or closed unpaid. */
  @Column({ name: 'closed_at', type: 'datetime', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'close_reason', type: 'varchar', length: 32, nullable: true })
  closeReason!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
