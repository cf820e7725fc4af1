import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { StaffRole } from '@chatmall/shared';

/** Someone who runs the shop: the owner, a marketer, or a clerk at the counter. */
@Entity('staff')
export class StaffEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Index('uq_staff_username', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  username!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 64 })
  displayName!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: StaffRole;

  /** `scrypt$N$r$p$salt$hash` (base64url parts). */
  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  /** A staff member may also be bound to their WeChat openid (sign-in from the phone). */
  @Index('uq_staff_openid', { unique: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  openid!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
