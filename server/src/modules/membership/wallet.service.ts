/**
 * Stored value: top-ups through WeChat Pay (their own prepay and notify path, exactly once
 * by a conditional update on the top-up's state), spending (principal and bonus in
 * proportion), the top-up refund (principal back through WeChat, its bonus removed), the
 * ledger's history and the liability report. docs/decisions/0030-stored-value.md.
 */
import { randomInt } from 'node:crypto';
import {
  newId,
  type Balance,
  type LiabilityReport,
  type TopUp,
  type TopUpPayment,
  type WalletEntry,
  type WalletEntryPage,
} from '@chatmall/shared';
import { IsNull, LessThanOrEqual, Not, type DataSource, type EntityManager } from 'typeorm';
import { ConflictError, NotFoundError, OrderStateError, ValidationError } from '../../kernel/errors';
import type { Logger } from '../../kernel/logger';
import { execute } from '../../kernel/sql';
import { withTx, type Ctx } from '../../kernel/tx';
import type { PayNotification } from '../../wechat/pay/notification';
import { WechatPayApiError } from '../../wechat/pay/errors';
import type { WechatPay } from '../../wechat/pay/wechat-pay';
import { recordAudit } from '../auth/audit.service';
import type { StaffPrincipal } from '../auth/principal';
import {
  applyWallet,
  InsufficientBalanceError,
  lockMember,
  splitSpend,
  type AppliedWallet,
  type WalletChange,
} from './ledgers';
import { MemberEntity, TopUpEntity, WalletEntryEntity } from './membership.entity';
import type { LedgerListener } from './points.service';
import type { ProgrammeService } from './programme.service';

export const TOP_UP_NOTIFY_PATH = '/api/membership/top-ups/notify';
/** A top-up's prepay stays payable this long. */
const TOP_UP_WINDOW_MS = 15 * 60_000;

const rfc3339 = (d: Date) => {
  const china = new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19);
  return `${china}+08:00`;
};

export const topUpView = (t: TopUpEntity): TopUp => ({
  id: t.id,
  outTradeNo: t.outTradeNo,
  pay: t.pay,
  bonus: t.bonus,
  status: t.status,
  paidAt: t.paidAt?.toISOString() ?? null,
  refundedAt: t.refundedAt?.toISOString() ?? null,
  createdAt: t.createdAt.toISOString(),
});

const walletEntryView = (e: WalletEntryEntity): WalletEntry => ({
  id: e.id,
  kind: e.kind as WalletEntry['kind'],
  principal: e.principal,
  bonus: e.bonus,
  balanceAfter: { total: e.principalAfter + e.bonusAfter, principal: e.principalAfter, bonus: e.bonusAfter },
  record: e.record,
  ref: e.ref,
  createdAt: e.createdAt.toISOString(),
});

export type TopUpOutcome =
  'CREDITED' | 'DUPLICATE' | 'UNKNOWN' | 'AMOUNT_MISMATCH' | 'NOT_SUCCESS' | 'REFUNDED' | 'IGNORED';

export class WalletService {
  constructor(
    private readonly deps: {
      db: DataSource;
      programme: ProgrammeService;
      wechatPay: WechatPay;
      openidOf(buyerId: string): Promise<string | null>;
      shopName(): Promise<string>;
      log: Logger;
      changed?: LedgerListener;
    },
  ) {}

  private get db() {
    return this.deps.db;
  }

  private notifyUrl(): string {
    return new URL(TOP_UP_NOTIFY_PATH, this.deps.wechatPay.settings.notifyUrl).toString();
  }

  private async changed(ctx: Ctx, memberId: string, a: AppliedWallet | null) {
    if (a && !ctx.tx) await this.deps.changed?.(memberId, a.entryId);
  }

  /** One stored-value change in its own transaction (or the caller's), under the member's lock. */
  async apply(ctx: Ctx, memberId: string, change: WalletChange): Promise<AppliedWallet | null> {
    const a = await withTx(this.db, ctx, async ({ tx }) => {
      await lockMember(tx, memberId);
      return applyWallet(tx, memberId, change);
    });
    await this.changed(ctx, memberId, a);
    return a;
  }

