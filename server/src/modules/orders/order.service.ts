/**
 * Orders: placing (idempotent on the client's key, stock reserved in the same
 * transaction), listing, cancelling, shipping, completing, and closing unpaid orders.
 * Buyers see only their own orders: another buyer's order id answers 404.
 */
import { randomInt } from 'node:crypto';
import {
  ErrorCode,
  formatFen,
  MAX_ORDER_TOTAL,
  newId,
  couponRefusals,
  priceCheckout,
  type CheckoutPrice,
  type CouponChoice,
  type CreateOrderRequest,
  type MemberAtCheckout,
  type PaidParts,
  type PointsRule,
  type Order,
  type OrderStatus,
  type OrderSummary,
  type ShippingRule,
  type UsableCoupon,
} from '@chatmall/shared';
import {
  And,
  In,
  IsNull,
  LessThan,
  LessThanOrEqual,
  MoreThan,
  MoreThanOrEqual,
  type DataSource,
  type EntityManager,
  type FindOptionsWhere,
} from 'typeorm';
import type { Config } from '../../kernel/config';
import { isDuplicateKey, lockForUpdate } from '../../kernel/dialect';
import { AppError, ConflictError, NotFoundError, OrderStateError, ValidationError } from '../../kernel/errors';
import { newestFirst } from '../../kernel/pagination';
import { managerOf, withTx, type Ctx, type TxCtx } from '../../kernel/tx';
import { findBuyerAddress } from '../addresses/address.service';
import { recordAudit } from '../auth/audit.service';
import type { StaffPrincipal } from '../auth/principal';
import { findSkus, type SkuView } from '../catalog/sku-lookup';
import { releaseStock, reserveStock, type StockLine } from '../catalog/stock';
import { publish } from '../events';
import { OrderLineEntity } from './order-line.entity';
import { transitionOrder } from './order-state';
import { OrderEntity } from './order.entity';

/** Statuses of an order that was paid at some point (a refund does not make it unpaid). */
const EVER_PAID: readonly OrderStatus[] = ['PAID', 'SHIPPED', 'COMPLETED', 'PARTIALLY_REFUNDED', 'REFUNDED'];

/** Work that must happen after an order commits (a delayed close), e.g. a BullMQ queue. */
export interface OrderScheduler {
  scheduleClose(orderId: string, at: Date): Promise<void>;
}

/**
 * The coupons an order may use, given by the composition root (the coupons module): the
 * buyer's coupons to price with, and the lock taken in the order's own transaction so two
 * orders can never both use one coupon (docs/decisions/0024-coupons.md).
 */
export interface CouponLocks {
  usable(buyerId: string, now: Date): Promise<UsableCoupon[]>;
  /** Where one of the buyer's coupons stands (null: no such coupon of theirs), to say why it cannot be used. */
  stateOf(buyerId: string, couponId: string, now: Date): Promise<'USABLE' | 'LOCKED' | 'USED' | 'EXPIRED' | null>;
  /** false when the coupon is no longer the buyer's to use (another order took it, used, expired). */
  lock(
    ctx: TxCtx,
    a: { couponId: string; buyerId: string; orderId: string; orderNo: string; now: Date },
  ): Promise<boolean>;
}

/**
 * The membership module's checkout side, as a port: the buyer's level, points and balance to
 * price with, and taking the points and balance an order uses in the order's transaction
 * (409 INSUFFICIENT_POINTS / INSUFFICIENT_BALANCE when they are no longer there).
 */
export interface MemberCheckout {
  atCheckout(buyerId: string): Promise<{ member: MemberAtCheckout | null; pointsRule: PointsRule | null }>;
  take(
    ctx: TxCtx,
    a: { buyerId: string; orderId: string; orderNo: string; points: number; balance: number },
  ): Promise<{ principal: number; bonus: number }>;
}

/** What a buyer asks of their points and balance at checkout. */
export interface MemberPaymentChoice {
  points?: number | 'max';
  useBalance?: boolean;
}

/** A shop without membership: no level, no points, no balance. */
const noMembers: MemberCheckout = {
  atCheckout: async () => ({ member: null, pointsRule: null }),
  take: async () => {
    throw new Error('this shop has no membership');
  },
};

/** A shop without coupons: no coupon to price with, none to lock. */
const noCoupons: CouponLocks = { usable: async () => [], stateOf: async () => null, lock: async () => false };

const couponTaken = () =>
  new ConflictError('This coupon is no longer available: another order holds it, or it was used.', [
    { path: 'body.couponId', message: 'is held by another order or already used' },
  ]);

