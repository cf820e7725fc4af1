import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { int } from './helpers';

/**
 * Each order line keeps its share of the order's discounts (member discount and coupon, as the
 * checkout pricing spread them), so a refund of one line can return that line's own share
 * (docs/decisions/0024-coupons.md). Lines written before it read 0: they had no discounts.
 */
export class OrderLineDiscounts1764723600000 implements MigrationInterface {
  name = 'OrderLineDiscounts1764723600000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('order_lines', new TableColumn(int(qr, 'discount', { default: 0 })));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('order_lines', 'discount');
  }
}
