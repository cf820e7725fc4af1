/**
 * The outbox relay on real MariaDB and Redis: only committed events are sent, each as one
 * job however many relays race, in batches; an unreachable Redis leaves them for the next
 * pass; the worker's loop picks a new event up promptly and stops cleanly.
 */
import type { Queue } from 'bullmq';
import { IsNull, type DataSource } from 'typeorm';
import { createDataSource } from '../src/main/data-source';
import { createLogger } from '../src/kernel/logger';
import { addOutboxEvent, outboxQueue, relayOutbox, startOutboxRelay } from '../src/kernel/outbox';
import { OutboxEventEntity } from '../src/kernel/outbox.entity';
import { createRedis, type Redis } from '../src/kernel/redis';
import { freshDatabase, testConfig } from './support/harness';

const config = testConfig({ QUEUE_PREFIX: `${testConfig().queues.prefix}-relay` });
let db: DataSource;
let redis: Redis;
let queue: Queue;
let n = 0;

beforeAll(async () => {
  await freshDatabase(config);
  db = createDataSource(config);
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  redis = createRedis(config.redis.url, 'queue');
  queue = outboxQueue(redis, config.queues.prefix);
});
beforeEach(async () => {
  await queue.obliterate({ force: true });
  await db.getRepository(OutboxEventEntity).clear();
});
afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  redis.disconnect();
  await db.destroy();
});

async function commitEvents(count: number): Promise<string[]> {
  return db.transaction(async (tx) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await addOutboxEvent(tx, 'order.paid', `CMRELAY${++n}`, { n }))!);
    return ids;
  });
}
const undispatched = () => db.getRepository(OutboxEventEntity).countBy({ dispatchedAt: IsNull() });
const jobIds = async () => (await queue.getJobs(['waiting'])).map((j) => j.id).sort();

it('sends committed events a batch at a time, one job each, and marks them sent', async () => {
  const ids = await commitEvents(7);
  const bulk = jest.spyOn(queue, 'addBulk');
  expect(await relayOutbox(db, queue, 5)).toBe(5);
  expect(await relayOutbox(db, queue, 5)).toBe(2);
  expect(await relayOutbox(db, queue, 5)).toBe(0);
  expect(bulk).toHaveBeenCalledTimes(2);
  bulk.mockRestore();
  expect(await jobIds()).toEqual(ids.map((id) => `evt-${id}`).sort());
  expect(await undispatched()).toBe(0);
  const job = await queue.getJob(`evt-${ids[0]}`);
  expect(job).toMatchObject({ name: 'order.paid', data: { eventId: ids[0] } });
});

it('does not send an event before its transaction commits, nor one that rolled back', async () => {
  const qr = db.createQueryRunner();
  await qr.startTransaction();
  const id = await addOutboxEvent(qr.manager, 'order.paid', `CMRELAY${++n}`, {});
  expect(await relayOutbox(db, queue)).toBe(0);
  await qr.commitTransaction();
  await qr.release();
  expect(await relayOutbox(db, queue)).toBe(1);
  expect(await jobIds()).toEqual([`evt-${id}`]);

  await db
    .transaction(async (tx) => {
      await addOutboxEvent(tx, 'order.paid', `CMRELAY${++n}`, {});
      throw new Error('the change failed');
    })
    .catch(() => undefined);
  expect(await relayOutbox(db, queue)).toBe(0);
});

it('relays racing each other (two worker processes) still make one job per event', async () => {
  const ids = await commitEvents(40);
  await Promise.all([relayOutbox(db, queue, 25), relayOutbox(db, queue, 25), relayOutbox(db, queue, 25)]);
  while (await relayOutbox(db, queue, 25));
  expect(await jobIds()).toEqual(ids.map((id) => `evt-${id}`).sort());
});

it('leaves events for the next pass when Redis cannot be reached', async () => {
  const [id] = await commitEvents(1);
  const gone = createRedis(config.redis.url, 'queue');
  const cut = outboxQueue(gone, config.queues.prefix);
  await cut.waitUntilReady();
  gone.disconnect(); // this connection's Redis is out of reach from here on
  await expect(relayOutbox(db, cut)).rejects.toThrow();
  await cut.close().catch(() => undefined);
  expect(await undispatched()).toBe(1);
  expect(await relayOutbox(db, queue)).toBe(1);
  expect(await jobIds()).toEqual([`evt-${id}`]);
});

it('the worker’s loop sends a new event within its idle interval and stops cleanly', async () => {
  const relay = startOutboxRelay(db, queue, createLogger('silent', 'test'), { idleMs: 20 });
  try {
    const [id] = await commitEvents(1);
    const deadline = Date.now() + 2000;
    while (!(await queue.getJob(`evt-${id}`)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(await queue.getJob(`evt-${id}`)).toBeTruthy();
  } finally {
    await relay.stop();
  }
  const [later] = await commitEvents(1);
  await new Promise((r) => setTimeout(r, 100));
  expect(await queue.getJob(`evt-${later}`)).toBeUndefined(); // stopped means stopped
});
