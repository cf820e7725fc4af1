/**
 * Red-envelope grabs over HTTP (issue 14, acceptance 7), in one run, three targets on the
 * same Koa app (the composition's modules through `createHttpApp`, so the same middleware,
 * contract validation and bearer-token auth for all three):
 * - the real route, POST /api/red-envelopes/:id/grab (rate limits, one Lua script, a BullMQ job);
 * - a no-op route with the same auth and body (bench only): the cost of HTTP + auth alone;
 * - a baseline that grabs by locking a MariaDB row per pack (bench only), doing what a grab
 *   without Redis must do before it answers, in one transaction: SELECT … FOR UPDATE on the
 *   pack, the buyer's earlier grab (dedupe), the next share (pop), the grab inserted (record),
 *   and its coupon issued through the coupons module (`CouponService.issue`, as the real
 *   route's job does later: the template's conditional stock update and the coupon row).
 * Each target: more buyers than shares, every buyer grabbing once, `concurrency` at a time (256 by
 * default: a burst in a big group; WeChat groups hold up to 500 members). Measured twice:
 * - the page's flow: buyers open the card (the real open route, untimed) and a moment later grab,
 *   so each grab's session was verified by that open (the API keeps a verified token 5 s), as when
 *   a member taps 開 on the page the card opened;
 * - cold: every grab is its buyer's first request, so it also pays the session read from MariaDB.
 * Prints grabs/s, p50/p99, the over-grabs (answers beyond the shares: must be 0) and the ratios
 * real/no-op (target ≥ 0.5) and real/DB-lock (target ≥ 10) for both. The load comes from a worker
 * thread over kept-alive sockets (undici). Not a timed test; not run by `npm test`.
 *
 *   npm run bench:redpack [-- <shares per target> [<concurrency> [<rounds>]]]   (rounds of the page's flow: 3)
 *   BENCH_CPU_PROF=/tmp/prof npm run bench:redpack   (the API's CPU profile of each target's grabs, for chrome://inspect)
 *
 * Uses its own database `chatmall_bench_redpack` (dropped and recreated) and a Redis of its own
 * on port 16530 (scripts/services.sh, stopped afterwards); starts MariaDB when it is not running.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  access,
  RedEnvelopeGrabResult,
  RedEnvelopeOpenRequest,
  shareBenefit,
  type Endpoint,
  type RedEnvelopeThreshold,
} from '@chatmall/shared';
import { z } from 'zod';
import { createHttpApp } from '../../server/src/http/app';
import { loadConfig } from '../../server/src/kernel/config';
import { uniqueKeyFields } from '../../server/src/kernel/db';
import { isDuplicateKey } from '../../server/src/kernel/dialect';
import { createLogger } from '../../server/src/kernel/logger';
import { createRedis } from '../../server/src/kernel/redis';
import { withTx } from '../../server/src/kernel/tx';
import { compose } from '../../server/src/main/compose';
import { createDataSource } from '../../server/src/main/data-source';
import type { AppModule } from '../../server/src/modules/module';
import { freshDatabase } from '../../server/test/support/harness';
import { makeStaff } from '../../server/test/support/people';
import { createPack, makeBuyers, packRequest, type Grabber } from '../../server/test/support/redpack';

const root = path.join(__dirname, '../..');
const services = path.join(root, 'scripts/services.sh');
const shares = Math.max(100, Number(process.argv[2] ?? 2000));
const concurrency = Math.max(1, Number(process.argv[3] ?? 256));
/** Rounds of the page's flow (each ratio is within a round; the median round decides). */
const rounds = Math.max(1, Number(process.argv[4] ?? 3));
const buyersPerTarget = Math.round(shares * 1.5);
/** Buyers who open the card together before grabbing together (well inside the 5 s session cache). */
const OPEN_CHUNK = 400;
const DB_NAME = 'chatmall_bench_redpack';
const REDIS_PORT = '16530';

const idParams = z.object({ id: z.string().min(1).max(40) });
const benchEndpoint = (path: string): Endpoint =>
  ({
    method: 'POST',
    path,
    summary: 'bench only',
    access: access.buyer,
    params: idParams,
    query: z.object({}),
    body: RedEnvelopeOpenRequest,
    response: RedEnvelopeGrabResult,
  }) as unknown as Endpoint;
