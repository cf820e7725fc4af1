/**
 * The payments module's bulk path for demo history: refunds that already succeeded, with no
 * restock (the shelves stay as the catalog seed left them). No events are published; the
 * dashboard is rebuilt from these rows afterwards.
 */
import type { DataSource } from 'typeorm';
import { withTx } from '../../../kernel/tx';
import { RefundEntity } from '../refund.entity';

export interface DemoRefund {
  id: string;
  orderId: string;
  orderNo: string;
  buyerId: string;
  outRefundNo: string;
  amount: number;
  reason: string;
  createdAt: Date;
  succeededAt: Date;
}

export async function insertDemoRefunds(db: DataSource, refunds: readonly DemoRefund[], chunk = 200): Promise<void> {
  await withTx(db, {}, async ({ tx }) => {
    for (let i = 0; i < refunds.length; i += chunk)
      await tx.getRepository(RefundEntity).insert(
        refunds.slice(i, i + chunk).map((r) => ({
          ...r,
          reasonCode: 'OTHER' as const,
          lines: null,
          photos: null,
          status: 'SUCCESS' as const,
          rejectReason: null,
          restock: [],
          refundId: `demo_${r.outRefundNo}`,
          updatedAt: r.succeededAt,
        })),
      );
  });
}
