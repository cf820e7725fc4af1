/**
 * The order state machine's one enforcement point: a transition is allowed only if the
 * shared table says so, and it happens only as a conditional update from the expected
 * state, so of two racing transitions exactly one wins. One parameterised statement: it is
 * on the payment notification's hot path.
 */
import { canTransition, type OrderStatus } from '@chatmall/shared';
import type { EntityManager } from 'typeorm';
import { updateWhere, type Where } from '../../kernel/sql';
import { OrderEntity } from './order.entity';

type Settable = Partial<Omit<OrderEntity, 'id' | 'status' | 'updatedAt'>>;

export async function transitionOrder(
  em: EntityManager,
  where: { id: string } | { orderNo: string },
  from: OrderStatus,
  to: OrderStatus,
  set: Settable = {},
  /**
   * Also required for the change: the amount due (a payment moves only an order of its
   * amount), or a column still empty (shipping only an order not yet shipped).
   */
  guard: Where<Pick<OrderEntity, 'payable' | 'wechatAmount' | 'shippedAt' | 'completedAt'>> = {},
): Promise<boolean> {
  if (!canTransition(from, to)) throw new Error(`order cannot go from ${from} to ${to}`);
  const key = 'id' in where ? { id: where.id } : { orderNo: where.orderNo };
  const changed = await updateWhere(em, OrderEntity, { ...set, status: to }, { ...key, status: from, ...guard });
  return changed === 1;
}
