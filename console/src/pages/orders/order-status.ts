import type { OrderStatus, RefundStatus } from '@chatmall/shared';

export const statusColor: Record<OrderStatus, string> = {
  PENDING_PAYMENT: 'gold',
  PAID: 'green',
  SHIPPED: 'blue',
  COMPLETED: 'default',
  CANCELLED: 'default',
  CLOSED: 'default',
  PARTIALLY_REFUNDED: 'orange',
  REFUNDED: 'purple',
};

export const refundColor: Record<RefundStatus, string> = {
  REQUESTED: 'gold',
  REJECTED: 'default',
  APPROVED: 'blue',
  PROCESSING: 'blue',
  ABNORMAL: 'red',
  SUCCESS: 'green',
  CLOSED: 'default',
  WITHDRAWN: 'default',
};
