/**
 * Sessions: an opaque access token (short-lived) and a refresh token (long-lived, rotated
 * on use). Tokens are random 32-byte strings; only their SHA-256 is stored.
 */
import { createHash, randomBytes } from 'node:crypto';
import { newId, type SessionTokens } from '@chatmall/shared';
import { IsNull, type DataSource } from 'typeorm';
import { UnauthenticatedError } from '../../kernel/errors';
import type { Principal } from './principal';
import { SessionEntity } from './session.entity';
import { StaffEntity } from './staff.entity';

export const ACCESS_TTL_MS = 2 * 60 * 60 * 1000;
export const REFRESH_TTL_MS = 30 * 24 * 60 * 60 * 1000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const token = (prefix: string) => `${prefix}_${randomBytes(32).toString('base64url')}`;

export class SessionService {
  constructor(private readonly db: DataSource) {}

  async issue(subjectKind: 'buyer' | 'staff', subjectId: string, now = new Date()): Promise<SessionTokens> {
    const accessToken = token('at');
    const refreshToken = token('rt');
    const s = {
      id: newId('session'),
      subjectKind,
      subjectId,
      accessHash: sha256(accessToken),
      refreshHash: sha256(refreshToken),
      accessExpiresAt: new Date(now.getTime() + ACCESS_TTL_MS),
      refreshExpiresAt: new Date(now.getTime() + REFRESH_TTL_MS),
      revokedAt: null,
    };
    await this.db.getRepository(SessionEntity).insert(s);
    return {
      accessToken,
      refreshToken,
      accessExpiresAt: s.accessExpiresAt.toISOString(),
      refreshExpiresAt: s.refreshExpiresAt.toISOString(),
    };
  }

  /** The principal behind an access token, or null when it is unknown, expired or revoked. */
  async resolve(accessToken: string, now = new Date()): Promise<Principal | null> {
    const s = await this.db
      .getRepository(SessionEntity)
      .findOneBy({ accessHash: sha256(accessToken), revokedAt: IsNull() });
    if (!s || s.accessExpiresAt <= now) return null;
    if (s.subjectKind === 'buyer') return { kind: 'buyer', buyerId: s.subjectId, sessionId: s.id };
    const staff = await this.db.getRepository(StaffEntity).findOneBy({ id: s.subjectId, active: true });
    return staff ? { kind: 'staff', staffId: staff.id, role: staff.role, sessionId: s.id } : null;
  }

  /**
   * Rotates a refresh token. The conditional update makes rotation single-use: of two
   * concurrent refreshes with the same token, exactly one wins.
   */
  async refresh(refreshToken: string, now = new Date()): Promise<SessionTokens> {
    const repo = this.db.getRepository(SessionEntity);
    const s = await repo.findOneBy({ refreshHash: sha256(refreshToken), revokedAt: IsNull() });
    if (!s || s.refreshExpiresAt <= now) throw new UnauthenticatedError('The session has ended; sign in again.');
    const accessToken = token('at');
    const nextRefresh = token('rt');
    const accessExpiresAt = new Date(now.getTime() + ACCESS_TTL_MS);
    const refreshExpiresAt = new Date(now.getTime() + REFRESH_TTL_MS);
    const result = await repo
      .createQueryBuilder()
      .update()
      .set({ accessHash: sha256(accessToken), refreshHash: sha256(nextRefresh), accessExpiresAt, refreshExpiresAt })
      .where('id = :id AND refresh_hash = :old AND revoked_at IS NULL', { id: s.id, old: s.refreshHash })
      .execute();
    if (result.affected !== 1) throw new UnauthenticatedError('The session has ended; sign in again.');
    return {
      accessToken,
      refreshToken: nextRefresh,
      accessExpiresAt: accessExpiresAt.toISOString(),
      refreshExpiresAt: refreshExpiresAt.toISOString(),
    };
  }

  async revoke(sessionId: string): Promise<void> {
    await this.db.getRepository(SessionEntity).update({ id: sessionId }, { revokedAt: new Date() });
  }
}
