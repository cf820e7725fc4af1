/**
 * The domain events, declared once. Each is written to the outbox in the transaction that
 * causes it (`publish`) and delivered after commit to subscribers that modules declare with
 * a stable effect name (`Subscribers.on`), so each effect runs once per event. Coupons,
 * points, dashboards, campaign attribution and welcome messages subscribe here; none of
 * them is code inside the path that causes the event.
 *
 * The event key is the business key: one `order.paid` per order number, one
 * `refund.succeeded` per out_refund_no, however often the cause is retried.
 */
import { z } from 'zod';
import { EffectRegistry, eventPublisher } from '../kernel/outbox';

const fen = z.number().int().nonnegative();
const iso = z.string().datetime();

export const domainEvents = {
  /** A buyer placed an order; stock is reserved and the payment window is running. Key: order id. */
  'order.placed': z.object({ orderId: z.string(), orderNo: z.string(), buyerId: z.string(), payable: fen, payBy: iso }),
  /** WeChat Pay (or a zero remainder) paid the order. Key: order number. */
  'order.paid': z.object({ orderNo: z.string(), amount: fen }),
  /** An unpaid order closed when its payment window passed; its stock is back. Key: order id. */
  'order.closed': z.object({ orderId: z.string(), orderNo: z.string(), buyerId: z.string(), reason: z.string() }),
  /** The buyer cancelled an unpaid order; its stock is back. Key: order id. */
  'order.cancelled': z.object({ orderId: z.string(), orderNo: z.string(), buyerId: z.string() }),
  /** The merchant shipped the order (carrier and tracking number recorded). Key: order id. */
  'order.shipped': z.object({ orderId: z.string(), orderNo: z.string(), buyerId: z.string(), carrier: z.string() }),
  /** The buyer confirmed receipt, or the order completed by itself. Key: order id. */
  'order.completed': z.object({ orderId: z.string(), orderNo: z.string(), buyerId: z.string(), auto: z.boolean() }),
  /** Money went back to the buyer. Key: out_refund_no. */
  'refund.succeeded': z.object({
    orderId: z.string(),
    orderNo: z.string(),
    outRefundNo: z.string(),
    amount: fen,
    /** All refunds of the order that have succeeded, this one included. */
    refundedTotal: fen,
    orderStatus: z.enum(['PARTIALLY_REFUNDED', 'REFUNDED']),
    /**
     * For an order paid partly with points or balance: what goes back to each part (the
     * membership module returns points and balance). Null or absent: all went to WeChat Pay.
     */
    parts: z
      .object({ points: fen, pointsFen: fen, balancePrincipal: fen, balanceBonus: fen, wechat: fen })
      .nullable()
      .optional(),
  }),
  /** A buyer signed in for the first time. Key: buyer id. */
  'buyer.registered': z.object({ buyerId: z.string() }),
  /**
   * A buyer's usable coupon ends within a day (published once per coupon, by the coupons
   * module's sweep): a reminder the campaign module may send. Key: coupon id.
   */
  'coupon.expiring': z.object({
    couponId: z.string(),
    buyerId: z.string(),
    templateId: z.string(),
    title: z.string(),
    benefitText: z.string(),
    validUntil: iso,
  }),
  /** WeChat Pay took money for an order we had already closed; it goes back. Key: order number. */
  'payment.paid-after-close': z.object({ orderNo: z.string(), transactionId: z.string().nullable(), amount: fen }),
  /**
   * A user followed the official account (a subscribe event, or found by the full sync).
   * touchpointId is the touchpoint whose scene QR they scanned to follow, if any.
   * Key: `<openid>:<at>` (one per follow; a re-follow is a new event).
   */
  'follower.followed': z.object({
    openid: z.string(),
    unionid: z.string().nullable(),
    buyerId: z.string().nullable(),
    touchpointId: z.string().nullable(),
    at: iso,
  }),
  /** A follower unfollowed. Key: `<openid>:<at>`. */
  'follower.unfollowed': z.object({ openid: z.string(), at: iso }),
  /**
   * The follower's mirrored profile changed (sync, tags, link to a buyer): the full current
   * state, so a read model can overwrite its row. followedAt is null while unfollowed.
   * Key: `<openid>:<version>`.
   */
  'follower.updated': z.object({
    openid: z.string(),
    unionid: z.string().nullable(),
    buyerId: z.string().nullable(),
    city: z.string().nullable(),
    tagIds: z.array(z.number().int()),
    followedAt: iso.nullable(),
  }),
  /**
   * A follower sent a message or an event (scan, click…): it opens the 48-hour window for
   * customer-service messages. Key: `<openid>:<at>`.
   */
  'follower.messaged': z.object({
    openid: z.string(),
    at: iso,
    /** Set when the event is a scan of a touchpoint's code (subscribe or SCAN): its stats count scans. */
    touchpointId: z.string().optional(),
  }),
  /**
   * A member's level moved (an order paid or refunded, a counter sale), up or down; the
   * campaign module may greet a level-up. Key: the growth entry that moved it.
   */
  'member.level_changed': z.object({
    memberId: z.string(),
    buyerId: z.string(),
    from: z.number().int(),
    to: z.number().int(),
    fromName: z.string(),
    toName: z.string(),
    direction: z.enum(['up', 'down']),
  }),
  /** A buyer's first paid order within 30 days of following from a touchpoint. Key: buyer id. */
  'touchpoint.first_order': z.object({
    touchpointId: z.string(),
    orderNo: z.string(),
    buyerId: z.string(),
    amount: fen,
  }),
};

export type DomainEvents = typeof domainEvents;
export type DomainEventName = keyof DomainEvents;
export type EventPayload<K extends DomainEventName> = z.output<DomainEvents[K]>;

/** Writes a declared event into the caller's transaction (its payload checked). */
export const publish = eventPublisher(domainEvents);

/** Where modules declare what they do after an event. */
export class Subscribers extends EffectRegistry<DomainEvents> {
  constructor() {
    super(domainEvents);
  }
}
