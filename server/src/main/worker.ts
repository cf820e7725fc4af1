/** The worker process: runs BullMQ jobs until SIGINT/SIGTERM, then finishes active jobs and closes. */
import { Worker, type ConnectionOptions } from 'bullmq';
import { ConfigError, loadConfig } from '../kernel/config';
import { createQueue, queueNames } from '../kernel/queues';
import { createRedis } from '../kernel/redis';
import { closeRuntime, onShutdown, openRuntime } from '../kernel/runtime';
import { systemJobs } from '../modules/health/system.jobs';

async function main() {
  const config = loadConfig();
  const rt = await openRuntime(config, 'worker');
  const connection = createRedis(config.redis.url, 'queue');
  const systemQueue = createQueue('system', connection, config.queues.prefix);
  const worker = new Worker(queueNames.system, systemJobs(rt), {
    connection: connection as unknown as ConnectionOptions,
    prefix: config.queues.prefix,
    concurrency: 4,
  });
  worker.on('failed', (job, err) => rt.log.warn({ job: job?.name, id: job?.id, err: err.message }, 'job failed'));
  // One scheduler entry, however many workers start: BullMQ upserts it by id.
  await systemQueue.upsertJobScheduler(
    'heartbeat',
    { every: 30_000 },
    { name: 'heartbeat', data: { requestedAt: 'schedule' } },
  );
  rt.log.info({ queues: Object.values(queueNames) }, 'worker started');

  onShutdown(rt.log, async () => {
    await worker.close(); // waits for active jobs
    await systemQueue.close();
    await connection.quit().catch(() => connection.disconnect());
    await closeRuntime(rt);
  });
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error('worker failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
