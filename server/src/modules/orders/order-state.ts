/**
 * The order state machine's one enforcement point: a transition is allowed only if the
 * shared table says so, and it happens only as a conditional update from the expected
 * state, so of two racing transitions exactly one wins. One parameterised statement (it is
 * on the payment notification's hot path), columns named by the entity's metadata.
 */
import { canTransition, type OrderStatus } from '@chatmall/shared';
import type { EntityManager } from 'typeorm';
import { execute } from '../../kernel/sql';
import { OrderEntity } from './order.entity';

type Settable = Partial<Omit<OrderEntity, 'id' | 'status' | 'updatedAt'>>;

export async function transitionOrder(
  em: EntityManager,
  where: { id: string } | { orderNo: string },
  from: OrderStatus,
  to: OrderStatus,
  set: Settable = {},
  /** Also required for the change: the amount due (a payment moves only an order of its amount). */
  guard: { payable?: number } = {},
): Promise<boolean> {
  if (!canTransition(from, to)) throw new Error(`order cannot go from ${from} to ${to}`);
  const meta = em.connection.getMetadata(OrderEntity);
  const column = (property: string) => {
    const c = meta.findColumnWithPropertyName(property);
    if (!c) throw new Error(`orders has no column for ${property}`);
    return c.databaseName;
  };
  const assignments = Object.entries(set).filter(([, v]) => v !== undefined);
  const conditions: [string, unknown][] = [
    'id' in where ? ['id', where.id] : ['order_no', where.orderNo],
    ['status', from],
  ];
  if (guard.payable !== undefined) conditions.push(['payable', guard.payable]);
  const changed = await execute(
    em,
    `UPDATE ${meta.tableName} SET status = ?, ${assignments.map(([k]) => `${column(k)} = ?, `).join('')}updated_at = ?` +
      ` WHERE ${conditions.map(([c]) => `${c} = ?`).join(' AND ')}`,
    [to, ...assignments.map(([, v]) => v), new Date(), ...conditions.map(([, v]) => v)],
  );
  return changed === 1;
}
