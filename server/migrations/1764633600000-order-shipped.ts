import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { int } from './helpers';

/**
 * Orders now publish `order.shipped`; the dashboard counts shipments per day beside the other
 * states (docs/decisions/0021-dashboard-aggregates.md). Run `npm run dashboard:rebuild` to
 * count shipments made before this migration.
 */
export class OrderShipped1764633600000 implements MigrationInterface {
  name = 'OrderShipped1764633600000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('dashboard_days', new TableColumn(int(qr, 'shipped_orders', { default: 0 })));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('dashboard_days', 'shipped_orders');
  }
}
