/**
 * Context-first transactions. Every service method that writes takes a context first; when
 * the context carries a transaction the method joins it, otherwise it opens its own. So work
 * that must commit together across modules (a refund settled, the order it refunds, and the
 * notification's inbox row) is one transaction without any service knowing about the others.
 */
import type { DataSource, EntityManager } from 'typeorm';

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

/** Runs `fn` in the context's transaction, or in a new one that commits when `fn` resolves. */
export function withTx<T>(db: DataSource, ctx: Ctx, fn: (ctx: TxCtx) => Promise<T>): Promise<T> {
  if (ctx.tx) return fn(ctx as TxCtx);
  return db.transaction((tx) => fn({ ...ctx, tx }));
}

/** The manager to read or write with: the context's transaction, or the plain connection. */
export function managerOf(db: DataSource, ctx: Ctx): EntityManager {
  return ctx.tx ?? db.manager;
}
