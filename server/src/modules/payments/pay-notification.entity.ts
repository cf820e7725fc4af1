import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The notify inbox: every delivery from WeChat Pay (and every reconciliation finding),
 * accepted or refused, with its raw body, for audit and replay.
 */
@Entity('pay_notifications')
@Index('idx_pay_notifications_trade', ['outTradeNo'])
export class PayNotificationEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  /** WeChat's notification id (`EV-…`); null for refused or reconciled entries. */
  @Column({ name: 'wechat_id', type: 'varchar', length: 64, nullable: true })
  wechatId!: string | null;

  /** `TRANSACTION.SUCCESS`, `REFUND.SUCCESS`, …, or `RECONCILE.QUERY`. */
  @Column({ name: 'event_type', type: 'varchar', length: 32, nullable: true })
  eventType!: string | null;

  @Column({ name: 'out_trade_no', type: 'varchar', length: 32, nullable: true })
  outTradeNo!: string | null;

  @Column({ name: 'raw_body', type: 'text' })
  rawBody!: string;

  @Column({ type: 'boolean' })
  verified!: boolean;

  /** Why it was refused (signature, timestamp, decryption…), when it was. */
  @Column({ name: 'reject_reason', type: 'varchar', length: 32, nullable: true })
  rejectReason!: string | null;

  /** What it did: APPLIED, DUPLICATE, AMOUNT_MISMATCH, PAID_AFTER_CLOSE, UNKNOWN_ORDER, REFUSED, … */
  @Column({ type: 'varchar', length: 32 })
  outcome!: string;

  @CreateDateColumn({ name: 'received_at' })
  receivedAt!: Date;
}
