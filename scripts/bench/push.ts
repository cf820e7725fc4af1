/**
 * Push campaigns at scale (issue 16, acceptance 7), in one run:
 * 1. The sandbox holds `followers` followers (100,000 by default). Its raw accept rate: template
 *    sends fired straight at it from a client thread, as many at once as the fan-out keeps in
 *    flight (4 jobs × 32), to the same followers through the same handler (inboxes and all).
 * 2. The real fan-out: a template campaign to those followers, sent by a worker process (the real
 *    entry, src/main/worker.ts) through the campaigns queue; sends/s from the first to the last
 *    message the sandbox accepted (the raw rate is timed the same way). The ratio fan-out / raw
 *    (target ≥ 0.8).
 * 3. The worker's resident memory (VmRSS, sampled every 250 ms) while it streams campaigns of
 *    10,000 and of `big` (1,000,000 by default) recipients to the sandbox's fast accept path
 *    (count only): growth over the idle worker (target ≤ 100 MB).
 * After an uncounted warm-up (a raw load and a campaign of 20,000), raw and fan-out alternate for
 * a few rounds, the first of each round turning; the median round's ratio is the result. Prints both,
 * with how busy the sandbox's thread was and its time per send (the raw load saturates it).
 * The worker runs at a lower CPU priority (nice 10): the sandbox stands in for WeChat's servers,
 * which do not share our machine, and at equal priority the fan-out measured the contention for
 * the sandbox's core rather than the fan-out.
 * Not a timed test; not run by `npm test`.
 *
 *   npm run bench:push [-- <followers> [<big> [<rounds>]]]   (rounds of raw and fan-out: 5)
 *   BENCH_CPU_PROF=/tmp/prof npm run bench:push   (the worker's CPU profile, for chrome://inspect)
 *
 * Uses its own database `chatmall_bench_push` (dropped and recreated) and a Redis of its own on
 * port 16540 (scripts/services.sh, stopped afterwards); starts MariaDB when it is not running.
 * The read model's followers are written with one INSERT … SELECT over MariaDB's sequence table
 * (the bench seeds the audience; in the product, follower events write it).
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { loadApps } from '../../sandbox/src/platform/apps';
import { createSandbox } from '../../sandbox/src/app';
import { loadConfig, type Config } from '../../server/src/kernel/config';
import { createLogger } from '../../server/src/kernel/logger';
import { createRedis } from '../../server/src/kernel/redis';
import { compose } from '../../server/src/main/compose';
import { createDataSource } from '../../server/src/main/data-source';
import { freshDatabase } from '../../server/test/support/harness';
import { api, makeStaff } from '../../server/test/support/people';

const root = path.join(__dirname, '../..');
const services = path.join(root, 'scripts/services.sh');
const followers = Math.max(1000, Number(process.argv[2] ?? 100_000));
const big = Math.max(10_000, Number(process.argv[3] ?? 1_000_000));
const rounds = Math.max(1, Number(process.argv[4] ?? 5));
const IN_FLIGHT = 4 * 32;
/** Recipients of the warm-up (one raw load and one campaign before the measured rounds). */
const WARM = 20_000;
const DB_NAME = 'chatmall_bench_push';
const REDIS_PORT = '16540';

function ensureServices() {
  const status = execFileSync('bash', [services, 'status'], { encoding: 'utf8' });
  if (!/mariadb: running/.test(status))
    execFileSync('bash', [services, 'up', 'mariadb'], { stdio: ['ignore', 'inherit', 'inherit'] });
  execFileSync('bash', [services, 'up', 'redis'], { env: { ...process.env, REDIS_PORT }, stdio: 'ignore' });
}

