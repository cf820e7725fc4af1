/**
 * Context-first transactions. Every service method that writes takes a context first; when
 * the context carries a transaction the method joins it, otherwise it opens its own. So work
 * that must commit together across modules (a refund settled, the order it refunds, and the
 * notification's inbox row) is one transaction without any service knowing about the others.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';
import { isLockConflict, isSqlite } from './dialect';

export interface Ctx {
  /** The transaction this work joins, when there is one. */
  readonly tx?: EntityManager;
  /** The request this work serves, for log lines. */
  readonly requestId?: string;
}

export interface TxCtx extends Ctx {
  readonly tx: EntityManager;
}

/** A context with no transaction: each call commits on its own (jobs, reads, scripts). */
export const noTx: Ctx = Object.freeze({});

/** How often a transaction that lost a deadlock or a lock wait is tried again, in all. */
export const TX_ATTEMPTS = 4;

/**
 * Runs `fn` in the context's transaction, or in a new one that commits when `fn` resolves.
 * A transaction this call opened and the database rolled back as a deadlock victim or
 * after a lock-wait timeout is run again from the start (a few times, with a short jittered
 * pause): another buyer writing at the same moment is never the caller's error. The body
 * must therefore do nothing outside the transaction that cannot be repeated. A transaction
 * joined from the context is not retried here: its owner retries the whole of it.
 */
export async function withTx<T>(db: DataSource, ctx: Ctx, fn: (ctx: TxCtx) => Promise<T>): Promise<T> {
  if (ctx.tx) return fn(ctx as TxCtx);
  for (let attempt = 1; ; attempt++) {
    try {
      return await oneAtATime(db, () => db.transaction((tx) => fn({ ...ctx, tx })));
    } catch (err) {
      if (attempt >= TX_ATTEMPTS || !isLockConflict(err)) throw err;
      await new Promise((r) => setTimeout(r, 5 * 2 ** attempt + Math.random() * 20));
    }
  }
}

/** The manager to read or write with: the context's transaction, or the plain connection. */
export function managerOf(db: DataSource, ctx: Ctx): EntityManager {
  return ctx.tx ?? db.manager;
}

/**
 * SQLite (`npm start`) gives a process one connection: two transactions opened at once by
 * different tasks (eight event effects, a sweep, a request) would nest as savepoints of one
 * another and hold the file's write lock while they wait on each other, so the other process
 * (API or worker) gets SQLITE_BUSY. There, transactions of one process take turns. A
 * transaction opened from inside another (code that did not pass its context on) runs at
 * once rather than wait for itself. MariaDB has a pool and row locks: nothing changes there.
 */
const queues = new WeakMap<DataSource, Promise<unknown>>();
const insideTurn = new AsyncLocalStorage<DataSource>();

function oneAtATime<T>(db: DataSource, run: () => Promise<T>): Promise<T> {
  if (!isSqlite(db) || insideTurn.getStore() === db) return run();
  const previous = queues.get(db) ?? Promise.resolve();
  const turn = previous.then(() => insideTurn.run(db, run));
  queues.set(
    db,
    turn.catch(() => undefined),
  );
  return turn;
}
