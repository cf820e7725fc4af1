/**
 * The dashboard API at 10,000 orders and at 1,000,000 orders, in one run (acceptance 4 of the
 * merchant console issue). Orders (one line each, paid over the last 90 China-time days,
 * 1 in 50 refunded) are bulk-inserted with multi-row INSERTs, the dashboard's aggregate rows
 * are built by the rebuild (`DashboardService.rebuild`, as `npm run dashboard:rebuild` does),
 * and the real Koa app from `compose()` is asked over HTTP for today, 7 and 30 days. Prints
 * p50/p99 per endpoint at both sizes and the ratio (target ≤ 2: the cost does not grow with
 * history). Not a timed test; not run by `npm test`.
 *
 *   npm run bench:dashboard [-- <requests per endpoint and size> [<large order count>]]
 *
 * Uses its own database `chatmall_bench_dashboard` (dropped and recreated); starts MariaDB and
 * Redis with scripts/services.sh when they are not running. Listens on 127.0.0.1 only.
 */
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { chinaDate } from '../../shared/src/time';
import { loadConfig } from '../../server/src/kernel/config';
import { createDataSource } from '../../server/src/main/data-source';
import { composeOffline } from '../../server/src/main/offline';
import { seedDemoShop } from '../../server/src/modules/catalog/seed/demo-shop';
import { publishedSkus } from '../../server/src/modules/catalog/sku-lookup';
import { addDays } from '../../server/src/modules/dashboard/days';
import { freshDatabase } from '../../server/test/support/harness';
import { makeStaff } from '../../server/test/support/people';

const root = path.join(__dirname, '../..');
const requests = Math.max(50, Number(process.argv[2] ?? 300));
const large = Math.max(20_000, Number(process.argv[3] ?? 1_000_000));
const small = 10_000;
const DAYS = 90;
const DB_NAME = 'chatmall_bench_dashboard';
const ENDPOINTS = [
  '/api/admin/dashboard?range=today',
  '/api/admin/dashboard?range=7d',
  '/api/admin/dashboard?range=30d',
  '/api/admin/dashboard/today',
];

function ensureServices() {
  const status = execFileSync('bash', [path.join(root, 'scripts/services.sh'), 'status'], { encoding: 'utf8' });
  if (/mariadb: running/.test(status) && /redis: running/.test(status)) return;
  console.error('starting MariaDB and Redis (scripts/services.sh up)…');
  execFileSync('bash', [path.join(root, 'scripts/services.sh'), 'up'], { stdio: ['ignore', 'inherit', 'inherit'] });
}

function benchConfig() {
  const base = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const dbUrl = new URL(base.db.url);
  dbUrl.pathname = `/${DB_NAME}`;
  return loadConfig({ ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: dbUrl.toString() });
}