  /**
   * Takes `amount` from the balance (principal and bonus in proportion) in the caller's
   * transaction, whose member lock it takes; INSUFFICIENT_BALANCE when it does not cover it.
   */
  async spendIn(
    tx: EntityManager,
    memberId: string,
    amount: number,
    entry: Omit<WalletChange, 'principal' | 'bonus'>,
    field = 'body.amount',
  ): Promise<AppliedWallet | null> {
    const m = await lockMember(tx, memberId);
    if (m.balancePrincipal + m.balanceBonus < amount) throw new InsufficientBalanceError(field);
    const split = splitSpend(amount, m.balancePrincipal, m.balanceBonus);
    return applyWallet(tx, memberId, { ...entry, principal: -split.principal, bonus: -split.bonus });
  }

  // ---- top-ups ----

  /** Starts (or, for the same request key, resumes) a top-up of one of the programme's tiers. */
  async startTopUp(buyerId: string, req: { pay: number; requestKey: string }, now = new Date()): Promise<TopUpPayment> {
    const member = await this.db.getRepository(MemberEntity).findOneBy({ buyerId });
    if (!member) throw new NotFoundError('Member');
    const settings = await this.deps.programme.settings();
    const tier = settings.topUpTiers.find((t) => t.pay === req.pay);
    if (!tier)
      throw new ValidationError([{ path: 'body.pay', message: '不是可选的充值金额 is not one of the top-up tiers' }]);
    const repo = this.db.getRepository(TopUpEntity);
    const stamp = new Date(now.getTime() + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);
    await repo
      .createQueryBuilder()
      .insert()
      .values({
        id: newId('topUp'),
        memberId: member.id,
        buyerId,
        requestKey: req.requestKey,
        outTradeNo: `TU${stamp}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`,
        pay: tier.pay,
        bonus: tier.bonus,
        status: 'PENDING',
        prepayId: null,
        transactionId: null,
        outRefundNo: null,
        paidAt: null,
        refundedAt: null,
      })
      .orIgnore()
      .execute();
    const topUp = await repo.findOneByOrFail({ memberId: member.id, requestKey: req.requestKey });
    if (topUp.pay !== req.pay)
      throw new ConflictError('这个请求已用于另一个金额 This request key was used for another amount.', [
        { path: 'body.requestKey', message: 'was used for another amount' },
      ]);
    if (topUp.status !== 'PENDING') throw new OrderStateError(`A top-up that is ${topUp.status} cannot be paid.`);
    const openid = await this.deps.openidOf(buyerId);
    if (!openid) throw new NotFoundError('Buyer');
    const client = this.deps.wechatPay.client;
    // The same out_trade_no with the same parameters: a repeat gets the same prepay back.
    const expiresAt = new Date(Math.ceil((topUp.createdAt.getTime() + TOP_UP_WINDOW_MS) / 1000) * 1000);
    if (expiresAt <= now) throw new OrderStateError('The top-up’s payment window has closed; start a new one.');
    const prepay = await client.prepayJsapi({
      description: `${await this.deps.shopName()} 储值充值`.slice(0, 127),
      out_trade_no: topUp.outTradeNo,
      total: topUp.pay,
      payerOpenid: openid,
      time_expire: rfc3339(expiresAt),
      notify_url: this.notifyUrl(),
    });
    await repo.update({ id: topUp.id }, { prepayId: prepay.prepayId });
    return {
      topUp: topUpView(topUp),
      prepayId: prepay.prepayId,
      requestPayment: client.requestPayment(prepay.prepayId),
      cashierUrl: `${this.deps.wechatPay.settings.apiBase.replace(/\/$/, '')}/sandbox/pay/cashier?prepay_id=${encodeURIComponent(prepay.prepayId)}`,
    };
  }

  async topUpOf(buyerId: string, id: string): Promise<TopUp> {
    const t = await this.db.getRepository(TopUpEntity).findOneBy({ id, buyerId });
    if (!t) throw new NotFoundError('Top-up');
    return topUpView(t);
  }

