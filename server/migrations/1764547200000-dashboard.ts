import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { int } from './helpers';

const day = { name: 'day', type: 'varchar', length: '10', isPrimary: true };

/** The dashboard's daily aggregate rows and the keys of the events counted into them. */
export class Dashboard1764547200000 implements MigrationInterface {
  name = 'Dashboard1764547200000';

  async up(qr: QueryRunner): Promise<void> {
    const zero = (name: string) => int(qr, name, { default: 0 });
    await qr.createTable(
      new Table({
        name: 'dashboard_days',
        columns: [
          day,
          zero('paid_orders'),
          zero('paid_amount'),
          zero('paying_buyers'),
          zero('new_buyers'),
          zero('refund_count'),
          zero('refund_amount'),
          zero('placed_orders'),
          zero('closed_orders'),
          zero('cancelled_orders'),
          zero('completed_orders'),
          zero('refunded_orders'),
          zero('partially_refunded_orders'),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'dashboard_day_hours',
        columns: [day, int(qr, 'hour', { isPrimary: true }), zero('paid_orders'), zero('paid_amount')],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'dashboard_day_products',
        columns: [
          day,
          { name: 'product_id', type: 'varchar', length: '40', isPrimary: true },
          { name: 'name', type: 'varchar', length: '120' },
          zero('units'),
          zero('revenue'),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'dashboard_day_buyers',
        columns: [day, { name: 'buyer_id', type: 'varchar', length: '40', isPrimary: true }, int(qr, 'gap')],
        indices: [new TableIndex({ name: 'idx_dashboard_day_buyers_buyer', columnNames: ['buyer_id', 'day'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'dashboard_day_gaps',
        columns: [day, int(qr, 'gap', { isPrimary: true }), zero('buyers')],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'dashboard_applied',
        columns: [
          { name: 'event_key', type: 'varchar', length: '120', isPrimary: true },
          { name: 'day', type: 'varchar', length: '10' },
        ],
        indices: [new TableIndex({ name: 'idx_dashboard_applied_day', columnNames: ['day'] })],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of [
      'dashboard_applied',
      'dashboard_day_gaps',
      'dashboard_day_buyers',
      'dashboard_day_products',
      'dashboard_day_hours',
      'dashboard_days',
    ])
      await qr.dropTable(t);
  }
}
