import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The shop's own settings, one row per shop (single-shop today: the row `default`). Written only by ShopSettingsService. */
@Entity('shop_settings')
export class ShopSettingsEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ type: 'varchar', length: 40 })
  name!: string;

  @Column({ name: 'name_en', type: 'varchar', length: 60, nullable: true })
  nameEn!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  logo!: string | null;

  @Column({ name: 'service_phone', type: 'varchar', length: 24, nullable: true })
  servicePhone!: string | null;

  /** Fen charged below the free-shipping threshold. */
  @Column({ name: 'shipping_flat_fee', type: 'int' })
  shippingFlatFee!: number;

  /** Goods total in fen from which shipping is free; null = never free. */
  @Column({ name: 'shipping_free_over', type: 'int', nullable: true })
  shippingFreeOver!: number | null;

  /** A fully refunded order gives its coupon back if still valid (docs/decisions/0024-coupons.md). */
  @Column({ name: 'restore_coupon_on_full_refund', type: 'boolean', default: true })
  restoreCouponOnFullRefund!: boolean;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
