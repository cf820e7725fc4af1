import {
  Table,
  TableColumn,
  TableIndex,
  type MigrationInterface,
  type QueryRunner,
  type TableColumnOptions,
} from 'typeorm';
import { bool, createdAt, idColumn, int, updatedAt } from './helpers';

const str = (name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  ...extra,
});
const time = (name: string, nullable = true): TableColumnOptions => ({ name, type: 'datetime', isNullable: nullable });
const text = (name: string): TableColumnOptions => ({ name, type: 'text' });

/**
 * Coupons (docs/decisions/0024-coupons.md): templates, the coupons buyers hold (one per
 * source key), per-buyer holding counters; the coupon an order used and what it took off;
 * the shop's setting for giving a coupon back on a full refund.
 */
export class Coupons1764720000000 implements MigrationInterface {
  name = 'Coupons1764720000000';

  async up(qr: QueryRunner): Promise<void> {
    const index = (name: string, columnNames: string[], isUnique = false) =>
      new TableIndex({ name, columnNames, isUnique });
    await qr.createTable(
      new Table({
        name: 'coupon_templates',
        columns: [
          idColumn(),
          str('title', 40),
          text('benefit'),
          text('scope'),
          str('validity_kind', 8),
          time('valid_from'),
          time('valid_until'),
          int(qr, 'valid_days', { isNullable: true }),
          int(qr, 'total_stock'),
          int(qr, 'issued', { default: 0 }),
          int(qr, 'used', { default: 0 }),
          int(qr, 'per_buyer_limit'),
          bool(qr, 'stacks_with_member_discount', false),
          bool(qr, 'claimable', false),
          str('status', 12),
          time('published_at'),
          time('stopped_at'),
          createdAt(qr),
          updatedAt(qr),
        ],
        indices: [index('idx_coupon_templates_status', ['status', 'id'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'coupons',
        columns: [
          idColumn(),
          str('template_id', 40),
          str('buyer_id', 40),
          str('source', 16),
          str('source_ref', 120),
          str('title', 40),
          text('benefit'),
          text('scope'),
          bool(qr, 'stacks_with_member_discount', false),
          time('valid_from', false),
          time('valid_until', false),
          str('status', 12),
          str('order_id', 40, { isNullable: true }),
          str('order_no', 32, { isNullable: true }),
          time('locked_at'),
          time('used_at'),
          time('expired_at'),
          time('reminded_at'),
          createdAt(qr),
          updatedAt(qr),
        ],
        indices: [
          index('uq_coupons_source_ref', ['source', 'source_ref'], true),
          index('idx_coupons_buyer_status', ['buyer_id', 'status', 'valid_until']),
          index('idx_coupons_status_valid_until', ['status', 'valid_until']),
          index('idx_coupons_order', ['order_id']),
          index('idx_coupons_order_no', ['order_no']),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'coupon_holdings',
        columns: [
          { ...str('template_id', 40), isPrimary: true },
          { ...str('buyer_id', 40), isPrimary: true },
          int(qr, 'received', { default: 0 }),
        ],
      }),
    );
    await qr.addColumns('orders', [
      new TableColumn(str('coupon_id', 40, { isNullable: true })),
      new TableColumn(int(qr, 'coupon_discount', { default: 0 })),
    ]);
    await qr.addColumn('shop_settings', new TableColumn(bool(qr, 'restore_coupon_on_full_refund', true)));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('shop_settings', 'restore_coupon_on_full_refund');
    await qr.dropColumn('orders', 'coupon_discount');
    await qr.dropColumn('orders', 'coupon_id');
    for (const t of ['coupon_holdings', 'coupons', 'coupon_templates']) await qr.dropTable(t);
  }
}