/** Orders [start, end): paid over the last DAYS days (more in the evening), one line each, 1 in 50 refunded. */
async function insertOrders(
  db: DataSource,
  skus: { skuId: string; productId: string; name: string; price: number }[],
  start: number,
  end: number,
) {
  const now = Date.now();
  const span = DAYS * 86_400_000 - 3_600_000;
  const chunk = 1000;
  for (let s = start; s < end; s += chunk) {
    const o: unknown[] = [];
    const l: unknown[] = [];
    const r: unknown[] = [];
    const n = Math.min(chunk, end - s);
    for (let i = s; i < s + n; i++) {
      // A deterministic spread: i → an instant within the last 90 days, skewed towards evenings.
      const frac = ((i * 2654435761) % 2 ** 32) / 2 ** 32;
      const paidAt = new Date(now - 3_600_000 - Math.floor(frac * span));
      const createdAt = new Date(paidAt.getTime() - 120_000);
      const sku = skus[i % skus.length];
      const qty = 1 + (i % 3 === 0 ? 1 : 0);
      const payable = sku.price * qty;
      const id = `ord_bench${String(i).padStart(12, '0')}`;
      const orderNo = `CMB${String(i).padStart(12, '0')}`;
      const refunded = i % 50 === 7;
      o.push(
        id,
        orderNo,
        `byr_bench${i % Math.max(1000, Math.floor(end / 3))}`,
        `ck${i}`,
        refunded ? 'REFUNDED' : 'COMPLETED',
        payable,
        '[]',
        0,
        payable,
        '{}',
        '',
        createdAt,
        paidAt,
        createdAt,
      );
      l.push(
        `oli_bench${String(i).padStart(12, '0')}`,
        id,
        sku.skuId,
        sku.productId,
        sku.name,
        '[]',
        '',
        sku.price,
        qty,
        payable,
      );
      if (refunded) {
        const at = new Date(Math.min(now - 60_000, paidAt.getTime() + 86_400_000));
        r.push(
          `rfd_bench${String(i).padStart(12, '0')}`,
          id,
          orderNo,
          `RB${i}`,
          payable,
          'OTHER',
          '不想要了',
          'SUCCESS',
          '[]',
          at,
          at,
        );
      }
    }
    await db.query(
      `INSERT INTO orders (id, order_no, buyer_id, client_key, status, items_total, adjustments, shipping_fee, payable, address, note, pay_by, paid_at, created_at) VALUES ${Array(n).fill('(?,?,?,?,?,?,?,?,?,?,?,?,?,?)').join(',')}`,
      o,
    );
    await db.query(
      `INSERT INTO order_lines (id, order_id, sku_id, product_id, name, spec_values, image, unit_price, quantity, line_total) VALUES ${Array(n).fill('(?,?,?,?,?,?,?,?,?,?)').join(',')}`,
      l,
    );
    if (r.length)
      await db.query(
        `INSERT INTO refunds (id, order_id, order_no, out_refund_no, amount, reason_code, reason, status, restock, succeeded_at, created_at) VALUES ${Array(
          r.length / 11,
        )
          .fill('(?,?,?,?,?,?,?,?,?,?,?)')
          .join(',')}`,
        r,
      );
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function measure(baseUrl: string, auth: Record<string, string>) {
  const out = new Map<string, number[]>();
  for (const e of ENDPOINTS) for (let i = 0; i < 30; i++) await (await fetch(baseUrl + e, { headers: auth })).text(); // warm-up
  for (let i = 0; i < requests; i++)
    for (const e of ENDPOINTS) {
      const t = process.hrtime.bigint();
      const res = await fetch(baseUrl + e, { headers: auth });
      await res.text();
      if (res.status !== 200) throw new Error(`${e} answered ${res.status}`);
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      out.set(e, [...(out.get(e) ?? []), ms]);
    }
  return out;
}

async function main() {
  ensureServices();
  const config = benchConfig();
  await freshDatabase(config);
  const db = createDataSource(config);
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  await seedDemoShop(db, config.mediaDir);
  const app = composeOffline(config, db);
  const server = http.createServer(app.app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const owner = await makeStaff(db, 'owner');
  const skus = (await publishedSkus(db.manager)).map((s) => ({
    skuId: s.skuId,
    productId: s.productId,
    name: s.name,
    price: s.price,
  }));
  const to = chinaDate(new Date());
  const from = addDays(to, -DAYS);
  const results: { orders: number; insertS: number; rebuildS: number; lat: Map<string, number[]> }[] = [];
  let have = 0;
  for (const size of [small, large]) {
    let t = Date.now();
    await insertOrders(db, skus, have, size);
    have = size;
    const insertS = (Date.now() - t) / 1000;
    t = Date.now();
    await app.services.dashboard.rebuild(from, to);
    const rebuildS = (Date.now() - t) / 1000;
    console.error(
      `${size} orders: inserted in ${insertS.toFixed(1)} s, rebuilt ${DAYS + 1} days in ${rebuildS.toFixed(1)} s; measuring…`,
    );
    results.push({ orders: size, insertS, rebuildS, lat: await measure(baseUrl, owner.auth) });
  }
  const [a, b] = results;
  const rows = ENDPOINTS.map((e) => {
    const x = a.lat.get(e) ?? [];
    const y = b.lat.get(e) ?? [];
    return { e, p50a: pct(x, 50), p99a: pct(x, 99), p50b: pct(y, 50), p99b: pct(y, 99) };
  });
  const f = (v: number) => v.toFixed(2).padStart(8);
  const big = b.orders >= 1_000_000 ? `${b.orders / 1_000_000}M` : `${b.orders / 1000}k`;
  console.log(`\ndashboard API on MariaDB, ${requests} sequential requests per endpoint and size (ms)`);
  console.log(
    `orders: ${a.orders.toLocaleString('en')} (rebuild ${a.rebuildS.toFixed(1)} s) vs ${b.orders.toLocaleString('en')} (insert ${b.insertS.toFixed(0)} s, rebuild ${b.rebuildS.toFixed(1)} s)`,
  );
  console.log(
    `${'endpoint'.padEnd(36)} ${'p50 10k'.padStart(8)} ${'p99 10k'.padStart(8)} ${`p50 ${big}`.padStart(8)} ${`p99 ${big}`.padStart(8)} ${'p50 ×'.padStart(7)} ${'p99 ×'.padStart(7)}`,
  );
  for (const r of rows)
    console.log(
      `${r.e.padEnd(36)} ${f(r.p50a)} ${f(r.p99a)} ${f(r.p50b)} ${f(r.p99b)} ${(r.p50b / r.p50a).toFixed(2).padStart(7)} ${(r.p99b / r.p99a).toFixed(2).padStart(7)}`,
    );
  const all = (m: Map<string, number[]>) => [...m.values()].flat();
  const ratio50 = pct(all(b.lat), 50) / pct(all(a.lat), 50);
  const ratio99 = pct(all(b.lat), 99) / pct(all(a.lat), 99);
  console.log(
    `${'all endpoints'.padEnd(36)} ${f(pct(all(a.lat), 50))} ${f(pct(all(a.lat), 99))} ${f(pct(all(b.lat), 50))} ${f(pct(all(b.lat), 99))} ${ratio50.toFixed(2).padStart(7)} ${ratio99.toFixed(2).padStart(7)}`,
  );
  console.log(
    `ratio ${big}/10k: p50 ${ratio50.toFixed(2)}, p99 ${ratio99.toFixed(2)} (target ≤ 2) — ${Math.max(ratio50, ratio99) <= 2 ? 'OK' : 'ABOVE TARGET'}`,
  );
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await app.closeOffline();
  await db.destroy();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
