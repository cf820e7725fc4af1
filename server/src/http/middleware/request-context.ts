/** Gives every request an id (from `X-Request-Id` when sane, else new) and a child logger. */
import { randomUUID } from 'node:crypto';
import type Koa from 'koa';
import { requestContext } from '../../kernel/context';
import type { Logger } from '../../kernel/logger';

export function requestContextMiddleware(log: Logger): Koa.Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = /^[\w.-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    const child = log.child({ requestId });
    ctx.state.log = child;
    const started = process.hrtime.bigint();
    await requestContext.run({ requestId, log: child }, async () => {
      try {
        await next();
      } finally {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        // The path only: query strings can carry tokens and personal data.
        child.info({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 10) / 10 }, 'request');
      }
    });
  };
}
