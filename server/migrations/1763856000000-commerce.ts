import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { bool, createdAt, idColumn, int, updatedAt } from './helpers';

const str = (name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  ...extra,
});
const time = (name: string, nullable = true): TableColumnOptions => ({ name, type: 'datetime', isNullable: nullable });
const text = (name: string): TableColumnOptions => ({ name, type: 'text' });

/** Buyers, staff, sessions, audit log, cart, favourites, addresses and orders. */
export class Commerce1763856000000 implements MigrationInterface {
  name = 'Commerce1763856000000';

  async up(qr: QueryRunner): Promise<void> {
    const unique = (name: string, columnNames: string[]) => new TableIndex({ name, columnNames, isUnique: true });
    const index = (name: string, columnNames: string[]) => new TableIndex({ name, columnNames });

    await qr.createTable(
      new Table({
        name: 'buyers',
        columns: [
          idColumn(),
          str('openid', 64),
          str('unionid', 64, { isNullable: true }),
          str('nickname', 64, { isNullable: true }),
          createdAt(qr),
          time('last_login_at'),
        ],
        indices: [unique('uq_buyers_openid', ['openid'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'staff',
        columns: [
          idColumn(),
          str('username', 64),
          str('display_name', 64),
          str('role', 16),
          str('password_hash', 255),
          str('openid', 64, { isNullable: true }),
          bool(qr, 'active', true),
          createdAt(qr),
        ],
        indices: [unique('uq_staff_username', ['username']), unique('uq_staff_openid', ['openid'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'sessions',
        columns: [
          idColumn(),
          str('subject_kind', 8),
          idColumn('subject_id', false),
          str('access_hash', 64),
          str('refresh_hash', 64),
          time('access_expires_at', false),
          time('refresh_expires_at', false),
          time('revoked_at'),
          createdAt(qr),
        ],
        indices: [
          index('idx_sessions_subject', ['subject_id']),
          unique('uq_sessions_access', ['access_hash']),
          unique('uq_sessions_refresh', ['refresh_hash']),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          idColumn(),
          idColumn('actor_id', false),
          str('actor_role', 16),
          str('action', 48),
          str('entity', 32),
          idColumn('entity_id', false),
          text('detail'),
          createdAt(qr),
        ],
        indices: [index('idx_audit_entity', ['entity', 'entity_id'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'cart_items',
        columns: [
          idColumn(),
          idColumn('buyer_id', false),
          idColumn('sku_id', false),
          int(qr, 'quantity'),
          bool(qr, 'selected', true),
          createdAt(qr),
          updatedAt(qr),
        ],
        indices: [unique('uq_cart_items_buyer_sku', ['buyer_id', 'sku_id'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'favourites',
        columns: [
          { ...idColumn('buyer_id'), isPrimary: true },
          { ...idColumn('product_id'), isPrimary: true },
          createdAt(qr),
        ],
        indices: [index('idx_favourites_product', ['product_id'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'addresses',
        columns: [
          idColumn(),
          idColumn('buyer_id', false),
          str('recipient', 32),
          str('phone', 20),
          str('province', 32),
          str('city', 32),
          str('district', 32, { default: "''" }),
          str('detail', 200),
          bool(qr, 'is_default', false),
          createdAt(qr),
        ],
        indices: [index('idx_addresses_buyer', ['buyer_id'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'orders',
        columns: [
          idColumn(),
          str('order_no', 32),
          idColumn('buyer_id', false),
          str('client_key', 64),
          str('status', 24),
          int(qr, 'items_total'),
          text('adjustments'),
          int(qr, 'shipping_fee'),
          int(qr, 'payable'),
          text('address'),
          str('note', 200, { default: "''" }),
          time('pay_by', false),
          time('paid_at'),
          str('carrier', 32, { isNullable: true }),
          str('tracking_no', 40, { isNullable: true }),
          time('shipped_at'),
          time('completed_at'),
          time('closed_at'),
          str('close_reason', 32, { isNullable: true }),
          createdAt(qr),
          updatedAt(qr),
        ],
        indices: [
          unique('uq_orders_order_no', ['order_no']),
          unique('uq_orders_client_key', ['buyer_id', 'client_key']),
          index('idx_orders_buyer_created', ['buyer_id', 'created_at', 'id']),
          index('idx_orders_status_pay_by', ['status', 'pay_by']),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'order_lines',
        columns: [
          idColumn(),
          idColumn('order_id', false),
          idColumn('sku_id', false),
          idColumn('product_id', false),
          str('name', 120),
          text('spec_values'),
          str('image', 255),
          int(qr, 'unit_price'),
          int(qr, 'quantity'),
          int(qr, 'line_total'),
        ],
        indices: [index('idx_order_lines_order', ['order_id'])],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of [
      'order_lines',
      'orders',
      'addresses',
      'favourites',
      'cart_items',
      'audit_log',
      'sessions',
      'staff',
      'buyers',
    ])
      await qr.dropTable(t);
  }
}
