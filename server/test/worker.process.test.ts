/**
 * The real worker entry (`src/main/worker.ts`) as its own process against MariaDB and
 * Redis: an order paid through the orders module puts `order.paid` in the outbox; the
 * worker's relay and events queue run each of its subscribers once, and a second delivery
 * of the same event runs nothing again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { OutboxEffectEntity, OutboxEventEntity } from '../src/kernel/outbox.entity';
import { startStack, type TestStack } from './support/harness';
import { makeBuyer } from './support/people';
import { startSandbox, type RunningSandbox } from './support/sandbox';
import { waitFor } from './support/pay-stack';

const serverDir = path.join(__dirname, '..');
let stack: TestStack;
let sandbox: RunningSandbox;
let worker: ChildProcess | undefined;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  stack = await startStack();
  sandbox = await startSandbox();
}, 60_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  await sandbox?.close();
  await stack?.close();
});

function startWorker(): ChildProcess {
  const { config } = stack;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/worker.ts'], {
    cwd: serverDir,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: config.db.url,
      REDIS_URL: config.redis.url,
      QUEUE_PREFIX: config.queues.prefix,
      WECHAT_API_BASE: sandbox.url,
      WECHATPAY_API_BASE: sandbox.url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buf = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buf += chunk.toString('utf8');
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  return child;
}

it('the worker process runs each subscriber of order.paid once, however often the event is delivered', async () => {
  const buyer = await makeBuyer(stack.db);
  const orders = stack.app.services.orders;
  const order = await orders.place({}, buyer.id, {
    clientKey: 'worker-process-1',
    items: [{ skuId: 'sku_dianhong1', quantity: 1 }],
    addressId: buyer.addressId,
  });
  expect(await orders.markPaid({}, order.orderNo, order.price.payable, new Date())).toEqual({ ok: true });
  const event = await stack.db
    .getRepository(OutboxEventEntity)
    .findOneByOrFail({ topic: 'order.paid', eventKey: order.orderNo });

  worker = startWorker();
  const effects = () =>
    stack.db.getRepository(OutboxEffectEntity).find({ where: { eventId: event.id }, order: { effect: 'ASC' } });
  // The worker composes the same modules as this test's stack: the same subscribers.
  const subscribed = [...stack.app.subscribers.subscriptions()['order.paid']].sort();
  expect(subscribed).toEqual(expect.arrayContaining(['buyer-message', 'merchant-notice']));
  const ran = await waitFor(effects, (rows) => rows.length === subscribed.length, 30_000);
  expect(ran.map((r) => r.effect)).toEqual(subscribed);

  // Delivered again (a relay that crashed before marking it sent): nothing runs twice.
  const again = await stack.app.kernel
    .queue('events')
    .add('order.paid', { eventId: event.id }, { jobId: `again-${event.id}` });
  expect(
    await waitFor(
      () => again.getState(),
      (s) => s === 'completed',
    ),
  ).toBe('completed');
  expect(await effects()).toHaveLength(subscribed.length);
  const notices = lines.filter((l) => l.notice === 'order-paid' && l.orderNo === order.orderNo);
  expect(notices).toHaveLength(1);
  // The order.placed subscriber scheduled the close as well, in the same worker.
  const placed = await stack.db
    .getRepository(OutboxEventEntity)
    .findOneByOrFail({ topic: 'order.placed', eventKey: order.id });
  await waitFor(
    () => stack.db.getRepository(OutboxEffectEntity).countBy({ eventId: placed.id, effect: 'schedule-close' }),
    (n) => n === 1,
  );

  worker.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => worker!.once('exit', (c) => resolve(c)));
  expect(code).toBe(0);
}, 60_000);
