/**
 * Orders: placing (idempotent on the client's key, stock reserved in the same
 * transaction), listing, cancelling, shipping, completing, and closing unpaid orders.
 * Buyers see only their own orders: another buyer's order id answers 404.
 */
import { randomInt } from 'node:crypto';
import {
  newId,
  orderTransitions,
  priceOrder,
  type CreateOrderRequest,
  type Order,
  type OrderStatus,
  type OrderSummary,
  type PriceBreakdown,
} from '@chatmall/shared';
import { In, LessThanOrEqual, type DataSource, type EntityManager } from 'typeorm';
import type { Config } from '../../kernel/config';
import { NotFoundError, OrderStateError, ValidationError } from '../../kernel/errors';
import { newestFirst } from '../../kernel/pagination';
import { findBuyerAddress } from '../addresses/address.service';
import { recordAudit } from '../auth/audit.service';
import type { StaffPrincipal } from '../auth/principal';
import { findSkus, type SkuView } from '../catalog/sku-lookup';
import { releaseStock, reserveStock } from '../catalog/stock';
import { OrderLineEntity } from './order-line.entity';
import { transitionOrder } from './order-state';
import { OrderEntity } from './order.entity';

/** Work that must happen after an order commits (a delayed close), e.g. a BullMQ queue. */
export interface OrderScheduler {
  scheduleClose(orderId: string, at: Date): Promise<void>;
}

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

