/**
 * The request path's relay of committed events to BullMQ (real Redis): events committed by
 * concurrent requests go out together, each once, and a failed send fails every caller that
 * was waiting on it (their events stay for the periodic relay).
 */
import type { Queue } from 'bullmq';
import { CommittedEventRelay, outboxQueue } from '../src/kernel/outbox';
import { createRedis, type Redis } from '../src/kernel/redis';
import { testConfig } from './support/harness';

let redis: Redis;
let queue: Queue;
beforeAll(async () => {
  const config = testConfig({ QUEUE_PREFIX: `${testConfig().queues.prefix}-relay` });
  redis = createRedis(config.redis.url, 'queue');
  queue = outboxQueue(redis, config.queues.prefix);
  await queue.obliterate({ force: true });
});
afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  redis.disconnect();
});

it('sends what concurrent requests committed in one Redis call, one job per event', async () => {
  const relay = new CommittedEventRelay(queue);
  const bulk = jest.spyOn(queue, 'addBulk');
  const requests = Array.from({ length: 6 }, (_, i) => [{ id: `evt_relay${i}`, topic: 'order.paid' }]);
  await Promise.all([...requests.map((events) => relay.enqueue(events)), relay.enqueue([])]);
  expect(bulk).toHaveBeenCalledTimes(1);

  // The same event again (a retried request, the periodic relay) does not make a second job.
  await relay.enqueue(requests[0]);
  expect(bulk).toHaveBeenCalledTimes(2);
  expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 6 });
  const job = await queue.getJob('evt-evt_relay3');
  expect(job).toMatchObject({ name: 'order.paid', data: { eventId: 'evt_relay3' } });
  bulk.mockRestore();
});

it('rejects every request in a batch whose send failed', async () => {
  const config = testConfig({ QUEUE_PREFIX: `${testConfig().queues.prefix}-relay` });
  const gone = createRedis(config.redis.url, 'queue');
  const cut = outboxQueue(gone, config.queues.prefix);
  await cut.waitUntilReady();
  gone.disconnect(); // Redis is out of reach for this connection from here on
  const relay = new CommittedEventRelay(cut);
  const results = await Promise.allSettled([
    relay.enqueue([{ id: 'evt_lost1', topic: 'order.paid' }]),
    relay.enqueue([{ id: 'evt_lost2', topic: 'order.paid' }]),
  ]);
  expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  expect(await queue.getJob('evt-evt_lost1')).toBeUndefined();
  await cut.close().catch(() => undefined);
});