/** The raw load: template sends straight at the sandbox, `concurrency` at a time, over kept-alive http. */
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { url, openids, concurrency, round } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const post = (body) => new Promise((resolve, reject) => {
  const data = Buffer.from(JSON.stringify(body));
  const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': data.length } }, (res) => {
    const parts = [];
    res.on('data', (d) => parts.push(d));
    res.on('end', () => resolve(Buffer.concat(parts).toString()));
    res.on('error', reject);
  });
  req.on('error', reject);
  req.end(data);
});
(async () => {
  let next = 0, ok = 0;
  const t0 = Date.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < openids.length) {
      const openid = openids[next++];
      const text = await post({ touser: openid, template_id: 'TPL_CAMPAIGN_NOTICE', client_msg_id: 'raw-' + round + '-' + openid,
        miniprogram: { appid: 'wx', pagepath: 'pages/index/index?cmp=raw' }, data: { thing1: { value: '春季新品上架' } } });
      if (text.includes('"errcode":0')) ok++;
    }
  }));
  parentPort.postMessage({ ok, ms: Date.now() - t0 });
})();
`;

function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;

async function main() {
  ensureServices();
  const base = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const dbUrl = new URL(base.db.url);
  dbUrl.pathname = `/${DB_NAME}`;

  // The sandbox, in this process, on a port of its own.
  const sandbox = createSandbox({
    merchantBaseUrl: 'http://127.0.0.1:1',
    selfBaseUrl: 'http://127.0.0.1:0',
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-push-')),
    logLevel: 'silent',
  });
  const sandboxServer = http.createServer(sandbox.app.callback());
  await new Promise<void>((r) => sandboxServer.listen(0, '127.0.0.1', r));
  const sandboxUrl = `http://127.0.0.1:${(sandboxServer.address() as AddressInfo).port}`;

  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL: `redis://127.0.0.1:${REDIS_PORT}/0`,
    QUEUE_PREFIX: 'chatmall-bench-push',
    WECHAT_API_BASE: sandboxUrl,
    CAMPAIGN_SENDS_PER_SECOND: '1000000',
    CAMPAIGN_QUIET_HOURS: 'off',
    CAMPAIGN_APPROVAL_ABOVE: '100000000',
  };
  const config: Config = loadConfig({ ...process.env, ...env });
  await freshDatabase(config);
  const db = createDataSource(config);
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  const redis = createRedis(config.redis.url, 'app');
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  await redis.flushdb();
  const c = compose({ config, db, redis, log: createLogger('silent', 'bench') });
  const apiServer = http.createServer(c.app.callback());
  await new Promise<void>((r) => apiServer.listen(0, '127.0.0.1', r));
  const apiUrl = `http://127.0.0.1:${(apiServer.address() as AddressInfo).port}`;
  const owner = await makeStaff(db, 'owner');
  const settings = (body: object) => api(sandboxUrl, 'POST', '/sandbox/oa/campaigns/settings', {}, body);
  const stats = async () => (await api(sandboxUrl, 'GET', '/sandbox/oa/campaigns/stats')).body;
  await settings({ receipts: false });
  await api(sandboxUrl, 'POST', '/sandbox/platform/faults', {}, { templateDailyQuota: 100_000_000 });

  /** `n` followers `<prefix><n>` in the read model, tagged, in one statement. */
  const seed = async (prefix: string, n: number, tag: number) => {
    const start = Date.now();
    await db.query(
      `INSERT INTO audience_followers (openid, following, followed_at)
       SELECT CONCAT(?, LPAD(seq, 7, '0')), 1, NOW() FROM seq_0_to_${n - 1}`,
      [prefix],
    );
    await db.query(
      `INSERT INTO audience_follower_tags (openid, tag_id) SELECT CONCAT(?, LPAD(seq, 7, '0')), ? FROM seq_0_to_${n - 1}`,
      [prefix, tag],
    );
    console.log(`  read model: ${n.toLocaleString()} followers in ${((Date.now() - start) / 1000).toFixed(1)} s`);
  };
  const campaign = async (tag: number) => {
    const body = {
      name: `bench ${tag}`,
      content: {
        channel: 'template',
        templateId: 'TPL_CAMPAIGN_NOTICE',
        fields: { thing1: '春季新品上架' },
        page: 'pages/index/index',
      },
      audience: { kind: 'tag', tagId: tag },
    };
    const created = await api(apiUrl, 'POST', '/api/admin/campaigns', owner.auth, body);
    await api(apiUrl, 'POST', `/api/admin/campaigns/${created.body.id}/schedule`, owner.auth, {});
    return created.body.id as string;
  };
  const waitDone = async (id: string, onTick: () => void) => {
    for (;;) {
      onTick();
      const row = (await db.query('SELECT status FROM campaigns WHERE id = ?', [id])) as { status: string }[];
      if (row[0]?.status === 'DONE') return;
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  // ---- 1. raw accept rate ----------------------------------------------------------------------
  console.log(
    `\nbench:push — ${followers.toLocaleString()} followers; memory at 10,000 and ${big.toLocaleString()} recipients\n`,
  );
  await api(sandboxUrl, 'POST', '/sandbox/oa/followers/bulk', {}, { prefix: 'o_b_', count: followers, tags: [701] });
  const rawIds = Array.from({ length: Math.min(followers, 50_000) }, (_, i) => `o_b_${String(i).padStart(7, '0')}`);
  const apps = loadApps();
  const token = (
    await api(
      sandboxUrl,
      'POST',
      '/cgi-bin/stable_token',
      {},
      { grant_type: 'client_credential', appid: apps.oa.appId, secret: apps.oa.secret },
    )
  ).body.access_token as string;
  /** Sends/s between the first and the last message the sandbox accepted since its last reset. */
  const acceptRate = async () => {
    const s = (await stats()) as { accepted: number; firstAcceptedAt: number; lastAcceptedAt: number };
    return { n: s.accepted, rate: ((s.accepted - 1) / Math.max(1, s.lastAcceptedAt - s.firstAcceptedAt)) * 1000 };
  };
  /** One round of the raw load: the same followers, a client_msg_id of the round's own. */
  const rawRound = async (round: number, openids = rawIds, label = 'raw accept') => {
    await settings({ resetStats: true });
    const elu0 = performance.eventLoopUtilization();
    const raw = await new Promise<{ ok: number; ms: number }>((resolve, reject) => {
      const w = new Worker(CLIENT, {
        eval: true,
        workerData: {
          url: `${sandboxUrl}/cgi-bin/message/template/send?access_token=${token}`,
          openids,
          concurrency: IN_FLIGHT,
          round,
        },
      });
      w.once('message', resolve);
      w.once('error', reject);
    });
    const { n, rate } = await acceptRate();
    if (n !== openids.length) throw new Error(`the sandbox accepted ${n} of ${openids.length} raw sends`);
    const elu = performance.eventLoopUtilization(elu0);
    console.log(
      `  ${label}: ${raw.ok.toLocaleString()} sends at ${rate.toFixed(0)}/s; sandbox thread ${(elu.utilization * 100).toFixed(0)}% busy, ${((elu.active * 1000) / n).toFixed(0)} µs a send`,
    );
    return rate;
  };

  // ---- 2. the fan-out through a worker process --------------------------------------------------
  // BENCH_CPU_PROF=<dir>: the worker writes a V8 CPU profile there when it stops.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const worker = spawn(process.execPath, [...profile, '--import', 'tsx', 'src/main/worker.ts'], {
    cwd: path.join(root, 'server'),
    // tsx's --tsconfig reaches children as a relative path in the environment: made absolute here.
    env: { ...process.env, ...env, TSX_TSCONFIG_PATH: path.join(root, 'server/tsconfig.json') },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // The sandbox stands in for WeChat's servers, which do not share our CPU; on this one machine
  // the worker would otherwise take the sandbox's core from it and the fan-out would measure the
  // contention. The worker yields (nice 10): it runs on what the sandbox leaves, as it would
  // beside a remote WeChat. The raw load's client thread never competes with the sandbox this way
  // (it has the other core).
  if (worker.pid) os.setPriority(worker.pid, 10);
  worker.once('exit', (code) => {
    if (code !== null && code !== 0) {
      console.error(`the worker exited with ${code}`);
      process.exit(1);
    }
  });
  try {
    await new Promise((r) => setTimeout(r, 6000)); // the worker starts and settles
    const idle = rssOf(worker.pid!);
    await seed('o_b_', followers, 701);
    /** One campaign to every follower, timed like the raw load. */
    const fanRound = async (tag = 701, n = followers, label = 'fan-out') => {
      await settings({ resetStats: true });
      const elu0 = performance.eventLoopUtilization();
      const id = await campaign(tag);
      await waitDone(id, () => undefined);
      const { n: sent, rate } = await acceptRate();
      const [done] = (await db.query(
        "SELECT COUNT(*) AS n FROM campaign_recipients WHERE campaign_id = ? AND status IN ('SENT', 'DELIVERED')",
        [id],
      )) as { n: number | string }[];
      if (Number(done.n) !== n || sent !== n)
        throw new Error(`the campaign recorded ${done.n} sent and the sandbox accepted ${sent}, of ${n}`);
      const elu = performance.eventLoopUtilization(elu0);
      console.log(
        `  ${label}: ${sent.toLocaleString()} sends at ${rate.toFixed(0)}/s; sandbox thread ${(elu.utilization * 100).toFixed(0)}% busy, ${((elu.active * 1000) / sent).toFixed(0)} µs a send`,
      );
      return rate;
    };
    // Warm-up, not counted: the worker's first campaign compiles its paths (the raw client is a
    // plain loop), and both sides meet a sandbox that already holds inboxes.
    await api(sandboxUrl, 'POST', '/sandbox/oa/followers/bulk', {}, { prefix: 'o_w_', count: WARM, tags: [700] });
    await seed('o_w_', WARM, 700);
    await fanRound(700, WARM, 'warm-up');
    await rawRound(0, rawIds.slice(0, WARM), 'warm-up');
    // Raw and fan-out alternate, `rounds` times: on a shared machine the CPU on offer drifts
    // between minutes, and each ratio compares two loads measured side by side. Which goes first
    // turns each round: the sandbox's inboxes grow with every load, so the later one of a round
    // meets a bigger heap.
    const runs: { raw: number; fan: number; ratio: number }[] = [];
    for (let round = 1; round <= rounds; round++) {
      const rawFirst = round % 2 === 1;
      const raw = rawFirst ? await rawRound(round) : 0;
      const fan = await fanRound();
      const rate = rawFirst ? raw : await rawRound(round);
      runs.push({ raw: rate, fan, ratio: fan / rate });
      console.log(
        `  round ${round} (${rawFirst ? 'raw first' : 'fan-out first'}): fan-out / raw ${(fan / rate).toFixed(2)}`,
      );
    }
    const median = [...runs].sort((a, b) => a.ratio - b.ratio)[Math.floor(runs.length / 2)];

    // ---- 3. memory while streaming ---------------------------------------------------------------
    await settings({ fastAccept: true });
    const peakWhile = async (prefix: string, n: number, tag: number) => {
      await seed(prefix, n, tag);
      let peak = rssOf(worker.pid!);
      const id2 = await campaign(tag);
      await waitDone(id2, () => {
        peak = Math.max(peak, rssOf(worker.pid!));
      });
      return peak;
    };
    const idle2 = rssOf(worker.pid!);
    const peak10k = await peakWhile('o_m10k_', 10_000, 702);
    const peakBig = await peakWhile('o_mbig_', big, 703);

    console.log('\n| measure | value | target |');
    console.log('|---|---|---|');
    console.log(`| sandbox raw accept (${IN_FLIGHT} at once), median round | ${median.raw.toFixed(0)} sends/s | |`);
    console.log(
      `| real fan-out (worker process, ${followers.toLocaleString()} recipients), median round | ${median.fan.toFixed(0)} sends/s | |`,
    );
    console.log(
      `| fan-out / raw, median of ${runs.length} (each: ${runs.map((r) => r.ratio.toFixed(2)).join(', ')}) | ${median.ratio.toFixed(2)} | ≥ 0.8 |`,
    );
    console.log(`| worker RSS idle | ${mb(idle)} (after the first campaign ${mb(idle2)}) | |`);
    console.log(`| worker RSS peak, 10,000 recipients | ${mb(peak10k)} (+${mb(peak10k - idle2)}) | |`);
    console.log(
      `| worker RSS peak, ${big.toLocaleString()} recipients | ${mb(peakBig)} (+${mb(peakBig - idle2)}) | growth ≤ 100 MB |`,
    );
    console.log(`| growth from 10,000 to ${big.toLocaleString()} | ${mb(peakBig - peak10k)} | ≤ 100 MB |`);
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
    apiServer.close();
    sandboxServer.closeAllConnections();
    sandboxServer.close();
    await c.close();
    await sandbox.close();
    await db.destroy();
    redis.disconnect();
    execFileSync('bash', [services, 'down', 'redis'], { env: { ...process.env, REDIS_PORT }, stdio: 'ignore' });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
