/** The one place a thrown error becomes an HTTP answer (problem JSON). */
import { ErrorCode } from '@chatmall/shared';
import type Koa from 'koa';
import { mapError, RateLimitedError, type ErrorMappingOptions } from '../../kernel/errors';
import type { Logger } from '../../kernel/logger';

export function errorMiddleware(options: ErrorMappingOptions = {}): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined && ctx.path.startsWith('/api/')) {
        ctx.status = 404;
        ctx.body = { code: ErrorCode.NOT_FOUND, message: 'No such API route.', requestId: ctx.state.requestId };
      }
    } catch (err) {
      const log = ctx.state.log as Logger;
      const mapped = mapError(err, ctx.state.requestId as string, options);
      if (mapped.unexpected) log.error({ err }, 'unexpected error');
      else log.warn({ code: mapped.problem.code, errName: (err as Error)?.name }, 'request failed');
      ctx.status = mapped.status;
      ctx.type = 'application/json';
      ctx.body = mapped.problem;
      if (mapped.status === 503) ctx.set('Retry-After', '5');
      if (err instanceof RateLimitedError && err.retryAfterSeconds !== undefined)
        ctx.set('Retry-After', String(Math.max(1, Math.ceil(err.retryAfterSeconds))));
    }
  };
}
