import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A signed-in session of a buyer or a staff member. Only SHA-256 hashes of the tokens are
 * stored, so a database leak does not hand out working tokens.
 */
@Entity('sessions')
export class SessionEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'subject_kind', type: 'varchar', length: 8 })
  subjectKind!: 'buyer' | 'staff';

  @Index('idx_sessions_subject')
  @Column({ name: 'subject_id', type: 'varchar', length: 40 })
  subjectId!: string;

  @Index('uq_sessions_access', { unique: true })
  @Column({ name: 'access_hash', type: 'varchar', length: 64 })
  accessHash!: string;

  @Index('uq_sessions_refresh', { unique: true })
  @Column({ name: 'refresh_hash', type: 'varchar', length: 64 })
  refreshHash!: string;

  @Column({ name: 'access_expires_at', type: 'datetime' })
  accessExpiresAt!: Date;

  @Column({ name: 'refresh_expires_at', type: 'datetime' })
  refreshExpiresAt!: Date;

  @Column({ name: 'revoked_at', type: 'datetime', nullable: true })
  revokedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