function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
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
    private readonly scheduler: OrderScheduler,
  ) {}

  /** Validates the lines against the live catalog and prices them. */
  private async priceLines(em: EntityManager, items: readonly ItemInput[]) {
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
    const price = priceOrder(lines.map((l) => ({ skuId: l.skuId, unitPrice: l.sku.price, quantity: l.quantity })));
    return { lines, price };
  }

  async preview(items: readonly ItemInput[]): Promise<PriceBreakdown> {
    return (await this.priceLines(this.db.manager, items)).price;
  }

  async place(
    buyerId: string,
    req: Required<Pick<CreateOrderRequest, 'clientKey' | 'items' | 'addressId'>> & { note?: string },
    now = new Date(),
  ): Promise<Order> {
    const existing = await this.db.getRepository(OrderEntity).findOneBy({ buyerId, clientKey: req.clientKey });
    if (existing) return this.toDto(existing);

    const address = await findBuyerAddress(this.db.manager, buyerId, req.addressId);
    if (!address) throw new ValidationError([{ path: 'body.addressId', message: 'no such address' }]);
    const { lines, price } = await this.priceLines(this.db.manager, req.items);

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
      await this.db.transaction(async (tx) => {
        // The order row first: a concurrent retry with the same client key waits here on
        // the unique index and then fails, instead of reserving stock twice.
        await tx.getRepository(OrderEntity).insert(order);
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
          })),
        );
      });
    } catch (err) {
      if (isDuplicateKey(err)) {
        const winner = await this.db.getRepository(OrderEntity).findOneBy({ buyerId, clientKey: req.clientKey });
        if (winner) return this.toDto(winner);
      }
      throw err;
    }
    // After commit: a lost schedule is caught by the periodic sweep, never the other way round.
    await this.scheduler.scheduleClose(order.id, order.payBy).catch(() => undefined);
    return this.get({ id: order.id });
  }

  async get(where: { id: string; buyerId?: string }): Promise<Order> {
    const order = await this.db
      .getRepository(OrderEntity)
      .findOneBy(where.buyerId ? { id: where.id, buyerId: where.buyerId } : { id: where.id });
    if (!order) throw new NotFoundError('Order');
    return this.toDto(order);
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
        };
      }),
    };
  }

  async cancel(buyerId: string, id: string, now = new Date()): Promise<Order> {
    const order = await this.db.getRepository(OrderEntity).findOneBy({ id, buyerId });
    if (!order) throw new NotFoundError('Order');
    const done = await this.endUnpaid(order.id, 'CANCELLED', 'buyer_cancelled', now);
    if (!done) throw new OrderStateError(`An order that is ${order.status} cannot be cancelled.`);
    return this.get({ id });
  }

  async isAwaitingPayment(id: string): Promise<boolean> {
    return this.db.getRepository(OrderEntity).existsBy({ id, status: 'PENDING_PAYMENT' });
  }

  /** Closes an unpaid order whose payment window has passed; returns whether it did. */
  async closeIfUnpaid(id: string, now = new Date()): Promise<boolean> {
    const order = await this.db.getRepository(OrderEntity).findOneBy({ id });
    if (!order || order.status !== 'PENDING_PAYMENT' || order.payBy > now) return false;
    return this.endUnpaid(id, 'CLOSED', 'payment_timeout', now);
  }

  /** The backstop for lost or delayed close jobs: closes every overdue unpaid order. */
  async closeOverdue(now = new Date(), batch = 200): Promise<number> {
    const overdue = await this.db.getRepository(OrderEntity).find({
      select: { id: true },
      where: { status: 'PENDING_PAYMENT', payBy: LessThanOrEqual(now) },
      take: batch,
    });
    let closed = 0;
    for (const o of overdue) if (await this.closeIfUnpaid(o.id, now)) closed++;
    return closed;
  }

  /** Status change and stock return in one transaction; exactly once under races. */
  private async endUnpaid(id: string, to: 'CANCELLED' | 'CLOSED', reason: string, now: Date): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const changed = await transitionOrder(tx, { id }, 'PENDING_PAYMENT', to, { closedAt: now, closeReason: reason });
      if (!changed) return false;
      const lines = await tx.getRepository(OrderLineEntity).findBy({ orderId: id });
      await releaseStock(
        tx,
        lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity })),
      );
      return true;
    });
  }

  /**
   * Marks an order paid if it is still awaiting payment and the amount matches: one
   * conditional update in the common case. Only when it changes nothing is the order read
   * (locked, so the answer is the current state) to say why. Runs inside the caller's
   * transaction (the verified notification's, or reconciliation's).
   */
  async markPaid(
    em: EntityManager,
    orderNo: string,
    amount: number,
    paidAt: Date,
  ): Promise<
    { ok: true } | { ok: false; reason: 'NOT_FOUND' | 'AMOUNT_MISMATCH' | 'NOT_PAYABLE'; status?: OrderStatus }
  > {
    if (await transitionOrder(em, { orderNo }, 'PENDING_PAYMENT', 'PAID', { paidAt }, { payable: amount }))
      return { ok: true };
    const qb = em.getRepository(OrderEntity).createQueryBuilder('o').where('o.order_no = :orderNo', { orderNo });
    // In a transaction a plain read could see its old snapshot; outside one it is current anyway.
    if (em.queryRunner?.isTransactionActive && em.connection.options.type !== 'better-sqlite3')
      qb.setLock('pessimistic_write');
    const order = await qb.getOne();
    if (!order) return { ok: false, reason: 'NOT_FOUND' };
    if (order.payable !== amount) return { ok: false, reason: 'AMOUNT_MISMATCH', status: order.status };
    return { ok: false, reason: 'NOT_PAYABLE', status: order.status };
  }

  async ship(actor: StaffPrincipal, id: string, carrier: string, trackingNo: string, now = new Date()): Promise<Order> {
    await this.db.transaction(async (tx) => {
      const order = await tx.getRepository(OrderEntity).findOneBy({ id });
      if (!order) throw new NotFoundError('Order');
      const changed = await transitionOrder(tx, { id }, 'PAID', 'SHIPPED', { carrier, trackingNo, shippedAt: now });
      if (!changed)
        throw new OrderStateError(
          `An order that is ${order.status} cannot be shipped; only ${Object.keys(orderTransitions)
            .filter((s) => orderTransitions[s as OrderStatus].includes('SHIPPED'))
            .join(', ')} orders can.`,
        );
      await recordAudit(tx, actor, 'order.ship', 'order', id, { carrier, trackingNo });
    });
    return this.get({ id });
  }

  async confirmReceipt(buyerId: string, id: string, now = new Date()): Promise<Order> {
    const order = await this.db.getRepository(OrderEntity).findOneBy({ id, buyerId });
    if (!order) throw new NotFoundError('Order');
    const changed = await transitionOrder(this.db.manager, { id }, 'SHIPPED', 'COMPLETED', { completedAt: now });
    if (!changed) throw new OrderStateError(`An order that is ${order.status} cannot be confirmed as received.`);
    return this.get({ id });
  }

  /** Completes shipped orders the buyer never confirmed, N days after shipping. */
  async autoComplete(now = new Date(), batch = 200): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.orders.autoCompleteMs);
    const due = await this.db
      .getRepository(OrderEntity)
      .find({ select: { id: true }, where: { status: 'SHIPPED', shippedAt: LessThanOrEqual(cutoff) }, take: batch });
    let n = 0;
    for (const o of due)
      if (await transitionOrder(this.db.manager, { id: o.id }, 'SHIPPED', 'COMPLETED', { completedAt: now })) n++;
    return n;
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
      lines: lines.map((l) => ({
        skuId: l.skuId,
        productId: l.productId,
        name: l.name,
        specValues: l.specValues,
        image: l.image,
        unitPrice: l.unitPrice,
        quantity: l.quantity,
        lineTotal: l.lineTotal,
      })),
      price: { itemsTotal: o.itemsTotal, adjustments: o.adjustments, shippingFee: o.shippingFee, payable: o.payable },
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
