import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A coupon template records where it came from (docs/decisions/0025-red-envelopes.md): null for
 * a marketer's own, `{ kind: 'red_envelope', packId, packTitle }` for the template a pack made
 * for its shares. Templates of packs created before this column are filled in from the packs.
 */
export class CouponTemplateOrigin1764892800000 implements MigrationInterface {
  name = 'CouponTemplateOrigin1764892800000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('coupon_templates', new TableColumn({ name: 'origin', type: 'text', isNullable: true }));
    const packs = (await qr.query('SELECT id, title, coupon_template_id FROM red_envelope_packs')) as {
      id: string;
      title: string;
      coupon_template_id: string;
    }[];
    for (const p of packs)
      await qr.query('UPDATE coupon_templates SET origin = ? WHERE id = ?', [
        JSON.stringify({ kind: 'red_envelope', packId: p.id, packTitle: p.title }),
        p.coupon_template_id,
      ]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('coupon_templates', 'origin');
  }
}
