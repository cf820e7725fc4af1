import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { bool, createdAt, int, updatedAt } from './helpers';

const str = (name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  ...extra,
});
const time = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', isNullable: nullable });
const index = (name: string, columnNames: string[], isUnique = false) =>
  new TableIndex({ name, columnNames, isUnique });

/**
 * The official account's followers, inbox, sync cursor and tag mirror (followers module), and
 * its keyword rules and reply settings (auto-replies module). docs/decisions/0032.
 */
export class FollowersAutoReplies1765065600000 implements MigrationInterface {
  name = 'FollowersAutoReplies1765065600000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'oa_followers',
        columns: [
          str('openid', 64, { isPrimary: true }),
          str('unionid', 64, { isNullable: true }),
          str('buyer_id', 40, { isNullable: true }),
          bool(qr, 'subscribed', false),
          time('followed_at', true),
          time('unfollowed_at', true),
          str('touchpoint_id', 40, { isNullable: true }),
          str('city', 60, { isNullable: true }),
          { name: 'tag_ids', type: 'text' },
          time('last_interaction_at', true),
          int(qr, 'version', { default: 0 }),
          createdAt(qr),
          updatedAt(qr),
        ],
        indices: [index('idx_oa_followers_unionid', ['unionid']), index('idx_oa_followers_buyer', ['buyer_id'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'oa_inbox_messages',
        columns: [
          str('id', 40, { isPrimary: true }),
          str('openid', 64),
          str('direction', 3),
          str('msg_type', 20),
          { name: 'content', type: 'text' },
          str('msg_key', 80, { isNullable: true }),
          str('staff_id', 40, { isNullable: true }),
          time('at'),
        ],
        indices: [
          index('idx_oa_inbox_openid_at', ['openid', 'at']),
          index('idx_oa_inbox_at', ['at']),
          index('uq_oa_inbox_msg_key', ['msg_key'], true),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'oa_follower_sync',
        columns: [
          str('id', 20, { isPrimary: true }),
          str('status', 10),
          str('next_openid', 64, { isNullable: true }),
          int(qr, 'fetched', { default: 0 }),
          int(qr, 'total', { isNullable: true }),
          time('lease_until', true),
          time('started_at', true),
          time('finished_at', true),
          str('error', 200, { isNullable: true }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'oa_follower_tags',
        columns: [int(qr, 'id', { isPrimary: true }), str('name', 60), int(qr, 'count', { default: 0 })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'oa_keyword_rules',
        columns: [
          str('id', 40, { isPrimary: true }),
          str('name', 60),
          str('match', 8),
          str('pattern', 200),
          int(qr, 'priority'),
          { name: 'reply', type: 'text' },
          bool(qr, 'enabled', true),
          createdAt(qr),
        ],
        indices: [index('idx_oa_keyword_rules_order', ['priority', 'created_at'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'oa_reply_settings',
        columns: [str('name', 60, { isPrimary: true }), { name: 'value', type: 'text' }, updatedAt(qr)],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of [
      'oa_reply_settings',
      'oa_keyword_rules',
      'oa_follower_tags',
      'oa_follower_sync',
      'oa_inbox_messages',
      'oa_followers',
    ])
      await qr.dropTable(t);
  }
}
