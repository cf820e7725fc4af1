import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { CouponBenefit, CouponScope, CouponTemplateOrigin, CouponTemplateStatus } from '@chatmall/shared';

/**
 * A coupon design the marketer publishes. `issued` only ever moves by a conditional update
 * (`issued < total_stock`), so no source issues past the stock. Written only by the coupons module.
 */
@Entity('coupon_templates')
@Index('idx_coupon_templates_status', ['status', 'id'])
export class CouponTemplateEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ type: 'varchar', length: 40 })
  title!: string;

  @Column({ type: 'simple-json' })
  benefit!: CouponBenefit;

  @Column({ type: 'simple-json' })
  scope!: CouponScope;

  /** `window` (validFrom–validUntil) or `days` (validDays after receipt). */
  @Column({ name: 'validity_kind', type: 'varchar', length: 8 })
  validityKind!: 'window' | 'days';

  @Column({ name: 'valid_from', type: 'datetime', nullable: true })
  validFrom!: Date | null;

  @Column({ name: 'valid_until', type: 'datetime', nullable: true })
  validUntil!: Date | null;

  @Column({ name: 'valid_days', type: 'int', nullable: true })
  validDays!: number | null;

  @Column({ name: 'total_stock', type: 'int' })
  totalStock!: number;

  @Column({ type: 'int', default: 0 })
  issued!: number;

  /** Coupons of it used on paid orders (the `order.paid` subscriber counts them). */
  @Column({ type: 'int', default: 0 })
  used!: number;

  @Column({ name: 'per_buyer_limit', type: 'int' })
  perBuyerLimit!: number;

  @Column({ name: 'stacks_with_member_discount', type: 'boolean', default: false })
  stacksWithMemberDiscount!: boolean;

  @Column({ type: 'boolean', default: false })
  claimable!: boolean;

  @Column({ type: 'varchar', length: 12 })
  status!: CouponTemplateStatus;

  @Column({ name: 'published_at', type: 'datetime', nullable: true })
  publishedAt!: Date | null;

  @Column({ name: 'stopped_at', type: 'datetime', nullable: true })
  stoppedAt!: Date | null;

  /**
   * Null for a marketer's template; a red-envelope pack's own template names the pack (written
   * with the pack, in its transaction): only the pack changes it (its expiry stops it).
   */
  @Column({ type: 'simple-json', nullable: true })
  origin!: CouponTemplateOrigin;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
