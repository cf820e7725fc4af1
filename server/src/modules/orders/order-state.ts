/**
 * The order state machine's one enforcement point: a transition is allowed only if the
 * shared table says so, and it happens only as a conditional update from the expected
 * state, so of two racing transitions exactly one wins.
 */
import { canTransition, type OrderStatus } from '@chatmall/shared';
import type { EntityManager } from 'typeorm';
import { OrderEntity } from './order.entity';

export async function transitionOrder(
  em: EntityManager,
  where: { id: string } | { orderNo: string },
  from: OrderStatus,
  to: OrderStatus,
  set: Partial<Omit<OrderEntity, 'id' | 'status'>> = {},
): Promise<boolean> {
  if (!canTransition(from, to)) throw new Error(`order cannot go from ${from} to ${to}`);
  const key = 'id' in where ? { col: 'id', value: where.id } : { col: 'order_no', value: where.orderNo };
  const result = await em
    .createQueryBuilder()
    .update(OrderEntity)
    .set({ ...set, status: to })
    .where(`${key.col} = :key AND status = :from`, { key: key.value, from })
    .execute();
  return result.affected === 1;
}
