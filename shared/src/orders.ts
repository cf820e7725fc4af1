/**
 * Orders: statuses, the allowed transitions (the one table the server's state machine
 * enforces and the storefront reads to show actions), and the order DTOs.
 */
import { z } from 'zod';
import { SkuId } from './catalog';
import { Quantity, Address } from './commerce';
import { Fen, MAX_ORDER_TOTAL } from './money';
import { PriceBreakdown, type CouponChoice } from './pricing';

export const OrderStatus = z.enum([
  'PENDING_PAYMENT',
  'PAID',
  'SHIPPED',
  'COMPLETED',
  'CANCELLED',
  'CLOSED',
  'PARTIALLY_REFUNDED',
  'REFUNDED',
]);
export type OrderStatus = z.infer<typeof OrderStatus>;

/**
 * Allowed transitions: `from → [to…]`. A refund that succeeds moves a paid order to
 * PARTIALLY_REFUNDED (money left) or REFUNDED (all of it); a partly refunded order can still
 * ship, complete, or be refunded further.
 */
export const orderTransitions: Record<OrderStatus, readonly OrderStatus[]> = {
  PENDING_PAYMENT: ['PAID', 'CANCELLED', 'CLOSED'],
  PAID: ['SHIPPED', 'PARTIALLY_REFUNDED', 'REFUNDED'],
  SHIPPED: ['COMPLETED', 'PARTIALLY_REFUNDED', 'REFUNDED'],
  COMPLETED: ['PARTIALLY_REFUNDED', 'REFUNDED'],
  PARTIALLY_REFUNDED: ['PARTIALLY_REFUNDED', 'SHIPPED', 'COMPLETED', 'REFUNDED'],
  REFUNDED: [],
  CANCELLED: [],
  CLOSED: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return orderTransitions[from].includes(to);
}

export const orderStatusLabel: Record<OrderStatus, string> = {
  PENDING_PAYMENT: '待付款 Awaiting payment',
  PAID: '待发货 Paid',
  SHIPPED: '已发货 Shipped',
  COMPLETED: '已完成 Completed',
  CANCELLED: '已取消 Cancelled',
  CLOSED: '已关闭 Closed',
  PARTIALLY_REFUNDED: '部分退款 Partly refunded',
  REFUNDED: '已退款 Refunded',
};

export const OrderLineInput = z.object({ skuId: SkuId, quantity: Quantity });

/**
 * Which coupon the buyer asks for at checkout: `couponId` (one of their usable coupons), or
 * `coupon: 'none'`; neither means the best one for this cart. The server re-prices: the
 * request is only a wish, and a coupon that does not apply is a 400 naming `body.couponId`.
 */
const CouponRequest = z.object({
  couponId: z.string().min(1).max(40).optional(),
  coupon: z.enum(['best', 'none']).optional(),
});
/**
 * How much of the member's points and balance pay (DESIGN.md "Pricing order" steps 5–6):
 * `points` as many as allowed ('max') or a number (lowered to what is allowed); `useBalance`
 * the stored value up to what is left. Neither: WeChat Pay for all of it.
 */
const MemberPaymentRequest = z.object({
  points: z
    .union([z.literal('max'), z.number().int('must be a whole number of points').min(0).max(100_000_000)])
    .optional(),
  useBalance: z.boolean().optional(),
});
function oneCouponChoice(v: z.output<typeof CouponRequest>, ctx: z.RefinementCtx): void {
  if (v.couponId && v.coupon === 'none')
    ctx.addIssue({ code: 'custom', path: ['coupon'], message: "must not be 'none' when couponId names a coupon" });
}

export const CreateOrderRequest = z
  .object({
    /** Chosen by the client once per checkout; a retry with the same key returns the same order. */
    clientKey: z.string().regex(/^[\w-]{8,64}$/, 'must be 8–64 letters, digits, _ or -'),
    items: z.array(OrderLineInput).min(1, 'must have at least one item').max(50),
    addressId: z.string().min(1),
    note: z.string().max(200).optional(),
    ...CouponRequest.shape,
    ...MemberPaymentRequest.shape,
  })
  .superRefine(oneCouponChoice);
export type CreateOrderRequest = z.input<typeof CreateOrderRequest>;

export const CheckoutPreviewRequest = z
  .object({ items: z.array(OrderLineInput).min(1).max(50), ...CouponRequest.shape, ...MemberPaymentRequest.shape })
  .superRefine(oneCouponChoice);
export type CheckoutPreviewRequest = z.input<typeof CheckoutPreviewRequest>;

/** The coupon checkout should use, as the request names it: `couponId`, `'none'`, or (neither) the best. */
export function couponChoiceOf(req: { couponId?: string; coupon?: 'best' | 'none' }): CouponChoice {
  if (req.couponId) return { couponId: req.couponId };
  return req.coupon ?? 'best';
}

