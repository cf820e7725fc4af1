/**
 * /healthz: the process is up (no dependency checks, so a load balancer does not kill
 * a healthy process during a database blip). /readyz: the database and Redis answer (else
 * 503); WeChat's and WeChat Pay's base URLs are probed too, and one that does not answer is
 * named under `degraded` with a `warning` — still 200, since buyers can browse without them.
 */
import type Koa from 'koa';
import type Router from 'koa-router';
import type { DataSource } from 'typeorm';
import { pingDatabase } from '../../kernel/db';
import { pingRedis, type Redis } from '../../kernel/redis';
import type { UpstreamProbe } from './upstreams';

export interface HealthDeps {
  db: DataSource;
  redis: Redis;
  /** WeChat's and WeChat Pay's base URLs (health.module.ts builds it from the kernel's config). */
  upstreams?: UpstreamProbe;
}

export async function readiness(deps: HealthDeps, timeoutMs = 1500) {
  const [database, redis] = await Promise.all([
    pingDatabase(deps.db, timeoutMs).then(
      () => 'ok' as const,
      () => 'unavailable' as const,
    ),
    pingRedis(deps.redis, timeoutMs).then(
      () => 'ok' as const,
      () => 'unavailable' as const,
    ),
  ]);
  const ready = database === 'ok' && redis === 'ok';
  return { ready, checks: { database, redis } };
}

export function healthRoutes(router: Router, deps: HealthDeps): void {
  router.get('/healthz', (ctx: Koa.Context) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx: Koa.Context) => {
    const [r, upstreams] = await Promise.all([readiness(deps), deps.upstreams?.check() ?? []]);
    const degraded = upstreams
      .filter((u) => u.status !== 'ok')
      .map(({ name, url, error }) => ({ name, url, status: 'unreachable' as const, error }));
    ctx.status = r.ready ? 200 : 503;
    ctx.body = {
      status: !r.ready ? 'unavailable' : degraded.length ? 'degraded' : 'ready',
      checks: r.checks,
      ...(degraded.length
        ? {
            degraded,
            warning: `${degraded.map((d) => `${d.name === 'wechat' ? 'WeChat' : 'WeChat Pay'} (${d.url})`).join(' and ')} not answering: buyers can browse, but sign-in and payment may fail.`,
          }
        : {}),
    };
  });
}
