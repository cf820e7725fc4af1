/**
 * A staff member's WeChat identity (docs/decisions/0026-staff-wechat-binding.md).
 *
 * The console issues a one-time code: 8 random digits from node:crypto, working for ten
 * minutes, kept only as its SHA-256 (one row per staff member, so a new code replaces the
 * old). The mini-program's bind page sends it with the buyer's session; the code is consumed
 * by one conditional update (`used_at IS NULL AND expires_at > now`), so of two uses of one
 * code exactly one binds, and in the same transaction the buyer's openid is written to the
 * staff member's row. One WeChat binds one staff member (`uq_staff_openid`).
 *
 * The merchant pages then act as the staff member bound to the buyer's WeChat, with that
 * member's current role; a disabled member's WeChat opens nothing.
 *
 * Codes, openids and hashes never go to logs, errors or the audit log.
 */
import { createHash, randomInt } from 'node:crypto';
import {
  BINDING_CODE_TTL_MS,
  pagePath,
  type MerchantMe,
  type WechatBindingCode,
  type WechatBindingStatus,
} from '@chatmall/shared';
import { Not, type DataSource } from 'typeorm';
import { ConflictError, RateLimitedError, ValidationError } from '../../kernel/errors';
import { RateLimit } from '../../kernel/rate-limit';
import type { Redis } from '../../kernel/redis';
import { execute, updateWhere } from '../../kernel/sql';
import { managerOf, withTx, type Ctx } from '../../kernel/tx';
import { recordAudit } from './audit.service';
import { BuyerEntity } from './buyer.entity';
import type { BoundStaffPrincipal, BuyerPrincipal, StaffPrincipal } from './principal';
import { addressKey } from './sign-in-throttle';
import { StaffWechatCodeEntity } from './staff-wechat-code.entity';
import { StaffEntity } from './staff.entity';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** What a wrong, used or expired code reads as: the same words for each (nothing to tell apart). */
const badCode = () =>
  new ValidationError([{ path: 'body.code', message: 'is wrong, already used or expired' }], 'The code does not work.');

export interface BindingAttemptPolicy {
  /** Wrong codes a buyer may send in the window before being refused for it. */
  perBuyer: { failures: number; windowSeconds: number };
  /** Wrong codes from one client address (many buyers) in the window. */
  perAddress: { failures: number; windowSeconds: number };
}

export const defaultBindingAttemptPolicy: BindingAttemptPolicy = {
  perBuyer: { failures: 10, windowSeconds: 15 * 60 },
  perAddress: { failures: 50, windowSeconds: 15 * 60 },
};

/** The buyer's request context: the client address counts wrong codes too. */
export interface BindCtx extends Ctx {
  clientIp: string;
}

export class WechatBindingService {
  private readonly perBuyer: RateLimit;
  private readonly perAddress: RateLimit;

  constructor(
    private readonly db: DataSource,
    redis: Redis,
    policy: BindingAttemptPolicy = defaultBindingAttemptPolicy,
  ) {
    const rule = (name: string, p: { failures: number; windowSeconds: number }) => ({
      keyPrefix: `rl:wechat-bind:${name}`,
      points: p.failures,
      durationSeconds: p.windowSeconds,
      blockSeconds: p.windowSeconds,
    });
    this.perBuyer = new RateLimit(redis, rule('buyer', policy.perBuyer));
    this.perAddress = new RateLimit(redis, rule('address', policy.perAddress));
  }

  /** The console's card: is this staff member's WeChat bound, and since when. */
  async status(staffId: string): Promise<WechatBindingStatus> {
    const staff = await this.db.getRepository(StaffEntity).findOneBy({ id: staffId });
    if (!staff?.openid) return { bound: false, boundAt: null };
    const code = await this.db.getRepository(StaffWechatCodeEntity).findOneBy({ staffId });
    return { bound: true, boundAt: code?.usedAt?.toISOString() ?? null };
  }

  /** A fresh code for the signed-in staff member; any earlier code of theirs stops working. */
  async issue(ctx: Ctx, actor: StaffPrincipal, now = new Date()): Promise<WechatBindingCode> {
    const expiresAt = new Date(now.getTime() + BINDING_CODE_TTL_MS);
    for (let attempt = 1; ; attempt++) {
      const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
      try {
        await withTx(this.db, ctx, async ({ tx }) => {
          const repo = tx.getRepository(StaffWechatCodeEntity);
          await repo.delete({ staffId: actor.staffId });
          await repo.insert({ staffId: actor.staffId, codeHash: sha256(code), expiresAt, usedAt: null });
          await recordAudit(tx, actor, 'staff.wechat-code', 'staff', actor.staffId, {
            expiresAt: expiresAt.toISOString(),
          });
        });
        return { code, expiresAt: expiresAt.toISOString(), pagePath: pagePath('merchantBind', { code }) };
      } catch (err) {
        // Another staff member's live or spent code has these digits: draw again.
        if (attempt < 3 && isCodeHashTaken(err)) continue;
        throw err;
      }
    }
  }