  /**
   * A verified notification for the top-up path. Paid: the top-up moves PENDING → PAID and
   * the balance gets principal and bonus, in one transaction; a repeat finds it PAID and does
   * nothing. Refund: REFUNDING → REFUNDED; a refund WeChat closed puts the money back.
   */
  async applyNotification(ctx: Ctx, n: PayNotification): Promise<TopUpOutcome> {
    if (n.kind === 'refund') return this.applyRefundNotice(ctx, n.refund);
    const t = n.transaction;
    if (t.trade_state !== 'SUCCESS') return 'NOT_SUCCESS';
    const outcome = await withTx(
      this.db,
      ctx,
      async ({ tx }): Promise<[TopUpOutcome, AppliedWallet | null, string | null]> => {
        const topUp = await tx.getRepository(TopUpEntity).findOneBy({ outTradeNo: t.out_trade_no });
        if (!topUp) return ['UNKNOWN', null, null];
        const amount = t.amount?.total ?? -1;
        if (amount !== topUp.pay || (t.amount?.currency ?? 'CNY') !== 'CNY') return ['AMOUNT_MISMATCH', null, null];
        const paidAt = t.success_time ? new Date(t.success_time) : new Date();
        const moved = await execute(
          tx,
          "UPDATE top_ups SET status = 'PAID', transaction_id = ?, paid_at = ?, updated_at = ? WHERE id = ? AND status = 'PENDING'",
          [t.transaction_id ?? null, paidAt, new Date(), topUp.id],
        );
        if (!moved) return ['DUPLICATE', null, null];
        await lockMember(tx, topUp.memberId);
        const a = await applyWallet(tx, topUp.memberId, {
          kind: 'TOP_UP',
          principal: topUp.pay,
          bonus: topUp.bonus,
          sourceKey: `topup:${topUp.outTradeNo}`,
          record: topUp.bonus ? `充值 ¥${topUp.pay / 100} 赠 ¥${topUp.bonus / 100}` : `充值 ¥${topUp.pay / 100}`,
          ref: topUp.outTradeNo,
        });
        return ['CREDITED', a, topUp.memberId];
      },
    );
    const [result, applied, memberId] = outcome;
    if (result === 'UNKNOWN' || result === 'AMOUNT_MISMATCH')
      this.deps.log.error(
        { alert: 'top-up-mismatch', outTradeNo: t.out_trade_no, outcome: result },
        'a top-up payment does not match',
      );
    if (memberId) await this.changed(ctx, memberId, applied);
    return result;
  }

  private async applyRefundNotice(
    ctx: Ctx,
    r: { out_refund_no: string; refund_status: 'SUCCESS' | 'CLOSE' | 'ABNORMAL'; success_time?: string },
  ): Promise<TopUpOutcome> {
    const result = await withTx(
      this.db,
      ctx,
      async ({ tx }): Promise<[TopUpOutcome, AppliedWallet | null, string | null]> => {
        const topUp = await tx.getRepository(TopUpEntity).findOneBy({ outRefundNo: r.out_refund_no });
        if (!topUp) return ['UNKNOWN', null, null];
        if (r.refund_status === 'SUCCESS') {
          const at = r.success_time ? new Date(r.success_time) : new Date();
          const moved = await execute(
            tx,
            "UPDATE top_ups SET status = 'REFUNDED', refunded_at = ?, updated_at = ? WHERE id = ? AND status = 'REFUNDING'",
            [at, new Date(), topUp.id],
          );
          return [moved ? 'REFUNDED' : 'DUPLICATE', null, null];
        }
        // WeChat closed the refund: the money is still the member's; the top-up is PAID again.
        const moved = await execute(
          tx,
          "UPDATE top_ups SET status = 'PAID', out_refund_no = NULL, updated_at = ? WHERE id = ? AND status = 'REFUNDING'",
          [new Date(), topUp.id],
        );
        if (!moved) return ['DUPLICATE', null, null];
        await lockMember(tx, topUp.memberId);
        const a = await applyWallet(tx, topUp.memberId, {
          kind: 'TOP_UP_REFUND',
          principal: topUp.pay,
          bonus: topUp.bonus,
          sourceKey: `topup-refund-undone:${r.out_refund_no}`,
          record: '充值退款未成功，已退回',
          ref: topUp.outTradeNo,
        });
        return ['IGNORED', a, topUp.memberId];
      },
    );
    const [outcome, applied, memberId] = result;
    if (memberId) await this.changed(ctx, memberId, applied);
    return outcome;
  }

