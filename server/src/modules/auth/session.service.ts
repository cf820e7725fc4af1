/**
 * Sessions: an opaque access token (short-lived) and a refresh token (long-lived, rotated
 * on use). Tokens are random 32-byte strings; only their SHA-256 is stored.
 *
 * Rotation keeps history: refreshing marks the session rotated and starts the next session
 * of its family (every session descended from one sign-in). A rotated refresh token that
 * comes back means two parties hold it (a thief and the owner), so the whole family is
 * revoked and both must sign in again (`docs/decisions/0020-sign-in-hardening.md`).
 *
 * Resolving an access token is on every request's path, so a verified token's principal is
 * kept in this process for a few seconds (`SESSION_CACHE_TTL_MS`, never past the token's own
 * expiry; at most `SESSION_CACHE_MAX` entries, keyed by the token's hash). Revoking a session in
 * this process drops its entries at once; a revocation made elsewhere (another API process, a
 * script) takes effect here within SESSION_CACHE_TTL_MS. Only verified tokens are kept: an
 * unknown, expired or revoked token is asked of the database every time.
 */
import { createHash, randomBytes } from 'node:crypto';
import { newId, type SessionTokens } from '@chatmall/shared';
import { type DataSource } from 'typeorm';
import { UnauthenticatedError } from '../../kernel/errors';
import type { Logger } from '../../kernel/logger';
import { execute, updateWhere } from '../../kernel/sql';
import { noTx, withTx, type Ctx } from '../../kernel/tx';
import type { Principal } from './principal';
import { SessionEntity } from './session.entity';
import { StaffEntity } from './staff.entity';

export const ACCESS_TTL_MS = 2 * 60 * 60 * 1000;
export const REFRESH_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** How long a verified access token is trusted without asking the database: the bound on a revocation made in another process. */
export const SESSION_CACHE_TTL_MS = 5_000;
/** Verified tokens kept at most (the oldest go first). */
export const SESSION_CACHE_MAX = 20_000;

/** A datetime as the driver returns it: a Date (MariaDB), or UTC text (SQLite, as TypeORM writes it). */
const dateOf = (v: Date | string): Date => (v instanceof Date ? v : new Date(`${v.replace(' ', 'T')}Z`));

interface Cached {
  principal: Principal;
  /** Subject and family, so revoking them drops the entry. */
  subject: string;
  familyId: string;
  until: number;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const token = (prefix: string) => `${prefix}_${randomBytes(32).toString('base64url')}`;
const ended = () => new UnauthenticatedError('The session has ended; sign in again.');

export class SessionService {
  private readonly verified = new Map<string, Cached>();

  constructor(
    private readonly db: DataSource,
    private readonly log?: Logger,
    private readonly cache: { ttlMs: number; max: number } = { ttlMs: SESSION_CACHE_TTL_MS, max: SESSION_CACHE_MAX },
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

  /**
   * The principal behind an access token, or null when it is unknown, expired, rotated or
   * revoked (or its staff member disabled). A token verified in the last SESSION_CACHE_TTL_MS
   * is answered from this process; otherwise one indexed query (plus the staff row for staff).
   */
  async resolve(accessToken: string, now = new Date()): Promise<Principal | null> {
    const hash = sha256(accessToken);
    const hit = this.verified.get(hash);
    if (hit) {
      if (now.getTime() < hit.until) return hit.principal;
      this.verified.delete(hash);
    }
    const [s] = (await this.db.query(
      'SELECT id, family_id, subject_kind, subject_id, access_expires_at FROM sessions' +
        ' WHERE access_hash = ? AND revoked_at IS NULL AND rotated_at IS NULL',
      [hash],
    )) as {
      id: string;
      family_id: string;
      subject_kind: 'buyer' | 'staff';
      subject_id: string;
      access_expires_at: Date | string;
    }[];
    if (!s) return null;
    const expiresAt = dateOf(s.access_expires_at).getTime();
    if (expiresAt <= now.getTime()) return null;
    let principal: Principal;
    if (s.subject_kind === 'buyer') principal = { kind: 'buyer', buyerId: s.subject_id, sessionId: s.id };
    else {
      const staff = await this.db.getRepository(StaffEntity).findOneBy({ id: s.subject_id, active: true });
      if (!staff) return null;
      principal = { kind: 'staff', staffId: staff.id, role: staff.role, sessionId: s.id };
    }
    if (this.cache.ttlMs > 0) {
      if (this.verified.size >= this.cache.max) this.verified.delete(this.verified.keys().next().value as string);
      this.verified.set(hash, {
        principal,
        subject: `${s.subject_kind}:${s.subject_id}`,
        familyId: s.family_id,
        until: Math.min(now.getTime() + this.cache.ttlMs, expiresAt),
      });
    }
    return principal;
  }

  /** Drops this process's verified tokens that match (a revocation here takes effect at once). */
  private forget(match: (c: Cached) => boolean): void {
    for (const [hash, c] of this.verified) if (match(c)) this.verified.delete(hash);
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
      // The rotated session's access token ends with it (in other processes within the cache's TTL).
      this.forget((c) => c.principal.sessionId === s.id);
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
    this.forget((c) => c.principal.sessionId === sessionId);
    await this.db.getRepository(SessionEntity).update({ id: sessionId }, { revokedAt: new Date() });
    this.forget((c) => c.principal.sessionId === sessionId);
  }

  /**
   * Ends every session of one buyer or staff member (disabled, role changed, password reset),
   * or every one but the sign-in `keepFamily` (a member who changed their own password stays
   * signed in where they did it).
   */
  async revokeSubject(
    ctx: Ctx,
    subjectKind: 'buyer' | 'staff',
    subjectId: string,
    now = new Date(),
    keepFamily?: string,
  ): Promise<number> {
    const subject = `${subjectKind}:${subjectId}`;
    const ends = (c: Cached) => c.subject === subject && c.familyId !== keepFamily;
    this.forget(ends);
    const n = await execute(
      ctx.tx ?? this.db.manager,
      'UPDATE sessions SET revoked_at = ? WHERE subject_kind = ? AND subject_id = ? AND revoked_at IS NULL' +
        (keepFamily ? ' AND family_id <> ?' : ''),
      keepFamily ? [now, subjectKind, subjectId, keepFamily] : [now, subjectKind, subjectId],
    );
    // Again after the update: a request resolved meanwhile may have read the row before it.
    // (Inside a caller's transaction the row changes at its commit; until then, and in other
    // processes, the bound is SESSION_CACHE_TTL_MS.)
    this.forget(ends);
    return n;
  }

  /** The sign-in (family) a session belongs to, or null when the session is unknown. */
  async familyOf(sessionId: string): Promise<string | null> {
    const row = await this.db.getRepository(SessionEntity).findOneBy({ id: sessionId });
    return row?.familyId ?? null;
  }

  /** Ends every session of a family (the sign-in and everything refreshed from it). */
  async revokeFamily(familyId: string, reason: string, now = new Date(), ctx: Ctx = noTx): Promise<number> {
    this.forget((c) => c.familyId === familyId);
    const n = await execute(
      ctx.tx ?? this.db.manager,
      'UPDATE sessions SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL',
      [now, familyId],
    );
    this.forget((c) => c.familyId === familyId);
    if (reason === 'refresh-token-reuse') {
      this.log?.warn({ sessionFamily: familyId, revoked: n }, 'a rotated refresh token was used again: family revoked');
    }
    return n;
  }
}
