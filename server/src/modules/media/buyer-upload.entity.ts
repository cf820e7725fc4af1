import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A photo a buyer uploaded (for an after-sales request or a review). A buyer's request or
 * review may name only URLs recorded here under that buyer.
 */
@Entity('buyer_uploads')
@Index('uq_buyer_uploads_url', ['buyerId', 'url'], { unique: true })
export class BuyerUploadEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'buyer_id', type: 'varchar', length: 40 })
  buyerId!: string;

  @Column({ type: 'varchar', length: 255 })
  url!: string;

  @Column({ name: 'content_type', type: 'varchar', length: 32 })
  contentType!: string;

  @Column({ type: 'int' })
  bytes!: number;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
