import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * How many coupons of one template one buyer has received: the per-buyer limit is a
 * conditional update of this row (`received < limit`), never a count followed by an insert.
 */
@Entity('coupon_holdings')
export class CouponHoldingEntity {
  @PrimaryColumn({ name: 'template_id', type: 'varchar', length: 40 })
  templateId!: string;

  @PrimaryColumn({ name: 'buyer_id', type: 'varchar', length: 40 })
  buyerId!: string;

  @Column({ type: 'int', default: 0 })
  received!: number;
}
