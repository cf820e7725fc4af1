/**
 * Refunds: the buyer asks (reason, amount) → the owner approves (choosing what stock goes
 * back) or rejects → WeChat Pay's refund API (idempotent on out_refund_no) → the refund
 * notification or a query settles it. ABNORMAL is shown to the merchant and is never final.
 * The order becomes PARTIALLY_REFUNDED or REFUNDED only when money has actually gone back.
 */
import { randomInt } from 'node:crypto';
import {
  newId,
  refundReasonLabel,
  refundSplit,
  REFUNDABLE_ORDER_STATUSES,
  type FieldProblem,
  type Refund,
  type RefundLine,
  type RefundReasonCode,
  type RefundStatus,
} from '@chatmall/shared';
import {
  And,
  In,
  LessThan,
  LessThanOrEqual,
  MoreThan,
  MoreThanOrEqual,
  Not,
  type DataSource,
  type EntityManager,
} from 'typeorm';
import { NotFoundError, OrderStateError, ValidationError } from '../../kernel/errors';
import type { Logger } from '../../kernel/logger';
import { newestFirst } from '../../kernel/pagination';
import { withTx, type Ctx } from '../../kernel/tx';
import { WechatPayApiError } from '../../wechat/pay/errors';
import type { WechatPay } from '../../wechat/pay/wechat-pay';
import { recordAudit } from '../auth/audit.service';
import type { StaffPrincipal } from '../auth/principal';
import { publish } from '../events';
import type { BuyerMediaService } from '../media/buyer-media.service';
import type { OrderService } from '../orders/order.service';
import { RefundEntity } from './refund.entity';

/** Refunds that hold (or held) money: a new request may not exceed what is left. WITHDRAWN, REJECTED, CLOSED hold none. */
const COUNTED: RefundStatus[] = ['REQUESTED', 'APPROVED', 'PROCESSING', 'ABNORMAL', 'SUCCESS'];
/** Refunds whose restock list has gone, or will go, back on the shelf. */
const RESTOCKING: RefundStatus[] = ['APPROVED', 'PROCESSING', 'ABNORMAL', 'SUCCESS'];
const REFUNDABLE_ORDER = new Set<string>(REFUNDABLE_ORDER_STATUSES);

export type RefundResult = 'SUCCESS' | 'ABNORMAL' | 'CLOSED';
/** What applying WeChat's word on a refund did: moved it, found it already there, or found no such refund. */
export type SettleOutcome = 'SETTLED' | 'DUPLICATE' | 'UNKNOWN_REFUND';

/** What a buyer asks for (the contract's RequestRefund, parsed). */
export interface RefundRequestInput {
  amount?: number;
  lines?: { orderLineId: string; quantity: number }[];
  reasonCode: RefundReasonCode;
  reason: string;
  photos: string[];
}

export const refundDto = (r: RefundEntity): Refund => ({
  id: r.id,
  orderId: r.orderId,
  orderNo: r.orderNo,
  outRefundNo: r.outRefundNo,
  amount: r.amount,
  reasonCode: r.reasonCode,
  reason: r.reason,
  lines: r.lines ?? [],
  photos: r.photos ?? [],
  status: r.status,
  rejectReason: r.rejectReason,
  restock: r.restock,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
  succeededAt: r.succeededAt ? r.succeededAt.toISOString() : null,
});

const sumBy = <T>(items: readonly T[], key: (t: T) => string, n: (t: T) => number) => {
  const m = new Map<string, number>();
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0) + n(t));
  return m;
};

/** A refund that paid money back, as the dashboard counts it (read only). */
export interface SucceededRefund {
  id: string;
  orderId: string;
  outRefundNo: string;
  amount: number;
  succeededAt: Date;
  /** What this refund made of its order: fully REFUNDED once everything paid came back. */
  orderStatus: 'PARTIALLY_REFUNDED' | 'REFUNDED';
}

/**
 * What the buyer paid for `quantity` units of a line after `before` of its units were asked
 * back already: the line's total less its share of the order's discounts, spread over its
 * units so that asking back every unit, in any steps, returns exactly what the line cost and
 * never more (a coupon's discount is not handed out twice).
 */
