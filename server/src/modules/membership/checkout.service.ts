/**
 * Membership at checkout (DESIGN.md "Pricing order" steps 2, 5, 6): what the buyer's level,
 * points and balance bring to the shared pricing; taking the points and balance an order uses in
 * the order's own transaction (keys `redeem:<orderNo>`, `order-pay:<orderNo>`); giving them back
 * when the unpaid order closes or is cancelled, and each refund's share of them.
 */
import type { MemberAtCheckout, PointsRule, RefundParts } from '@chatmall/shared';
import type { DataSource } from 'typeorm';
import { NotFoundError } from '../../kernel/errors';
import { withTx, type Ctx, type TxCtx } from '../../kernel/tx';
import { applyPoints, applyWallet, InsufficientPointsError, lockMember, type AppliedPoints } from './ledgers';
import { MemberEntity, PointsEntryEntity, WalletEntryEntity } from './membership.entity';
import type { LedgerListener } from './points.service';
import { expiryFor, type ProgrammeService } from './programme.service';
import type { WalletService } from './wallet.service';

export class MemberCheckoutService {
  constructor(
    private readonly db: DataSource,
    private readonly deps: { programme: ProgrammeService; wallet: WalletService; changed: LedgerListener },
  ) {}

  async atCheckout(buyerId: string): Promise<{ member: MemberAtCheckout | null; pointsRule: PointsRule | null }> {
    const m = await this.db.getRepository(MemberEntity).findOneBy({ buyerId });
    if (!m) return { member: null, pointsRule: null };
    const settings = await this.deps.programme.settings();
    const level = settings.levels[Math.min(m.levelIndex, settings.levels.length - 1)];
    return {
      member: {
        level: { levelName: level.name, discountPercent: level.discountPercent, freeShipping: level.freeShipping },
        points: m.points,
        balance: m.balancePrincipal + m.balanceBonus,
      },
      pointsRule: settings.pointsRule,
    };
  }

  /** In the order's transaction: the points and balance it uses; what the balance part took of principal and bonus. */
  async take(
    ctx: TxCtx,
    a: { buyerId: string; orderId: string; orderNo: string; points: number; balance: number },
  ): Promise<{ principal: number; bonus: number }> {
    const m = await ctx.tx.getRepository(MemberEntity).findOneBy({ buyerId: a.buyerId });
    if (!m) throw new NotFoundError('Member');
    await lockMember(ctx.tx, m.id);
    if (a.points > 0) {
      try {
        await applyPoints(ctx.tx, m.id, {
          kind: 'REDEEM',
          delta: -a.points,
          sourceKey: `redeem:${a.orderNo}`,
          record: `积分抵扣 ${a.orderNo}`,
          orderNo: a.orderNo,
        });
      } catch (err) {
        if (err instanceof InsufficientPointsError) throw new InsufficientPointsError('body.points');
        throw err;
      }
    }
    if (a.balance <= 0) return { principal: 0, bonus: 0 };
    const spent = await this.deps.wallet.spendIn(
      ctx.tx,
      m.id,
      a.balance,
      { kind: 'ORDER_PAYMENT', sourceKey: `order-pay:${a.orderNo}`, record: `订单支付 ${a.orderNo}`, ref: a.orderNo },
      'body.useBalance',
    );
    return { principal: -(spent?.principal ?? 0), bonus: -(spent?.bonus ?? 0) };
  }

  /** After the order's commit (its `order.placed`): the card hears of the points and balance it took. */
  async placed(orderNo: string): Promise<void> {
    for (const e of await this.entriesOf(orderNo, ['redeem', 'order-pay'])) await this.deps.changed(e.memberId, e.id);
  }

  private async entriesOf(orderNo: string, prefixes: string[]) {
    const keys = prefixes.map((p) => `${p}:${orderNo}`);
    const points = await this.db.getRepository(PointsEntryEntity).findBy(keys.map((sourceKey) => ({ sourceKey })));
    const wallet = await this.db.getRepository(WalletEntryEntity).findBy(keys.map((sourceKey) => ({ sourceKey })));
    return [...points, ...wallet];
  }

  /** An order that closed unpaid or was cancelled: its points and balance come back, once. */
  async restore(ctx: Ctx, orderNo: string, now = new Date()): Promise<number> {
    const redeemed = await this.db.getRepository(PointsEntryEntity).findOneBy({ sourceKey: `redeem:${orderNo}` });
    const paid = await this.db.getRepository(WalletEntryEntity).findOneBy({ sourceKey: `order-pay:${orderNo}` });
    const memberId = redeemed?.memberId ?? paid?.memberId;
    if (!memberId) return 0;
    const settings = await this.deps.programme.settings();
    const applied = await withTx(this.db, ctx, async ({ tx }) => {
      await lockMember(tx, memberId);
      const out: string[] = [];
      if (redeemed && redeemed.delta < 0) {
        const p = await applyPoints(tx, memberId, {
          kind: 'RESTORE',
          delta: -redeemed.delta,
          sourceKey: `restore-points:${orderNo}`,
          record: `订单取消退回积分 ${orderNo}`,
          orderNo,
          expiresAt: expiryFor(settings, now),
        });
        if (p) out.push(p.entryId);
      }
      if (paid && paid.principal + paid.bonus < 0) {
        const w = await applyWallet(tx, memberId, {
          kind: 'ORDER_REFUND',
          principal: -paid.principal,
          bonus: -paid.bonus,
          sourceKey: `restore-balance:${orderNo}`,
          record: `订单取消退回余额 ${orderNo}`,
          ref: orderNo,
        });
        if (w) out.push(w.entryId);
      }
      return out;
    });
    if (!ctx.tx) for (const id of applied) await this.deps.changed(memberId, id);
    return applied.length;
  }

  /** One refund's share of the points and balance (fixed when the refund was approved), once. */
  async refund(
    ctx: Ctx,
    r: { buyerId: string; orderNo: string; outRefundNo: string; parts: RefundParts },
    now = new Date(),
  ): Promise<string[]> {
    if (r.parts.points === 0 && r.parts.balancePrincipal + r.parts.balanceBonus === 0) return [];
    const m = await this.db.getRepository(MemberEntity).findOneBy({ buyerId: r.buyerId });
    if (!m) return [];
    const settings = await this.deps.programme.settings();
    const applied = await withTx(this.db, ctx, async ({ tx }) => {
      await lockMember(tx, m.id);
      const out: (AppliedPoints | { entryId: string } | null)[] = [];
      if (r.parts.points > 0)
        out.push(
          await applyPoints(tx, m.id, {
            kind: 'RESTORE',
            delta: r.parts.points,
            sourceKey: `refund-points:${r.outRefundNo}`,
            record: `退款退回积分 ${r.orderNo}`,
            orderNo: r.orderNo,
            expiresAt: expiryFor(settings, now),
          }),
        );
      if (r.parts.balancePrincipal + r.parts.balanceBonus > 0)
        out.push(
          await applyWallet(tx, m.id, {
            kind: 'ORDER_REFUND',
            principal: r.parts.balancePrincipal,
            bonus: r.parts.balanceBonus,
            sourceKey: `refund-balance:${r.outRefundNo}`,
            record: `退款退回余额 ${r.orderNo}`,
            ref: r.orderNo,
          }),
        );
      return out.filter((x): x is { entryId: string } => x !== null).map((x) => x.entryId);
    });
    if (!ctx.tx) for (const id of applied) await this.deps.changed(m.id, id);
    return applied;
  }
}
