/**
 * The storefront's 门店 Stores page (issue 16), in Chromium at phone size against the H5 build
 * (build it first: `npm run build:h5 -w @chatmall/miniapp`): stores made in the console's
 * touchpoints are listed nearest first from the buyer's location (the browser's geolocation),
 * with hours and a call button; a buyer who keeps their location gets the list from the city
 * centre and is told so. Reached from 我的 (me).
 *
 * Screenshots: test-results/e2e/storefront-stores*.png.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { TestStack } from '../server/test/support/harness';
import { api, makeStaff } from '../server/test/support/people';
import { screenshot } from './browser';
import { defaultH5Dir, startStorefront, type StorefrontStack } from './storefront-stack';

const h5Dir = path.resolve(process.env.STOREFRONT_DIR ?? defaultH5Dir);
let storefront: StorefrontStack;
let stack: TestStack;
let browser: Browser;

const stores = [
  {
    name: '人民广场店',
    address: '上海市黄浦区南京东路 300 号',
    latitude: 31.235,
    longitude: 121.476,
    phone: '021-63501234',
  },
  {
    name: '静安寺店',
    address: '上海市静安区南京西路 1688 号',
    latitude: 31.2235,
    longitude: 121.4453,
    phone: '021-62881234',
  },
  {
    name: '陆家嘴店',
    address: '上海市浦东新区世纪大道 8 号',
    latitude: 31.2397,
    longitude: 121.4998,
    phone: '021-58881234',
  },
];

beforeAll(async () => {
  storefront = await startStorefront(h5Dir);
  ({ stack, browser } = storefront);
  const marketer = await makeStaff(stack.db, 'marketer');
  for (const s of stores) {
    const res = await api(stack.baseUrl, 'POST', '/api/admin/touchpoints', marketer.auth, {
      kind: 'store',
      name: s.name,
      store: { address: s.address, latitude: s.latitude, longitude: s.longitude, hours: '10:00–22:00', phone: s.phone },
    });
    expect(res.status).toBe(200);
  }
  // A table is not a store: it is not listed.
  await api(stack.baseUrl, 'POST', '/api/admin/touchpoints', marketer.auth, { kind: 'table', name: '3 号桌' });
}, 90_000);
afterAll(async () => storefront?.close());

async function phone(geolocation?: { latitude: number; longitude: number }): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    locale: 'zh-CN',
    ...(geolocation ? { geolocation, permissions: ['geolocation'] } : {}),
  });
  const page = await context.newPage();
  return page;
}

const names = (page: Page) => page.locator('.o2o-store__name').allTextContents();

it('lists stores nearest first from the buyer’s location, reached from 我的', async () => {
  // Standing by Jing'an Temple.
  const page = await phone({ latitude: 31.2231, longitude: 121.4458 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${stack.baseUrl}/#/pages/me/index`);
  await page.locator('.me-link--stores').click();
  await page.locator('.o2o-where--precise').waitFor({ timeout: 30_000 });
  expect(await names(page)).toEqual(['静安寺店', '人民广场店', '陆家嘴店']);
  await page.locator('.o2o-store__badge', { hasText: '最近' }).waitFor();
  const first = page.locator('.o2o-store').first();
  await expect(first.locator('.o2o-store__distance').textContent()).resolves.toMatch(/^\d+ m$/);
  await expect(first.locator('.o2o-store__hours').textContent()).resolves.toContain('10:00–22:00');
  await first.locator('.o2o-store__call').waitFor();
  await page.waitForTimeout(600);
  await screenshot(page, 'storefront-stores');
  expect(errors).toEqual([]);
}, 60_000);

it('without the buyer’s location, lists from the city centre and says so', async () => {
  const page = await phone();
  await page.goto(`${stack.baseUrl}/#/pkg-o2o/pages/stores/index`);
  await page.locator('.o2o-where--fallback').waitFor({ timeout: 30_000 });
  // People's Square is the fixed point: its store is nearest.
  expect((await names(page))[0]).toBe('人民广场店');
  // Open in map: the H5 build shows the address and coordinates.
  await page.locator('.o2o-store__map').first().click();
  await page.getByText('31.23500, 121.47600').waitFor();
  await page.waitForTimeout(400);
  await screenshot(page, 'storefront-stores-fallback');
}, 60_000);
