import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { bool, idColumn, int } from './helpers';

const str = (name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  ...extra,
});
const time = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', isNullable: nullable });
const key = (c: TableColumnOptions): TableColumnOptions => ({ ...c, isPrimary: true });
const index = (name: string, columnNames: string[], isUnique = false) =>
  new TableIndex({ name, columnNames, isUnique });

/**
 * The audience read model and segments (docs/decisions/0037-audience-read-model.md) and push
 * campaigns with their recipients, monthly mass counts, clicks and attributed orders
 * (0035-campaign-fan-out.md, 0036-campaign-receipts-and-funnel.md).
 */
export class Campaigns1765152000000 implements MigrationInterface {
  name = 'Campaigns1765152000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'audience_followers',
        columns: [
          key(str('openid', 64)),
          str('unionid', 64, { isNullable: true }),
          str('buyer_id', 40, { isNullable: true }),
          str('city', 40, { isNullable: true }),
          str('touchpoint_id', 40, { isNullable: true }),
          bool(qr, 'following', false),
          time('followed_at', true),
          time('last_message_at', true),
          str('member_level', 40, { isNullable: true }),
        ],
        indices: [index('idx_audience_followers_buyer', ['buyer_id'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'audience_follower_tags',
        columns: [key(str('openid', 64)), key(int(qr, 'tag_id'))],
        indices: [index('idx_audience_follower_tags_tag', ['tag_id', 'openid'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'audience_buyers',
        columns: [key(str('buyer_id', 40)), time('last_order_at', true), int(qr, 'total_spend', { default: 0 })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'audience_orders',
        columns: [
          key(str('order_no', 32)),
          str('buyer_id', 40),
          int(qr, 'amount', { default: 0 }),
          bool(qr, 'paid', false),
          time('paid_at', true),
          int(qr, 'refunded', { default: 0 }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'audience_consents',
        columns: [key(str('openid', 64)), key(str('template_id', 64)), int(qr, 'remaining', { default: 0 })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'audience_segments',
        columns: [
          idColumn(),
          str('name', 40),
          { name: 'rules', type: 'text' },
          str('created_by', 40),
          time('created_at'),
          time('updated_at'),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'campaigns',
        columns: [
          idColumn(),
          str('name', 40),
          str('channel', 12),
          { name: 'content', type: 'text' },
          { name: 'audience', type: 'text' },
          str('status', 20),
          str('pause_reason', 12, { isNullable: true }),
          time('resume_at', true),
          time('scheduled_at', true),
          bool(qr, 'approval_needed', false),
          str('approved_by', 40, { isNullable: true }),
          str('plan_cursor', 64, { isNullable: true }),
          bool(qr, 'planned', false),
          int(qr, 'round', { default: 0 }),
          { name: 'final_counts', type: 'text', isNullable: true },
          str('created_by', 40),
          time('started_at', true),
          time('finished_at', true),
          time('created_at'),
        ],
        indices: [index('idx_campaigns_status', ['status'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'campaign_recipients',
        columns: [
          key(str('campaign_id', 40)),
          key(str('openid', 64)),
          str('status', 10),
          str('reason', 24, { isNullable: true }),
          str('msg_id', 24, { isNullable: true }),
          int(qr, 'attempts', { default: 0 }),
          bool(qr, 'counted', false),
          time('sent_at', true),
        ],
        indices: [
          index('idx_campaign_recipients_status', ['campaign_id', 'status']),
          index('idx_campaign_recipients_msg', ['msg_id']),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'campaign_mass_months',
        columns: [key(str('openid', 64)), key(str('month', 7)), int(qr, 'received', { default: 0 })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'campaign_clicks',
        columns: [idColumn(), str('campaign_id', 40), str('buyer_id', 40), time('clicked_at')],
        indices: [
          index('idx_campaign_clicks_buyer', ['buyer_id', 'clicked_at']),
          index('idx_campaign_clicks_campaign', ['campaign_id']),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'campaign_orders',
        columns: [
          key(str('order_no', 32)),
          str('campaign_id', 40),
          str('buyer_id', 40),
          int(qr, 'amount'),
          int(qr, 'refunded', { default: 0 }),
          time('paid_at'),
        ],
        indices: [index('idx_campaign_orders_campaign', ['campaign_id'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'campaign_receipts',
        columns: [key(str('msg_id', 24)), key(str('openid', 64)), str('status', 40), time('received_at')],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of [
      'campaign_receipts',
      'campaign_orders',
      'campaign_clicks',
      'campaign_mass_months',
      'campaign_recipients',
      'campaigns',
      'audience_segments',
      'audience_consents',
      'audience_orders',
      'audience_buyers',
      'audience_follower_tags',
      'audience_followers',
    ])
      await qr.dropTable(t);
  }
}
