/**
 * `npm run db:seed`: creates the demo tea-and-snacks shop once (skips if a catalog exists),
 * and the shop owner's console account if there is no staff yet: username `owner`, password
 * from CHATMALL_OWNER_PASSWORD or generated and printed once.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../kernel/config';
import { LoginService } from '../modules/auth/login.service';
import { SessionService } from '../modules/auth/session.service';
import { StaffEntity } from '../modules/auth/staff.entity';
import { createDataSource } from './data-source';
import { seedDemoShop } from '../modules/catalog/seed/demo-shop';
import { seedDemoCoupons } from '../modules/coupons/seed/demo-coupons';
import { seedDemoHistory } from '../modules/dashboard/seed/demo-history';
import { composeOffline } from './offline';

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
    // A claim centre with something in it (never overwrites a marketer's changes).
    await seedDemoCoupons(db);
    // ~90 days of orders so the dashboard has something to show (only into a shop without orders).
    const app = composeOffline(config, db);
    try {
      const history = await seedDemoHistory(db, app.services);
      if (history)
        console.log(
          `seeded demo order history: ${history.orders} orders, ${history.refunds} refunds, ${history.buyers} buyers, ${history.from} … ${history.to}`,
        );
    } finally {
      await app.closeOffline();
    }
    if ((await db.getRepository(StaffEntity).count()) === 0) {
      const password = process.env.CHATMALL_OWNER_PASSWORD || randomBytes(9).toString('base64url');
      const logins = new LoginService(db, new SessionService(db), {
        exchange: () => Promise.reject(new Error('unused')),
      });
      await logins.createStaff({ username: 'owner', displayName: '店主 Owner', role: 'owner', password });
      // Kept beside the database (gitignored .data/) so the newcomer can find it again.
      const note = path.join(path.dirname(config.mediaDir), 'owner-password.txt');
      fs.mkdirSync(path.dirname(note), { recursive: true });
      fs.writeFileSync(note, `${password}\n`, { mode: 0o600 });
      console.log(`created the shop owner's console account: username "owner", password in ${note}`);
    }
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
