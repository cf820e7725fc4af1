import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { CouponBenefit, CouponScope, CouponSource, CouponStatus } from '@chatmall/shared';

/**
 * A coupon a buyer holds, with the terms it was issued with (a later edit of its template
 * does not change it). One per (source, source_ref): the business key of whatever issued it
 * (a claim's request key, a red-envelope grab, a welcome gift), so a retried issue is a no-op.
 * USABLE → LOCKED (an order placed) → USED (paid) or back to USABLE (closed, cancelled, or a
 * full refund); USABLE → EXPIRED. Every move is a conditional update from the expected state.
 */
@Entity('coupons')
@Index('uq_coupons_source_ref', ['source', 'sourceRef'], { unique: true })
@Index('idx_coupons_buyer_status', ['buyerId', 'status', 'validUntil'])
@Index('idx_coupons_status_valid_until', ['status', 'validUntil'])
@Index('idx_coupons_order', ['orderId'])
@Index('idx_coupons_order_no', ['orderNo'])
export class CouponEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'template_id', type: 'varchar', length: 40 })
  templateId!: string;

  @Column({ name: 'buyer_id', type: 'varchar', length: 40 })
  buyerId!: string;

  @Column({ type: 'varchar', length: 16 })
  source!: CouponSource;

  @Column({ name: 'source_ref', type: 'varchar', length: 120 })
  sourceRef!: string;

  @Column({ type: 'varchar', length: 40 })
  title!: string;

  @Column({ type: 'simple-json' })
  benefit!: CouponBenefit;

  @Column({ type: 'simple-json' })
  scope!: CouponScope;

  @Column({ name: 'stacks_with_member_discount', type: 'boolean', default: false })
  stacksWithMemberDiscount!: boolean;

  @Column({ name: 'valid_from', type: 'datetime' })
  validFrom!: Date;

  @Column({ name: 'valid_until', type: 'datetime' })
  validUntil!: Date;

  @Column({ type: 'varchar', length: 12 })
  status!: CouponStatus;

  /** The order holding (LOCKED) or that used (USED) it. */
  @Column({ name: 'order_id', type: 'varchar', length: 40, nullable: true })
  orderId!: string | null;

  @Column({ name: 'order_no', type: 'varchar', length: 32, nullable: true })
  orderNo!: string | null;

  @Column({ name: 'locked_at', type: 'datetime', nullable: true })
  lockedAt!: Date | null;

  @Column({ name: 'used_at', type: 'datetime', nullable: true })
  usedAt!: Date | null;

  @Column({ name: 'expired_at', type: 'datetime', nullable: true })
  expiredAt!: Date | null;

  /** When `coupon.expiring` was published for it (once). */
  @Column({ name: 'reminded_at', type: 'datetime', nullable: true })
  remindedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
