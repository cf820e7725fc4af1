import { createHash } from 'node:crypto';
import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Unique keys the API relies on: one category per name, one SKU per spec combination of a
 * product. Existing SKUs get their key computed here (the same sha1 of the JSON list the
 * catalog writes); a shop that already has two categories of one name keeps them apart by
 * suffixing the later ones, so the index can be built.
 */
export class UniqueKeys1764288000000 implements MigrationInterface {
  name = 'UniqueKeys1764288000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('skus', new TableColumn({ name: 'spec_key', type: 'varchar', length: '40', default: "''" }));
    const skus = (await qr.query('SELECT id, spec_values FROM skus')) as { id: string; spec_values: string }[];
    for (const s of skus) {
      const key = createHash('sha1')
        .update(JSON.stringify(JSON.parse(s.spec_values)))
        .digest('hex');
      await qr.query('UPDATE skus SET spec_key = ? WHERE id = ?', [key, s.id]);
    }
    await qr.createIndex(
      'skus',
      new TableIndex({ name: 'uq_skus_product_spec', columnNames: ['product_id', 'spec_key'], isUnique: true }),
    );

    const categories = (await qr.query('SELECT id, name FROM categories ORDER BY created_at, id')) as {
      id: string;
      name: string;
    }[];
    const seen = new Set<string>();
    for (const c of categories) {
      let name = c.name;
      for (let n = 2; seen.has(name); n++) name = `${c.name} (${n})`.slice(0, 64);
      if (name !== c.name) await qr.query('UPDATE categories SET name = ? WHERE id = ?', [name, c.id]);
      seen.add(name);
    }
    await qr.createIndex(
      'categories',
      new TableIndex({ name: 'uq_categories_name', columnNames: ['name'], isUnique: true }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('categories', 'uq_categories_name');
    await qr.dropIndex('skus', 'uq_skus_product_spec');
    await qr.dropColumn('skus', 'spec_key');
  }
}