export const OrderLine = z.object({
  /** The line's own id: what an after-sales request or a review names. */
  id: z.string(),
  skuId: z.string(),
  productId: z.string(),
  name: z.string(),
  specValues: z.array(z.string()),
  image: z.string(),
  unitPrice: Fen,
  quantity: z.number().int(),
  lineTotal: Fen,
  /** The line's share of the order's discounts (member discount, coupon): a refund of it returns at most lineTotal − discount. */
  discount: Fen,
});

export const Shipment = z.object({ carrier: z.string(), trackingNo: z.string(), shippedAt: z.string() });

export const Order = z.object({
  id: z.string(),
  orderNo: z.string(),
  status: OrderStatus,
  lines: z.array(OrderLine),
  price: PriceBreakdown,
  /** The coupon the order used (locked until paid, released if it closes), and what it took off. */
  coupon: z.object({ couponId: z.string(), discount: Fen }).nullable(),
  address: Address.omit({ id: true, isDefault: true }),
  note: z.string(),
  /** Unpaid orders close at this time and their stock returns. */
  payBy: z.string(),
  shipment: Shipment.nullable(),
  createdAt: z.string(),
  paidAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
});
export type Order = z.infer<typeof Order>;

export const OrderSummary = Order.pick({ id: true, orderNo: true, status: true, createdAt: true, payBy: true }).extend({
  payable: Fen,
  itemCount: z.number().int(),
  firstImage: z.string(),
  title: z.string(),
  /** One entry per product (its SKUs' units summed), in the order's line order: the list's card rows. */
  products: z.array(
    z.object({ productId: z.string(), name: z.string(), image: z.string(), quantity: z.number().int() }),
  ),
});
export type OrderSummary = z.infer<typeof OrderSummary>;

export const OrderListQuery = z.object({
  status: OrderStatus.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
/** The CSV export takes adminListOrders' filters (not its paging: the file holds every match). */
export const OrderExportQuery = OrderListQuery.pick({ status: true });
export const OrderPage = z.object({ items: z.array(OrderSummary), nextCursor: z.string().nullable() });

export const ShipOrderRequest = z.object({
  carrier: z.string().trim().min(1).max(32),
  trackingNo: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{6,40}$/, 'must be 6–40 letters, digits or -'),
});

export const RefundStatus = z.enum([
  'REQUESTED',
  'REJECTED',
  'APPROVED',
  'PROCESSING',
  'ABNORMAL',
  'SUCCESS',
  'CLOSED',
  /** The buyer took back a request the merchant had not yet decided: holds no money. */
  'WITHDRAWN',
]);
export type RefundStatus = z.infer<typeof RefundStatus>;

export const refundStatusLabel: Record<RefundStatus, string> = {
  REQUESTED: '待商家处理 Awaiting the merchant',
  REJECTED: '已拒绝 Rejected',
  APPROVED: '已同意 Approved',
  PROCESSING: '退款中 Refunding',
  ABNORMAL: '退款异常 Needs attention',
  SUCCESS: '已退款 Refunded',
  CLOSED: '退款关闭 Closed',
  WITHDRAWN: '已撤销 Withdrawn',
};

/** What the buyer sees of a refund: ABNORMAL is the merchant's problem, so it reads as still refunding. */
export const buyerRefundStatusLabel: Record<RefundStatus, string> = {
  ...refundStatusLabel,
  REQUESTED: '待处理 Pending',
  ABNORMAL: refundStatusLabel.PROCESSING,
};

/** Order states in which the buyer may ask for money back (申请退款 / 售后). */
export const REFUNDABLE_ORDER_STATUSES: readonly OrderStatus[] = ['PAID', 'SHIPPED', 'COMPLETED', 'PARTIALLY_REFUNDED'];

/** The fixed list of after-sales reasons a buyer picks from (free text goes beside it). */
export const RefundReasonCode = z.enum([
  'NOT_RECEIVED',
  'DAMAGED',
  'WRONG_ITEM',
  'QUALITY',
  'NOT_AS_DESCRIBED',
  'CHANGED_MIND',
  'OTHER',
]);
export type RefundReasonCode = z.infer<typeof RefundReasonCode>;

export const refundReasonLabel: Record<RefundReasonCode, string> = {
  NOT_RECEIVED: '未收到货 Not received',
  DAMAGED: '商品破损 Damaged',
  WRONG_ITEM: '发错货 Wrong item',
  QUALITY: '质量问题 Quality problem',
  NOT_AS_DESCRIBED: '与描述不符 Not as described',
  CHANGED_MIND: '不想要了 Changed my mind',
  OTHER: '其他 Other',
};

/** A photo a buyer uploaded (`POST /api/media`): the URL it answered. */
export const BuyerPhotoUrl = z.string().min(1).max(255);
export const MAX_PHOTOS = 6;

export const RefundLineInput = z.object({
  orderLineId: z.string().min(1).max(40),
  quantity: z.number().int('must be a whole number of units').min(1, 'must be at least 1').max(999),
});

/**
 * Ask for money back: some lines and quantities (the amount follows from their unit prices,
 * never more than is left), or an amount for the whole order, or both (an explicit amount
 * wins). A reason from the fixed list, free text (required for OTHER), up to 6 photos.
 */
export const RequestRefund = z
  .object({
    amount: Fen.max(MAX_ORDER_TOTAL, 'must be at most ¥99,999.99')
      .refine((v) => v > 0, 'must be more than 0')
      .optional(),
    lines: z.array(RefundLineInput).min(1, 'must name at least one line').max(50).optional(),
    reasonCode: RefundReasonCode.default('OTHER'),
    reason: z.string().trim().max(80).default(''),
    photos: z.array(BuyerPhotoUrl).max(MAX_PHOTOS, `at most ${MAX_PHOTOS} photos`).default([]),
  })
  .superRefine((r, ctx) => {
    if (r.amount === undefined && r.lines === undefined)
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'name lines or an amount' });
    if (r.reasonCode === 'OTHER' && !r.reason)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'say why (required for OTHER)' });
  });