  /**
   * The owner refunds a top-up: its principal goes back through WeChat Pay and its bonus is
   * removed, both taken from the balance now (INSUFFICIENT_BALANCE when the member has
   * already spent part of it). A repeat while WeChat is still refunding asks WeChat again
   * with the same out_refund_no (WeChat refunds once).
   */
  async refundTopUp(ctx: Ctx, actor: StaffPrincipal, id: string): Promise<TopUp> {
    // A fresh number for each refund attempt (one WeChat closed cannot be asked again).
    const outRefundNo = `RTU${id.slice(-16)}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
    const { topUp, applied } = await withTx(this.db, ctx, async ({ tx }) => {
      const t = await tx.getRepository(TopUpEntity).findOneBy({ id });
      if (!t) throw new NotFoundError('Top-up');
      if (t.status === 'REFUNDING' || t.status === 'REFUNDED') return { topUp: t, applied: null };
      const moved = await execute(
        tx,
        "UPDATE top_ups SET status = 'REFUNDING', out_refund_no = ?, updated_at = ? WHERE id = ? AND status = 'PAID'",
        [outRefundNo, new Date(), id],
      );
      if (!moved) throw new ConflictError(`A top-up that is ${t.status} cannot be refunded.`);
      await lockMember(tx, t.memberId);
      let a: AppliedWallet | null;
      try {
        a = await applyWallet(tx, t.memberId, {
          kind: 'TOP_UP_REFUND',
          principal: -t.pay,
          bonus: -t.bonus,
          sourceKey: `topup-refund:${outRefundNo}`,
          record: t.bonus ? `充值退款 ¥${t.pay / 100}，扣回赠送 ¥${t.bonus / 100}` : `充值退款 ¥${t.pay / 100}`,
          ref: t.outTradeNo,
        });
      } catch (err) {
        if (err instanceof InsufficientBalanceError) throw new InsufficientBalanceError('params.id');
        throw err;
      }
      await recordAudit(tx, actor, 'membership.top-up.refund', 'top_up', id, { pay: t.pay, bonus: t.bonus });
      return { topUp: { ...t, status: 'REFUNDING' as const, outRefundNo }, applied: a };
    });
    await this.changed(ctx, topUp.memberId, applied);
    if (topUp.status === 'REFUNDING') {
      await this.deps.wechatPay.client.refund({
        out_trade_no: topUp.outTradeNo,
        out_refund_no: topUp.outRefundNo ?? outRefundNo,
        reason: '储值充值退款',
        refund: topUp.pay,
        total: topUp.pay,
        notify_url: this.notifyUrl(),
      });
    }
    const fresh = await this.db.getRepository(TopUpEntity).findOneByOrFail({ id });
    return topUpView(fresh);
  }

  /**
   * Closes the gaps a lost notification leaves (DESIGN.md "Nothing lost"): a top-up still
   * PENDING after `olderThanMs` is asked about by out_trade_no and credited if WeChat says paid
   * (the same conditional path as the notification); a refund still REFUNDING is sent again (the
   * same out_refund_no: WeChat refunds once) and settled from WeChat's answer.
   */
  async reconcile(
    now = new Date(),
    olderThanMs = 5 * 60_000,
    batch = 100,
  ): Promise<{ credited: number; refunds: number; closed: number }> {
    const repo = this.db.getRepository(TopUpEntity);
    const before = new Date(now.getTime() - olderThanMs);
    const client = this.deps.wechatPay.client;
    let credited = 0;
    let refunds = 0;
    let closed = 0;
    const pending = await repo.find({
      where: { status: 'PENDING', prepayId: Not(IsNull()), createdAt: LessThanOrEqual(before) },
      take: batch,
    });
    for (const t of pending) {
      try {
        const tx = await client.queryByOutTradeNo(t.outTradeNo);
        if (tx.trade_state !== 'SUCCESS') {
          // Unpaid past its window: closed at WeChat Pay and here, so it is asked about no more.
          const overdue = t.createdAt.getTime() + TOP_UP_WINDOW_MS <= now.getTime();
          if (overdue && ['NOTPAY', 'CLOSED', 'PAYERROR', 'REVOKED'].includes(tx.trade_state)) {
            if (tx.trade_state !== 'CLOSED') await client.close(t.outTradeNo);
            closed += await execute(
              this.db.manager,
              "UPDATE top_ups SET status = 'CLOSED', updated_at = ? WHERE id = ? AND status = 'PENDING'",
              [new Date(), t.id],
            );
          }
          continue;
        }
        const outcome = await this.applyNotification(
          {},
          {
            kind: 'payment',
            id: `reconcile-${t.outTradeNo}`,
            eventType: 'TRANSACTION.SUCCESS',
            createTime: now.toISOString(),
            transaction: tx,
          },
        );
        if (outcome === 'CREDITED') credited++;
      } catch (err) {
        if (err instanceof WechatPayApiError && err.code === 'ORDER_NOT_EXIST') continue;
        this.deps.log.warn(
          { outTradeNo: t.outTradeNo, err: (err as Error).message },
          'top-up query failed; will retry',
        );
      }
    }
    const refunding = await repo.find({
      where: { status: 'REFUNDING', updatedAt: LessThanOrEqual(before) },
      take: batch,
    });
    for (const t of refunding) {
      try {
        const r = await client.refund({
          out_trade_no: t.outTradeNo,
          out_refund_no: t.outRefundNo ?? '',
          reason: '储值充值退款',
          refund: t.pay,
          total: t.pay,
          notify_url: this.notifyUrl(),
        });
        if (r.status === 'PROCESSING') continue;
        const outcome = await this.applyRefundNotice(
          {},
          {
            out_refund_no: r.out_refund_no,
            refund_status: r.status === 'SUCCESS' ? 'SUCCESS' : r.status === 'ABNORMAL' ? 'ABNORMAL' : 'CLOSE',
            success_time: r.success_time,
          },
        );
        if (outcome === 'REFUNDED') refunds++;
      } catch (err) {
        this.deps.log.warn(
          { outTradeNo: t.outTradeNo, err: (err as Error).message },
          'top-up refund not settled; will retry',
        );
      }
    }
    return { credited, refunds, closed };
  }

  async topUpsOf(memberId: string): Promise<TopUp[]> {
    const rows = await this.db
      .getRepository(TopUpEntity)
      .find({ where: { memberId }, order: { id: 'DESC' }, take: 50 });
    return rows.map(topUpView);
  }

  async history(memberId: string, q: { cursor?: string; limit: number }): Promise<WalletEntryPage> {
    const qb = this.db
      .getRepository(WalletEntryEntity)
      .createQueryBuilder('e')
      .where('e.member_id = :memberId', { memberId })
      .orderBy('e.id', 'DESC')
      .take(q.limit + 1);
    if (q.cursor) qb.andWhere('e.id < :cursor', { cursor: q.cursor });
    const rows = await qb.getMany();
    return {
      items: rows.slice(0, q.limit).map(walletEntryView),
      nextCursor: rows.length > q.limit ? rows[q.limit - 1].id : null,
    };
  }

  /** What the shop owes in stored value, summed from the ledger, beside the members' cached parts. */
  async liability(now = new Date()): Promise<LiabilityReport> {
    const [ledger] = (await this.db.query(
      'SELECT COALESCE(SUM(principal), 0) AS p, COALESCE(SUM(bonus), 0) AS b FROM wallet_entries',
    )) as { p: number; b: number }[];
    const [cached] = (await this.db.query(
      'SELECT COALESCE(SUM(balance_principal), 0) AS p, COALESCE(SUM(balance_bonus), 0) AS b, COALESCE(SUM(points), 0) AS pts, COUNT(*) AS n FROM members',
    )) as { p: number; b: number; pts: number; n: number }[];
    const [flows] = (await this.db.query(
      "SELECT COALESCE(SUM(CASE WHEN status IN ('PAID', 'REFUNDING', 'REFUNDED') THEN pay ELSE 0 END), 0) AS paid, COALESCE(SUM(CASE WHEN status IN ('REFUNDING', 'REFUNDED') THEN pay ELSE 0 END), 0) AS refunded FROM top_ups",
    )) as { paid: number; refunded: number }[];
    const bal = (p: number, b: number): Balance => ({
      principal: Number(p),
      bonus: Number(b),
      total: Number(p) + Number(b),
    });
    const rule = (await this.deps.programme.settings()).pointsRule;
    const outstanding = Number(cached.pts);
    return {
      ledger: bal(ledger.p, ledger.b),
      cached: bal(cached.p, cached.b),
      members: Number(cached.n),
      toppedUp: Number(flows.paid),
      refunded: Number(flows.refunded),
      points: { outstanding, worth: Math.floor((outstanding * rule.fen) / rule.points) },
      at: now.toISOString(),
    };
  }
}
