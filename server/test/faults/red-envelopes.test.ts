/**
 * Fault tests for red-envelope grabs (issue 14, acceptance 2), on a Redis of this file's own
 * (port 16501) so flushing and restarting it touches nothing else, with two API processes and
 * a worker process (the real entries, as children):
 * - Redis flushed (FLUSHALL) in the middle of a burst of grabs;
 * - Redis stopped and started again in the middle of a burst;
 * - the worker SIGKILLed while grabs wait to be recorded and their coupons issued.
 * After reconciliation, every share is either recorded with one coupon or back in the pool:
 * coupons issued + shares left = 100, none issued twice, none lost.
 */
import { Redis } from 'ioredis';
import { RedEnvelopeGrabEntity, RedEnvelopeShareEntity } from '../../src/modules/red-envelopes/red-envelope.entity';
import { packKeys } from '../../src/modules/red-envelopes/red-envelope.pool';
import { startStack, testConfig, type TestStack } from '../support/harness';
import { makeStaff } from '../support/people';
import {
  burst,
  createPack,
  makeBuyers,
  privateRedis,
  startApi,
  startWorker,
  tally,
  until,
  type Child,
  type GrabAnswer,
} from '../support/redpack';

const env = { RED_ENVELOPE_GRABS_PER_IP_PER_MINUTE: '1000000' };
let redis: ReturnType<typeof privateRedis>;
let stack: TestStack;
let apis: Child[];
let worker: Child;
let admin: Redis;
let marketer: Record<string, string>;

beforeAll(async () => {
  redis = privateRedis(16501);
  stack = await startStack({ config: testConfig({ REDIS_URL: redis.url, ...env }) });
  apis = await Promise.all([startApi(stack.config, env), startApi(stack.config, env)]);
  worker = startWorker(stack.config, env);
  admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  admin.on('error', () => undefined);
  marketer = (await makeStaff(stack.db, 'marketer')).auth;
}, 90_000);

afterAll(async () => {
  await Promise.all([...(apis ?? []).map((a) => a.stop()), worker?.stop()]);
  admin?.disconnect();
  await stack?.close();
  redis?.stop();
}, 60_000);

const urls = () => apis.map((a) => a.url);

/**
 * Both API processes answer ready (database and Redis): after Redis comes back, each process's
 * client reconnects on its own backoff, and a burst sent before that is answered 503.
 */
const apisReady = () =>
  until(
    () =>
      Promise.all(
        apis.map((a) =>
          fetch(`${a.url}/readyz`).then(
            (r) => r.status,
            () => 0,
          ),
        ),
      ),
    (statuses) => statuses.every((s) => s === 200),
    30_000,
  );

/**
 * The invariant after reconciliation: the database's grabs (each with its coupon) and the
 * pool's shares are disjoint and together are every share of the pack, exactly once.
 */
async function expectNothingLostNothingTwice(packId: string, shares: number, budget: number) {
  const reconcile = () => stack.app.services.redEnvelopes.reconcile(new Date(), 0);
  // Until the worker has drained and a reconciliation finds nothing left to do.
  const settled = async () => {
    await reconcile();
    const grabs = await stack.db.getRepository(RedEnvelopeGrabEntity).findBy({ packId });
    const pool = await admin.lrange(packKeys(packId)[1], 0, -1);
    const redisGrabs = await admin.hlen(packKeys(packId)[2]);
    return { grabs, pool, redisGrabs };
  };
  const state = await until(
    settled,
    (s) => s.grabs.length === s.redisGrabs && s.grabs.every((g) => g.couponId),
    60_000,
  );
  const recorded = state.grabs.map((g) => g.shareIndex);
  const left = state.pool.map((e) => Number(e.split(':')[0]));
  expect(recorded.length + left.length).toBe(shares);
  expect(new Set([...recorded, ...left]).size).toBe(shares);

  const all = await stack.db.getRepository(RedEnvelopeShareEntity).findBy({ packId });
  const amountOf = new Map(all.map((s) => [s.shareIndex, s.amount]));
  const coupons = (await stack.db.query(
    'SELECT id, buyer_id AS buyerId, benefit FROM coupons WHERE source = ? AND source_ref LIKE ?',
    ['red_envelope', `${packId}:%`],
  )) as { id: string; buyerId: string; benefit: string }[];
  expect(coupons).toHaveLength(recorded.length);
  expect(new Set(coupons.map((c) => c.buyerId)).size).toBe(coupons.length);
  const issued = coupons.reduce((n, c) => n + (JSON.parse(c.benefit) as { amountOff: number }).amountOff, 0);
  const leftAmount = left.reduce((n, i) => n + (amountOf.get(i) ?? NaN), 0);
  expect(issued + leftAmount).toBe(budget);
  expect(state.grabs.map((g) => g.couponId).sort()).toEqual(coupons.map((c) => c.id).sort());
  return { issued: coupons.length, left: left.length };
}

