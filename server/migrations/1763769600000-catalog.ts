import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { bool, createdAt, idColumn, int, updatedAt } from './helpers';

export class Catalog1763769600000 implements MigrationInterface {
  name = 'Catalog1763769600000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'categories',
        columns: [
          idColumn(),
          { name: 'name', type: 'varchar', length: '64' },
          { name: 'name_en', type: 'varchar', length: '64' },
          { name: 'icon', type: 'varchar', length: '255' },
          int(qr, 'position', { default: 0 }),
          createdAt(qr),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'products',
        columns: [
          idColumn(),
          idColumn('category_id', false),
          { name: 'name', type: 'varchar', length: '120' },
          { name: 'name_en', type: 'varchar', length: '120' },
          { name: 'subtitle', type: 'varchar', length: '255', default: "''" },
          { name: 'description', type: 'text' },
          { name: 'cover', type: 'varchar', length: '255' },
          { name: 'images', type: 'text' },
          { name: 'specs', type: 'text' },
          bool(qr, 'published', false),
          int(qr, 'position', { default: 0 }),
          createdAt(qr),
          updatedAt(qr),
        ],
        indices: [
          new TableIndex({ name: 'idx_products_listing', columnNames: ['published', 'position', 'id'] }),
          new TableIndex({
            name: 'idx_products_category_listing',
            columnNames: ['category_id', 'published', 'position', 'id'],
          }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'skus',
        columns: [
          idColumn(),
          idColumn('product_id', false),
          { name: 'spec_values', type: 'text' },
          int(qr, 'price'),
          int(qr, 'original_price', { isNullable: true }),
          int(qr, 'stock', { default: 0 }),
          { name: 'image', type: 'varchar', length: '255', isNullable: true },
          int(qr, 'position', { default: 0 }),
        ],
        indices: [new TableIndex({ name: 'idx_skus_product', columnNames: ['product_id', 'position'] })],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('skus');
    await qr.dropTable('products');
    await qr.dropTable('categories');
  }
}
