/**
 * The outbox: side effects (messages, points, coupon use) are recorded as events inside
 * the transaction that causes them; the worker's relay sends committed events to BullMQ
 * with a job id derived from the event, and each effect of an event runs once (recorded in
 * outbox_effects). A crash anywhere delays the work, never loses or repeats it.
 */
import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { In, IsNull, type DataSource, type EntityManager } from 'typeorm';
import { randomBytes } from 'node:crypto';
import { createQueue } from './queues';
import { execute, insertIgnore } from './sql';
import { OutboxEffectEntity, OutboxEventEntity } from './outbox.entity';
import type { Logger } from './logger';
import { blame, dependencyOf, reportOutage, reportRecovered } from './outage';
import type { z } from 'zod';

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

/** The queue the relay sends committed events to. */
export function outboxQueue(connection: Redis, prefix: string): Queue {
  return createQueue('events', connection, prefix);
}

/** How long the relay waits before looking again when its last look found less than a batch. */
export const RELAY_IDLE_MS = 200;
/** The longest it waits between tries while the database or Redis is away. */
const RELAY_MAX_BACKOFF_MS = 10_000;

/**
 * One pass of the relay: committed events not yet sent go to the events queue, oldest first,
 * a batch at a time (one read, one Redis call, one update). The job id makes a repeat
 * harmless, so relays in several worker processes may race; a crash between sending and
 * marking sends the batch again, and each effect still runs once (outbox_effects).
 */
export async function relayOutbox(db: DataSource, queue: Queue, batch = 500): Promise<number> {
  const events = db.getRepository(OutboxEventEntity);
  const pending = await blame(
    events.find({
      select: { id: true, topic: true },
      where: { dispatchedAt: IsNull() },
      order: { createdAt: 'ASC' },
      take: batch,
    }),
    'database',
  );
  if (!pending.length) return 0;
  await blame(
    queue.addBulk(pending.map((e) => ({ name: e.topic, data: { eventId: e.id }, opts: { jobId: `evt-${e.id}` } }))),
    'redis',
  );
  await blame(
    events.update({ id: In(pending.map((e) => e.id)), dispatchedAt: IsNull() }, { dispatchedAt: new Date() }),
    'database',
  );
  return pending.length;
}

/**
 * The worker's relay loop: a request only commits its events and answers, it never waits on
 * Redis for its side effects; the relay picks them up within RELAY_IDLE_MS, straight away
 * again while there is a backlog, and backs off while a dependency is away (reported as that
 * dependency's outage: once, then once a minute; any other failure is logged once).
 */
export function startOutboxRelay(
  db: DataSource,
  queue: Queue,
  log: Logger,
  opts: { idleMs?: number; batch?: number } = {},
): { stop(): Promise<void> } {
  const idleMs = opts.idleMs ?? RELAY_IDLE_MS;
  const batch = opts.batch ?? 500;
  let stopped = false;
  let wake: () => void = () => undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const loop = async () => {
    let failures = 0;
    while (!stopped) {
      let sent = 0;
      try {
        sent = await relayOutbox(db, queue, batch);
        if (failures) {
          reportRecovered(log, 'database');
          log.info({ after: failures }, 'outbox relay recovered');
        }
        failures = 0;
      } catch (err) {
        const dependency = dependencyOf(err);
        if (dependency) reportOutage(log, dependency, err, { source: 'outbox relay' });
        else if (!failures) log.warn({ err }, 'outbox relay failed; retrying');
        failures++;
      }
      if (stopped) break;
      if (failures) await pause(Math.min(RELAY_MAX_BACKOFF_MS, idleMs * 2 ** failures));
      else if (sent < batch) await pause(idleMs);
    }
  };
  const running = loop();
  return {
    async stop() {
      stopped = true;
      wake();
      await running;
    },
  };
}

export type EffectHandler = (event: OutboxEvent) => Promise<void>;

/** Topic → zod schema of its payload: the declared catalogue of domain events. */
export type EventCatalogue = Record<string, z.ZodType<Record<string, unknown>>>;
export type PayloadOf<C extends EventCatalogue, K extends keyof C> = z.output<C[K]>;

/**
 * Records a declared event in the transaction that causes it, its payload checked against
 * the catalogue (a payload off its schema is a bug in the publisher and fails the change).
 */
export function eventPublisher<C extends EventCatalogue>(catalogue: C) {
  return async function publish<K extends keyof C & string>(
    tx: EntityManager,
    topic: K,
    eventKey: string,
    payload: z.input<C[K]>,
  ): Promise<string | null> {
    return addOutboxEvent(tx, topic, eventKey, catalogue[topic].parse(payload));
  };
}

/**
 * Subscribers per topic, each under a stable effect name. Each effect runs at most once
 * per event (recorded in outbox_effects), however often the event is delivered; a failure
 * retries only the effects that have not run.
 */
export class EffectRegistry<C extends EventCatalogue = EventCatalogue> {
  private readonly effects = new Map<string, Map<string, EffectHandler>>();

  constructor(private readonly catalogue?: C) {}

  on<K extends keyof C & string>(
    topic: K,
    effect: string,
    handler: (payload: PayloadOf<C, K>, event: OutboxEvent) => Promise<void>,
  ): this {
    const m = this.effects.get(topic) ?? new Map<string, EffectHandler>();
    if (m.has(effect)) throw new Error(`effect ${effect} is already subscribed to ${topic}`);
    const schema = this.catalogue?.[topic];
    m.set(effect, (e) => handler((schema ? schema.parse(e.payload) : e.payload) as PayloadOf<C, K>, e));
    this.effects.set(topic, m);
    return this;
  }

  /** Every topic → effect names, for the tests and the docs. */
  subscriptions(): Record<string, string[]> {
    return Object.fromEntries([...this.effects].map(([t, m]) => [t, [...m.keys()]]));
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
