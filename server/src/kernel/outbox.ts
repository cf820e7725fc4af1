/**
 * The outbox: side effects (messages, points, coupon use) are recorded as events inside
 * the transaction that causes them, relayed to BullMQ after commit with a job id derived
 * from the event, and each effect of an event runs once (recorded in outbox_effects).
 * A crash between commit and relay delays the work; the periodic relay picks it up.
 */
import { Queue, type ConnectionOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { IsNull, LessThanOrEqual, type DataSource, type EntityManager } from 'typeorm';
import { randomBytes } from 'node:crypto';
import { queueNames } from './queues';
import { execute, insertIgnore } from './sql';
import { OutboxEffectEntity, OutboxEventEntity } from './outbox.entity';
import type { Logger } from './logger';

export interface OutboxEvent {
  id: string;
  topic: string;
  eventKey: string;
  payload: Record<string, unknown>;
}

const eventId = () => `evt_${Date.now().toString(36)}${randomBytes(10).toString('hex')}`;

/**
 * Records an event in the caller's transaction; a second one with the same topic and key is
 * ignored. Returns the new event's id, or null when it was ignored (the first one stands).
 */
export async function addOutboxEvent(
  tx: EntityManager,
  topic: string,
  eventKey: string,
  payload: Record<string, unknown>,
): Promise<string | null> {
  const id = eventId();
  // created_at and the pending index take their defaults; the payload is simple-json (JSON text).
  const added = await execute(
    tx,
    `${insertIgnore(tx)} INTO outbox_events (id, topic, event_key, payload, dispatched_at) VALUES (?, ?, ?, ?, NULL)`,
    [id, topic, eventKey, JSON.stringify(payload)],
  );
  return added === 1 ? id : null;
}

export function outboxQueue(connection: Redis, prefix: string): Queue {
  return new Queue(queueNames.events, {
    connection: connection as unknown as ConnectionOptions,
    prefix,
    defaultJobOptions: {
      removeOnComplete: 5000,
      removeOnFail: 10000,
      attempts: 12,
      backoff: { type: 'exponential', delay: 1000 },
    },
  });
}

export interface CommittedEvent {
  id: string;
  topic: string;
}

const jobFor = (e: CommittedEvent) => ({ name: e.topic, data: { eventId: e.id }, opts: { jobId: `evt-${e.id}` } });

/**
 * Right after commit: puts just-committed events on the queue (no SQL). The job id makes a
 * repeat harmless; the worker marks the event dispatched when it runs it, and the periodic
 * relay catches any event whose enqueue was lost.
 */
export async function enqueueCommitted(queue: Queue, events: readonly CommittedEvent[]): Promise<void> {
  if (events.length) await queue.addBulk(events.map(jobFor));
}

/**
 * `enqueueCommitted` for a busy request path: what concurrent requests commit in the same
 * turn of the event loop goes to Redis together, in one round trip, instead of one each.
 */
export class CommittedEventRelay {
  private waiting: { events: readonly CommittedEvent[]; done: (err?: unknown) => void }[] = [];

  constructor(private readonly queue: Queue) {}

  enqueue(events: readonly CommittedEvent[]): Promise<void> {
    if (!events.length) return Promise.resolve();
    return new Promise((resolve, reject) => {
      if (!this.waiting.length) setImmediate(() => void this.flush());
      this.waiting.push({ events, done: (err) => (err ? reject(err) : resolve()) });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    try {
      const events = batch.flatMap((b) => b.events);
      await enqueueCommitted(this.queue, events);
      for (const b of batch) b.done();
    } catch (err) {
      for (const b of batch) b.done(err);
    }
  }
}

/** How long the periodic relay leaves a fresh event to the request that committed it. */
export const RELAY_GRACE_MS = 30_000;

/**
 * The backstop: sends events that are still undispatched after the grace period (their
 * request's enqueue was lost) to the queue. Safe to run from many processes at once.
 */
export async function relayOutbox(db: DataSource, queue: Queue, batch = 500): Promise<number> {
  const pending = await db.getRepository(OutboxEventEntity).find({
    where: { dispatchedAt: IsNull(), createdAt: LessThanOrEqual(new Date(Date.now() - RELAY_GRACE_MS)) },
    order: { createdAt: 'ASC' },
    take: batch,
  });
  let n = 0;
  for (const e of pending) {
    // BullMQ ignores a second add with the same job id: two relays racing enqueue once.
    await queue.add(e.topic, { eventId: e.id }, { jobId: `evt-${e.id}` });
    await db
      .getRepository(OutboxEventEntity)
      .update({ id: e.id, dispatchedAt: IsNull() }, { dispatchedAt: new Date() });
    n++;
  }
  return n;
}

export type EffectHandler = (event: OutboxEvent) => Promise<void>;

/** Effects per topic, by name. Each runs at most once per event; a failure retries only what is left. */
export class EffectRegistry {
  private readonly effects = new Map<string, Map<string, EffectHandler>>();

  on(topic: string, effect: string, handler: EffectHandler): this {
    const m = this.effects.get(topic) ?? new Map<string, EffectHandler>();
    m.set(effect, handler);
    this.effects.set(topic, m);
    return this;
  }

  processor(db: DataSource, log: Logger) {
    return async (job: Job): Promise<unknown> => {
      const { eventId: id } = job.data as { eventId: string };
      const e = await db.getRepository(OutboxEventEntity).findOneBy({ id });
      if (!e) throw new Error(`outbox event ${id} not found`);
      if (!e.dispatchedAt)
        await db.getRepository(OutboxEventEntity).update({ id, dispatchedAt: IsNull() }, { dispatchedAt: new Date() });
      const done: string[] = [];
      for (const [name, handler] of this.effects.get(e.topic) ?? []) {
        const already = await db.getRepository(OutboxEffectEntity).existsBy({ eventId: id, effect: name });
        if (already) continue;
        await handler({ id: e.id, topic: e.topic, eventKey: e.eventKey, payload: e.payload });
        await db
          .getRepository(OutboxEffectEntity)
          .createQueryBuilder()
          .insert()
          .values({ eventId: id, effect: name })
          .orIgnore()
          .execute();
        done.push(name);
      }
      if (done.length) log.info({ topic: e.topic, key: e.eventKey, effects: done }, 'event effects ran');
      return { done };
    };
  }
}
