import { createQueue, createWorker, workerHeartbeatKey } from '../src/kernel/queues';
import { createRedis } from '../src/kernel/redis';
import { createLogger } from '../src/kernel/logger';
import { systemJobs } from '../src/modules/health/system.jobs';
import { testConfig } from './support/harness';

describe('the worker', () => {
  it('consumes a heartbeat job from the system queue and records it in Redis', async () => {
    const config = testConfig();
    const app = createRedis(config.redis.url, 'app');
    const conn = createRedis(config.redis.url, 'queue');
    const queue = createQueue('system', conn, config.queues.prefix);
    const worker = createWorker(
      'system',
      systemJobs({ redis: app, config, log: createLogger('silent', 't') }),
      conn,
      config.queues.prefix,
      1,
    );
    try {
      if (app.status !== 'ready') await new Promise((r) => app.once('ready', r));
      await app.del(workerHeartbeatKey(config.queues.prefix));
      const done = new Promise((resolve) => worker.once('completed', resolve));
      await queue.add('heartbeat', { requestedAt: new Date().toISOString() });
      await done;
      const at = await app.get(workerHeartbeatKey(config.queues.prefix));
      expect(Date.now() - Date.parse(at!)).toBeLessThan(10_000);
    } finally {
      await worker.close();
      await queue.close();
      conn.disconnect();
      app.disconnect();
    }
  });
});
