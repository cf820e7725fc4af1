/**
 * The whole WeChat Pay notify path against a floor, in one run. Full: real HTTP to the
 * real Koa app (request context, error mapping, raw-body capture, routing), signature
 * verified on the raw bytes, AES-256-GCM resource decrypted and parsed, then
 * PaymentService's transaction on MariaDB (inbox row, conditional order update, payment
 * update, outbox event), for a real pending order each time, so every notification is
 * APPLIED. The worker's outbox relay (not on the request path) is then timed sending all
 * those events to BullMQ, and reported on its own line. Floor: a bare Koa app that reads the same bytes
 * and runs one transaction with the same writes as raw SQL (inbox-like insert,
 * conditional order update, payment update, outbox-like insert) on copies of the same
 * tables, and nothing else. Both driven by the same keep-alive client at the same
 * concurrency from a worker thread, after a warm-up; rounds alternate so drift in the machine
 * or the database hits both alike. Prints a table and each round's ratio; not a timed test.
 *
 *   npm run bench:notify [-- <notifications per target> [<concurrency> [<warm-up per target>]]]
 *
 * Uses its own database `chatmall_bench` (dropped and recreated) and Redis db 11 with the
 * queue prefix `chatmall-bench` (only those keys are deleted); starts MariaDB and Redis
 * with scripts/services.sh when they are not running. Listens on 127.0.0.1 only.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Koa from 'koa';
import getRawBody from 'raw-body';
import type { DataSource, Logger as TypeormLogger } from 'typeorm';
import { compose } from '../../server/src/main/compose';
import { loadConfig } from '../../server/src/kernel/config';
import { createDataSource } from '../../server/src/main/data-source';
import { createLogger } from '../../server/src/kernel/logger';
import { outboxQueue, relayOutbox } from '../../server/src/kernel/outbox';
import { createRedis, type Redis } from '../../server/src/kernel/redis';
import { PAY_NOTIFY_PATH } from '../../server/src/modules/payments/pay-notify.routes';
import { WechatPay } from '../../server/src/wechat/pay/wechat-pay';
import {
  buildNotification,
  fixtureSettings,
  keys,
  paidTransaction,
  PUBLIC_KEY_ID,
} from '../../server/test/pay/support';
import { freshDatabase } from '../../server/test/support/harness';

const root = path.join(__dirname, '../..');
const perTarget = Math.max(200, Number(process.argv[2] ?? 4000));
const concurrency = Math.max(1, Number(process.argv[3] ?? 32));
// Both targets run until V8 has compiled their hot code before anything is measured: the full
// path has more of it, so a short warm-up measures the JIT rather than the path.
const warmup = Math.max(0, Number(process.argv[4] ?? 3000));
const rounds = 4;
const FLOOR_PATH = '/bench/floor';
const DB_NAME = 'chatmall_bench';
const QUEUE_PREFIX = 'chatmall-bench';

interface BenchRequest {
  orderNo: string;
  headers: Record<string, string>;
  body: string;
}

// ---------------------------------------------------------------------------- services

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
  const redisUrl = new URL(base.redis.url);
  redisUrl.pathname = '/11';
  return loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: dbUrl.toString(),
    DB_POOL_SIZE: String(Math.max(10, concurrency)),
    REDIS_URL: redisUrl.toString(),
    QUEUE_PREFIX,
  });
}

async function deleteQueueKeys(redis: Redis) {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${QUEUE_PREFIX}:*`, 'COUNT', 1000);
    if (found.length) await redis.del(...found);
    cursor = next;
  } while (cursor !== '0');
}

// ---------------------------------------------------------------------------- data

const orderNoFor = (target: string, i: number) => `CMB${target === 'full' ? 'F' : 'L'}${String(i).padStart(10, '0')}`;

/** Pending orders with an open payment, as checkout + prepay leave them, in `orders`/`payments` (or the floor's copies). */
async function createOrders(db: DataSource, target: 'full' | 'floor', count: number) {
  const [orders, payments] = target === 'full' ? ['orders', 'payments'] : ['floor_orders', 'floor_payments'];
  const payBy = new Date(Date.now() + 3600_000);
  for (let start = 0; start < count; start += 500) {
    const n = Math.min(500, count - start);
    const o: unknown[] = [];
    const p: unknown[] = [];
    for (let i = start; i < start + n; i++) {
      const orderNo = orderNoFor(target, i);
      const id = `ord_bench${target}${i}`;
      o.push(id, orderNo, `byr_bench${i % 97}`, `ck${i}`, 'PENDING_PAYMENT', 3900, '[]', 0, 3900, '{}', '', payBy);
      p.push(`pay_bench${target}${i}`, id, orderNo, 3900, `wx_prepay_${i}`, payBy, 'OPEN');
    }
    await db.query(
      `INSERT INTO ${orders} (id, order_no, buyer_id, client_key, status, items_total, adjustments, shipping_fee, payable, address, note, pay_by) VALUES ${Array(n).fill('(?,?,?,?,?,?,?,?,?,?,?,?)').join(',')}`,
      o,
    );
    await db.query(
      `INSERT INTO ${payments} (id, order_id, out_trade_no, amount, prepay_id, prepay_expires_at, status) VALUES ${Array(n).fill('(?,?,?,?,?,?,?)').join(',')}`,
      p,
    );
  }
}

