/**
 * Issue 14, acceptance 5: the same burst as acceptance 1 with the grab scripts on the
 * three-node Redis Cluster that `scripts/services.sh up cluster` runs (REDIS_CLUSTER_NODES):
 * every key of a pack shares the hash tag `rp:{packId}`, so the scripts run unchanged.
 */
import { Cluster } from 'ioredis';
import { packKeys } from '../src/modules/red-envelopes/red-envelope.pool';
import { startStack, testConfig, type TestStack } from './support/harness';
import { makeStaff } from './support/people';
import { createPack, privateRedis, thousandGrabbers } from './support/redpack';

const nodes = process.env.REDIS_CLUSTER_NODES ?? '127.0.0.1:17001,127.0.0.1:17002,127.0.0.1:17003';
const clusterEnv = { RED_ENVELOPE_REDIS_CLUSTER: nodes };
let stack: TestStack;
let redis: ReturnType<typeof privateRedis>;

beforeAll(async () => {
  redis = privateRedis(16512);
  stack = await startStack({
    config: testConfig({ REDIS_URL: redis.url, ...clusterEnv, RED_ENVELOPE_GRABS_PER_IP_PER_MINUTE: '1000000' }),
  });
}, 60_000);
afterAll(async () => {
  await stack?.close();
  redis?.stop();
});

it('a pack lives on the cluster: its keys in one slot, on one node, not in the app Redis', async () => {
  const marketer = await makeStaff(stack.db, 'marketer');
  const pack = await createPack(stack.baseUrl, marketer.auth, { budget: 500, shares: 5, minimumShare: 50 });
  const cluster = new Cluster(nodes.split(',').map((n) => ({ host: n.split(':')[0], port: Number(n.split(':')[1]) })));
  try {
    const slots = await Promise.all(packKeys(pack.id).map((k) => cluster.cluster('KEYSLOT', k)));
    expect(new Set(slots).size).toBe(1);
    expect(await cluster.llen(packKeys(pack.id)[1])).toBe(5);
    expect(await stack.redis.exists(packKeys(pack.id)[0])).toBe(0);
  } finally {
    cluster.disconnect();
  }
});

it('1,000 buyers at once through two API processes on the cluster: the same results as on one Redis', async () => {
  const marketer = await makeStaff(stack.db, 'marketer');
  await thousandGrabbers(stack, marketer.auth, clusterEnv);
}, 180_000);
