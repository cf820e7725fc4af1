/**
 * Refunds: the buyer asks (reason, amount) → the owner approves (choosing what stock goes
 * back) or rejects → WeChat Pay's refund API (idempotent on out_refund_no) → the refund
 * notification or a query settles it. ABNORMAL is shown to the merchant and is never final.
 * The order becomes PARTIALLY_REFUNDED or REFUNDED only when money has actually gone back.
 */
import { randomInt } from 'node:crypto';
import { newId, type Refund, type RefundStatus } from '@chatmall/shared';
import { In, LessThanOrEqual, type DataSource, type EntityManager } from 'typeorm';
import { NotFoundError, OrderStateError, ValidationError } from '../../kernel/errors';
import type { Logger } from '../../kernel/logger';
import { withTx, type Ctx } from '../../kernel/tx';
import { WechatPayApiError } from '../../wechat/pay/errors';
import type { WechatPay } from '../../wechat/pay/wechat-pay';
import { recordAudit } from '../auth/audit.service';
import type { StaffPrincipal } from '../auth/principal';
import { publish } from '../events';
import type { OrderService } from '../orders/order.service';
import { RefundEntity } from './refund.entity';

/** Refunds that hold (or held) money: a new request may not exceed what is left. */
const COUNTED: RefundStatus[] = ['REQUESTED', 'APPROVED', 'PROCESSING', 'ABNORMAL', 'SUCCESS'];
const REFUNDABLE_ORDER = new Set(['PAID', 'SHIPPED', 'COMPLETED', 'PARTIALLY_REFUNDED']);

export type RefundResult = 'SUCCESS' | 'ABNORMAL' | 'CLOSED';
/** What applying WeChat's word on a refund did: moved it, found it already there, or found no such refund. */
export type SettleOutcome = 'SETTLED' | 'DUPLICATE' | 'UNKNOWN_REFUND';

export const refundDto = (r: RefundEntity): Refund => ({
  id: r.id,
  orderId: r.orderId,
  orderNo: r.orderNo,
  outRefundNo: r.outRefundNo,
  amount: r.amount,
  reason: r.reason,
  status: r.status,
  rejectReason: r.rejectReason,
  restock: r.restock,
  createdAt: r.createdAt.toISOString(),
  succeededAt: r.succeededAt ? r.succeededAt.toISOString() : null,
});

export class RefundService {
  constructor(
    private readonly db: DataSource,
    private readonly orders: OrderService,
    private readonly wechatPay: WechatPay,
    private readonly log: Logger,
  ) {}

  async request(ctx: Ctx, buyerId: string, orderId: string, amount: number, reason: string): Promise<Refund> {
    return withTx(this.db, ctx, async (ctx) => {
      const { tx } = ctx;
      // Locked: two requests at once cannot both claim the same money.
      const order = await this.orders.lockForRefund(ctx, orderId);
      if (!order || order.buyerId !== buyerId) throw new NotFoundError('Order');
      if (!REFUNDABLE_ORDER.has(order.status))
        throw new OrderStateError(`An order that is ${order.status} cannot be refunded.`);
      const held = await tx.getRepository(RefundEntity).sum('amount', { orderId, status: In(COUNTED) });
      const left = order.payable - (held ?? 0);
      if (amount > left)
        throw new ValidationError([{ path: 'body.amount', message: `at most ${left} fen can still be refunded` }]);
      const r = Object.assign(new RefundEntity(), {
        id: newId('refund'),
        orderId,
        orderNo: order.orderNo,
        outRefundNo: `RF${order.orderNo.slice(2)}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`,
        amount,
        reason,
        status: 'REQUESTED' as const,
        rejectReason: null,
        restock: [],
        refundId: null,
        succeededAt: null,
      });
      await tx.getRepository(RefundEntity).insert(r);
      return refundDto(await tx.getRepository(RefundEntity).findOneByOrFail({ id: r.id }));
    });
  }

