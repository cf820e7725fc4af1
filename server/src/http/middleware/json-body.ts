/**
 * Reads JSON bodies with a size limit. The raw bytes are kept on `ctx.state.rawBody`:
 * WeChat callbacks verify signatures on the exact bytes received, never on re-serialised JSON.
 */
import type Koa from 'koa';
import getRawBody from 'raw-body';
import { PayloadTooLargeError, ValidationError } from '../../kernel/errors';

/**
 * `routeLimits` raises the limit for named routes (`'POST /api/admin/media'`), e.g. image
 * uploads whose raw bytes are the body; every other route keeps `limitBytes`.
 */
export function jsonBody(limitBytes = 1024 * 1024, routeLimits: Record<string, number> = {}): Koa.Middleware {
  return async (ctx, next) => {
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(ctx.method) || !ctx.req.readable) return next();
    const limit = routeLimits[`${ctx.method} ${ctx.path}`] ?? limitBytes;
    let raw: Buffer;
    try {
      raw = await getRawBody(ctx.req, { limit, length: ctx.get('content-length') || undefined });
    } catch (err) {
      if ((err as { type?: string }).type === 'entity.too.large') throw new PayloadTooLargeError(limit);
      throw new ValidationError([{ path: 'body', message: 'could not be read in full' }]);
    }
    ctx.state.rawBody = raw;
    if (raw.length && ctx.is('application/json')) {
      try {
        (ctx.request as { body?: unknown }).body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new ValidationError([{ path: 'body', message: 'is not valid JSON' }]);
      }
    }
    await next();
  };
}