/** A TRANSACTION.SUCCESS notification signed with the fixture WeChat Pay public-key pair, as WeChat sends it. */
function signedNotification(orderNo: string, i: number): BenchRequest {
  const { body, headers } = buildNotification({
    payload: { ...paidTransaction(orderNo, 3900), transaction_id: `42000${String(i).padStart(23, '0')}` },
    signingKey: keys.wechatpayPublicKeyPrivate,
    serial: PUBLIC_KEY_ID,
  });
  return { orderNo, body, headers };
}

// ---------------------------------------------------------------------------- the floor

/** The floor's tables: structural copies (columns and indexes) of the ones the full path writes. */
async function createFloorTables(db: DataSource) {
  for (const t of ['orders', 'payments', 'pay_notifications', 'outbox_events'])
    await db.query(`CREATE TABLE floor_${t} LIKE ${t}`);
}

/** HTTP in, the same four writes in one transaction, 204 out: nothing else. */
function floorApp(db: DataSource): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(async (ctx) => {
    if (ctx.method !== 'POST' || ctx.path !== FLOOR_PATH) return;
    const raw = await getRawBody(ctx.req, { limit: 1024 * 1024, length: ctx.get('content-length') || undefined });
    const orderNo = ctx.get('x-bench-order');
    const paidAt = new Date();
    const transactionId = `42000${orderNo}`;
    await db.transaction(async (tx) => {
      const changed = (await tx.query(
        "UPDATE floor_orders SET status = 'PAID', paid_at = ?, updated_at = CURRENT_TIMESTAMP(6) WHERE order_no = ? AND status = 'PENDING_PAYMENT'",
        [paidAt, orderNo],
      )) as { affectedRows: number };
      if (changed.affectedRows !== 1) throw new Error(`floor: order ${orderNo} not payable`);
      await tx.query(
        "UPDATE floor_payments SET status = 'PAID', transaction_id = ?, paid_at = ?, updated_at = CURRENT_TIMESTAMP(6) WHERE out_trade_no = ?",
        [transactionId, paidAt, orderNo],
      );
      await tx.query(
        'INSERT IGNORE INTO floor_outbox_events (id, topic, event_key, payload, dispatched_at) VALUES (?, ?, ?, ?, NULL)',
        [
          `evt_${crypto.randomBytes(10).toString('hex')}`,
          'order.paid',
          orderNo,
          JSON.stringify({ orderNo, amount: 3900 }),
        ],
      );
      await tx.query(
        'INSERT INTO floor_pay_notifications (id, wechat_id, event_type, out_trade_no, raw_body, verified, reject_reason, outcome) VALUES (?, ?, ?, ?, ?, 1, NULL, ?)',
        [
          `pn_${crypto.randomBytes(10).toString('hex')}`,
          null,
          'TRANSACTION.SUCCESS',
          orderNo,
          raw.toString('utf8'),
          'APPLIED',
        ],
      );
    });
    ctx.status = 204;
  });
  return app;
}

// ---------------------------------------------------------------------------- the client

