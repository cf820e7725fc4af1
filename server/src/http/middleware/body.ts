/**
 * Reads request bodies with a size limit and keeps the bytes on `ctx.state.rawBody`. WeChat
 * callbacks verify signatures on the exact bytes received, never on re-serialised JSON;
 * JSON is parsed only by what expects it (the contract router, through `jsonBodyOf`), so a
 * callback never pays for a parse it does not use.
 */
import type Koa from 'koa';
import getRawBody from 'raw-body';
import { PayloadTooLargeError, ValidationError } from '../../kernel/errors';

const withBody = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * `routeLimits` raises the limit for named routes (`'POST /api/admin/media'`), e.g. image
 * uploads whose raw bytes are the body; every other route keeps `limitBytes`.
 */
export function readBody(limitBytes = 1024 * 1024, routeLimits: Record<string, number> = {}): Koa.Middleware {
  return async (ctx, next) => {
    if (!withBody.has(ctx.method) || !ctx.req.readable) return next();
    const limit = routeLimits[`${ctx.method} ${ctx.path}`] ?? limitBytes;
    try {
      ctx.state.rawBody = await getRawBody(ctx.req, { limit, length: ctx.get('content-length') || undefined });
    } catch (err) {
      if ((err as { type?: string }).type === 'entity.too.large') throw new PayloadTooLargeError(limit);
      throw new ValidationError([{ path: 'body', message: 'could not be read in full' }]);
    }
    await next();
  };
}

/** The request's JSON body; undefined when there is none or it is not JSON; 400 naming `body` when it does not parse. */
export function jsonBodyOf(ctx: Koa.Context): unknown {
  const raw = ctx.state.rawBody as Buffer | undefined;
  if (!raw?.length || !ctx.is('application/json')) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ValidationError([{ path: 'body', message: 'is not valid JSON' }]);
  }
}
