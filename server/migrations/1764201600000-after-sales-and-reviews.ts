import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { bool, createdAt, idColumn, int, updatedAt } from './helpers';

/**
 * Buyer after-sales (售后) and reviews: refunds learn their buyer, a reason code, the lines
 * and photos a buyer names; buyers' own uploads are recorded so only their requests and
 * reviews can use them; reviews, one per order line, and each product's rating aggregate.
 */
export class AfterSalesAndReviews1764201600000 implements MigrationInterface {
  name = 'AfterSalesAndReviews1764201600000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('refunds', [
      new TableColumn({ name: 'buyer_id', type: 'varchar', length: '40', isNullable: true }),
      new TableColumn({ name: 'reason_code', type: 'varchar', length: '24', default: "'OTHER'" }),
      new TableColumn({ name: 'lines', type: 'text', isNullable: true }),
      new TableColumn({ name: 'photos', type: 'text', isNullable: true }),
    ]);
    // Refunds asked before this migration belong to their order's buyer.
    await qr.query('UPDATE refunds SET buyer_id = (SELECT o.buyer_id FROM orders o WHERE o.id = refunds.order_id)');
    await qr.createIndex('refunds', new TableIndex({ name: 'idx_refunds_buyer', columnNames: ['buyer_id', 'id'] }));

    await qr.createTable(
      new Table({
        name: 'buyer_uploads',
        columns: [
          idColumn(),
          idColumn('buyer_id', false),
          { name: 'url', type: 'varchar', length: '255' },
          { name: 'content_type', type: 'varchar', length: '32' },
          int(qr, 'bytes'),
          createdAt(qr),
        ],
        indices: [new TableIndex({ name: 'uq_buyer_uploads_url', columnNames: ['buyer_id', 'url'], isUnique: true })],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'reviews',
        columns: [
          idColumn(),
          idColumn('order_line_id', false),
          idColumn('order_id', false),
          idColumn('buyer_id', false),
          idColumn('product_id', false),
          idColumn('sku_id', false),
          { name: 'spec', type: 'varchar', length: '120', default: "''" },
          int(qr, 'rating'),
          { name: 'content', type: 'text' },
          { name: 'photos', type: 'text' },
          bool(qr, 'has_photos', false),
          { name: 'display_name', type: 'varchar', length: '20', isNullable: true },
          bool(qr, 'hidden', false),
          { name: 'hidden_at', type: 'datetime', isNullable: true },
          { name: 'reply', type: 'text', isNullable: true },
          { name: 'replied_at', type: 'datetime', isNullable: true },
          int(qr, 'edit_count', { default: 0 }),
          { name: 'edited_at', type: 'datetime', isNullable: true },
          createdAt(qr),
          updatedAt(qr),
        ],
        indices: [
          new TableIndex({ name: 'uq_reviews_order_line', columnNames: ['order_line_id'], isUnique: true }),
          new TableIndex({ name: 'idx_reviews_product', columnNames: ['product_id', 'hidden', 'id'] }),
          new TableIndex({
            name: 'idx_reviews_product_photos',
            columnNames: ['product_id', 'hidden', 'has_photos', 'id'],
          }),
          new TableIndex({ name: 'idx_reviews_buyer_order', columnNames: ['buyer_id', 'order_id'] }),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'product_ratings',
        columns: [
          idColumn('product_id'),
          int(qr, 'review_count', { default: 0 }),
          int(qr, 'rating_sum', { default: 0 }),
          int(qr, 'photo_count', { default: 0 }),
          updatedAt(qr),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('product_ratings');
    await qr.dropTable('reviews');
    await qr.dropTable('buyer_uploads');
    await qr.dropIndex('refunds', 'idx_refunds_buyer');
    await qr.dropColumns('refunds', ['photos', 'lines', 'reason_code', 'buyer_id']);
  }
}