export function paidForUnits(
  line: { unitPrice: number; quantity: number; discount?: number },
  before: number,
  quantity: number,
): number {
  const paid = line.unitPrice * line.quantity - (line.discount ?? 0);
  const upTo = (units: number) => Math.floor((paid * units) / line.quantity);
  return upTo(before + quantity) - upTo(before);
}

export class RefundService {
  constructor(
    private readonly db: DataSource,
    private readonly orders: OrderService,
    private readonly wechatPay: WechatPay,
    private readonly log: Logger,
    /** Checks that photos are the buyer's own uploads; without it a request may carry none. */
    private readonly buyerMedia?: BuyerMediaService,
  ) {}

  /**
   * A buyer's after-sales request. Lines and quantities (each at most what was bought less
   * what earlier requests of that line still hold) give the amount the buyer paid for those
   * units (`paidForUnits`: the line's total less its share of the discounts), capped at what is left; an explicit amount must itself fit in what is left. The order is
   * locked first, so two requests at once cannot both claim the same money or units.
   */
  async request(ctx: Ctx, buyerId: string, orderId: string, input: RefundRequestInput): Promise<Refund> {
    return withTx(this.db, ctx, async (ctx) => {
      const { tx } = ctx;
      const order = await this.orders.lockForRefund(ctx, orderId);
      if (!order || order.buyerId !== buyerId) throw new NotFoundError('Order');
      if (!REFUNDABLE_ORDER.has(order.status))
        throw new OrderStateError(`An order that is ${order.status} cannot be refunded.`);
      const held = await tx.getRepository(RefundEntity).find({ where: { orderId, status: In(COUNTED) } });
      const left = order.payable - held.reduce((n, r) => n + r.amount, 0);

      let lines: RefundLine[] | null = null;
      if (input.lines) {
        const bought = new Map((await this.orders.lines(orderId, ctx)).map((l) => [l.id, l]));
        const inFlight = sumBy(
          held.flatMap((r) => r.lines ?? []),
          (l) => l.orderLineId,
          (l) => l.quantity,
        );
        const asked = new Map<string, number>();
        const problems: FieldProblem[] = [];
        input.lines.forEach((l, i) => {
          const line = bought.get(l.orderLineId);
          if (!line) return problems.push({ path: `body.lines.${i}.orderLineId`, message: 'is not on this order' });
          const total = (asked.get(l.orderLineId) ?? 0) + l.quantity;
          asked.set(l.orderLineId, total);
          const open = line.quantity - (inFlight.get(l.orderLineId) ?? 0);
          if (total > open)
            problems.push({
              path: `body.lines.${i}.quantity`,
              message: `at most ${Math.max(open, 0)} (${line.quantity} bought, ${line.quantity - open} already asked for)`,
            });
        });
        if (problems.length) throw new ValidationError(problems);
        lines = [...asked].map(([id, quantity]) => {
          const l = bought.get(id)!;
          const amount = paidForUnits(l, inFlight.get(id) ?? 0, quantity);
          return {
            orderLineId: id,
            skuId: l.skuId,
            productId: l.productId,
            name: l.name,
            image: l.image,
            quantity,
            amount,
          };
        });
      }
      if (input.amount !== undefined && input.amount > left)
        throw new ValidationError([{ path: 'body.amount', message: `at most ${left} fen can still be refunded` }]);
      const amount =
        input.amount ??
        Math.min(
          left,
          (lines ?? []).reduce((n, l) => n + l.amount, 0),
        );
      if (amount <= 0)
        throw new ValidationError([{ path: 'body.lines', message: 'nothing is left to refund on this order' }]);
      await this.buyerMedia?.assertOwned(ctx, buyerId, input.photos, 'body.photos');
      if (input.photos.length && !this.buyerMedia)
        throw new ValidationError([{ path: 'body.photos', message: 'photos are not accepted here' }]);

      const r = Object.assign(new RefundEntity(), {
        id: newId('refund'),
        orderId,
        orderNo: order.orderNo,
        buyerId,
        outRefundNo: `RF${order.orderNo.slice(2)}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`,
        amount,
        reasonCode: input.reasonCode,
        // WeChat Pay shows the reason to the payer: the buyer's words, else the reason's name.
        reason: (input.reason || refundReasonLabel[input.reasonCode].split(' ')[0]).slice(0, 80),
        lines,
        photos: input.photos.length ? input.photos : null,
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

  /** The buyer takes back a request nobody has decided yet: one conditional update, so it races approve and reject fairly. */
  async withdraw(ctx: Ctx, buyerId: string, orderId: string, refundId: string): Promise<Refund> {
    await this.orders.buyersOrder(buyerId, orderId); // another buyer's order: 404
    await withTx(this.db, ctx, async ({ tx }) => {
      const res = await tx
        .getRepository(RefundEntity)
        .update({ id: refundId, orderId, status: 'REQUESTED' }, { status: 'WITHDRAWN' });
      if (res.affected) return;
      const r = await tx.getRepository(RefundEntity).findOneBy({ id: refundId, orderId });
      if (!r) throw new NotFoundError('Refund');
      throw new OrderStateError(`A refund that is ${r.status} cannot be withdrawn.`);
    });
    return this.get(refundId);
  }

  /** The buyer's requests across orders, newest first (the 售后 tab). */
  async listMine(buyerId: string, page: { cursor?: string; limit: number }) {
    const qb = this.db.getRepository(RefundEntity).createQueryBuilder('r').where('r.buyer_id = :buyerId', { buyerId });
    const res = await newestFirst(qb, page);
    return { items: res.items.map(refundDto), nextCursor: res.nextCursor };
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

  /**
   * Approves and asks WeChat Pay to send the money; the notification (or a query) settles it.
   * What goes back on the shelf is bounded per SKU by the units sold on the order less what
   * its other refunds already put back (or will), summed over the list (a SKU may repeat) —
   * checked under the order's lock, so two approvals at once cannot both restock one unit.
   */
  async approve(
    ctx: Ctx,
    actor: StaffPrincipal,
    id: string,
    restock: { skuId: string; quantity: number }[],
  ): Promise<Refund> {
    // Read outside the transaction: its order id never changes, and the transaction's first
    // read must be the lock (a consistent read first would fix a snapshot older than the lock).
    const known = await this.db.getRepository(RefundEntity).findOneBy({ id });
    if (!known) throw new NotFoundError('Refund');
    await withTx(this.db, ctx, async (ctx) => {
      const { tx } = ctx;
      const order = await this.orders.lockForRefund(ctx, known.orderId);
      const refund = await tx.getRepository(RefundEntity).findOneByOrFail({ id });
      const sold = sumBy(
        await this.orders.lines(refund.orderId, ctx),
        (l) => l.skuId,
        (l) => l.quantity,
      );
      const others = await tx
        .getRepository(RefundEntity)
        .find({ where: { orderId: refund.orderId, status: In(RESTOCKING), id: Not(id) } });
      const already = sumBy(
        others.flatMap((r) => r.restock),
        (s) => s.skuId,
        (s) => s.quantity,
      );
      const asked = new Map<string, number>();
      const problems = restock.flatMap((s, i): FieldProblem[] => {
        const units = sold.get(s.skuId);
        if (units === undefined) return [{ path: `body.restock.${i}.skuId`, message: 'is not on this order' }];
        const total = (asked.get(s.skuId) ?? 0) + s.quantity;
        asked.set(s.skuId, total);
        const open = units - (already.get(s.skuId) ?? 0);
        return total > open
          ? [
              {
                path: `body.restock.${i}.quantity`,
                message: `at most ${Math.max(open, 0)} units of this SKU can go back (${units} sold, ${units - open} already restocked)`,
              },
            ]
          : [];
      });
      if (problems.length) throw new ValidationError(problems);
      const res = await tx
        .getRepository(RefundEntity)
        .update({ id, status: 'REQUESTED' }, { status: 'APPROVED', restock: restock as never });
      if (!res.affected) throw await this.stateError(tx, id, 'approved');
      // An order paid partly with points or balance: each part gets its share of this refund,
      // after what the refunds approved before it took (under the order's lock), fixed now.
      if (order && order.wechat !== order.payable) {
        const before = others.filter((r) => r.status !== 'CLOSED').reduce((n, r) => n + r.amount, 0);
        await tx.getRepository(RefundEntity).update({ id }, { parts: refundSplit(order.parts, before, refund.amount) });
      }
      await recordAudit(tx, actor, 'refund.approve', 'refund', id, { amount: refund.amount, restock });
    });
    await this.submit(id).catch((err: Error) =>
      this.log.warn({ refundId: id, err }, 'refund not yet submitted; reconciliation will retry'),
    );
    return this.get(id);
  }

  /** Sends an approved refund to WeChat Pay. Safe to repeat: out_refund_no makes it once. */
  async submit(id: string): Promise<void> {
    const r = await this.db.getRepository(RefundEntity).findOneByOrFail({ id });
    if (r.status !== 'APPROVED') return;
    const order = await this.orders.factsById(r.orderId);
    if (!order) throw new Error(`order ${r.orderId} of refund ${r.id} is missing`);
    // Points and balance go back through the membership module when the refund settles; WeChat
    // Pay refunds only its own part, and nothing is asked of it when that part is 0.
    const toWechat = r.parts ? r.parts.wechat : r.amount;
    if (toWechat === 0) {
      await this.db.getRepository(RefundEntity).update({ id, status: 'APPROVED' }, { status: 'PROCESSING' });
      await this.settleAlone(r.outRefundNo, 'SUCCESS');
      return;
    }
    const answer = await this.wechatPay.client.refund({
      out_refund_no: r.outRefundNo,
      out_trade_no: r.orderNo,
      reason: r.reason.slice(0, 80),
      refund: toWechat,
      total: order.wechat,
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
        // Only for orders paid partly with points or balance (the payload stays as it was for others).
        ...(r.parts ? { parts: r.parts } : {}),
      });
      return 'SETTLED';
    });
  }

  /** What the order's refunds have paid back so far, in fen (its part of the order total). */
  async refundedTotal(orderId: string): Promise<number> {
    return (await this.db.getRepository(RefundEntity).sum('amount', { orderId, status: 'SUCCESS' })) ?? 0;
  }

  /** When a refund paid the money back (null unless it succeeded). */
  async succeededAt(outRefundNo: string): Promise<Date | null> {
    const r = await this.db.getRepository(RefundEntity).findOneBy({ outRefundNo, status: 'SUCCESS' });
    return r ? (r.succeededAt ?? r.updatedAt) : null;
  }

  /**
   * Refunds that succeeded within [from, to), a batch in id order after `after` (the
   * dashboard's rebuild), each with the order state it left behind: the order's successful
   * refunds up to and including it, against what the order cost.
   */
  async succeededBetween(from: Date, to: Date, after: string | null, limit: number): Promise<SucceededRefund[]> {
    const repo = this.db.getRepository(RefundEntity);
    const batch = await repo.find({
      where: {
        status: 'SUCCESS',
        succeededAt: And(MoreThanOrEqual(from), LessThan(to)),
        ...(after ? { id: MoreThan(after) } : {}),
      },
      order: { id: 'ASC' },
      take: limit,
    });
    if (!batch.length) return [];
    const orderIds = [...new Set(batch.map((r) => r.orderId))];
    const orders = await this.orders.factsByIds(orderIds);
    const all = await repo.find({
      select: { id: true, orderId: true, amount: true, succeededAt: true },
      where: { orderId: In(orderIds), status: 'SUCCESS' },
    });
    const at = (r: Pick<RefundEntity, 'succeededAt'>) => r.succeededAt?.getTime() ?? 0;
    return batch.map((r) => {
      const before = all
        .filter((o) => o.orderId === r.orderId && (at(o) < at(r) || (at(o) === at(r) && o.id <= r.id)))
        .reduce((n, o) => n + o.amount, 0);
      const payable = orders.get(r.orderId)?.payable ?? 0;
      return {
        id: r.id,
        orderId: r.orderId,
        outRefundNo: r.outRefundNo,
        amount: r.amount,
        succeededAt: r.succeededAt ?? r.updatedAt,
        orderStatus: before >= payable ? 'REFUNDED' : 'PARTIALLY_REFUNDED',
      };
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
