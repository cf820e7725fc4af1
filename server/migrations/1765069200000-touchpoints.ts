import {
  Table,
  TableColumn,
  TableIndex,
  type MigrationInterface,
  type QueryRunner,
  type TableColumnOptions,
} from 'typeorm';
import { createdAt, int } from './helpers';

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
 * Offline touchpoints with their codes, their daily figures and the first orders attributed to
 * them (touchpoints module); a follower's touchpoint gets the time it was attributed, which
 * starts the 30-day window for a first order (followers module). docs/decisions/0033.
 */
export class Touchpoints1765069200000 implements MigrationInterface {
  name = 'Touchpoints1765069200000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'touchpoints',
        columns: [
          str('id', 40, { isPrimary: true }),
          str('kind', 10),
          str('name', 40),
          str('qr_ticket', 200),
          str('qr_url', 300),
          time('qr_expires_at', true),
          str('address', 200, { isNullable: true }),
          int(qr, 'latitude_e6', { isNullable: true }),
          int(qr, 'longitude_e6', { isNullable: true }),
          str('hours', 60, { isNullable: true }),
          str('phone', 30, { isNullable: true }),
          createdAt(qr),
        ],
        indices: [index('idx_touchpoints_kind', ['kind'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'touchpoint_days',
        columns: [
          str('touchpoint_id', 40, { isPrimary: true }),
          str('day', 10, { isPrimary: true }),
          int(qr, 'scans', { default: 0 }),
          int(qr, 'new_followers', { default: 0 }),
          int(qr, 'first_orders', { default: 0 }),
          int(qr, 'gmv', { default: 0 }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'touchpoint_first_orders',
        columns: [
          str('buyer_id', 40, { isPrimary: true }),
          str('touchpoint_id', 40),
          str('order_no', 40),
          int(qr, 'amount'),
          time('paid_at'),
        ],
        indices: [
          index('uq_touchpoint_first_orders_order', ['order_no'], true),
          index('idx_touchpoint_first_orders_tp', ['touchpoint_id']),
        ],
      }),
    );
    await qr.addColumn('oa_followers', new TableColumn({ name: 'touchpoint_at', type: 'datetime', isNullable: true }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('oa_followers', 'touchpoint_at');
    for (const t of ['touchpoint_first_orders', 'touchpoint_days', 'touchpoints']) await qr.dropTable(t);
  }
}