  async listForOrder(buyerId: string, orderId: string): Promise<Refund[]> {
    await this.orders.buyersOrder(buyerId, orderId); // another buyer's order: 404
    return (
      await this.db.getRepository(RefundEntity).find({ where: { orderId }, order: { createdAt: 'DESC', id: 'DESC' } })
    ).map(refundDto);
  }

  async list(status?: RefundStatus): Promise<Refund[]> {
    return (
      await this.db
        .getRepository(RefundEntity)
        .find({ where: status ? { status } : {}, order: { id: 'DESC' }, take: 200 })
    ).map(refundDto);
  }

  async reject(ctx: Ctx, actor: StaffPrincipal, id: string, reason: string): Promise<Refund> {
    await withTx(this.db, ctx, async ({ tx }) => {
      const res = await tx
        .getRepository(RefundEntity)
        .update({ id, status: 'REQUESTED' }, { status: 'REJECTED', rejectReason: reason });
      if (!res.affected) throw await this.stateError(tx, id, 'rejected');
      await recordAudit(tx, actor, 'refund.reject', 'refund', id, { reason });
    });
    return this.get(id);
  }

  /** Approves and asks WeChat Pay to send the money; the notification (or a query) settles it. */
  async approve(
    ctx: Ctx,
    actor: StaffPrincipal,
    id: string,
    restock: { skuId: string; quantity: number }[],
  ): Promise<Refund> {
    await withTx(this.db, ctx, async ({ tx }) => {
      const refund = await tx.getRepository(RefundEntity).findOneBy({ id });
      if (!refund) throw new NotFoundError('Refund');
      const lines = await this.orders.lines(refund.orderId);
      const problems = restock.flatMap((s, i) => {
        const line = lines.find((l) => l.skuId === s.skuId);
        if (!line) return [{ path: `body.restock.${i}.skuId`, message: 'is not on this order' }];
        if (s.quantity > line.quantity)
          return [{ path: `body.restock.${i}.quantity`, message: `at most ${line.quantity}` }];
        return [];
      });
      if (problems.length) throw new ValidationError(problems);
      const res = await tx
        .getRepository(RefundEntity)
        .update({ id, status: 'REQUESTED' }, { status: 'APPROVED', restock: restock as never });
      if (!res.affected) throw await this.stateError(tx, id, 'approved');
      await recordAudit(tx, actor, 'refund.approve', 'refund', id, { amount: refund.amount, restock });
    });
    await this.submit(id).catch((err: Error) =>
      this.log.warn({ refundId: id, err: err.message }, 'refund not yet submitted; reconciliation will retry'),
    );
    return this.get(id);
  }

  /** Sends an approved refund to WeChat Pay. Safe to repeat: out_refund_no makes it once. */
  async submit(id: string): Promise<void> {
    const r = await this.db.getRepository(RefundEntity).findOneByOrFail({ id });
    if (r.status !== 'APPROVED') return;
    const order = await this.orders.factsById(r.orderId);
    if (!order) throw new Error(`order ${r.orderId} of refund ${r.id} is missing`);
    const answer = await this.wechatPay.client.refund({
      out_refund_no: r.outRefundNo,
      out_trade_no: r.orderNo,
      reason: r.reason.slice(0, 80),
      refund: r.amount,
      total: order.payable,
    });
    await this.db
      .getRepository(RefundEntity)
      .update({ id, status: 'APPROVED' }, { status: 'PROCESSING', refundId: answer.refund_id });
    if (answer.status !== 'PROCESSING')
      await this.settleAlone(r.outRefundNo, answer.status === 'CLOSED' ? 'CLOSED' : answer.status, answer.success_time);
  }

