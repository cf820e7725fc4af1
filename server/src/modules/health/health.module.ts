import type { AppModule, Kernel } from '../module';
import { healthRoutes } from './health.routes';
import { systemJobs } from './system.jobs';
import { upstreamProbe } from './upstreams';

/** Probes (/healthz, /readyz) and the worker's heartbeat. */
export function healthModule(k: Kernel): AppModule {
  const upstreams = upstreamProbe(
    [
      { name: 'wechat', url: k.config.wechat.apiBase },
      { name: 'wechatPay', url: k.config.wechatPay.apiBase },
    ],
    k.log,
  );
  return {
    name: 'health',
    services: {},
    systemRoutes: (router) => healthRoutes(router, { db: k.db, redis: k.redis, upstreams }),
    jobs: [
      {
        queue: 'system',
        concurrency: 4,
        processor: systemJobs(k),
        schedules: [{ id: 'heartbeat', everyMs: 30_000, data: { requestedAt: 'schedule' } }],
      },
    ],
  };
}
