/**
 * Every page of the console's page table (console/src/pages.ts), generated, so a new page
 * cannot ship without them: while its data is on the way it shows the loading state; when the
 * API fails it shows the error state with a retry (and the retry works once the API answers);
 * a page whose path has a parameter, opened with an id that does not exist, says so; a page
 * marked `empty` shows its empty state on a shop with no data. A page that asks for nothing
 * when opened must say why in the table (`loadsNothing`). Chromium at 1440 × 900, a shop
 * without demo data; screenshots console-states-*.png of each page's error state.
 */
import type { StaffRole } from '@chatmall/shared';
import type { Browser, Page, Route } from 'playwright-core';
import { mayOpen } from '../console/src/access';
import { consolePages, type ConsolePage } from '../console/src/pages';
import { startStack, type TestStack } from '../server/test/support/harness';
import { launchBrowser, screenshot } from './browser';
import { createStaff, desktop, signIn } from './console-stack';

const roles: StaffRole[] = ['owner', 'marketer', 'clerk'];

let stack: TestStack;
let browser: Browser;
const signedIn = new Map<StaffRole, Page>();

beforeAll(async () => {
  stack = await startStack({ seed: false });
  await createStaff(
    stack.db,
    roles.map((role) => ({ username: `states_${role}`, displayName: role, role })),
  );
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** A page signed in as the first role that may open `p` (owner, else marketer, else clerk). */
async function pageFor(p: ConsolePage): Promise<Page> {
  const role = roles.find((r) => mayOpen(r, p.access));
  if (!role) throw new Error(`no staff role may open ${p.path}`);
  let page = signedIn.get(role);
  if (page) return page;
  // This file does not assert on page errors.
  ({ page } = await desktop(browser, []));
  await signIn(page, stack.baseUrl, `states_${role}`);
  signedIn.set(role, page);
  return page;
}

const routeOf = (p: ConsolePage) => {
  if (p.path.includes(':') && !p.states?.open) throw new Error(`${p.path}: give states.open in console/src/pages.ts`);
  return p.states?.open ?? p.path;
};

/** Holds or fails every GET to the API while `body` runs. */
async function withApiGets(page: Page, answer: (route: Route) => Promise<void>, body: () => Promise<void>) {
  const handler = async (route: Route) => {
    if (route.request().method() !== 'GET') return route.fallback();
    return answer(route);
  };
  await page.route('**/api/**', handler);
  try {
    await body();
  } finally {
    await page.unroute('**/api/**', handler);
  }
}

const pages: readonly ConsolePage[] = consolePages;

describe.each(pages.map((p) => [p.path, p] as const))('console page %s', (_path, p) => {
  it('shows its loading state, then its error state with a working retry', async () => {
    const page = await pageFor(p);
    const url = `${stack.baseUrl}/console/${routeOf(p)}`;

    // Every GET held: once the page has asked (its chunk loaded), its own loading state shows.
    // Held requests are aborted afterwards so the browser's connections are free again.
    const held: Route[] = [];
    await withApiGets(
      page,
      async (route) => void held.push(route),
      async () => {
        await page.goto(url);
        const by = Date.now() + (p.states?.loadsNothing ? 3000 : 15_000);
        while (!held.length && Date.now() < by) await page.waitForTimeout(100);
        if (held.length) await page.locator('.state-loading').first().waitFor({ timeout: 5000 });
      },
    );
    await Promise.all(held.map((r) => r.abort().catch(() => undefined)));
    if (p.states?.loadsNothing) {
      expect(held.map((r) => r.request().url())).toEqual([]);
      return;
    }
    expect(held.length).toBeGreaterThan(0);

    await withApiGets(
      page,
      (route) =>
        route.fulfill({
          status: 500,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'INTERNAL', message: 'Something went wrong' } }),
        }),
      async () => {
        await page.goto(url);
        await page.locator('.state-error').first().waitFor({ timeout: 30_000 });
        await page.waitForTimeout(200);
        await screenshot(page, `console-states-${p.path.replace(/[/:]+/g, '-')}`);
      },
    );
    // The API is back: the retry shows the page (or, for a missing id, says it is missing).
    const retry = page.locator('.state-error button', { hasText: '重试' });
    if (p.path.includes(':')) {
      await retry.first().click();
      await page.locator('.state-error').first().waitFor();
    } else {
      // Every part of the page that failed has its own retry.
      for (let i = 0; i < 5 && (await retry.count()) > 0; i++) {
        await retry.first().click();
        await page.waitForTimeout(500);
      }
      await page.locator('.state-error').first().waitFor({ state: 'detached', timeout: 15_000 });
    }
  }, 60_000);

  if (p.path.includes(':'))
    it('says so when the thing it shows does not exist', async () => {
      const page = await pageFor(p);
      await page.goto(`${stack.baseUrl}/console/${routeOf(p)}`);
      const said = page.locator('.state-error, .state-not-found').first();
      await said.waitFor({ timeout: 20_000 });
      await expect(said.textContent()).resolves.toMatch(/不存在|找不到|not found/i);
    }, 60_000);

  if (p.states?.empty)
    it('shows its empty state on a shop with no data', async () => {
      const page = await pageFor(p);
      await page.goto(`${stack.baseUrl}/console/${routeOf(p)}`);
      await page.locator('.state-empty').first().waitFor({ timeout: 20_000 });
      expect(await page.locator('.state-error').count()).toBe(0);
    }, 60_000);
});
