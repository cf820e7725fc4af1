import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('categories')
export class CategoryEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  /** Shown on the shelf: two categories of one name would confuse buyers and staff alike. */
  @Index('uq_categories_name', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ name: 'name_en', type: 'varchar', length: 64 })
  nameEn!: string;

  @Column({ type: 'varchar', length: 255 })
  icon!: string;

  /** The merchant's order on the shelf: lower first. */
  @Column({ type: 'int', default: 0 })
  position!: number;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
