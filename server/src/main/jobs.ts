/**
 * The worker's side of a composition: a BullMQ worker per module job set (with its
 * schedules), the events worker that runs every module's subscribers, and the outbox relay
 * loop that hands committed events to it.
 */
import type { Worker } from 'bullmq';
import { dependencyOf, reportOutage } from '../kernel/outage';
import { startOutboxRelay } from '../kernel/outbox';
import { createWorker, queueNames, type QueueName } from '../kernel/queues';
import { createRedis } from '../kernel/redis';
import type { Composition } from './compose';

export interface RunningJobs {
  workers: Worker[];
  stop(): Promise<void>;
}

export async function startJobs(
  c: Composition,
  opts: {
    /** Only these queues (tests run the events queue alone); all by default. */
    only?: readonly QueueName[];
    /** How often the relay looks for new events when idle. */
    relayIdleMs?: number;
    eventConcurrency?: number;
  } = {},
): Promise<RunningJobs> {
  const { config, log, db } = c.kernel;
  const wanted = (q: QueueName) => !opts.only || opts.only.includes(q);
  // Workers block on Redis: their own connection, separate from the queues' one.
  const connection = createRedis(config.redis.url, 'queue', log);
  const prefix = config.queues.prefix;
  const workers: Worker[] = [];

  for (const m of c.modules) {
    for (const set of m.jobs ?? []) {
      if (!wanted(set.queue)) continue;
      workers.push(createWorker(set.queue, set.processor, connection, prefix, set.concurrency, log, set.timing));
      const queue = c.kernel.queue(set.queue);
      for (const s of set.schedules ?? [])
        await queue.upsertJobScheduler(s.id, { every: s.everyMs }, { name: s.id, data: s.data ?? {} });
      for (const id of set.retiredSchedules ?? []) await queue.removeJobScheduler(id);
    }
  }

  let relay: { stop(): Promise<void> } | undefined;
  if (wanted('events')) {
    workers.push(
      createWorker('events', c.subscribers.processor(db, log), connection, prefix, opts.eventConcurrency ?? 8, log),
    );
    relay = startOutboxRelay(db, c.kernel.queue('events'), log, { idleMs: opts.relayIdleMs });
  }
  for (const w of workers)
    w.on('failed', (job, err) => {
      // A job that failed because the database or Redis is away is part of that outage's
      // log (once, then once a minute); BullMQ retries it with backoff as usual.
      const dependency = dependencyOf(err);
      if (dependency) reportOutage(log, dependency, err, { source: `job ${job?.name ?? '?'}` });
      else log.warn({ job: job?.name, id: job?.id, err }, 'job failed');
    });
  log.info(
    {
      queues: Object.entries(queueNames)
        .filter(([k]) => wanted(k as QueueName))
        .map(([, v]) => v),
    },
    'jobs started',
  );

  return {
    workers,
    async stop() {
      await relay?.stop();
      await Promise.all(workers.map((w) => w.close())); // waits for active jobs
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
