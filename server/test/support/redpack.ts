/**
 * Red-envelope test helpers: packs created through the console's route, many buyers at once,
 * the API and worker entries as child processes (`src/main/api.ts`, `src/main/worker.ts`),
 * and a burst of grabs spread over several API processes.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { newId, type CreateRedEnvelopePackRequest } from '@chatmall/shared';
import type { DataSource } from 'typeorm';
import type { Config } from '../../src/kernel/config';
import { BuyerEntity } from '../../src/modules/auth/buyer.entity';
import { SessionService } from '../../src/modules/auth/session.service';
import { getJson } from './harness';
import { api } from './people';

const serverDir = path.join(__dirname, '../..');
const services = path.join(serverDir, '../scripts/services.sh');

/**
 * A Redis of this test file's own (scripts/services.sh on a private port): tests that flush,
 * restart or fill Redis from several processes share nothing with other test files (whose
 * harness flushes its Redis database when it starts).
 */
export function privateRedis(port: number): { url: string; stop(): void; start(): void } {
  const run = (action: 'up' | 'down') =>
    execFileSync('bash', [services, action, 'redis'], {
      env: { ...process.env, REDIS_PORT: String(port) },
      stdio: 'pipe',
    });
  run('up');
  return { url: `redis://127.0.0.1:${port}/0`, stop: () => run('down'), start: () => run('up') };
}

export function packRequest(over: Partial<CreateRedEnvelopePackRequest> = {}): CreateRedEnvelopePackRequest {
  return {
    title: '店庆红包，手慢无',
    budget: 10_000,
    shares: 100,
    split: 'random',
    minimumShare: 10,
    coupon: {
      title: '群红包券',
      threshold: { kind: 'multiple', multiple: 5 },
      scope: { type: 'shop' },
      validity: { kind: 'days', days: 7 },
    },
    ...over,
  };
}