  /** The signed-in staff member's WeChat is no longer theirs; a pending code stops working too. */
  async unbind(ctx: Ctx, actor: StaffPrincipal): Promise<WechatBindingStatus> {
    await withTx(this.db, ctx, async ({ tx }) => {
      const changed = await updateWhere(tx, StaffEntity, { openid: null }, { id: actor.staffId });
      await tx.getRepository(StaffWechatCodeEntity).delete({ staffId: actor.staffId });
      if (changed) await recordAudit(tx, actor, 'staff.wechat-unbind', 'staff', actor.staffId);
    });
    return { bound: false, boundAt: null };
  }

  /**
   * Binds the buyer's WeChat to the staff member whose code it is. Wrong codes are counted
   * per buyer and per client address before the code is looked at (parallel guesses cannot
   * outrun the count); a success gives the points back.
   */
  async bind(ctx: BindCtx, buyer: BuyerPrincipal, code: string, now = new Date()): Promise<MerchantMe> {
    const address = addressKey(ctx.clientIp);
    for (const [limit, key] of [
      [this.perBuyer, buyer.buyerId],
      [this.perAddress, address],
    ] as const) {
      const outcome = await limit.consume(key);
      if (!outcome.ok) throw new RateLimitedError('Too many wrong codes; try again later.', outcome.retryAfterSeconds);
    }
    const result = await withTx(this.db, ctx, async ({ tx }) => {
      const codeHash = sha256(code);
      const consumed = await execute(
        tx,
        'UPDATE staff_wechat_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?',
        [now, codeHash, now],
      );
      if (consumed !== 1) return null;
      const row = await tx.getRepository(StaffWechatCodeEntity).findOneByOrFail({ codeHash });
      const staff = await tx.getRepository(StaffEntity).findOneBy({ id: row.staffId, active: true });
      const { openid } = await tx.getRepository(BuyerEntity).findOneByOrFail({ id: buyer.buyerId });
      // A member disabled after asking for the code: the code simply does not work.
      if (!staff) return null;
      if (await tx.getRepository(StaffEntity).existsBy({ openid, id: Not(staff.id) }))
        throw new ConflictError('This WeChat is already bound to another staff member; they unbind it first.', [
          { path: 'body.openid', message: 'is already bound to another staff member' },
        ]);
      // A concurrent bind of this WeChat to someone else loses here on uq_staff_openid (409).
      await updateWhere(tx, StaffEntity, { openid }, { id: staff.id });
      await recordAudit(
        tx,
        { kind: 'staff', staffId: staff.id, role: staff.role, sessionId: buyer.sessionId },
        'staff.wechat-bind',
        'staff',
        staff.id,
        { buyerId: buyer.buyerId },
      );
      return { bound: true as const, staff: { displayName: staff.displayName, role: staff.role } };
    });
    if (!result) throw badCode();
    await Promise.all([this.perBuyer.reward(buyer.buyerId), this.perAddress.reward(address)]);
    return result;
  }

  /** The merchant pages' entry: which staff member this buyer's WeChat is, if any. */
  async merchantMe(buyer: BuyerPrincipal): Promise<MerchantMe> {
    const staff = await this.activeStaffOf(buyer.buyerId);
    return staff ? { bound: true, staff: { displayName: staff.displayName, role: staff.role } } : { bound: false };
  }

  /** The staff member a merchant-page request acts as (null: unbound, or bound to a disabled member). */
  async boundStaff(buyer: BuyerPrincipal): Promise<BoundStaffPrincipal | null> {
    const staff = await this.activeStaffOf(buyer.buyerId);
    return staff
      ? { kind: 'staff', staffId: staff.id, role: staff.role, sessionId: buyer.sessionId, buyerId: buyer.buyerId }
      : null;
  }

  /** Whether each staff member has a WeChat bound (the owner's staff list). */
  async boundStaffIds(staffIds: readonly string[], ctx: Ctx = {}): Promise<Set<string>> {
    if (!staffIds.length) return new Set();
    const rows = await managerOf(this.db, ctx)
      .getRepository(StaffEntity)
      .createQueryBuilder('s')
      .select('s.id', 'id')
      .where('s.id IN (:...ids)', { ids: [...staffIds] })
      .andWhere('s.openid IS NOT NULL')
      .getRawMany<{ id: string }>();
    return new Set(rows.map((r) => r.id));
  }

  private async activeStaffOf(buyerId: string): Promise<StaffEntity | null> {
    const buyer = await this.db.getRepository(BuyerEntity).findOneBy({ id: buyerId });
    if (!buyer) return null;
    return this.db.getRepository(StaffEntity).findOneBy({ openid: buyer.openid, active: true });
  }
}

function isCodeHashTaken(err: unknown): boolean {
  const text = String((err as { message?: unknown })?.message ?? '');
  return text.includes('uq_staff_wechat_codes_hash') || text.includes('staff_wechat_codes.code_hash');
}
