import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, int, updatedAt } from './helpers';

/** The shop's settings (name, logo, service phone, shipping rule); the demo seed writes the first row. */
export class ShopSettings1764028800000 implements MigrationInterface {
  name = 'ShopSettings1764028800000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'shop_settings',
        columns: [
          idColumn(),
          { name: 'name', type: 'varchar', length: '40' },
          { name: 'name_en', type: 'varchar', length: '60', isNullable: true },
          { name: 'logo', type: 'varchar', length: '255', isNullable: true },
          { name: 'service_phone', type: 'varchar', length: '24', isNullable: true },
          int(qr, 'shipping_flat_fee'),
          int(qr, 'shipping_free_over', { isNullable: true }),
          updatedAt(qr),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('shop_settings');
  }
}
