import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { int } from './helpers';

/**
 * Orders paid in parts (docs/decisions/0030-stored-value.md): the points and the balance
 * (principal and bonus) that paid part of an order, and what WeChat Pay is asked for (null:
 * all of `payable`, as every order before); a refund's share of each part.
 */
export class MembershipCheckout1765065500000 implements MigrationInterface {
  name = 'MembershipCheckout1765065500000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('orders', [
      new TableColumn(int(qr, 'points_used', { default: 0 })),
      new TableColumn(int(qr, 'points_fen', { default: 0 })),
      new TableColumn(int(qr, 'balance_principal', { default: 0 })),
      new TableColumn(int(qr, 'balance_bonus', { default: 0 })),
      new TableColumn(int(qr, 'wechat_amount', { isNullable: true })),
    ]);
    await qr.addColumn('refunds', new TableColumn({ name: 'parts', type: 'text', isNullable: true }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('refunds', 'parts');
    for (const c of ['wechat_amount', 'balance_bonus', 'balance_principal', 'points_fen', 'points_used'])
      await qr.dropColumn('orders', c);
  }
}
