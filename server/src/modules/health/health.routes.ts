/**
 * /healthz: the process is up (no dependency checks, so a load balancer does not kill
 * a healthy process during a database blip). /readyz: the database and Redis answer.
 */
import type Koa from 'koa';
import type Router from 'koa-router';
import type { DataSource } from 'typeorm';
import { pingDatabase } from '../../kernel/db';
import { pingRedis, type Redis } from '../../kernel/redis';

export interface HealthDeps {
  db: DataSource;
  redis: Redis;
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
    const r = await readiness(deps);
    ctx.status = r.ready ? 200 : 503;
    ctx.body = { status: r.ready ? 'ready' : 'unavailable', checks: r.checks };
  });
}
