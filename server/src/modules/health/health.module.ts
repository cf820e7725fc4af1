import type { AppModule, Kernel } from '../module';
import { healthRoutes } from './health.routes';
import { systemJobs } from './system.jobs';

/** Probes (/healthz, /readyz) and the worker's heartbeat. */
export function healthModule(k: Kernel): AppModule {
  return {
    name: 'health',
    services: {},
    systemRoutes: (router) => healthRoutes(router, k),
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