/** Fires every grab at once and calls `midway` once `after` of them answered GRABBED. */
async function burstWith(packId: string, n: number, after: number, midway: () => Promise<void>) {
  const grabbers = await makeBuyers(stack.db, n, 'fault');
  let grabbed = 0;
  let fired: Promise<void> | undefined;
  const answers: GrabAnswer[] = await Promise.all(
    grabbers.map(async (g, i) => {
      // Spread over ~1.5 s so the fault lands in the middle of the burst.
      await new Promise((r) => setTimeout(r, (i * 1500) / n));
      const [a] = await burst([urls()[i % 2]], packId, [g]);
      if (a.outcome === 'GRABBED' && ++grabbed === after) fired = midway();
      return a;
    }),
  );
  await fired;
  return answers;
}

it('Redis flushed in the middle of a burst: after reconciliation, coupons issued + shares left = 100, none twice', async () => {
  const pack = await createPack(stack.baseUrl, marketer, { budget: 10_000, shares: 100, minimumShare: 10 });
  const answers = await burstWith(pack.id, 400, 30, async () => {
    await admin.flushall();
  });
  const counts = tally(answers);
  // Grabs Redis had answered but whose record and job the flush erased are dealt again.
  expect(counts.GRABBED).toBeGreaterThanOrEqual(30);
  const out = await expectNothingLostNothingTwice(pack.id, 100, 10_000);
  expect(out.issued).toBeGreaterThan(0);
}, 120_000);

it('Redis restarted in the middle of a burst: after reconciliation, coupons issued + shares left = 100, none twice', async () => {
  const pack = await createPack(stack.baseUrl, marketer, { budget: 10_000, shares: 100, minimumShare: 10 });
  const answers = await burstWith(pack.id, 400, 30, async () => {
    redis.stop();
    await new Promise((r) => setTimeout(r, 500));
    redis.start();
  });
  const counts = tally(answers);
  expect(counts.GRABBED).toBeGreaterThanOrEqual(30);
  await until(
    () => admin.ping().catch(() => 'down'),
    (p) => p === 'PONG',
  );
  await until(
    () => stack.redis.ping().catch(() => 'down'),
    (p) => p === 'PONG',
  );
  const out = await expectNothingLostNothingTwice(pack.id, 100, 10_000);
  expect(out.issued).toBeGreaterThan(0);
}, 120_000);

it('the worker killed (SIGKILL) between grab and coupon: each coupon is issued exactly once after it restarts', async () => {
  await apisReady();
  const pack = await createPack(stack.baseUrl, marketer, { budget: 5_000, shares: 100, minimumShare: 10 });
  await worker.stop('SIGKILL');
  // Every grab is answered while no worker runs: 100 jobs wait.
  const grabbers = await makeBuyers(stack.db, 100, 'kill');
  expect(tally(await burst(urls(), pack.id, grabbers))).toEqual({ GRABBED: 100 });
  const recorded = () => stack.db.getRepository(RedEnvelopeGrabEntity).countBy({ packId: pack.id });
  expect(await recorded()).toBe(0);

  // A worker starts, and is killed while it works through them.
  worker = startWorker(stack.config, env);
  await until(recorded, (n) => n > 0, 60_000);
  await worker.stop('SIGKILL');
  const before = await recorded();
  expect(before).toBeLessThan(100);

  // Restarted: the interrupted jobs (stalled) and the reconciliation finish the rest, once each.
  worker = startWorker(stack.config, env);
  await until(recorded, (n) => n === 100, 90_000);
  const out = await expectNothingLostNothingTwice(pack.id, 100, 5_000);
  expect(out).toEqual({ issued: 100, left: 0 });
}, 180_000);