export type RequestRefund = z.input<typeof RequestRefund>;

export const StockReturn = z.object({ skuId: SkuId, quantity: Quantity });

export const ApproveRefund = z.object({
  /** What goes back on the shelf, as the merchant decides (nothing for an unsent parcel's postage, say). */
  restock: z.array(StockReturn).max(50).default([]),
});
export const RejectRefund = z.object({ reason: z.string().trim().min(1).max(80) });

/** A line of an after-sales request, with name and image frozen as they were on the order. */
export const RefundLine = z.object({
  orderLineId: z.string(),
  skuId: z.string(),
  productId: z.string(),
  name: z.string(),
  image: z.string(),
  quantity: z.number().int(),
  /** Unit price × quantity, in fen. */
  amount: Fen,
});
export type RefundLine = z.infer<typeof RefundLine>;

export const Refund = z.object({
  id: z.string(),
  orderId: z.string(),
  orderNo: z.string(),
  outRefundNo: z.string(),
  amount: Fen,
  reasonCode: RefundReasonCode,
  reason: z.string(),
  /** Empty for a request of an amount on the whole order. */
  lines: z.array(RefundLine),
  photos: z.array(z.string()),
  status: RefundStatus,
  rejectReason: z.string().nullable(),
  restock: z.array(z.object({ skuId: z.string(), quantity: z.number().int() })),
  createdAt: z.string(),
  /** When the status last moved (approved, rejected, withdrawn…). */
  updatedAt: z.string(),
  succeededAt: z.string().nullable(),
});
export type Refund = z.infer<typeof Refund>;
export const RefundList = z.object({ items: z.array(Refund) });
export const RefundListQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export const RefundPage = z.object({ items: z.array(Refund), nextCursor: z.string().nullable() });

export const PaymentView = z.object({
  status: z.string(),
  amount: Fen,
  prepayId: z.string().nullable(),
  transactionId: z.string().nullable(),
  paidAt: z.string().nullable(),
  /** Set when a payment did not match the order (e.g. AMOUNT_MISMATCH): needs the merchant. */
  flaggedReason: z.string().nullable(),
});

export const NotificationLogEntry = z.object({
  id: z.string(),
  eventType: z.string().nullable(),
  orderNo: z.string().nullable(),
  verified: z.boolean(),
  rejectReason: z.string().nullable(),
  outcome: z.string(),
  receivedAt: z.string(),
});

export const OrderMoney = z.object({
  orderId: z.string(),
  orderNo: z.string(),
  payment: PaymentView.nullable(),
  refunds: z.array(Refund),
  notifications: z.array(NotificationLogEntry),
});

export const ReconciliationSummary = z.object({
  /** The day, in China Standard Time (UTC+8), as the merchant's books keep it. */
  date: z.string(),
  ours: z.object({ paidCount: z.number().int(), paidAmount: Fen }),
  wechat: z.object({ paidCount: z.number().int(), paidAmount: Fen }),
  /** Refunds requested that day and sent to WeChat Pay: settled per our records vs per WeChat Pay. */
  refunds: z.object({
    ours: z.object({ count: z.number().int(), amount: Fen }),
    wechat: z.object({ count: z.number().int(), amount: Fen }),
  }),
  /** Payments and refunds where our records and WeChat Pay disagree. */
  mismatches: z.array(
    z.object({
      kind: z.enum(['payment', 'refund']),
      orderId: z.string(),
      orderNo: z.string(),
      /** The refund's number, for a refund; null for a payment. */
      outRefundNo: z.string().nullable(),
      /** Our status and WeChat Pay's (`NOT_EXIST` when WeChat Pay has no such trade or refund). */
      ours: z.string(),
      wechat: z.string(),
      /** Amounts in fen as each side has them (WeChat's 0 when it has none). */
      oursAmount: Fen,
      wechatAmount: Fen,
    }),
  ),
});