const noopGrab = benchEndpoint('/api/bench/noop/:id/grab');
const dbLockGrab = benchEndpoint('/api/bench/db-lock/:id/grab');

function ensureServices() {
  const status = execFileSync('bash', [services, 'status'], { encoding: 'utf8' });
  if (!/mariadb: running/.test(status))
    execFileSync('bash', [services, 'up', 'mariadb'], { stdio: ['ignore', 'inherit', 'inherit'] });
  execFileSync('bash', [services, 'up', 'redis'], { env: { ...process.env, REDIS_PORT }, stdio: 'ignore' });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

interface Result {
  name: string;
  perSecond: number;
  p50: number;
  p99: number;
  grabbed: number;
  allGone: number;
  other: number;
  overGrabs: number;
}

/**
 * The load runs in a worker thread of its own, so the server's event loop (this thread) is not
 * also the client's: one core serves, the other loads, the same for every target.
 */
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { url, openUrl, auths, concurrency, chunk, profile } = workerData;
// With profiling on, the API thread profiles each chunk's grabs only (not the opens): say when.
const phase = (grabs) => profile ? new Promise((go) => { parentPort.once('message', go); parentPort.postMessage({ grabs }); }) : undefined;
// undici's request over kept-alive sockets, one per concurrent caller: the load thread shares the
// two cores with the API, Redis and MariaDB, and undici costs it less per call than http.request.
const { Agent } = require('undici');
const agent = new Agent({ keepAliveTimeout: 30000, connections: concurrency });
const targets = new Map();
const post = async (u, auth) => {
  if (!targets.has(u)) targets.set(u, new URL(u));
  const { origin, pathname } = targets.get(u);
  const res = await agent.request({ origin, path: pathname, method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: '{}' });
  return { status: res.statusCode, text: await res.body.text() };
};
async function pool(items, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}
(async () => {
  const lat = [];
  const outcomes = {};
  let grabNs = 0n;
  // A chunk of buyers opens the card (untimed), then the same buyers grab (timed): each grab
  // comes a second or two after its buyer's open, as on the real page. Without openUrl, cold.
  for (let i = 0; i < auths.length; i += chunk) {
    const part = auths.slice(i, i + chunk);
    if (openUrl) await pool(part, (auth) => post(openUrl, auth));
    await phase('start');
    const t0 = process.hrtime.bigint();
    await pool(part, async (auth) => {
      const t = process.hrtime.bigint();
      const res = await post(url, auth);
      const body = JSON.parse(res.text);
      lat.push(Number(process.hrtime.bigint() - t) / 1e6);
      const k = res.status === 200 ? String(body.outcome) : 'HTTP ' + res.status;
      outcomes[k] = (outcomes[k] || 0) + 1;
    });
    grabNs += process.hrtime.bigint() - t0;
    await phase('stop');
  }
  await agent.close();
  parentPort.postMessage({ lat, outcomes, seconds: Number(grabNs) / 1e9 });
})();
`;

/**
 * BENCH_CPU_PROF=<dir>: the API thread's V8 CPU profile of each measured target's grabs (the
 * opens before them are left out), one file per chunk of buyers.
 */
async function profiler(name: string) {
  const dir = process.env.BENCH_CPU_PROF;
  if (!dir || name === 'warm-up') return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  // A grab phase lasts a fraction of a second: sample every 100 µs, not V8's default 1 ms.
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  let chunk = 0;
  return {
    start: () => session.post('Profiler.start'),
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}-${Date.now()}-grabs-${chunk++}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(profile));
      console.error(`CPU profile: ${file}`);
    },
    close: () => session.disconnect(),
  };
}

async function run(name: string, url: string, grabbers: Grabber[], openUrl?: string): Promise<Result> {
  const prof = await profiler(name);
  const worker = new Worker(CLIENT, {
    eval: true,
    workerData: {
      url,
      openUrl,
      auths: grabbers.map((g) => g.auth.authorization),
      concurrency,
      chunk: OPEN_CHUNK,
      profile: Boolean(prof),
    },
  });
  const { lat, outcomes, seconds } = await new Promise<{
    lat: number[];
    outcomes: Record<string, number>;
    seconds: number;
  }>((resolve, reject) => {
    worker.on('message', (m: { grabs?: 'start' | 'stop'; lat?: number[] }) => {
      if (!m.grabs) return resolve(m as { lat: number[]; outcomes: Record<string, number>; seconds: number });
      void (m.grabs === 'start' ? prof!.start() : prof!.stop()).then(() => worker.postMessage('go'), reject);
    });
    worker.once('error', reject);
  });
  await worker.terminate();
  prof?.close();
  const grabbed = outcomes.GRABBED ?? 0;
  const allGone = outcomes.ALL_GONE ?? 0;
  return {
    name,
    perSecond: grabbers.length / seconds,
    p50: pct(lat, 50),
    p99: pct(lat, 99),
    grabbed,
    allGone,
    other: grabbers.length - grabbed - allGone,
    overGrabs: Math.max(0, grabbed - shares),
  };
}

async function main() {
  ensureServices();
  const base = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const dbUrl = new URL(base.db.url);
  dbUrl.pathname = `/${DB_NAME}`;
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL: `redis://127.0.0.1:${REDIS_PORT}/0`,
    QUEUE_PREFIX: 'chatmall-bench-redpack',
    // A pool as wide as the load, so the shared auth query is not what every target queues for.
    DB_POOL_SIZE: String(Math.min(concurrency, 400)),
    RED_ENVELOPE_GRABS_PER_IP_PER_MINUTE: '100000000',
    RED_ENVELOPE_GRABS_PER_BUYER_PER_MINUTE: '1000',
  });
  await freshDatabase(config);
  const db = createDataSource(config);
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  const redis = createRedis(config.redis.url, 'app');
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  await redis.flushdb();
  const log = createLogger('silent', 'bench');
  const c = compose({ config, db, redis, log });

  // The baseline's own tables: a pack row to lock, and its grabs (unique per buyer).
  await db.query(
    'CREATE TABLE bench_lock_packs (id VARCHAR(40) PRIMARY KEY, shares INT NOT NULL, next_index INT NOT NULL)',
  );
  await db.query(
    'CREATE TABLE bench_lock_grabs (pack_id VARCHAR(40) NOT NULL, buyer_id VARCHAR(40) NOT NULL, share_index INT NOT NULL,' +
      ' amount INT NOT NULL, PRIMARY KEY (pack_id, buyer_id), UNIQUE KEY uq_share (pack_id, share_index))',
  );
  /** Each baseline pack's coupon template (the threshold is createPack's: 5 × the share). */
  const templateOf = new Map<string, string>();
  const threshold: RedEnvelopeThreshold = packRequest().coupon.threshold;
  const bench: AppModule = {
    name: 'bench',
    services: {},
    routes(api) {
      api.handle(noopGrab, async () => ({ outcome: 'ALL_GONE', amount: null, message: 'no-op' }));
      api.handle(dbLockGrab, async ({ params: p, principal }) => {
        const params = p as { id: string };
        const buyerId = (principal as { buyerId: string }).buyerId;
        try {
          return await withTx(db, {}, async (txCtx) => {
            const { tx } = txCtx;
            const [pack] = (await tx.query('SELECT shares, next_index FROM bench_lock_packs WHERE id = ? FOR UPDATE', [
              params.id,
            ])) as { shares: number; next_index: number }[];
            const [mine] = (await tx.query('SELECT amount FROM bench_lock_grabs WHERE pack_id = ? AND buyer_id = ?', [
              params.id,
              buyerId,
            ])) as { amount: number }[];
            if (mine) return { outcome: 'ALREADY_GRABBED', amount: mine.amount, message: '' };
            if (pack.next_index >= pack.shares) return { outcome: 'ALL_GONE', amount: null, message: '' };
            const [share] = (await tx.query(
              'SELECT amount FROM red_envelope_shares WHERE pack_id = ? AND share_index = ?',
              [params.id, pack.next_index],
            )) as { amount: number }[];
            await tx.query('UPDATE bench_lock_packs SET next_index = next_index + 1 WHERE id = ?', [params.id]);
            await tx.query(
              'INSERT INTO bench_lock_grabs (pack_id, buyer_id, share_index, amount) VALUES (?, ?, ?, ?)',
              [params.id, buyerId, pack.next_index, share.amount],
            );
            // Without Redis and a job, the coupon is issued before the answer, under the lock.
            const issued = await c.services.coupons.issue(txCtx, {
              templateId: templateOf.get(params.id)!,
              buyerId,
              source: 'red_envelope',
              sourceRef: `${params.id}:${buyerId}`,
              benefit: shareBenefit(threshold, share.amount),
            });
            if (!issued.ok) throw new Error(`baseline: coupon refused (${issued.reason})`);
            return { outcome: 'GRABBED', amount: share.amount, message: '' };
          });
        } catch (err) {
          if (isDuplicateKey(err)) return { outcome: 'ALREADY_GRABBED', amount: null, message: '' };
          throw err;
        }
      });
    },
  };
  const sessions = c.services.sessions;
  const httpApp = createHttpApp({
    config,
    log,
    modules: [...c.modules, bench],
    authenticate: (token) => sessions.resolve(token),
    errors: { uniqueFields: uniqueKeyFields(db) },
  });
  const server = http.createServer(httpApp.app.callback());
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const marketer = await makeStaff(db, 'marketer');

  const pack = async () => {
    const made = await createPack(baseUrl, marketer.auth, { budget: shares * 100, shares, minimumShare: 10 });
    await db.query('INSERT INTO bench_lock_packs (id, shares, next_index) VALUES (?, ?, 0)', [made.id, shares]);
    templateOf.set(made.id, made.couponTemplateId);
    return made;
  };

  const names = ['real route (Redis Lua)', 'no-op route, same auth', 'baseline: MariaDB row lock'];
  const routes = ['/api/red-envelopes/:id/grab', '/api/bench/noop/:id/grab', '/api/bench/db-lock/:id/grab'];

  // Warm-up: connections, JIT, the scripts loaded into Redis.
  const warm = await makeBuyers(db, 200, 'warm');
  const warmPack = await createPack(baseUrl, marketer.auth, { budget: 10_000, shares: 100, minimumShare: 10 });
  await db.query('INSERT INTO bench_lock_packs (id, shares, next_index) VALUES (?, ?, 0)', [warmPack.id, 100]);
  templateOf.set(warmPack.id, warmPack.couponTemplateId);
  for (const u of routes) await run('warm-up', baseUrl + u.replace(':id', warmPack.id), warm);

  /**
   * One round: the three targets, each on a pack of its own with buyers of its own. `opened`:
   * every buyer opens the card (the real open route, on that target's pack) a moment before
   * grabbing, as the page does; otherwise every grab is its buyer's first request (the session
   * read from MariaDB). The round's first target turns with the round, so no target always runs
   * right after the buyers' inserts or after the baseline's writes.
   */
  const measure = async (opened: boolean, round: number): Promise<Result[]> => {
    console.error(
      `${opened ? `card opened first, round ${round + 1}` : 'cold'}: ${buyersPerTarget} buyers per target, ${concurrency} at a time…`,
    );
    const buyers = await makeBuyers(db, 3 * buyersPerTarget, opened ? `opened${round}` : 'cold');
    const packs = [await pack(), await pack(), await pack()];
    await new Promise((r) => setTimeout(r, 2000)); // MariaDB writes the buyers' pages out
    const results: Result[] = [];
    for (let k = 0; k < 3; k++) {
      const i = (k + round) % 3;
      results[i] = await run(
        names[i],
        `${baseUrl}${routes[i].replace(':id', packs[i].id)}`,
        buyers.slice(i * buyersPerTarget, (i + 1) * buyersPerTarget),
        opened ? `${baseUrl}/api/red-envelopes/${packs[i].id}/open` : undefined,
      );
    }
    const [real, , lock] = results;
    const [realPack, , lockPack] = packs;
    // The no-op grabs nothing; its over-grabs are 0 by construction. The real route's record in
    // Redis and the baseline's rows are checked against the shares as well as the answers.
    const inRedis = await c.services.redEnvelopePool.grabs(realPack.id);
    real.overGrabs = Math.max(real.overGrabs, inRedis.size - shares);
    const [{ n: lockRows }] = (await db.query('SELECT COUNT(*) AS n FROM bench_lock_grabs WHERE pack_id = ?', [
      lockPack.id,
    ])) as { n: string }[];
    const [{ n: lockCoupons }] = (await db.query('SELECT COUNT(*) AS n FROM coupons WHERE template_id = ?', [
      lockPack.couponTemplateId,
    ])) as { n: string }[];
    lock.overGrabs = Math.max(lock.overGrabs, Number(lockRows) - shares, Number(lockCoupons) - shares);
    if (Number(lockCoupons) !== Number(lockRows))
      console.error(`baseline: ${lockRows} grabs recorded but ${lockCoupons} coupons issued`);
    return results;
  };
  const cold = [await measure(false, 0)];
  const opened: Result[][] = [];
  for (let r = 0; r < rounds; r++) opened.push(await measure(true, r));

  const f = (v: number, w = 9, d = 2) => v.toFixed(d).padStart(w);
  console.log(
    `\nred-envelope grabs over HTTP, one API process (load from a worker thread), ${buyersPerTarget} buyers per target (${shares} shares), ${concurrency} concurrent`,
  );
  for (const [label, runs] of [
    ['every grab its buyer’s first request (session read from MariaDB)', cold],
    [`the page’s flow: each buyer opened the card a moment before grabbing (${rounds} rounds)`, opened],
  ] as const) {
    console.log(`\n${label}`);
    console.log(
      `${'target'.padEnd(38)} ${'grabs/s'.padStart(9)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'grabbed'.padStart(8)} ${'gone'.padStart(6)} ${'other'.padStart(6)} ${'over'.padStart(5)}`,
    );
    runs.forEach((results, round) => {
      for (const r of results)
        console.log(
          `${(runs.length > 1 ? `${round + 1}: ${r.name}` : r.name).padEnd(38)} ${f(r.perSecond, 9, 0)} ${f(r.p50)} ${f(r.p99)} ${String(r.grabbed).padStart(8)} ${String(r.allGone).padStart(6)} ${String(r.other).padStart(6)} ${String(r.overGrabs).padStart(5)}`,
        );
    });
  }
  console.log('');
  /** Each ratio is taken within a round (the targets ran a few seconds apart); the median across rounds is the verdict. */
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ratios = (label: string, runs: Result[][]) => {
    const vsNoop = runs.map(([real, noop]) => real.perSecond / noop.perSecond);
    const vsLock = runs.map(([real, , lock]) => real.perSecond / lock.perSecond);
    const each = (xs: number[], d: number) =>
      xs.length > 1 ? ` (rounds ${xs.map((x) => x.toFixed(d)).join(', ')})` : '';
    const [n, l] = [median(vsNoop), median(vsLock)];
    console.log(
      `${label}: real / no-op ${n.toFixed(2)}${each(vsNoop, 2)} (target ≥ 0.5) — ${n >= 0.5 ? 'OK' : 'BELOW TARGET'}; ` +
        `real / DB lock ${l.toFixed(1)}×${each(vsLock, 1)} (target ≥ 10×) — ${l >= 10 ? 'OK' : 'BELOW TARGET'}`,
    );
  };
  ratios('cold', cold);
  ratios(`opened first, median of ${rounds}`, opened);
  const over = [...cold, ...opened].flat().reduce((n, r) => n + r.overGrabs, 0);
  console.log(`over-grabs in every target: ${over} — ${over === 0 ? 'OK' : 'WRONG'}`);

  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await c.close();
  redis.disconnect();
  await db.destroy();
  execFileSync('bash', [services, 'down', 'redis'], { env: { ...process.env, REDIS_PORT }, stdio: 'ignore' });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
