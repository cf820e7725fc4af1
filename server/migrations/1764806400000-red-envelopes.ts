import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { bool, createdAt, idColumn, int, updatedAt } from './helpers';

const str = (name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  ...extra,
});
const time = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', isNullable: nullable });
const key = (c: TableColumnOptions): TableColumnOptions => ({ ...c, isPrimary: true });

/**
 * Group red-envelope packs (docs/decisions/0025-red-envelopes.md): packs, their shares drawn
 * at creation, grabs (unique per buyer and per share), opens (attribution and the group rule),
 * and the paid orders their coupons brought.
 */
export class RedEnvelopes1764806400000 implements MigrationInterface {
  name = 'RedEnvelopes1764806400000';

  async up(qr: QueryRunner): Promise<void> {
    const index = (name: string, columnNames: string[], isUnique = false) =>
      new TableIndex({ name, columnNames, isUnique });
    await qr.createTable(
      new Table({
        name: 'red_envelope_packs',
        columns: [
          idColumn(),
          str('title', 40),
          str('image_url', 500, { isNullable: true }),
          int(qr, 'budget'),
          int(qr, 'shares'),
          str('split', 8),
          int(qr, 'minimum_share'),
          { name: 'coupon', type: 'text' },
          str('coupon_template_id', 40),
          bool(qr, 'group_only', false),
          bool(qr, 'new_buyers_only', false),
          str('status', 12),
          time('expires_at'),
          str('created_by', 40),
          int(qr, 'returned_shares', { default: 0 }),
          int(qr, 'returned_amount', { default: 0 }),
          time('settled_at', true),
          createdAt(qr),
          updatedAt(qr),
        ],
        indices: [index('idx_red_envelope_packs_status_expires', ['status', 'expires_at'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'red_envelope_shares',
        columns: [key(str('pack_id', 40)), key(int(qr, 'share_index')), int(qr, 'amount')],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'red_envelope_grabs',
        columns: [
          key(str('pack_id', 40)),
          key(str('buyer_id', 40)),
          int(qr, 'share_index'),
          int(qr, 'amount'),
          time('grabbed_at'),
          str('coupon_id', 40, { isNullable: true }),
          str('issue_refusal', 20, { isNullable: true }),
          createdAt(qr),
        ],
        indices: [
          index('uq_red_envelope_grabs_share', ['pack_id', 'share_index'], true),
          index('idx_red_envelope_grabs_coupon', ['coupon_id']),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'red_envelope_opens',
        columns: [
          key(str('pack_id', 40)),
          key(str('buyer_id', 40)),
          key(str('group_id', 128)),
          str('chat', 8),
          str('sharer_id', 40, { isNullable: true }),
          bool(qr, 'allowed', false),
          time('opened_at'),
        ],
        indices: [index('idx_red_envelope_opens_pack_time', ['pack_id', 'opened_at'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'red_envelope_orders',
        columns: [
          key(str('order_no', 32)),
          str('pack_id', 40),
          str('buyer_id', 40),
          str('coupon_id', 40),
          int(qr, 'discount'),
          int(qr, 'gmv'),
          time('paid_at'),
        ],
        indices: [index('idx_red_envelope_orders_pack', ['pack_id'])],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of [
      'red_envelope_orders',
      'red_envelope_opens',
      'red_envelope_grabs',
      'red_envelope_shares',
      'red_envelope_packs',
    ])
      await qr.dropTable(t);
  }
}
