import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A staff member's one-time WeChat binding code: one row per staff member (a new code
 * replaces the old), the code kept only as its SHA-256, single use by a conditional update.
 */
@Entity('staff_wechat_codes')
export class StaffWechatCodeEntity {
  @PrimaryColumn({ name: 'staff_id', type: 'varchar', length: 40 })
  staffId!: string;

  @Index('uq_staff_wechat_codes_hash', { unique: true })
  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash!: string;

  @Column({ name: 'expires_at', type: 'datetime' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'datetime', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
