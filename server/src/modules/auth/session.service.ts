/**
 * Sessions: an opaque access token (short-lived) and a refresh token (long-lived, rotated
 * on use). Tokens are random 32-byte strings; only their SHA-256 is stored.
 *
 * Rotation keeps history: refreshing marks the session rotated and starts the next session
 * of its family (every session descended from one sign-in). A rotated refresh token that
 * comes back means two parties hold it (a thief and the owner), so the whole family is
 * revoked and both must sign in again (`docs/decisions/0020-sign-in-hardening.md`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { newId, type SessionTokens } from '@chatmall/shared';
import { IsNull, type DataSource } from 'typeorm';
import { UnauthenticatedError } from '../../kernel/errors';
import type { Logger } from '../../kernel/logger';
import { execute, updateWhere } from '../../kernel/sql';
import { noTx, withTx, type Ctx } from '../../kernel/tx';
import type { Principal } from './principal';
import { SessionEntity } from './session.entity';
import { StaffEntity } from './staff.entity';

export const ACCESS_TTL_MS = 2 * 60 * 60 * 1000;
export const REFRESH_TTL_MS = 30 * 24 * 60 * 60 * 1000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const token = (prefix: string) => `${prefix}_${randomBytes(32).toString('base64url')}`;
const ended = () => new UnauthenticatedError('The session has ended; sign in again.');

export class SessionService {
  constructor(
    private readonly db: DataSource,
    private readonly log?: Logger,
  ) {}

  /** A new session: a new family (a sign-in), or the next session of `familyId` (a refresh). */
  async issue(
    subjectKind: 'buyer' | 'staff',
    subjectId: string,
    now = new Date(),
    opts: { familyId?: string; ctx?: Ctx } = {},
  ): Promise<SessionTokens> {
    const accessToken = token('at');
    const refreshToken = token('rt');
    const id = newId('session');
    const s = {
      id,
      familyId: opts.familyId ?? id,
      subjectKind,
      subjectId,
      accessHash: sha256(accessToken),
      refreshHash: sha256(refreshToken),
      accessExpiresAt: new Date(now.getTime() + ACCESS_TTL_MS),
      refreshExpiresAt: new Date(now.getTime() + REFRESH_TTL_MS),
      revokedAt: null,
      rotatedAt: null,
    };
    await (opts.ctx?.tx ?? this.db.manager).getRepository(SessionEntity).insert(s);
    return {
      accessToken,
      refreshToken,
      accessExpiresAt: s.accessExpiresAt.toISOString(),
      refreshExpiresAt: s.refreshExpiresAt.toISOString(),
    };
  }

  /** The principal behind an access token, or null when it is unknown, expired, rotated or revoked. */
  async resolve(accessToken: string, now = new Date()): Promise<Principal | null> {
    const s = await this.db
      .getRepository(SessionEntity)
      .findOneBy({ accessHash: sha256(accessToken), revokedAt: IsNull(), rotatedAt: IsNull() });
    if (!s || s.accessExpiresAt <= now) return null;
    if (s.subjectKind === 'buyer') return { kind: 'buyer', buyerId: s.subjectId, sessionId: s.id };
    const staff = await this.db.getRepository(StaffEntity).findOneBy({ id: s.subjectId, active: true });
    return staff ? { kind: 'staff', staffId: staff.id, role: staff.role, sessionId: s.id } : null;
  }

  /**
   * Trades a refresh token for the next session of its family. Single use by a conditional
   * update (`rotated_at IS NULL`): of two refreshes with the same token only one rotates; the
   * other finds it already rotated, which is reuse, and revokes the family — so a race ends
   * with one valid session or none, never two.
   */
  async refresh(ctx: Ctx, refreshToken: string, now = new Date()): Promise<SessionTokens> {
    const repo = this.db.getRepository(SessionEntity);
    const s = await repo.findOneBy({ refreshHash: sha256(refreshToken) });
    if (!s || s.revokedAt || s.refreshExpiresAt <= now) throw ended();
    if (s.rotatedAt) {
      await this.revokeFamily(s.familyId, 'refresh-token-reuse', now);
      throw ended();
    }
    if (s.subjectKind === 'staff') {
      const staff = await this.db.getRepository(StaffEntity).findOneBy({ id: s.subjectId, active: true });
      if (!staff) {
        await this.revokeFamily(s.familyId, 'staff-disabled', now);
        throw ended();
      }
    }
    const next = await withTx(this.db, ctx, async (tx) => {
      const rotated = await updateWhere(
        tx.tx,
        SessionEntity,
        { rotatedAt: now },
        { id: s.id, rotatedAt: null, revokedAt: null },
      );
      if (rotated !== 1) return null;
      return this.issue(s.subjectKind, s.subjectId, now, { familyId: s.familyId, ctx: tx });
    });
    if (!next) {
      await this.revokeFamily(s.familyId, 'refresh-token-reuse', now);
      throw ended();
    }
    return next;
  }

  /** Signs one session out. */
  async revoke(sessionId: string): Promise<void> {
    await this.db.getRepository(SessionEntity).update({ id: sessionId }, { revokedAt: new Date() });
  }

  /** Ends every session of one buyer or staff member (disabled, role changed, password reset). */
  async revokeSubject(ctx: Ctx, subjectKind: 'buyer' | 'staff', subjectId: string, now = new Date()): Promise<number> {
    return execute(
      ctx.tx ?? this.db.manager,
      'UPDATE sessions SET revoked_at = ? WHERE subject_kind = ? AND subject_id = ? AND revoked_at IS NULL',
      [now, subjectKind, subjectId],
    );
  }

  /** Ends every session of a family (the sign-in and everything refreshed from it). */
  async revokeFamily(familyId: string, reason: string, now = new Date(), ctx: Ctx = noTx): Promise<number> {
    const n = await execute(
      ctx.tx ?? this.db.manager,
      'UPDATE sessions SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL',
      [now, familyId],
    );
    if (reason === 'refresh-token-reuse') {
      this.log?.warn({ sessionFamily: familyId, revoked: n }, 'a rotated refresh token was used again: family revoked');
    }
    return n;
  }
}
