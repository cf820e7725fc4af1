import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * Each product's rating, kept in the reviews' own transactions (create, edit, hide, unhide)
 * so a product list reads one row per product and never scans reviews. Visible reviews only.
 */
@Entity('product_ratings')
export class ProductRatingEntity {
  @PrimaryColumn({ name: 'product_id', type: 'varchar', length: 40 })
  productId!: string;

  @Column({ name: 'review_count', type: 'int', default: 0 })
  reviewCount!: number;

  @Column({ name: 'rating_sum', type: 'int', default: 0 })
  ratingSum!: number;

  @Column({ name: 'photo_count', type: 'int', default: 0 })
  photoCount!: number;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