/** The load generator, in a worker thread so its CPU is not the servers' event loop. */
const clientSource = `
const { parentPort } = require('node:worker_threads');
const http = require('node:http');
parentPort.on('message', ({ port, path, requests, concurrency }) => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = new Float64Array(requests.length);
  const failures = [];
  let next = 0;
  const one = (i) => new Promise((resolve) => {
    const r = requests[i];
    const started = process.hrtime.bigint();
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent,
      headers: { ...r.headers, 'content-length': Buffer.byteLength(r.body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        latencies[i] = Number(process.hrtime.bigint() - started) / 1e6;
        if (res.statusCode !== 204) failures.push(res.statusCode + ' ' + Buffer.concat(chunks).toString().slice(0, 200));
        resolve();
      });
    });
    req.on('error', (err) => { failures.push(err.message); resolve(); });
    req.end(r.body);
  });
  const lane = async () => { while (next < requests.length) await one(next++); };
  const started = process.hrtime.bigint();
  Promise.all(Array.from({ length: concurrency }, lane)).then(() => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    agent.destroy();
    parentPort.postMessage({ seconds, latencies, failures });
  });
});
`;

interface RunResult {
  seconds: number;
  latencies: Float64Array;
  failures: string[];
}

function drive(worker: Worker, port: number, urlPath: string, requests: BenchRequest[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    worker.once('message', (m: RunResult) => {
      if (m.failures.length) reject(new Error(`${urlPath}: ${m.failures.length} failed, e.g. ${m.failures[0]}`));
      else resolve(m);
    });
    worker.postMessage({ port, path: urlPath, requests, concurrency });
  });
}

async function listen(app: Koa): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer(app.callback());
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Counts the SQL statements each target sends (and, with BENCH_SQL=1, which ones). */
class StatementCounter implements TypeormLogger {
  count = 0;
  readonly kinds = new Map<string, number>();
  private kind = (query: string) => query.replace(/\s+/g, ' ').slice(0, 70);
  logQuery(query: string) {
    this.count++;
    if (process.env.BENCH_SQL) this.kinds.set(this.kind(query), (this.kinds.get(this.kind(query)) ?? 0) + 1);
  }
  logQueryError() {}
  logQuerySlow() {}
  logSchemaBuild() {}
  logMigration() {}
  log() {}
  take(): number {
    const n = this.count;
    this.count = 0;
    return n;
  }
  printKinds(label: string, per: number) {
    if (!process.env.BENCH_SQL) return;
    console.log(`\n${label}: statements per request`);
    for (const [k, n] of [...this.kinds].sort((a, b) => b[1] - a[1]))
      console.log(`  ${(n / per).toFixed(2).padStart(6)}  ${k}`);
    this.kinds.clear();
  }
}

// ---------------------------------------------------------------------------- main

