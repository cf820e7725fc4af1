/** `npm run db:migrate`: applies pending migrations to the configured database. */
import { ConfigError, loadConfig, redactUrl } from '../kernel/config';
import { createDataSource } from './data-source';

async function main() {
  const config = loadConfig();
  const db = createDataSource(config);
  await db.initialize();
  try {
    const applied = await db.runMigrations({ transaction: 'each' });
    console.log(
      `migrations: ${applied.length ? applied.map((m) => m.name).join(', ') : 'none pending'} (${redactUrl(config.db.url)})`,
    );
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(
    err instanceof ConfigError ? err.message : `migration failed: ${err instanceof Error ? err.message : String(err)}`,
  );
  process.exit(1);
});