/** What other modules may know of an order: its identity, owner, state and money. */
export interface OrderFacts {
  id: string;
  orderNo: string;
  buyerId: string;
  status: OrderStatus;
  payable: number;
  payBy: Date;
  /** What WeChat Pay is asked for: `payable` less what points and balance paid. */
  wechat: number;
  /** How `payable` was paid (DESIGN.md "Pricing order"): a refund returns each part in proportion. */
  parts: PaidParts;
}

/** An order's times and money, as the dashboard counts them (read only). */
export interface OrderActivity {
  id: string;
  orderNo: string;
  buyerId: string;
  status: OrderStatus;
  payable: number;
  createdAt: Date;
  paidAt: Date | null;
  /** Cancelled by the buyer or closed unpaid (which one: `status`). */
  closedAt: Date | null;
  shippedAt: Date | null;
  completedAt: Date | null;
}

/** A paid order's line as the dashboard counts it. */
export interface PaidLine {
  productId: string;
  name: string;
  quantity: number;
  lineTotal: number;
}

const activity = (o: OrderEntity): OrderActivity => ({
  id: o.id,
  orderNo: o.orderNo,
  buyerId: o.buyerId,
  status: o.status,
  payable: o.payable,
  createdAt: o.createdAt,
  paidAt: o.paidAt,
  closedAt: o.closedAt,
  shippedAt: o.shippedAt,
  completedAt: o.completedAt,
});

/** One line of an order as bought: what after-sales and reviews may know of it. */
export interface OrderLineFacts {
  id: string;
  skuId: string;
  productId: string;
  name: string;
  specValues: string[];
  image: string;
  unitPrice: number;
  quantity: number;
  /** The line's share of the order's discounts in fen (0 on lines written before coupons). */
  discount?: number;
}

export interface ReviewableLine extends OrderLineFacts {
  orderId: string;
  orderStatus: OrderStatus;
  /** Receipt confirmed, or completed by itself: reviews are open. */
  received: boolean;
}

const lineFacts = (l: OrderLineEntity): OrderLineFacts => ({
  id: l.id,
  skuId: l.skuId,
  productId: l.productId,
  name: l.name,
  specValues: l.specValues,
  image: l.image,
  unitPrice: l.unitPrice,
  quantity: l.quantity,
  discount: l.discount,
});

const facts = (o: OrderEntity): OrderFacts => ({
  id: o.id,
  orderNo: o.orderNo,
  buyerId: o.buyerId,
  status: o.status,
  payable: o.payable,
  payBy: o.payBy,
  wechat: o.wechatAmount ?? o.payable,
  parts: {
    points: o.pointsUsed ?? 0,
    pointsFen: o.pointsFen ?? 0,
    balancePrincipal: o.balancePrincipal ?? 0,
    balanceBonus: o.balanceBonus ?? 0,
    wechat: o.wechatAmount ?? o.payable,
  },
});

/** Where a partially refunded order may still go on to: shipping needs it not yet shipped. */
const SHIPPABLE: OrderStatus[] = ['PAID', 'PARTIALLY_REFUNDED'];
const RECEIVABLE: OrderStatus[] = ['SHIPPED', 'PARTIALLY_REFUNDED'];

export interface ItemInput {
  skuId: string;
  quantity: number;
}

