import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { RefundLine, RefundParts, RefundReasonCode, RefundStatus } from '@chatmall/shared';

/**
 * Money going back to a buyer. `out_refund_no` is the idempotency key WeChat Pay knows it by:
 * asking again with the same number never refunds twice.
 */
@Entity('refunds')
@Index('idx_refunds_order', ['orderId'])
@Index('idx_refunds_status', ['status'])
@Index('idx_refunds_buyer', ['buyerId', 'id'])
export class RefundEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'order_id', type: 'varchar', length: 40 })
  orderId!: string;

  @Column({ name: 'order_no', type: 'varchar', length: 32 })
  orderNo!: string;

  /** Whose request it is (the 售后 tab lists a buyer's requests across orders). */
  @Column({ name: 'buyer_id', type: 'varchar', length: 40, nullable: true })
  buyerId!: string | null;

  @Index('uq_refunds_out_refund_no', { unique: true })
  @Column({ name: 'out_refund_no', type: 'varchar', length: 64 })
  outRefundNo!: string;

  /** Fen. */
  @Column({ type: 'int' })
  amount!: number;

  @Column({ name: 'reason_code', type: 'varchar', length: 24, default: 'OTHER' })
  reasonCode!: RefundReasonCode;

  /** The buyer's own words (or the reason's label when they wrote none); WeChat Pay is told the first 80 characters. */
  @Column({ type: 'varchar', length: 80 })
  reason!: string;

  /** The lines and units the buyer named, frozen with names and prices; null for an amount on the whole order. */
  @Column({ type: 'simple-json', nullable: true })
  lines!: RefundLine[] | null;

  /** The buyer's own uploads (`buyer_uploads`). */
  @Column({ type: 'simple-json', nullable: true })
  photos!: string[] | null;

  @Column({ type: 'varchar', length: 16 })
  status!: RefundStatus;

  @Column({ name: 'reject_reason', type: 'varchar', length: 80, nullable: true })
  rejectReason!: string | null;

  /** What the merchant chose to put back on the shelf when approving. */
  @Column({ type: 'simple-json' })
  restock!: { skuId: string; quantity: number }[];

  /**
   * For an order paid partly with points or balance: what this refund returns to each part,
   * fixed when it is approved (WeChat Pay refunds only `wechat`). Null: all to WeChat Pay.
   */
  @Column({ type: 'simple-json', nullable: true })
  parts!: RefundParts | null;

  @Column({ name: 'refund_id', type: 'varchar', length: 64, nullable: true })
  refundId!: string | null;

  @Column({ name: 'succeeded_at', type: 'datetime', nullable: true })
  succeededAt!: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
