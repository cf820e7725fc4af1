import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createdAt, idColumn, int, updatedAt } from './helpers';

export class Refunds1763946000000 implements MigrationInterface {
  name = 'Refunds1763946000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'refunds',
        columns: [
          idColumn(),
          idColumn('order_id', false),
          { name: 'order_no', type: 'varchar', length: '32' },
          { name: 'out_refund_no', type: 'varchar', length: '64' },
          int(qr, 'amount'),
          { name: 'reason', type: 'varchar', length: '80' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'reject_reason', type: 'varchar', length: '80', isNullable: true },
          { name: 'restock', type: 'text' },
          { name: 'refund_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'succeeded_at', type: 'datetime', isNullable: true },
          createdAt(qr),
          updatedAt(qr),
        ],
        indices: [
          new TableIndex({ name: 'idx_refunds_order', columnNames: ['order_id'] }),
          new TableIndex({ name: 'idx_refunds_status', columnNames: ['status'] }),
          new TableIndex({ name: 'uq_refunds_out_refund_no', columnNames: ['out_refund_no'], isUnique: true }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('refunds');
  }
}
