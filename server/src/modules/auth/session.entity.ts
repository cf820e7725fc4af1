import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A signed-in session of a buyer or a staff member. Only SHA-256 hashes of the tokens are
 * stored, so a database leak does not hand out working tokens. Refreshing rotates: the row
 * is marked rotated and a new row of the same family (every session descended from one
 * sign-in) takes over, so a rotated refresh token presented again is recognised as reuse.
 */
@Entity('sessions')
export class SessionEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'subject_kind', type: 'varchar', length: 8 })
  subjectKind!: 'buyer' | 'staff';

  /** The id of the family's first session (the sign-in); reuse of a rotated token revokes them all. */
  @Index('idx_sessions_family')
  @Column({ name: 'family_id', type: 'varchar', length: 40 })
  familyId!: string;

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

  /** When its refresh token was traded for the next session of the family (then neither token works). */
  @Column({ name: 'rotated_at', type: 'datetime', nullable: true })
  rotatedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
