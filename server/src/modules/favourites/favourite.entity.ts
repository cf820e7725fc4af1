import { CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A buyer's favourite product (mobile shoppers favourite far more than on PC). */
@Entity('favourites')
@Index('idx_favourites_product', ['productId'])
export class FavouriteEntity {
  @PrimaryColumn({ name: 'buyer_id', type: 'varchar', length: 40 })
  buyerId!: string;

  @PrimaryColumn({ name: 'product_id', type: 'varchar', length: 40 })
  productId!: string;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
