import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { createdAt, idColumn, int, updatedAt } from './helpers';

const str = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const time = (name: string): TableColumnOptions => ({ name, type: 'datetime', isNullable: true });

/** Payments, the notify inbox, and the outbox. */
export class Payments1763942400000 implements MigrationInterface {
  name = 'Payments1763942400000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'payments',
        columns: [
          idColumn(),
          idColumn('order_id', false),
          str('out_trade_no', 32),
          int(qr, 'amount'),
          str('prepay_id', 64, true),
          time('prepay_expires_at'),
          str('status', 24),
          str('transaction_id', 64, true),
          time('paid_at'),
          str('flagged_reason', 64, true),
          createdAt(qr),
          updatedAt(qr),
        ],
        indices: [
          new TableIndex({ name: 'uq_payments_order', columnNames: ['order_id'], isUnique: true }),
          new TableIndex({ name: 'uq_payments_out_trade_no', columnNames: ['out_trade_no'], isUnique: true }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'pay_notifications',
        columns: [
          idColumn(),
          str('wechat_id', 64, true),
          str('event_type', 32, true),
          str('out_trade_no', 32, true),
          { name: 'raw_body', type: 'text' },
          { name: 'verified', type: 'boolean' },
          str('reject_reason', 32, true),
          str('outcome', 32),
          createdAt(qr, 'received_at'),
        ],
        indices: [new TableIndex({ name: 'idx_pay_notifications_trade', columnNames: ['out_trade_no'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'outbox_events',
        columns: [
          idColumn(),
          str('topic', 48),
          str('event_key', 64),
          { name: 'payload', type: 'text' },
          createdAt(qr),
          time('dispatched_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_outbox_topic_key', columnNames: ['topic', 'event_key'], isUnique: true }),
          new TableIndex({ name: 'idx_outbox_pending', columnNames: ['dispatched_at'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'outbox_effects',
        columns: [
          { ...idColumn('event_id'), isPrimary: true },
          { ...str('effect', 48), isPrimary: true },
          createdAt(qr, 'done_at'),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['outbox_effects', 'outbox_events', 'pay_notifications', 'payments']) await qr.dropTable(t);
  }
}
