/** The one place a thrown error becomes an HTTP answer (problem JSON). */
import { ErrorCode } from '@chatmall/shared';
import type Koa from 'koa';
import { mapError, RateLimitedError, type ErrorMappingOptions } from '../../kernel/errors';
import type { Logger } from '../../kernel/logger';
import { dependencyOf, reportOutage } from '../../kernel/outage';

/**
 * `outageLog` is the process's root logger: a request failing because the database or Redis
 * is away is reported there as that dependency's outage (once, then once a minute), not as
 * one warning per request.
 */
export function errorMiddleware(options: ErrorMappingOptions & { outageLog?: Logger } = {}): Koa.Middleware {
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
      const dependency = mapped.status === 503 ? dependencyOf(err) : null;
      if (mapped.unexpected) log.error({ err }, 'unexpected error');
      else if (dependency && options.outageLog) reportOutage(options.outageLog, dependency, err, { source: 'api' });
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
