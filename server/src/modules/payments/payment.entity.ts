import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type PaymentStatus = 'OPEN' | 'PAID' | 'CLOSED' | 'PAID_AFTER_CLOSE';

/** One WeChat Pay transaction per order: the prepay, then what WeChat says happened. */
@Entity('payments')
export class PaymentEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Index('uq_payments_order', { unique: true })
  @Column({ name: 'order_id', type: 'varchar', length: 40 })
  orderId!: string;

  /** `out_trade_no`: the order number. */
  @Index('uq_payments_out_trade_no', { unique: true })
  @Column({ name: 'out_trade_no', type: 'varchar', length: 32 })
  outTradeNo!: string;

  /** Fen, as sent in the prepay. */
  @Column({ type: 'int' })
  amount!: number;

  @Column({ name: 'prepay_id', type: 'varchar', length: 64, nullable: true })
  prepayId!: string | null;

  @Column({ name: 'prepay_expires_at', type: 'datetime', nullable: true })
  prepayExpiresAt!: Date | null;

  @Column({ type: 'varchar', length: 24 })
  status!: PaymentStatus;

  @Column({ name: 'transaction_id', type: 'varchar', length: 64, nullable: true })
  transactionId!: string | null;

  @Column({ name: 'paid_at', type: 'datetime', nullable: true })
  paidAt!: Date | null;

  /** Set when something needs the merchant's eyes (an amount that does not match). */
  @Column({ name: 'flagged_reason', type: 'varchar', length: 64, nullable: true })
  flaggedReason!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