/** `CM` + UTC yyyyMMddHHmmss + 8 random digits: 24 characters, valid as `out_trade_no`. */
export function newOrderNo(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:TZ.]/g, '')
    .slice(0, 14);
  return `CM${stamp}${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
}

/** An order's lines as one entry per product (two SKUs of one tea are one row on a card). */
function byProduct(lines: readonly OrderLineEntity[]) {
  const out = new Map<string, { productId: string; name: string; image: string; quantity: number }>();
  for (const l of lines) {
    const p = out.get(l.productId);
    if (p) p.quantity += l.quantity;
    else out.set(l.productId, { productId: l.productId, name: l.name, image: l.image, quantity: l.quantity });
  }
  return [...out.values()];
}

/** Same SKU twice in one request becomes one line. */
function mergeItems(items: readonly ItemInput[]): (ItemInput & { path: string })[] {
  const merged = new Map<string, ItemInput & { path: string }>();
  items.forEach((item, i) => {
    const existing = merged.get(item.skuId);
    if (existing) existing.quantity += item.quantity;
    else merged.set(item.skuId, { ...item, path: `body.items.${i}` });
  });
  return [...merged.values()];
}

export class OrderService {
  constructor(
    private readonly db: DataSource,
    private readonly config: Pick<Config, 'orders'>,
    /** The shop's shipping rule as it stands now (shop settings). */
    private readonly shippingRule: () => Promise<ShippingRule>,
    private readonly coupons: CouponLocks = noCoupons,
    private readonly members: MemberCheckout = noMembers,
  ) {}

  /**
   * Validates the lines against the live catalog and prices them with the shared checkout
   * pricing (DESIGN.md "Pricing order"): the buyer's coupons judged, the one asked for (or
   * the best) applied. A coupon asked for that does not apply is a 400 naming `body.couponId`
   * with the reason in the buyer's words.
   */
  private async priceLines(
    em: EntityManager,
    buyerId: string,
    items: readonly ItemInput[],
    coupon: CouponChoice,
    now: Date,
    pay: MemberPaymentChoice = {},
  ) {
    const merged = mergeItems(items);
    const skus = await findSkus(
      em,
      merged.map((m) => m.skuId),
    );
    const problems = merged.flatMap((m) => {
      const sku = skus.get(m.skuId);
      if (!sku) return [{ path: `${m.path}.skuId`, message: 'no such SKU' }];
      if (!sku.published) return [{ path: `${m.path}.skuId`, message: 'is no longer on sale' }];
      return [];
    });
    if (problems.length) throw new ValidationError(problems);
    const lines = merged.map((m) => ({ ...m, sku: skus.get(m.skuId) as SkuView }));
    const { member, pointsRule } = await this.members.atCheckout(buyerId);
    const priced = priceCheckout({
      lines: lines.map((l) => ({
        skuId: l.skuId,
        productId: l.sku.productId,
        categoryId: l.sku.categoryId,
        unitPrice: l.sku.price,
        quantity: l.quantity,
      })),
      shipping: await this.shippingRule(),
      coupons: await this.coupons.usable(buyerId, now),
      member,
      pointsRule,
      now,
      choice: { coupon, points: pay.points ?? 0, useBalance: pay.useBalance ?? false },
    });
    if (!priced.ok && priced.refusal.code === 'NOT_YOURS') {
      // Not among the usable ones: held by another order or used is a conflict, not bad input.
      const state = await this.coupons.stateOf(buyerId, priced.couponId, now);
      if (state === 'LOCKED' || state === 'USED') throw couponTaken();
      if (state === 'EXPIRED')
        throw new ValidationError([{ path: 'body.couponId', message: couponRefusals.expired().message }]);
    }
    if (!priced.ok)
      throw new ValidationError(
        [{ path: 'body.couponId', message: priced.refusal.message }],
        'The coupon asked for cannot be used on this order.',
      );
    const price = priced.price;
    // Every stored total fits its column and the storefront's layout (shared/src/money.ts).
    if (price.payable > MAX_ORDER_TOTAL || price.itemsTotal > MAX_ORDER_TOTAL)
      throw new ValidationError([
        { path: 'body.items', message: `an order may total at most ${formatFen(MAX_ORDER_TOTAL)}; split it` },
      ]);
    return { lines, price };
  }

  /** The checkout as placing it now would price it, every coupon of the buyer's judged. */
  async preview(
    buyerId: string,
    items: readonly ItemInput[],
    coupon: CouponChoice = 'best',
    now = new Date(),
    pay: MemberPaymentChoice = {},
  ): Promise<CheckoutPrice> {
    return (await this.priceLines(this.db.manager, buyerId, items, coupon, now, pay)).price;
  }

  async place(
    ctx: Ctx,
    buyerId: string,
    req: Required<Pick<CreateOrderRequest, 'clientKey' | 'items' | 'addressId'>> & {
      note?: string;
      /** The coupon asked for; the best for the cart when absent. */
      coupon?: CouponChoice;
    } & MemberPaymentChoice,
    now = new Date(),
  ): Promise<Order> {
    const existing = await this.db.getRepository(OrderEntity).findOneBy({ buyerId, clientKey: req.clientKey });
    if (existing) return this.toDto(existing);

    const address = await findBuyerAddress(this.db.manager, buyerId, req.addressId);
    if (!address) throw new ValidationError([{ path: 'body.addressId', message: 'no such address' }]);
    const { lines, price } = await this.priceLines(this.db.manager, buyerId, req.items, req.coupon ?? 'best', now, {
      points: req.points,
      useBalance: req.useBalance,
    });
    const paid = price.payment;
    // A number of points asked for is taken in full or refused: never fewer in silence (the
    // points may have gone to another order since the preview). 'max' takes what there is.
    if (typeof req.points === 'number' && req.points > price.pointsAllowed.points)
      throw new AppError(ErrorCode.INSUFFICIENT_POINTS, '积分不足 Not enough points for this order.', [
        { path: 'body.points', message: `is more than this order can take (${price.pointsAllowed.points} points)` },
      ]);
    // Points or balance pay part: WeChat Pay is asked for the rest only.
    const memberPays = paid.pointsFen > 0 || paid.balance > 0;
    const lineDiscount = new Map(price.lines.map((l) => [l.skuId, l.memberDiscount + l.couponDiscount]));

    const order: OrderEntity = Object.assign(new OrderEntity(), {
      id: newId('order'),
      orderNo: newOrderNo(now),
      buyerId,
      clientKey: req.clientKey,
      status: 'PENDING_PAYMENT' as const,
      itemsTotal: price.itemsTotal,
      adjustments: price.adjustments,
      shippingFee: price.shippingFee,
      payable: price.payable,
      pointsUsed: paid.points,
      pointsFen: paid.pointsFen,
      balancePrincipal: 0,
      balanceBonus: 0,
      wechatAmount: memberPays ? paid.wechat : null,
      couponId: price.coupon?.couponId ?? null,
      couponDiscount: price.couponDiscount,
      address: {
        recipient: address.recipient,
        phone: address.phone,
        province: address.province,
        city: address.city,
        district: address.district,
        detail: address.detail,
      },
      note: req.note ?? '',
      // Whole seconds: MySQL DATETIME rounds fractions, which could move the deadline.
      payBy: new Date(Math.ceil((now.getTime() + this.config.orders.paymentWindowMs) / 1000) * 1000),
      paidAt: null,
      carrier: null,
      trackingNo: null,
      shippedAt: null,
      completedAt: null,
      closedAt: null,
      closeReason: null,
    });
    try {
      await withTx(this.db, ctx, async ({ tx }) => {
        // The order row first: a concurrent retry with the same client key waits here on
        // the unique index and then fails, instead of reserving stock twice.
        await tx.getRepository(OrderEntity).insert(order);
        // The coupon before the stock: an order that lost its coupon to another fails before
        // it queues on the SKU rows.
        if (order.couponId) {
          const lockedIt = await this.coupons.lock(
            { ...ctx, tx },
            { couponId: order.couponId, buyerId, orderId: order.id, orderNo: order.orderNo, now },
          );
          if (!lockedIt) throw couponTaken();
        }
        // The member's points and balance, taken in this transaction (a refusal undoes the order).
        if (memberPays) {
          const taken = await this.members.take(
            { ...ctx, tx },
            { buyerId, orderId: order.id, orderNo: order.orderNo, points: paid.points, balance: paid.balance },
          );
          order.balancePrincipal = taken.principal;
          order.balanceBonus = taken.bonus;
          await tx
            .getRepository(OrderEntity)
            .update({ id: order.id }, { balancePrincipal: taken.principal, balanceBonus: taken.bonus });
        }
        await reserveStock(
          tx,
          lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity, path: `${l.path}.quantity` })),
        );
        await tx.getRepository(OrderLineEntity).insert(
          lines.map((l) => ({
            id: newId('orderLine'),
            orderId: order.id,
            skuId: l.skuId,
            productId: l.sku.productId,
            name: l.sku.name,
            specValues: l.sku.specValues,
            image: l.sku.image,
            unitPrice: l.sku.price,
            quantity: l.quantity,
            lineTotal: l.sku.price * l.quantity,
            discount: lineDiscount.get(l.skuId) ?? 0,
          })),
        );
        // Its subscriber schedules the close when the payment window ends.
        await publish(tx, 'order.placed', order.id, {
          orderId: order.id,
          orderNo: order.orderNo,
          buyerId,
          payable: order.payable,
          payBy: order.payBy.toISOString(),
        });
        // Nothing left for WeChat Pay (a coupon, points or the balance took it all): paid at
        // placement, through the same event.
        if (
          (order.wechatAmount ?? order.payable) === 0 &&
          (await transitionOrder(tx, { id: order.id }, 'PENDING_PAYMENT', 'PAID', { paidAt: now }))
        )
          await publish(tx, 'order.paid', order.orderNo, { orderNo: order.orderNo, amount: 0 });
      });
    } catch (err) {
      if (isDuplicateKey(err)) {
        const winner = await this.db.getRepository(OrderEntity).findOneBy({ buyerId, clientKey: req.clientKey });
        if (winner) return this.toDto(winner);
      }
      throw err;
    }
    return this.get({ id: order.id });
  }

  async get(where: { id: string; buyerId?: string }): Promise<Order> {
    const order = await this.db
      .getRepository(OrderEntity)
      .findOneBy(where.buyerId ? { id: where.id, buyerId: where.buyerId } : { id: where.id });
    if (!order) throw new NotFoundError('Order');
    return this.toDto(order);
  }

  /**
   * Has the buyer ever paid an order (refunded ones included)? One query that stops at the
   * first such order, on the buyer's index (`idx_orders_buyer_created`): new-buyers-only offers ask it.
   */
  async hasPaidOrder(buyerId: string): Promise<boolean> {
    const rows = (await this.db.query(
      `SELECT 1 AS paid FROM orders WHERE buyer_id = ? AND status IN (${EVER_PAID.map(() => '?').join(', ')}) LIMIT 1`,
      [buyerId, ...EVER_PAID],
    )) as unknown[];
    return rows.length > 0;
  }

  /**
   * The buyer's earliest paid order at or after `since` (refunded ones included), by payment time
   * (kept in whole seconds), then placing time (microseconds). "The first order after X" is a fact
   * of the orders, not of which paid event was handled first.
   */
  async firstPaidSince(buyerId: string, since: Date): Promise<string | null> {
    const first = await this.db.getRepository(OrderEntity).findOne({
      select: { orderNo: true },
      where: {
        buyerId,
        status: In([...EVER_PAID]),
        paidAt: MoreThanOrEqual(new Date(Math.floor(since.getTime() / 1000) * 1000)),
      },
      order: { paidAt: 'ASC', createdAt: 'ASC', orderNo: 'ASC' },
    });
    return first?.orderNo ?? null;
  }

  async list(filter: {
    buyerId?: string;
    status?: OrderStatus;
    cursor?: string;
    limit: number;
  }): Promise<{ items: OrderSummary[]; nextCursor: string | null }> {
    const qb = this.db.getRepository(OrderEntity).createQueryBuilder('o');
    if (filter.buyerId) qb.andWhere('o.buyer_id = :buyerId', { buyerId: filter.buyerId });
    if (filter.status) qb.andWhere('o.status = :status', { status: filter.status });
    const page = await newestFirst(qb, filter);
    const lines = await this.linesOf(page.items.map((o) => o.id));
    return {
      nextCursor: page.nextCursor,
      items: page.items.map((o) => {
        const ls = lines.get(o.id) ?? [];
        return {
          id: o.id,
          orderNo: o.orderNo,
          status: o.status,
          createdAt: o.createdAt.toISOString(),
          payBy: o.payBy.toISOString(),
          payable: o.payable,
          itemCount: ls.reduce((n, l) => n + l.quantity, 0),
          firstImage: ls[0]?.image ?? '',
          title: ls
            .map((l) => l.name)
            .join('、')
            .slice(0, 60),
          products: byProduct(ls),
        };
      }),
    };
  }

  /**
   * Orders waiting to be shipped (paid, or partly refunded, and not shipped), the longest
   * waiting first: the merchant pages' queue. The cursor is the last id of the previous page.
   */
  async awaitingShipment(page: {
    cursor?: string;
    limit: number;
  }): Promise<{ items: Order[]; nextCursor: string | null }> {
    const qb = this.db
      .getRepository(OrderEntity)
      .createQueryBuilder('o')
      .where('o.status IN (:...statuses)', { statuses: SHIPPABLE })
      .andWhere('o.shipped_at IS NULL')
      .orderBy('o.id', 'ASC')
      .take(page.limit + 1);
    if (page.cursor) qb.andWhere('o.id > :cursor', { cursor: page.cursor });
    const rows = await qb.getMany();
    const items = rows.slice(0, page.limit);
    return {
      items: await Promise.all(items.map((o) => this.toDto(o))),
      nextCursor: rows.length > page.limit ? items[items.length - 1].id : null,
    };
  }

  async cancel(ctx: Ctx, buyerId: string, id: string, now = new Date()): Promise<Order> {
    const order = await this.db.getRepository(OrderEntity).findOneBy({ id, buyerId });
    if (!order) throw new NotFoundError('Order');
    const done = await this.endUnpaid(ctx, order, 'CANCELLED', 'buyer_cancelled', now);
    if (!done) throw new OrderStateError(`An order that is ${order.status} cannot be cancelled.`);
    return this.get({ id });
  }

  async isAwaitingPayment(id: string): Promise<boolean> {
    return this.db.getRepository(OrderEntity).existsBy({ id, status: 'PENDING_PAYMENT' });
  }

  /** Closes an unpaid order whose payment window has passed; returns whether it did. */
  async closeIfUnpaid(ctx: Ctx, id: string, now = new Date()): Promise<boolean> {
    const order = await managerOf(this.db, ctx).getRepository(OrderEntity).findOneBy({ id });
    if (!order || order.status !== 'PENDING_PAYMENT' || order.payBy > now) return false;
    return this.endUnpaid(ctx, order, 'CLOSED', 'payment_timeout', now);
  }

  /** The backstop for lost or delayed close jobs: closes every overdue unpaid order. */
  async closeOverdue(now = new Date(), batch = 200): Promise<number> {
    const overdue = await this.db.getRepository(OrderEntity).find({
      select: { id: true },
      where: { status: 'PENDING_PAYMENT', payBy: LessThanOrEqual(now) },
      take: batch,
    });
    let closed = 0;
    for (const o of overdue) if (await this.closeIfUnpaid({}, o.id, now)) closed++;
    return closed;
  }

  /** Status change, stock return and the event in one transaction; exactly once under races. */
  private async endUnpaid(
    ctx: Ctx,
    order: OrderEntity,
    to: 'CANCELLED' | 'CLOSED',
    reason: string,
    now: Date,
  ): Promise<boolean> {
    const { id, orderNo, buyerId } = order;
    return withTx(this.db, ctx, async ({ tx }) => {
      const changed = await transitionOrder(tx, { id }, 'PENDING_PAYMENT', to, { closedAt: now, closeReason: reason });
      if (!changed) return false;
      const lines = await tx.getRepository(OrderLineEntity).findBy({ orderId: id });
      await releaseStock(
        tx,
        lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity })),
      );
      if (to === 'CLOSED') await publish(tx, 'order.closed', id, { orderId: id, orderNo, buyerId, reason });
      else await publish(tx, 'order.cancelled', id, { orderId: id, orderNo, buyerId });
      return true;
    });
  }

  /**
   * Marks an order paid if it is still awaiting payment and the amount matches, and
   * announces it (`order.paid`): one conditional update in the common case. Only when it
   * changes nothing is the order read (locked, so the answer is the current state) to say
   * why. Joins the caller's transaction (the verified notification's, or reconciliation's).
   */
  async markPaid(
    ctx: Ctx,
    orderNo: string,
    amount: number,
    paidAt: Date,
  ): Promise<
    { ok: true } | { ok: false; reason: 'NOT_FOUND' | 'AMOUNT_MISMATCH' | 'NOT_PAYABLE'; status?: OrderStatus }
  > {
    return withTx(this.db, ctx, async ({ tx }) => {
      // WeChat pays `payable`, or only what points and balance left (`wechat_amount`).
      const paid =
        (await transitionOrder(
          tx,
          { orderNo },
          'PENDING_PAYMENT',
          'PAID',
          { paidAt },
          { payable: amount, wechatAmount: null },
        )) || (await transitionOrder(tx, { orderNo }, 'PENDING_PAYMENT', 'PAID', { paidAt }, { wechatAmount: amount }));
      if (paid) {
        await publish(tx, 'order.paid', orderNo, { orderNo, amount });
        return { ok: true } as const;
      }
      const order = await lockForUpdate(
        tx.getRepository(OrderEntity).createQueryBuilder('o').where('o.order_no = :orderNo', { orderNo }),
      ).getOne();
      if (!order) return { ok: false, reason: 'NOT_FOUND' } as const;
      if ((order.wechatAmount ?? order.payable) !== amount)
        return { ok: false, reason: 'AMOUNT_MISMATCH', status: order.status } as const;
      return { ok: false, reason: 'NOT_PAYABLE', status: order.status } as const;
    });
  }

  /** The buyer's own order, as payments needs it to ask WeChat Pay for a prepay. */
  async buyersOrder(buyerId: string, orderId: string): Promise<OrderFacts> {
    const order = await this.db.getRepository(OrderEntity).findOneBy({ id: orderId, buyerId });
    if (!order) throw new NotFoundError('Order');
    return facts(order);
  }

  async factsById(id: string): Promise<OrderFacts | null> {
    const order = await this.db.getRepository(OrderEntity).findOneBy({ id });
    return order ? facts(order) : null;
  }

  async factsByOrderNo(orderNo: string): Promise<OrderFacts | null> {
    const order = await this.db.getRepository(OrderEntity).findOneBy({ orderNo });
    return order ? facts(order) : null;
  }

  async factsByIds(ids: readonly string[]): Promise<Map<string, OrderFacts>> {
    if (!ids.length) return new Map();
    const orders = await this.db.getRepository(OrderEntity).findBy({ id: In([...ids]) });
    return new Map(orders.map((o) => [o.id, facts(o)]));
  }

  /**
   * The order read under a row lock in the caller's transaction: a refund request holds it
   * so two requests at once cannot both claim the same money.
   */
  async lockForRefund(ctx: Ctx & { tx: EntityManager }, id: string): Promise<OrderFacts | null> {
    const order = await lockForUpdate(
      ctx.tx.getRepository(OrderEntity).createQueryBuilder('o').where('o.id = :id', { id }),
    ).getOne();
    return order ? facts(order) : null;
  }

  /**
   * The order's lines as they were bought (frozen at checkout, never changed): what an
   * after-sales request names and a refund may put back on the shelf.
   */
  async lines(orderId: string, ctx: Ctx = {}): Promise<OrderLineFacts[]> {
    const rows = await managerOf(this.db, ctx)
      .getRepository(OrderLineEntity)
      .find({ where: { orderId }, order: { id: 'ASC' } });
    return rows.map(lineFacts);
  }

  /**
   * One order line as the reviews module needs it: null unless it is on one of this buyer's
   * orders; `received` once receipt was confirmed or the order completed by itself.
   */
  async lineForReview(buyerId: string, orderLineId: string): Promise<ReviewableLine | null> {
    const line = await this.db.getRepository(OrderLineEntity).findOneBy({ id: orderLineId });
    if (!line) return null;
    const order = await this.db.getRepository(OrderEntity).findOneBy({ id: line.orderId, buyerId });
    if (!order) return null;
    return { ...lineFacts(line), orderId: order.id, orderStatus: order.status, received: order.completedAt !== null };
  }

  /**
   * Money went back: the order becomes REFUNDED once everything paid is refunded, else
   * PARTIALLY_REFUNDED, and what the merchant chose to restock goes back on the shelf, in
   * the caller's transaction (the refund's settlement). Read under lock, then moved by a
   * conditional update from the state read.
   */
  async applyRefund(
    ctx: Ctx,
    orderId: string,
    refundedTotal: number,
    restock: readonly StockLine[],
  ): Promise<'PARTIALLY_REFUNDED' | 'REFUNDED'> {
    return withTx(this.db, ctx, async ({ tx }) => {
      const order = await lockForUpdate(
        tx.getRepository(OrderEntity).createQueryBuilder('o').where('o.id = :id', { id: orderId }),
      ).getOne();
      if (!order) throw new Error(`order ${orderId} of a refund is missing`);
      const to = refundedTotal >= order.payable ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
      if (!(await transitionOrder(tx, { id: order.id }, order.status, to)))
        throw new Error(`order ${order.id} changed under a refund`);
      await releaseStock(tx, restock);
      return to;
    });
  }

  /**
   * Ships a paid order, or a partially refunded one that has not shipped yet (the buyer
   * got part of the money back and still expects the rest of the goods).
   */
  async ship(
    ctx: Ctx,
    actor: StaffPrincipal,
    id: string,
    carrier: string,
    trackingNo: string,
    now = new Date(),
  ): Promise<Order> {
    await withTx(this.db, ctx, async ({ tx }) => {
      const order = await tx.getRepository(OrderEntity).findOneBy({ id });
      if (!order) throw new NotFoundError('Order');
      const changed =
        SHIPPABLE.includes(order.status) &&
        (await transitionOrder(
          tx,
          { id },
          order.status,
          'SHIPPED',
          { carrier, trackingNo, shippedAt: now },
          { shippedAt: null },
        ));
      if (!changed)
        throw new OrderStateError(
          `An order that is ${order.status}${order.shippedAt ? ' and already shipped' : ''} cannot be shipped; ` +
            `only ${SHIPPABLE.join(', ')} orders not yet shipped can.`,
        );
      await recordAudit(tx, actor, 'order.ship', 'order', id, { carrier, trackingNo });
      await publish(tx, 'order.shipped', id, { orderId: id, orderNo: order.orderNo, buyerId: order.buyerId, carrier });
    });
    return this.get({ id });
  }

  /** The buyer confirms a shipped order arrived (also one partly refunded after shipping). */
  async confirmReceipt(ctx: Ctx, buyerId: string, id: string, now = new Date()): Promise<Order> {
    const order = await this.db.getRepository(OrderEntity).findOneBy({ id, buyerId });
    if (!order) throw new NotFoundError('Order');
    const changed = await this.complete(ctx, order, false, now);
    if (!changed) throw new OrderStateError(`An order that is ${order.status} cannot be confirmed as received.`);
    return this.get({ id });
  }

  private async complete(ctx: Ctx, order: OrderEntity, auto: boolean, now: Date): Promise<boolean> {
    if (!RECEIVABLE.includes(order.status) || !order.shippedAt) return false;
    return withTx(this.db, ctx, async ({ tx }) => {
      const changed = await transitionOrder(
        tx,
        { id: order.id },
        order.status,
        'COMPLETED',
        { completedAt: now },
        { completedAt: null },
      );
      if (changed)
        await publish(tx, 'order.completed', order.id, {
          orderId: order.id,
          orderNo: order.orderNo,
          buyerId: order.buyerId,
          auto,
        });
      return changed;
    });
  }

  /** Completes shipped orders the buyer never confirmed, N days after shipping. */
  async autoComplete(now = new Date(), batch = 200): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.orders.autoCompleteMs);
    const due = await this.db.getRepository(OrderEntity).find({
      where: { status: In(RECEIVABLE), shippedAt: LessThanOrEqual(cutoff), completedAt: IsNull() },
      take: batch,
    });
    let n = 0;
    for (const o of due) if (await this.complete({}, o, true, now)) n++;
    return n;
  }

  // ------------------------------------------------------------------ reads for the dashboard

  /** One order's times and money (the dashboard's subscribers ask after each event). */
  async activityOf(where: { id: string } | { orderNo: string }): Promise<OrderActivity | null> {
    const o = await this.db.getRepository(OrderEntity).findOneBy(where);
    return o ? activity(o) : null;
  }

  /**
   * A batch of orders with anything in [from, to) — placed, paid, closed or cancelled,
   * shipped or completed — in id order after `after` (keyset paging: the dashboard's rebuild).
   */
  async activityBetween(from: Date, to: Date, after: string | null, limit: number): Promise<OrderActivity[]> {
    const within = And(MoreThanOrEqual(from), LessThan(to));
    const id = after ? { id: MoreThan(after) } : {};
    const where: FindOptionsWhere<OrderEntity>[] = [
      { ...id, createdAt: within },
      { ...id, paidAt: within },
      { ...id, closedAt: within },
      { ...id, shippedAt: within },
      { ...id, completedAt: within },
    ];
    const rows = await this.db.getRepository(OrderEntity).find({ where, order: { id: 'ASC' }, take: limit });
    return rows.map(activity);
  }

  /** The lines of these orders, per order: product, name, units and line total. */
  async paidLines(orderIds: readonly string[]): Promise<Map<string, PaidLine[]>> {
    const out = new Map<string, PaidLine[]>();
    for (let i = 0; i < orderIds.length; i += 1000) {
      const rows = await this.db.getRepository(OrderLineEntity).find({
        select: { orderId: true, productId: true, name: true, quantity: true, lineTotal: true },
        where: { orderId: In(orderIds.slice(i, i + 1000)) },
      });
      for (const l of rows) {
        const line = { productId: l.productId, name: l.name, quantity: l.quantity, lineTotal: l.lineTotal };
        const list = out.get(l.orderId);
        if (list) list.push(line);
        else out.set(l.orderId, [line]);
      }
    }
    return out;
  }

  /** Whether the shop has any order at all (the demo history is written only into an empty shop). */
  async hasAnyOrder(): Promise<boolean> {
    return (await this.db.getRepository(OrderEntity).find({ select: { id: true }, take: 1 })).length > 0;
  }

  private async linesOf(orderIds: string[]): Promise<Map<string, OrderLineEntity[]>> {
    const map = new Map<string, OrderLineEntity[]>();
    if (!orderIds.length) return map;
    const rows = await this.db
      .getRepository(OrderLineEntity)
      .find({ where: { orderId: In(orderIds) }, order: { id: 'ASC' } });
    for (const l of rows) map.set(l.orderId, [...(map.get(l.orderId) ?? []), l]);
    return map;
  }

  private async toDto(o: OrderEntity): Promise<Order> {
    const lines = (await this.linesOf([o.id])).get(o.id) ?? [];
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    return {
      id: o.id,
      orderNo: o.orderNo,
      status: o.status,
      lines: lines.map((l) => ({ ...lineFacts(l), lineTotal: l.lineTotal, discount: l.discount })),
      price: { itemsTotal: o.itemsTotal, adjustments: o.adjustments, shippingFee: o.shippingFee, payable: o.payable },
      coupon: o.couponId ? { couponId: o.couponId, discount: o.couponDiscount } : null,
      address: o.address,
      note: o.note,
      payBy: o.payBy.toISOString(),
      shipment:
        o.carrier && o.trackingNo && o.shippedAt
          ? { carrier: o.carrier, trackingNo: o.trackingNo, shippedAt: o.shippedAt.toISOString() }
          : null,
      createdAt: o.createdAt.toISOString(),
      paidAt: iso(o.paidAt),
      completedAt: iso(o.completedAt),
      closedAt: iso(o.closedAt),
    };
  }
}
