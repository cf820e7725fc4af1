import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { RefundStatus } from '@chatmall/shared';

/**
 * Money going back to a buyer. `out_refund_no` is the idempotency key WeChat Pay knows it by:
 * asking again with the same number never refunds twice.
 */
@Entity('refunds')
@Index('idx_refunds_order', ['orderId'])
@Index('idx_refunds_status', ['status'])
export class RefundEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'order_id', type: 'varchar', length: 40 })
  orderId!: string;

  @Column({ name: 'order_no', type: 'varchar', length: 32 })
  orderNo!: string;

  @Index('uq_refunds_out_refund_no', { unique: true })
  @Column({ name: 'out_refund_no', type: 'varchar', length: 64 })
  outRefundNo!: string;

  /** Fen. */
  @Column({ type: 'int' })
  amount!: number;

  @Column({ type: 'varchar', length: 80 })
  reason!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: RefundStatus;

  @Column({ name: 'reject_reason', type: 'varchar', length: 80, nullable: true })
  rejectReason!: string | null;

  /** What the merchant chose to put back on the shelf when approving. */
  @Column({ type: 'simple-json' })
  restock!: { skuId: string; quantity: number }[];

  @Column({ name: 'refund_id', type: 'varchar', length: 64, nullable: true })
  refundId!: string | null;

  @Column({ name: 'succeeded_at', type: 'datetime', nullable: true })
  succeededAt!: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
