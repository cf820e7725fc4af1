import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A sellable variant of a product: one value per spec dimension, its own price and stock. */
@Entity('skus')
@Index('idx_skus_product', ['productId', 'position'])
export class SkuEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'product_id', type: 'varchar', length: 40 })
  productId!: string;

  @Column({ name: 'spec_values', type: 'simple-json' })
  specValues!: string[];

  /** Price in fen. */
  @Column({ type: 'int' })
  price!: number;

  @Column({ name: 'original_price', type: 'int', nullable: true })
  originalPrice!: number | null;

  /** Units on hand; never negative (changed only by conditional updates). */
  @Column({ type: 'int', default: 0 })
  stock!: number;

  @Column({ type: 'varchar', length: 255, nullable: true })
  image!: string | null;

  @Column({ type: 'int', default: 0 })
  position!: number;
}
