import { createHash } from 'node:crypto';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The key of one spec combination (`["100g","罐装"]`), short enough for a unique index. */
export const specKeyOf = (specValues: readonly string[]) =>
  createHash('sha1').update(JSON.stringify(specValues)).digest('hex');

/** A sellable variant of a product: one value per spec dimension, its own price and stock. */
@Entity('skus')
@Index('idx_skus_product', ['productId', 'position'])
// One SKU per combination per product, however many edits race.
@Index('uq_skus_product_spec', ['productId', 'specKey'], { unique: true })
export class SkuEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'product_id', type: 'varchar', length: 40 })
  productId!: string;

  @Column({ name: 'spec_values', type: 'simple-json' })
  specValues!: string[];

  /** `specKeyOf(specValues)`, written with every insert. */
  @Column({ name: 'spec_key', type: 'varchar', length: 40, default: '' })
  specKey!: string;

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
