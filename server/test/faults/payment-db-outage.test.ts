/**
 * MariaDB really stopped while WeChat Pay's notification arrives: the server answers 5xx,
 * the sandbox retries on WeChat's schedule (time-compressed), and once the database is
 * back the order is paid exactly once, its side effects run once.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { OrderEntity } from '../../src/modules/orders/order.entity';
import { PayNotificationEntity } from '../../src/modules/payments/pay-notification.entity';
import { api } from '../support/people';
import { startPayStack, waitFor, type PayStack } from '../support/pay-stack';

const services = path.resolve(__dirname, '../../../scripts/services.sh');
const mariadb = (action: 'start' | 'stop') => execFileSync('bash', [services, action, 'mariadb'], { stdio: 'pipe' });

let p: PayStack;
beforeAll(async () => {
  p = await startPayStack({ timeScale: 200 }); // 15 s, 15 s, 30 s, 3 min … become 75 ms, 75 ms, 150 ms, 900 ms …
}, 60_000);
afterAll(async () => {
  mariadb('start');
  await p?.close();
}, 60_000);

it('a notification during a database outage is retried by WeChat and applied once when the database is back', async () => {
  const placed = await api(p.apiUrl, 'POST', '/api/orders', p.buyer.auth, {
    clientKey: 'outage-order-0001',
    items: [{ skuId: 'sku_rosebuds1', quantity: 1 }],
    addressId: p.buyer.addressId,
  });
  const pay = await api(p.apiUrl, 'POST', `/api/orders/${placed.body.id}/pay`, p.buyer.auth);
  expect(pay.status).toBe(200);

  mariadb('stop');
  try {
    expect((await p.sandboxCall('POST', `/sandbox/pay/prepay/${pay.body.prepayId}/pay`)).status).toBe(200);
    const failing = await waitFor(
      async () =>
        (
          (await p.sandboxCall('GET', '/sandbox/pay/notifications')).body as {
            eventType: string;
            attempts: { status: number }[];
          }[]
        ).filter((d) => d.eventType === 'TRANSACTION.SUCCESS'),
      (ds) => ds.length > 0 && ds[ds.length - 1].attempts.length >= 3,
      15_000,
    );
    const attempts = failing[failing.length - 1].attempts.map((a) => a.status);
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    expect(attempts.every((s) => s >= 500)).toBe(true);
  } finally {
    mariadb('start');
  }

  const paid = await waitFor(
    () =>
      p.stack.db
        .getRepository(OrderEntity)
        .findOneBy({ id: placed.body.id })
        .catch(() => null),
    (o) => o?.status === 'PAID',
    60_000,
  );
  expect(paid?.status).toBe('PAID');
  const rows = await p.stack.db.getRepository(PayNotificationEntity).findBy({ outTradeNo: placed.body.orderNo });
  expect(rows.filter((r) => r.outcome === 'APPLIED')).toHaveLength(1);
  await waitFor(
    async () => p.paidHookRuns.filter((e) => e.eventKey === placed.body.orderNo).length,
    (n) => n >= 1,
  );
  await new Promise((r) => setTimeout(r, 500));
  expect(p.paidHookRuns.filter((e) => e.eventKey === placed.body.orderNo)).toHaveLength(1);
}, 120_000);
