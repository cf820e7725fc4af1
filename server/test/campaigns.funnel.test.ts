/**
 * Issue 16, acceptance 5: on a scripted campaign the funnel's numbers equal what the sandbox's
 * inboxes hold (sent), its receipts (delivered), the click log (clicked) and the orders table
 * (ordered, GMV): receipts pushed by the sandbox, clicks through the buyer's API, real orders
 * placed and paid, attributed by the order.paid subscriber within 7 days of a click.
 */
import { startJobs, type RunningJobs } from '../src/main/jobs';
import { received, seedFollowers, templateCampaign } from './support/campaigns';
import { startStack, testConfig, type TestStack } from './support/harness';
import { api, makeBuyer, makeStaff, type TestBuyer } from './support/people';
import { until } from './support/redpack';
import { startSandbox, type RunningSandbox } from './support/sandbox';

let sandbox: RunningSandbox;
let stack: TestStack;
let jobs: RunningJobs;

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({
    config: testConfig({ WECHAT_API_BASE: sandbox.url, CAMPAIGN_QUIET_HOURS: 'off' }),
  });
  sandbox.sandbox.ctx.merchantBaseUrl = stack.baseUrl;
  jobs = await startJobs(stack.app, { only: ['campaigns', 'events'], relayIdleMs: 50 });
}, 60_000);
afterAll(async () => {
  await jobs?.stop();
  await stack?.close();
  await sandbox?.close();
});

async function placeAndPay(buyer: TestBuyer, key: string, quantity: number) {
  const orders = stack.app.services.orders;
  const order = await orders.place({}, buyer.id, {
    clientKey: key,
    items: [{ skuId: 'sku_dianhong1', quantity }],
    addressId: buyer.addressId,
  });
  expect(await orders.markPaid({}, order.orderNo, order.price.payable, new Date())).toEqual({ ok: true });
  return order.orderNo;
}

it('targeted → sent → delivered → clicked → ordered → GMV equal the inboxes, receipts, click log and orders table', async () => {
  const buyers = await Promise.all(Array.from({ length: 6 }, (_, i) => makeBuyer(stack.db, `fun${i}`)));
  await seedFollowers(sandbox, stack.app.services.audience, {
    prefix: 'o_fun_',
    count: 6,
    tags: [601],
    buyerOf: (i) => buyers[i].id,
  });
  await api(sandbox.url, 'POST', '/sandbox/oa/campaigns/users/o_fun_0000005/block', {}, {});
  const marketer = await makeStaff(stack.db, 'marketer');
  // A buyer who pays before ever clicking: that order is no campaign's.
  const before = await placeAndPay(buyers[3], 'fun-before', 1);

  const c = (
    await api(
      stack.baseUrl,
      'POST',
      '/api/admin/campaigns',
      marketer.auth,
      templateCampaign({ audience: { kind: 'tag', tagId: 601 } }),
    )
  ).body as { id: string };
  await api(stack.baseUrl, 'POST', `/api/admin/campaigns/${c.id}/schedule`, marketer.auth, {});
  const get = async () => (await api(stack.baseUrl, 'GET', `/api/admin/campaigns/${c.id}`, marketer.auth)).body;
  await until(get, (x) => x.status === 'DONE' && x.counts.delivered + x.counts.failed === 6, 30_000);

  // Buyers 0–2 open the tracked link (buyer 0 twice); buyers 0 and 1 then pay; buyer 4 pays without a click.
  for (const b of [buyers[0], buyers[0], buyers[1], buyers[2]]) {
    const r = await api(stack.baseUrl, 'POST', `/api/campaigns/${c.id}/click`, b.auth, {});
    expect(r.body).toEqual({ recorded: true });
  }
  const paid = [await placeAndPay(buyers[0], 'fun-0', 2), await placeAndPay(buyers[1], 'fun-1', 1)];
  await placeAndPay(buyers[4], 'fun-none', 1);
  expect((await api(stack.baseUrl, 'POST', `/api/campaigns/cmp_unknown/click`, buyers[0].auth, {})).status).toBe(404);

  const funnel = await until(
    async () => (await api(stack.baseUrl, 'GET', `/api/admin/campaigns/${c.id}/funnel`, marketer.auth)).body,
    (f) => f.ordered === 2,
    30_000,
  );
  const inbox = await received(sandbox, 'o_fun_', 'template');
  const [clicks] = (await stack.db.query(
    'SELECT COUNT(DISTINCT buyer_id) AS n FROM campaign_clicks WHERE campaign_id = ?',
    [c.id],
  )) as { n: number }[];
  const [orders] = (await stack.db.query(
    `SELECT COUNT(*) AS n, SUM(payable) AS gmv FROM orders WHERE order_no IN (?, ?) AND status = 'PAID'`,
    paid,
  )) as { n: number; gmv: string }[];
  expect(funnel).toEqual({
    targeted: 6,
    sent: inbox.recipients,
    delivered: 5,
    clicked: Number(clicks.n),
    ordered: Number(orders.n),
    gmv: Number(orders.gmv),
  });
  expect(funnel).toMatchObject({ sent: 6, clicked: 3, ordered: 2 });
  expect(funnel.gmv).toBeGreaterThan(0);
  const attributed = (await stack.db.query('SELECT order_no AS orderNo FROM campaign_orders')) as { orderNo: string }[];
  expect(attributed.map((o) => o.orderNo).sort()).toEqual([...paid].sort());
  expect(attributed.map((o) => o.orderNo)).not.toContain(before);
  // A clerk cannot read the funnel; a buyer cannot either.
  const clerk = await makeStaff(stack.db, 'clerk');
  expect((await api(stack.baseUrl, 'GET', `/api/admin/campaigns/${c.id}/funnel`, clerk.auth)).status).toBe(403);
  expect((await api(stack.baseUrl, 'GET', `/api/admin/campaigns/${c.id}/funnel`, buyers[0].auth)).status).toBe(403);
}, 90_000);
