/**
 * Orders: statuses, the allowed transitions (the one table the server's state machine
 * enforces and the storefront reads to show actions), and the order DTOs.
 */
import { z } from 'zod';
import { SkuId } from './catalog';
import { Quantity, Address } from './commerce';
import { Fen } from './money';
import { PriceBreakdown } from './pricing';

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

export const CreateOrderRequest = z.object({
  /** Chosen by the client once per checkout; a retry with the same key returns the same order. */
  clientKey: z.string().regex(/^[\w-]{8,64}$/, 'must be 8–64 letters, digits, _ or -'),
  items: z.array(OrderLineInput).min(1, 'must have at least one item').max(50),
  addressId: z.string().min(1),
  note: z.string().max(200).optional(),
});
export type CreateOrderRequest = z.input<typeof CreateOrderRequest>;

export const CheckoutPreviewRequest = z.object({ items: z.array(OrderLineInput).min(1).max(50) });

export const OrderLine = z.object({
  skuId: z.string(),
  productId: z.string(),
  name: z.string(),
  specValues: z.array(z.string()),
  image: z.string(),
  unitPrice: Fen,
  quantity: z.number().int(),
  lineTotal: Fen,
});

export const Shipment = z.object({ carrier: z.string(), trackingNo: z.string(), shippedAt: z.string() });

export const Order = z.object({
  id: z.string(),
  orderNo: z.string(),
  status: OrderStatus,
  lines: z.array(OrderLine),
  price: PriceBreakdown,
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
});
export type OrderSummary = z.infer<typeof OrderSummary>;

export const OrderListQuery = z.object({
  status: OrderStatus.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
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
};

export const RequestRefund = z.object({
  amount: Fen.refine((v) => v > 0, 'must be more than 0'),
  reason: z.string().trim().min(1).max(80),
});

export const StockReturn = z.object({ skuId: SkuId, quantity: Quantity });

export const ApproveRefund = z.object({
  /** What goes back on the shelf, as the merchant decides (nothing for an unsent parcel's postage, say). */
  restock: z.array(StockReturn).max(50).default([]),
});
export const RejectRefund = z.object({ reason: z.string().trim().min(1).max(80) });

export const Refund = z.object({
  id: z.string(),
  orderId: z.string(),
  orderNo: z.string(),
  outRefundNo: z.string(),
  amount: Fen,
  reason: z.string(),
  status: RefundStatus,
  rejectReason: z.string().nullable(),
  restock: z.array(z.object({ skuId: z.string(), quantity: z.number().int() })),
  createdAt: z.string(),
  succeededAt: z.string().nullable(),
});
export type Refund = z.infer<typeof Refund>;
export const RefundList = z.object({ items: z.array(Refund) });

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
  /** Orders where our records and WeChat Pay disagree. */
  mismatches: z.array(z.object({ orderNo: z.string(), ours: z.string(), wechat: z.string() })),
});
