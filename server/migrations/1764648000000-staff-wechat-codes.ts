import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createdAt } from './helpers';

/** One-time codes that bind a staff member's WeChat (docs/decisions/0026-staff-wechat-binding.md). */
export class StaffWechatCodes1764648000000 implements MigrationInterface {
  name = 'StaffWechatCodes1764648000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'staff_wechat_codes',
        columns: [
          { name: 'staff_id', type: 'varchar', length: '40', isPrimary: true },
          { name: 'code_hash', type: 'varchar', length: '64' },
          { name: 'expires_at', type: 'datetime' },
          { name: 'used_at', type: 'datetime', isNullable: true },
          createdAt(qr),
        ],
        indices: [new TableIndex({ name: 'uq_staff_wechat_codes_hash', columnNames: ['code_hash'], isUnique: true })],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('staff_wechat_codes');
  }
}
