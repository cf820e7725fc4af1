import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { createdAt, idColumn, int, updatedAt } from './helpers';

const str = (name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  ...extra,
});
const time = (name: string): TableColumnOptions => ({ name, type: 'datetime', isNullable: true });
const index = (name: string, columnNames: string[], isUnique = false) =>
  new TableIndex({ name, columnNames, isUnique });

/**
 * Membership (issue 15; docs/decisions/0029–0031): the programme row, members with cached
 * balances, the points ledger and its lots, growth entries, the stored-value ledger, top-ups,
 * used member codes.
 */
export class Membership1764979200000 implements MigrationInterface {
  name = 'Membership1764979200000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'membership_programmes',
        columns: [
          idColumn(),
          { name: 'settings', type: 'text' },
          int(qr, 'version'),
          str('card_id', 64, { isNullable: true }),
          updatedAt(qr),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'members',
        columns: [
          idColumn(),
          str('buyer_id', 40),
          str('member_no', 10),
          str('phone', 24),
          str('name', 20, { isNullable: true }),
          int(qr, 'level_index', { default: 0 }),
          int(qr, 'spend_total', { default: 0 }),
          int(qr, 'growth', { default: 0 }),
          int(qr, 'points', { default: 0 }),
          int(qr, 'balance_principal', { default: 0 }),
          int(qr, 'balance_bonus', { default: 0 }),
          str('code_secret', 64),
          str('card_code', 40, { isNullable: true }),
          str('card_status', 8, { default: "'NONE'" }),
          createdAt(qr, 'joined_at'),
          updatedAt(qr),
        ],
        indices: [
          index('uq_members_buyer', ['buyer_id'], true),
          index('uq_members_member_no', ['member_no'], true),
          index('idx_members_phone', ['phone']),
          index('idx_members_level', ['level_index', 'id']),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'points_entries',
        columns: [
          idColumn(),
          str('member_id', 40),
          str('kind', 8),
          int(qr, 'delta'),
          int(qr, 'balance_after'),
          str('source_key', 120),
          str('record', 40),
          str('order_no', 32, { isNullable: true }),
          str('actor_id', 40, { isNullable: true }),
          str('reason', 100, { isNullable: true }),
          createdAt(qr),
        ],
        indices: [
          index('uq_points_entries_source', ['source_key'], true),
          index('idx_points_entries_member', ['member_id', 'id']),
          index('idx_points_entries_order', ['order_no']),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'points_lots',
        columns: [
          idColumn(),
          str('member_id', 40),
          int(qr, 'earned'),
          int(qr, 'remaining'),
          time('expires_at'),
          createdAt(qr),
        ],
        indices: [
          index('idx_points_lots_member', ['member_id', 'expires_at', 'id']),
          index('idx_points_lots_expiry', ['expires_at', 'remaining']),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'member_growth_entries',
        columns: [
          idColumn(),
          str('member_id', 40),
          str('source_key', 120),
          int(qr, 'spend'),
          int(qr, 'growth'),
          int(qr, 'level_after'),
          createdAt(qr),
        ],
        indices: [
          index('uq_member_growth_entries_source', ['source_key'], true),
          index('idx_member_growth_entries_member', ['member_id', 'id']),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'wallet_entries',
        columns: [
          idColumn(),
          str('member_id', 40),
          str('kind', 16),
          int(qr, 'principal'),
          int(qr, 'bonus'),
          int(qr, 'principal_after'),
          int(qr, 'bonus_after'),
          str('source_key', 120),
          str('record', 40),
          str('ref', 64, { isNullable: true }),
          createdAt(qr),
        ],
        indices: [
          index('uq_wallet_entries_source', ['source_key'], true),
          index('idx_wallet_entries_member', ['member_id', 'id']),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'top_ups',
        columns: [
          idColumn(),
          str('member_id', 40),
          str('buyer_id', 40),
          str('request_key', 64),
          str('out_trade_no', 32),
          int(qr, 'pay'),
          int(qr, 'bonus'),
          str('status', 12),
          str('prepay_id', 64, { isNullable: true }),
          str('transaction_id', 40, { isNullable: true }),
          str('out_refund_no', 64, { isNullable: true }),
          time('paid_at'),
          time('refunded_at'),
          createdAt(qr),
          updatedAt(qr),
        ],
        indices: [
          index('uq_top_ups_out_trade_no', ['out_trade_no'], true),
          index('uq_top_ups_request', ['member_id', 'request_key'], true),
          index('idx_top_ups_out_refund_no', ['out_refund_no']),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'member_code_uses',
        columns: [idColumn(), str('member_id', 40), str('step', 16), str('staff_id', 40), createdAt(qr)],
        indices: [index('uq_member_code_uses', ['member_id', 'step'], true)],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of [
      'member_code_uses',
      'top_ups',
      'wallet_entries',
      'member_growth_entries',
      'points_lots',
      'points_entries',
      'members',
      'membership_programmes',
    ])
      await qr.dropTable(t);
  }
}
