/**
 * The orders module's bulk path for demo history: finished orders (paid, shipped, completed,
 * refunded, closed — never awaiting payment, so no close ever runs for them) with their lines,
 * written as multi-row INSERTs. It never touches stock: the history is the past, the shelves
 * stay as the catalog seed left them. No events are published; the dashboard is rebuilt
 * from these rows afterwards.
 */
import type { OrderStatus } from '@chatmall/shared';
import type { DataSource } from 'typeorm';
import { withTx } from '../../../kernel/tx';
import { OrderLineEntity } from '../order-line.entity';
import { OrderEntity, type AddressSnapshot } from '../order.entity';
import type { OrderLineFacts } from '../order.service';

/** A demo line is a line as bought, like any other. */
export type DemoOrderLine = OrderLineFacts;

export interface DemoOrder {
  id: string;
  orderNo: string;
  buyerId: string;
  status: Exclude<OrderStatus, 'PENDING_PAYMENT'>;
  shippingFee: number;
  address: AddressSnapshot;
  createdAt: Date;
  paidAt: Date | null;
  shippedAt: Date | null;
  completedAt: Date | null;
  closedAt: Date | null;
  closeReason: string | null;
  lines: DemoOrderLine[];
}

export async function insertDemoOrders(db: DataSource, orders: readonly DemoOrder[], chunk = 200): Promise<void> {
  await withTx(db, {}, async ({ tx }) => {
    for (let i = 0; i < orders.length; i += chunk) {
      const part = orders.slice(i, i + chunk);
      await tx.getRepository(OrderEntity).insert(
        part.map((o) => {
          const itemsTotal = o.lines.reduce((n, l) => n + l.unitPrice * l.quantity, 0);
          return {
            id: o.id,
            orderNo: o.orderNo,
            buyerId: o.buyerId,
            clientKey: `demo-${o.id}`,
            status: o.status,
            itemsTotal,
            adjustments: [],
            shippingFee: o.shippingFee,
            payable: itemsTotal + o.shippingFee,
            address: o.address,
            note: '',
            payBy: new Date(o.createdAt.getTime() + 15 * 60_000),
            paidAt: o.paidAt,
            carrier: o.shippedAt ? 'SF' : null,
            trackingNo: o.shippedAt ? `SF${o.orderNo.slice(-12)}` : null,
            shippedAt: o.shippedAt,
            completedAt: o.completedAt,
            closedAt: o.closedAt,
            closeReason: o.closeReason,
            createdAt: o.createdAt,
            updatedAt: o.completedAt ?? o.shippedAt ?? o.paidAt ?? o.closedAt ?? o.createdAt,
          };
        }),
      );
      await tx
        .getRepository(OrderLineEntity)
        .insert(
          part.flatMap((o) => o.lines.map((l) => ({ ...l, orderId: o.id, lineTotal: l.unitPrice * l.quantity }))),
        );
    }
  });
}
