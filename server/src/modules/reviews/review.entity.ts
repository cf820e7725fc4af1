import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A buyer's review of one order line: one per line (unique index), edited at most once. */
@Entity('reviews')
@Index('idx_reviews_product', ['productId', 'hidden', 'id'])
@Index('idx_reviews_product_photos', ['productId', 'hidden', 'hasPhotos', 'id'])
@Index('idx_reviews_buyer_order', ['buyerId', 'orderId'])
export class ReviewEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Index('uq_reviews_order_line', { unique: true })
  @Column({ name: 'order_line_id', type: 'varchar', length: 40 })
  orderLineId!: string;

  @Column({ name: 'order_id', type: 'varchar', length: 40 })
  orderId!: string;

  @Column({ name: 'buyer_id', type: 'varchar', length: 40 })
  buyerId!: string;

  @Column({ name: 'product_id', type: 'varchar', length: 40 })
  productId!: string;

  @Column({ name: 'sku_id', type: 'varchar', length: 40 })
  skuId!: string;

  /** The SKU's spec values as bought, e.g. "50g / 罐装". */
  @Column({ type: 'varchar', length: 120, default: '' })
  spec!: string;

  @Column({ type: 'int' })
  rating!: number;

  /** Plain text, shown escaped. */
  @Column({ type: 'text' })
  content!: string;

  @Column({ type: 'simple-json' })
  photos!: string[];

  /** For the 有图 filter, so it is an index range and not a JSON scan. */
  @Column({ name: 'has_photos', type: 'boolean', default: false })
  hasPhotos!: boolean;

  @Column({ name: 'display_name', type: 'varchar', length: 20, nullable: true })
  displayName!: string | null;

  @Column({ type: 'boolean', default: false })
  hidden!: boolean;

  @Column({ name: 'hidden_at', type: 'datetime', nullable: true })
  hiddenAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  reply!: string | null;

  @Column({ name: 'replied_at', type: 'datetime', nullable: true })
  repliedAt!: Date | null;

  @Column({ name: 'edit_count', type: 'int', default: 0 })
  editCount!: number;

  @Column({ name: 'edited_at', type: 'datetime', nullable: true })
  editedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
