/** `npm run db:seed`: creates the demo tea-and-snacks shop once (skips if a catalog exists). */
import { ConfigError, loadConfig } from '../kernel/config';
import { createDataSource } from '../kernel/db';
import { seedDemoShop } from '../modules/catalog/seed/demo-shop';

async function main() {
  const config = loadConfig();
  const db = createDataSource(config);
  await db.initialize();
  try {
    await db.runMigrations({ transaction: 'each' });
    const result = await seedDemoShop(db, config.mediaDir);
    console.log(
      result.created
        ? `seeded demo shop: ${result.categories} categories, ${result.products} products, ${result.skus} SKUs`
        : 'demo shop already seeded',
    );
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(
    err instanceof ConfigError ? err.message : `seed failed: ${err instanceof Error ? err.message : String(err)}`,
  );
  process.exit(1);
});
