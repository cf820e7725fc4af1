import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A SKU in a buyer's cart. One row per (buyer, SKU): adding again raises the quantity. */
@Entity('cart_items')
@Index('uq_cart_items_buyer_sku', ['buyerId', 'skuId'], { unique: true })
export class CartItemEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'buyer_id', type: 'varchar', length: 40 })
  buyerId!: string;

  @Column({ name: 'sku_id', type: 'varchar', length: 40 })
  skuId!: string;

  @Column({ type: 'int' })
  quantity!: number;

  /** Ticked for checkout. */
  @Column({ type: 'boolean', default: true })
  selected!: boolean;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
