import { createRedisCluster, type Cluster } from '../../kernel/redis';
import { RateLimit } from '../../kernel/rate-limit';
import type { AppModule, Kernel } from '../module';
import { RED_ENVELOPE_RECONCILE_EVERY_MS, redEnvelopeJobs } from './red-envelope.jobs';
import { RedEnvelopePool } from './red-envelope.pool';
import { ordersPort, type BuyerPort, type CouponPort } from './red-envelope.ports';
import { redEnvelopeRoutes } from './red-envelope.routes';
import { RedEnvelopeService } from './red-envelope.service';
import { RedEnvelopeStats } from './red-envelope.stats';

/**
 * Group red-envelope packs: the only writer of red_envelope_packs, _shares, _grabs, _opens and
 * _orders. The grab scripts run on the app's Redis, or on a Redis Cluster when
 * RED_ENVELOPE_REDIS_CLUSTER names one; coupons are issued through the coupons module.
 */
export function redEnvelopesModule(
  k: Kernel,
  deps: CouponPort & { buyers: BuyerPort; orders: Parameters<typeof ordersPort>[0] },
) {
  const nodes = k.config.redis.redEnvelopeCluster;
  const cluster: Cluster | undefined = nodes.length ? createRedisCluster(nodes, k.log) : undefined;
  const pool = new RedEnvelopePool(cluster ?? k.redis);
  const perMinute = (keyPrefix: string, points: number) =>
    new RateLimit(k.redis, { keyPrefix, points, durationSeconds: 60 });
  const redEnvelopes = new RedEnvelopeService(k.db, pool, {
    couponTemplates: deps.couponTemplates,
    coupons: deps.coupons,
    buyers: deps.buyers,
    orders: ordersPort(deps.orders),
    miniProgram: k.wechat.miniProgram,
    queue: () => k.queue('redEnvelopes'),
    limits: {
      perBuyer: perMinute('rl:rp-grab:buyer', k.config.redEnvelopes.grabsPerBuyerPerMinute),
      perIp: perMinute('rl:rp-grab:ip', k.config.redEnvelopes.grabsPerIpPerMinute),
    },
    log: k.log,
  });
  const stats = new RedEnvelopeStats(k.db, pool);
  return {
    name: 'red-envelopes',
    services: { redEnvelopes, redEnvelopeStats: stats, redEnvelopePool: pool },
    routes: (api) => redEnvelopeRoutes(api, redEnvelopes, stats),
    jobs: [
      {
        queue: 'redEnvelopes',
        concurrency: 8,
        processor: redEnvelopeJobs(redEnvelopes, k.log),
        schedules: [{ id: 'reconcile', everyMs: RED_ENVELOPE_RECONCILE_EVERY_MS }],
      },
    ],
    subscribe(on) {
      on.on('order.paid', 'red-envelope-attribution', async ({ orderNo }) => {
        await redEnvelopes.attributeOrder(orderNo);
      });
    },
    async close() {
      if (cluster) await cluster.quit().catch(() => cluster.disconnect());
    },
  } satisfies AppModule;
}