async function main() {
  ensureServices();
  const config = benchConfig();
  await freshDatabase(config); // chatmall_bench, dropped and recreated
  const db = createDataSource(config);
  const statements = new StatementCounter();
  db.setOptions({ logger: statements });
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  await createFloorTables(db);
  const redis = createRedis(config.redis.url, 'app');
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  await deleteQueueKeys(redis);

  const total = warmup + perTarget;
  await createOrders(db, 'full', total);
  await createOrders(db, 'floor', total);

  const log = createLogger('silent', 'bench');
  const wechatPay = new WechatPay(fixtureSettings(), { certificateRefreshIntervalMs: 0 });
  // The API process's composition, as `server/src/main/api.ts` builds it.
  const composition = compose({ config, db, redis, log, wechatPay });
  const { app } = composition;
  const events = outboxQueue(redis, QUEUE_PREFIX);
  const full = await listen(app);
  const floor = await listen(floorApp(db));

  // Signed last, so every timestamp is well inside WeChat's 300 s window when it arrives.
  const fullRequests = Array.from({ length: total }, (_, i) => signedNotification(orderNoFor('full', i), i));
  const floorRequests = Array.from({ length: total }, (_, i) => {
    const n = signedNotification(orderNoFor('floor', i), i);
    return { ...n, headers: { ...n.headers, 'x-bench-order': n.orderNo } };
  });

  const worker = new Worker(clientSource, { eval: true });
  try {
    await drive(worker, full.port, PAY_NOTIFY_PATH, fullRequests.slice(0, warmup));
    await drive(worker, floor.port, FLOOR_PATH, floorRequests.slice(0, warmup));
    statements.take();
    statements.kinds.clear();
    const results = { full: [] as RunResult[], floor: [] as RunResult[] };
    const sql = { full: 0, floor: 0 };
    const per = Math.floor(perTarget / rounds);
    for (let r = 0; r < rounds; r++) {
      const from = warmup + r * per;
      const to = r === rounds - 1 ? total : from + per;
      results.full.push(await drive(worker, full.port, PAY_NOTIFY_PATH, fullRequests.slice(from, to)));
      sql.full += statements.take();
      if (r === 0) statements.printKinds('full', to - from);
      results.floor.push(await drive(worker, floor.port, FLOOR_PATH, floorRequests.slice(from, to)));
      sql.floor += statements.take();
      if (r === 0) statements.printKinds('floor', to - from);
    }

    // Every notification must have been applied: one PAID order, one APPLIED inbox row, one outbox event each.
    const [check] = (await db.query(
      `SELECT (SELECT COUNT(*) FROM orders WHERE status = 'PAID') AS paid,
              (SELECT COUNT(*) FROM payments WHERE status = 'PAID') AS payments,
              (SELECT COUNT(*) FROM pay_notifications WHERE outcome = 'APPLIED') AS applied,
              (SELECT COUNT(*) FROM outbox_events WHERE topic = 'order.paid') AS events,
              (SELECT COUNT(*) FROM floor_orders WHERE status = 'PAID') AS floorPaid`,
    )) as { paid: string; payments: string; applied: string; events: string; floorPaid: string }[];
    for (const [name, value] of Object.entries(check))
      if (Number(value) !== total) throw new Error(`bench check failed: ${name} = ${value}, expected ${total}`);

    // The worker's side of it: the relay sends every committed event to the events queue.
    const relayStarted = process.hrtime.bigint();
    let relayed = 0;
    for (let sent; (sent = await relayOutbox(db, events));) relayed += sent;
    const relaySeconds = Number(process.hrtime.bigint() - relayStarted) / 1e9;
    const jobs = await events.getJobCountByTypes('waiting');
    if (relayed !== total || jobs !== total)
      throw new Error(`bench check failed: relayed ${relayed}, queued ${jobs}, expected ${total}`);

    const summary = (runs: RunResult[]) => {
      const seconds = runs.reduce((s, r) => s + r.seconds, 0);
      const all = Float64Array.from(runs.flatMap((r) => Array.from(r.latencies))).sort();
      return { rate: all.length / seconds, p50: percentile(all, 50), p99: percentile(all, 99) };
    };
    const f = summary(results.full);
    const b = summary(results.floor);
    console.log(
      `\nWeChat Pay notify path over HTTP on MariaDB (${perTarget} per target after ${warmup} warm-up, ` +
        `${concurrency} concurrent keep-alive connections, ${rounds} alternating rounds, Node ${process.version})\n`,
    );
    const row = (cells: string[]) =>
      `| ${cells[0].padEnd(46)} | ${cells[1].padStart(7)} | ${cells[2].padStart(7)} | ${cells[3].padStart(7)} | ${cells[4].padStart(7)} | ${cells[5].padStart(8)} |`;
    console.log(row(['target', 'per s', 'p50 ms', 'p99 ms', 'SQL/req', 'vs floor']));
    console.log(`|${[48, 9, 9, 9, 9, 10].map((w) => '-'.repeat(w)).join('|')}|`);
    const targets = [
      { label: 'floor: HTTP + one 4-write transaction (req/s)', s: b, statements: sql.floor },
      { label: 'full notify path (notifications/s)', s: f, statements: sql.full },
    ];
    for (const t of targets)
      console.log(
        row([
          t.label,
          t.s.rate.toFixed(0),
          t.s.p50.toFixed(2),
          t.s.p99.toFixed(2),
          (t.statements / perTarget).toFixed(1),
          `${(t.s.rate / b.rate).toFixed(2)}×`,
        ]),
      );
    const perRound = results.full.map((r, i) => {
      const floorRound = results.floor[i];
      return (r.latencies.length / r.seconds / (floorRound.latencies.length / floorRound.seconds)).toFixed(2);
    });
    console.log(`\nratio per round: ${perRound.join(' ')}`);
    console.log(
      `ratio full/floor = ${(f.rate / b.rate).toFixed(2)} (target ≥ 0.70); all ${total} notifications APPLIED, ` +
        `each order PAID once with one inbox row and one outbox event`,
    );
    console.log(
      `outbox relay (worker, batches of 500): ${total} events to BullMQ in ${relaySeconds.toFixed(2)} s = ` +
        `${(total / relaySeconds).toFixed(0)} events/s, one job each\n`,
    );
  } finally {
    await worker.terminate();
    for (const s of [full.server, floor.server]) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
    await events.close().catch(() => undefined);
    await composition.close();
    await deleteQueueKeys(redis).catch(() => undefined);
    redis.disconnect();
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
