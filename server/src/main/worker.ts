/** The worker process: runs BullMQ jobs until SIGINT/SIGTERM, then finishes active jobs and closes. */
import { Worker, type ConnectionOptions } from 'bullmq';
import { ConfigError, loadConfig } from '../kernel/config';
import { createQueue, queueNames } from '../kernel/queues';
import { createRedis } from '../kernel/redis';
import { closeRuntime, onShutdown, openRuntime } from '../kernel/runtime';
import { systemJobs } from '../modules/health/system.jobs';
import { bullOrderScheduler, ORDER_SWEEP_EVERY_MS, orderJobs } from '../modules/orders/order.jobs';
import { OrderService } from '../modules/orders/order.service';
import { EffectRegistry, outboxQueue, startOutboxRelay } from '../kernel/outbox';
import { miniProgramFor } from '../modules/auth/wechat-login';
import { registerPaymentEffects } from '../modules/payments/payment.effects';
import { paymentJobs, RECONCILE_EVERY_MS } from '../modules/payments/payment.jobs';
import { PaymentService } from '../modules/payments/payment.service';
import { RefundService } from '../modules/payments/refund.service';
import { WechatPay } from '../wechat/pay/wechat-pay';
import { Queue } from 'bullmq';

async function main() {
  const config = loadConfig();
  const rt = await openRuntime(config, 'worker');
  const connection = createRedis(config.redis.url, 'queue');
  const systemQueue = createQueue('system', connection, config.queues.prefix);
  const worker = new Worker(queueNames.system, systemJobs(rt), {
    connection: connection as unknown as ConnectionOptions,
    prefix: config.queues.prefix,
    concurrency: 4,
  });
  const orderScheduler = bullOrderScheduler(connection, config.queues.prefix);
  const orders = new OrderService(rt.db, config, orderScheduler);
  const orderWorker = new Worker(queueNames.orders, orderJobs(orders, rt.log), {
    connection: connection as unknown as ConnectionOptions,
    prefix: config.queues.prefix,
    concurrency: 8,
  });
  const wechatPay = new WechatPay(config.wechatPay);
  const refunds = new RefundService(rt.db, wechatPay, rt.log);
  const payments = new PaymentService(rt.db, orders, wechatPay, rt.log, refunds);
  const events = outboxQueue(connection, config.queues.prefix);
  const effects = new EffectRegistry();
  registerPaymentEffects(effects, {
    db: rt.db,
    log: rt.log,
    miniProgram: miniProgramFor(config, rt.redis),
    payments,
    hooks: { onOrderPaid: [] },
  });
  const eventWorker = new Worker(queueNames.events, effects.processor(rt.db, rt.log), {
    connection: connection as unknown as ConnectionOptions,
    prefix: config.queues.prefix,
    concurrency: 8,
  });
  const paymentQueue = new Queue(queueNames.payments, {
    connection: connection as unknown as ConnectionOptions,
    prefix: config.queues.prefix,
  });
  const paymentWorker = new Worker(
    queueNames.payments,
    paymentJobs({ payments, refunds, log: rt.log }),
    {
      connection: connection as unknown as ConnectionOptions,
      prefix: config.queues.prefix,
      concurrency: 1,
    },
  );
  await paymentQueue.upsertJobScheduler('reconcile', { every: RECONCILE_EVERY_MS }, { name: 'reconcile', data: {} });
  // The relay used to be a job every 10 s; it is a loop now (below). Drop an old schedule.
  await paymentQueue.removeJobScheduler('relay-outbox');
  const relay = startOutboxRelay(rt.db, events, rt.log);
  for (const w of [worker, orderWorker, eventWorker, paymentWorker]) {
    w.on('failed', (job, err) => rt.log.warn({ job: job?.name, id: job?.id, err: err.message }, 'job failed'));
  }
  await orderScheduler.queue.upsertJobScheduler('sweep', { every: ORDER_SWEEP_EVERY_MS }, { name: 'sweep', data: {} });
  // One scheduler entry, however many workers start: BullMQ upserts it by id.
  await systemQueue.upsertJobScheduler(
    'heartbeat',
    { every: 30_000 },
    { name: 'heartbeat', data: { requestedAt: 'schedule' } },
  );
  rt.log.info({ queues: Object.values(queueNames) }, 'worker started');

  onShutdown(rt.log, async () => {
    await relay.stop();
    await Promise.all([worker.close(), orderWorker.close(), eventWorker.close(), paymentWorker.close()]); // wait for active jobs
    await Promise.all([systemQueue.close(), orderScheduler.queue.close(), events.close(), paymentQueue.close()]);
    await connection.quit().catch(() => connection.disconnect());
    await closeRuntime(rt);
  });
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error('worker failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
