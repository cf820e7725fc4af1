/**
 * Issue 14, acceptance 1: 1,000 concurrent grabbers through two API processes (the real
 * `src/main/api.ts`, as children) against a pack of 100 shares, on MariaDB and Redis.
 */
import { startStack, testConfig, type TestStack } from './support/harness';
import { makeStaff } from './support/people';
import { privateRedis, thousandGrabbers } from './support/redpack';

let stack: TestStack;
let redis: ReturnType<typeof privateRedis>;

beforeAll(async () => {
  redis = privateRedis(16511);
  stack = await startStack({
    config: testConfig({ REDIS_URL: redis.url, RED_ENVELOPE_GRABS_PER_IP_PER_MINUTE: '1000000' }),
  });
}, 60_000);
afterAll(async () => {
  await stack?.close();
  redis?.stop();
});

it('1,000 buyers at once through two API processes: 100 grabbed, 900 all gone, 100 coupons worth the budget, none twice', async () => {
  const marketer = await makeStaff(stack.db, 'marketer');
  await thousandGrabbers(stack, marketer.auth, {});
}, 180_000);