export async function createPack(
  baseUrl: string,
  auth: Record<string, string>,
  over: Partial<CreateRedEnvelopePackRequest> = {},
): Promise<{ id: string; couponTemplateId: string }> {
  const res = await api(baseUrl, 'POST', '/api/admin/red-envelopes', auth, packRequest(over));
  if (res.status !== 200) throw new Error(`create pack: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export interface Grabber {
  id: string;
  auth: { authorization: string };
}

/** `n` buyers with sessions, inserted in batches (the login flow is covered elsewhere). */
export async function makeBuyers(db: DataSource, n: number, tag = 'g'): Promise<Grabber[]> {
  const ids = Array.from({ length: n }, () => newId('buyer'));
  for (let i = 0; i < ids.length; i += 200)
    await db.getRepository(BuyerEntity).insert(
      ids.slice(i, i + 200).map((id) => ({
        id,
        openid: `o_${tag}_${id.slice(-12)}`,
        unionid: null,
        nickname: tag,
        lastLoginAt: new Date(),
      })),
    );
  const sessions = new SessionService(db);
  const out: Grabber[] = [];
  for (let i = 0; i < ids.length; i += 50) {
    const batch = await Promise.all(ids.slice(i, i + 50).map((id) => sessions.issue('buyer', id)));
    batch.forEach((s, j) => out.push({ id: ids[i + j], auth: { authorization: `Bearer ${s.accessToken}` } }));
  }
  return out;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface Child {
  proc: ChildProcess;
  url: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function childEnv(config: Config, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    DATABASE_URL: config.db.url,
    REDIS_URL: config.redis.url,
    QUEUE_PREFIX: config.queues.prefix,
    ...extra,
  };
}

function track(proc: ChildProcess): Child['stop'] {
  proc.stderr!.on('data', (c: Buffer) => process.stderr.write(c));
  proc.stdout!.on('data', (c: Buffer) => {
    if (process.env.TEST_LOG_LEVEL) process.stdout.write(c);
  });
  return async (signal = 'SIGTERM') => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill(signal);
    await exited;
  };
}

/** The real API entry as a child process on a free port; resolves once /healthz answers. */
export async function startApi(config: Config, extra: Record<string, string> = {}): Promise<Child> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main/api.ts'], {
    cwd: serverDir,
    env: childEnv(config, { API_HOST: '127.0.0.1', API_PORT: String(port), ...extra }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = track(proc);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`api exited with ${proc.exitCode}`);
    const up = await getJson(`${url}/healthz`).catch(() => null);
    if (up?.status === 200) break;
    if (Date.now() > deadline) {
      await stop('SIGKILL');
      throw new Error('api did not start');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { proc, url, stop };
}

/** The real worker entry as a child process. */
export function startWorker(config: Config, extra: Record<string, string> = {}): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main/worker.ts'], {
    cwd: serverDir,
    env: childEnv(config, extra),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { proc, url: '', stop: track(proc) };
}

export type GrabAnswer = {
  status: number;
  outcome?: string;
  amount?: number | null;
  buyerId: string;
  /** Why the request got no answer at all (status 0): the socket error's code. */
  error?: string;
};

/** Every grabber grabs once, all at once, spread round-robin over the API processes. */
export async function burst(urls: string[], packId: string, grabbers: Grabber[]): Promise<GrabAnswer[]> {
  return Promise.all(
    grabbers.map(async (g, i) => {
      const res = await getJson(`${urls[i % urls.length]}/api/red-envelopes/${packId}/grab`, {
        method: 'POST',
        headers: { ...g.auth, 'content-type': 'application/json' },
        body: '{}',
      }).catch((err: Error & { cause?: { code?: string } }) => ({
        status: 0,
        body: { error: err.cause?.code ?? err.message } as Record<string, unknown>,
      }));
      return {
        status: res.status,
        outcome: res.body?.outcome,
        amount: res.body?.amount,
        buyerId: g.id,
        error: res.status === 0 ? String(res.body.error) : undefined,
      };
    }),
  );
}

export function tally(answers: GrabAnswer[]): Record<string, number> {
  const t: Record<string, number> = {};
  for (const a of answers) {
    const k = a.status === 200 ? String(a.outcome) : a.status ? `HTTP ${a.status}` : `no answer: ${a.error}`;
    t[k] = (t[k] ?? 0) + 1;
  }
  return t;
}

export async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(v).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Issue 14, acceptance 1 (and 5 on a cluster): 1,000 buyers grab at once through two API
 * processes from a pack of 100 shares; a worker process records the grabs and issues the
 * coupons. Exactly 100 grabbed and 900 all gone (each answer counted), 100 coupons whose sum
 * is the budget, no buyer twice.
 */
export async function thousandGrabbers(
  stack: {
    baseUrl: string;
    config: Config;
    db: DataSource;
  },
  marketer: Record<string, string>,
  extraEnv: Record<string, string>,
): Promise<void> {
  const env = { RED_ENVELOPE_GRABS_PER_IP_PER_MINUTE: '1000000', ...extraEnv };
  const [apis, grabbers] = await Promise.all([
    Promise.all([startApi(stack.config, env), startApi(stack.config, env)]),
    makeBuyers(stack.db, 1000, 'burst'),
  ]);
  const worker = startWorker(stack.config, env);
  try {
    const pack = await createPack(stack.baseUrl, marketer, { budget: 10_000, shares: 100, minimumShare: 10 });
    const answers = await burst(
      apis.map((a) => a.url),
      pack.id,
      grabbers,
    );
    const counts = tally(answers);
    expect(counts).toEqual({ GRABBED: 100, ALL_GONE: 900 });
    const won = answers.filter((a) => a.outcome === 'GRABBED');
    expect(new Set(won.map((a) => a.buyerId)).size).toBe(100);
    expect(won.reduce((n, a) => n + (a.amount ?? 0), 0)).toBe(10_000);

    // The worker records every grab and issues its coupon: 100 coupons, the budget exactly.
    const coupons = await until(
      () =>
        stack.db.query('SELECT buyer_id AS buyerId, benefit FROM coupons WHERE source = ? AND source_ref LIKE ?', [
          'red_envelope',
          `${pack.id}:%`,
        ]) as Promise<{ buyerId: string; benefit: string }[]>,
      (rows) => rows.length >= 100,
      60_000,
    );
    expect(coupons).toHaveLength(100);
    expect(new Set(coupons.map((c) => c.buyerId)).size).toBe(100);
    expect(coupons.reduce((n, c) => n + (JSON.parse(c.benefit) as { amountOff: number }).amountOff, 0)).toBe(10_000);
    expect(new Set(coupons.map((c) => c.buyerId))).toEqual(new Set(won.map((a) => a.buyerId)));
    const [t] = (await stack.db.query('SELECT issued FROM coupon_templates WHERE id = ?', [pack.couponTemplateId])) as {
      issued: number;
    }[];
    expect(Number(t.issued)).toBe(100);
  } finally {
    await Promise.all([...apis.map((a) => a.stop()), worker.stop()]);
  }
}