  /**
   * Applies what WeChat says about a refund (notification or query), exactly once: the
   * status moves by conditional update; on SUCCESS the order (through the orders module),
   * the stock chosen for restocking and the `refund.succeeded` event follow, all in the
   * context's transaction (the notification's, so its inbox row commits with them).
   */
  async settle(ctx: Ctx, outRefundNo: string, result: RefundResult, successTime?: string): Promise<SettleOutcome> {
    return withTx(this.db, ctx, async (ctx) => {
      const refunds = ctx.tx.getRepository(RefundEntity);
      const r = await refunds.findOneBy({ outRefundNo });
      if (!r) return 'UNKNOWN_REFUND';
      const moved = (affected: number | undefined) => (affected ? 'SETTLED' : 'DUPLICATE');
      if (result === 'ABNORMAL')
        return moved(
          (await refunds.update({ id: r.id, status: In(['APPROVED', 'PROCESSING']) }, { status: 'ABNORMAL' })).affected,
        );
      if (result === 'CLOSED')
        return moved(
          (await refunds.update({ id: r.id, status: In(['APPROVED', 'PROCESSING', 'ABNORMAL']) }, { status: 'CLOSED' }))
            .affected,
        );
      const at = successTime ? new Date(successTime) : new Date();
      const res = await refunds.update(
        { id: r.id, status: In(['APPROVED', 'PROCESSING', 'ABNORMAL']) },
        { status: 'SUCCESS', succeededAt: at },
      );
      if (!res.affected) return 'DUPLICATE';
      const refundedTotal = (await refunds.sum('amount', { orderId: r.orderId, status: 'SUCCESS' })) ?? 0;
      const orderStatus = await this.orders.applyRefund(ctx, r.orderId, refundedTotal, r.restock);
      await publish(ctx.tx, 'refund.succeeded', r.outRefundNo, {
        orderId: r.orderId,
        orderNo: r.orderNo,
        outRefundNo: r.outRefundNo,
        amount: r.amount,
        refundedTotal,
        orderStatus,
      });
      return 'SETTLED';
    });
  }

  /** The merchant must look at an ABNORMAL refund (WeChat could not pay it back). Logged after commit. */
  alertAbnormal(outRefundNo: string): void {
    this.log.error(
      { alert: 'refund-abnormal', outRefundNo },
      'a refund is ABNORMAL at WeChat Pay; the merchant must look',
    );
  }

  /** Settles in a transaction of its own (a query's answer), alerting after commit. */
  private async settleAlone(outRefundNo: string, result: RefundResult, successTime?: string): Promise<boolean> {
    const outcome = await this.settle({}, outRefundNo, result, successTime);
    if (outcome === 'SETTLED' && result === 'ABNORMAL') this.alertAbnormal(outRefundNo);
    return outcome === 'SETTLED';
  }

  /** Finds refunds still in flight and asks WeChat Pay about them (lost notifications, unsent approvals). */
  async reconcile(now = new Date(), olderThanMs = 60_000): Promise<number> {
    const stale = await this.db.getRepository(RefundEntity).find({
      where: {
        status: In(['APPROVED', 'PROCESSING', 'ABNORMAL']),
        updatedAt: LessThanOrEqual(new Date(now.getTime() - olderThanMs)),
      },
      take: 100,
    });
    let settled = 0;
    for (const r of stale) {
      try {
        if (r.status === 'APPROVED') {
          await this.submit(r.id);
          continue;
        }
        const answer = await this.wechatPay.client.queryRefund(r.outRefundNo);
        if (
          answer.status !== 'PROCESSING' &&
          (await this.settleAlone(r.outRefundNo, answer.status, answer.success_time))
        )
          settled++;
      } catch (err) {
        if (!(err instanceof WechatPayApiError)) throw err;
        this.log.warn({ outRefundNo: r.outRefundNo, code: err.code }, 'refund reconcile deferred');
      }
    }
    return settled;
  }

  private async get(id: string): Promise<Refund> {
    return refundDto(await this.db.getRepository(RefundEntity).findOneByOrFail({ id }));
  }

  private async stateError(tx: EntityManager, id: string, verb: string): Promise<Error> {
    const r = await tx.getRepository(RefundEntity).findOneBy({ id });
    if (!r) return new NotFoundError('Refund');
    return new OrderStateError(`A refund that is ${r.status} cannot be ${verb}.`);
  }
}
