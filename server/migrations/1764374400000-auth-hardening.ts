import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { updatedAt } from './helpers';

/**
 * Sign-in hardening (docs/decisions/0020-sign-in-hardening.md): session families for
 * refresh-token reuse detection, and buyers' WeChat session keys kept (encrypted) in the
 * database behind the Redis cache.
 */
export class AuthHardening1764374400000 implements MigrationInterface {
  name = 'AuthHardening1764374400000';

  async up(qr: QueryRunner): Promise<void> {
    // Every existing session starts its own family.
    await qr.addColumn(
      'sessions',
      new TableColumn({ name: 'family_id', type: 'varchar', length: '40', isNullable: true }),
    );
    await qr.query('UPDATE sessions SET family_id = id');
    await qr.changeColumn(
      'sessions',
      'family_id',
      new TableColumn({ name: 'family_id', type: 'varchar', length: '40', isNullable: false }),
    );
    await qr.addColumn('sessions', new TableColumn({ name: 'rotated_at', type: 'datetime', isNullable: true }));
    await qr.createIndex('sessions', new TableIndex({ name: 'idx_sessions_family', columnNames: ['family_id'] }));

    await qr.createTable(
      new Table({
        name: 'buyer_session_keys',
        columns: [
          { name: 'app_id', type: 'varchar', length: '32', isPrimary: true },
          { name: 'openid', type: 'varchar', length: '64', isPrimary: true },
          { name: 'ciphertext', type: 'varchar', length: '128' },
          { name: 'key_id', type: 'varchar', length: '16' },
          { name: 'expires_at', type: 'datetime' },
          updatedAt(qr),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('buyer_session_keys');
    await qr.dropIndex('sessions', 'idx_sessions_family');
    await qr.dropColumn('sessions', 'rotated_at');
    await qr.dropColumn('sessions', 'family_id');
  }
}
