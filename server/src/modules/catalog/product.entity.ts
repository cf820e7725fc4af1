import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { SpecDimension } from '@chatmall/shared';

@Entity('products')
@Index('idx_products_listing', ['published', 'position', 'id'])
@Index('idx_products_category_listing', ['categoryId', 'published', 'position', 'id'])
export class ProductEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'category_id', type: 'varchar', length: 40 })
  categoryId!: string;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ name: 'name_en', type: 'varchar', length: 120 })
  nameEn!: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  subtitle!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'varchar', length: 255 })
  cover!: string;

  @Column({ type: 'simple-json' })
  images!: string[];

  @Column({ type: 'simple-json' })
  specs!: SpecDimension[];

  /** Only published products are shown to buyers. */
  @Column({ type: 'boolean', default: false })
  published!: boolean;

  @Column({ type: 'int', default: 0 })
  position!: number;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
