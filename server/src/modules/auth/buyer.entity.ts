import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A buyer, known by their openid in our mini-program (unionid when WeChat gives one). */
@Entity('buyers')
export class BuyerEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Index('uq_buyers_openid', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  openid!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  unionid!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  nickname!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'last_login_at', type: 'datetime', nullable: true })
  lastLoginAt!: Date | null;
}
