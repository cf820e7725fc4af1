/**
 * The merchant console as staff meet it in the e2e tests: accounts made straight in the
 * database, a 1440 × 900 zh-CN desktop whose uncaught page errors fail the test, signing in
 * through the console's own form, and the session the console keeps in localStorage.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { StaffRole } from '@chatmall/shared';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { LoginService } from '../server/src/modules/auth/login.service';
import { SessionService } from '../server/src/modules/auth/session.service';
import { screenshot } from './browser';

export const STAFF_PASSWORD = 'correct horse battery';

export function requireConsoleBuild(consoleDir: string): void {
  if (!fs.existsSync(path.join(consoleDir, 'index.html')))
    throw new Error('build the console first (npm run build -w @chatmall/console)');
}

export interface StaffAccount {
  username: string;
  displayName: string;
  role: StaffRole;
  /** STAFF_PASSWORD unless given. */
  password?: string;
}

/** Staff accounts made as the CLI makes them; staff never sign in through WeChat, so no exchange. */
export async function createStaff(db: DataSource, staff: StaffAccount[]): Promise<void> {
  const logins = new LoginService(db, new SessionService(db), {
    exchange: async () => Promise.reject(new Error('not used')),
  });
  for (const s of staff) await logins.createStaff({ ...s, password: s.password ?? STAFF_PASSWORD });
}

/** The page errors of a test file's desktops; any left at the end of a test fail it. */
export function failOnPageErrors(): string[] {
  const pageErrors: string[] = [];
  afterEach(() => {
    expect(pageErrors).toEqual([]);
    pageErrors.length = 0;
  });
  return pageErrors;
}

/** A fresh desktop browser window (its own cookies and localStorage) as merchants use the console. */
export async function desktop(
  browser: Browser,
  pageErrors: string[],
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', ...options });
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  return { context, page };
}

/** Fills the sign-in form already open and sends it; the caller waits for what the answer shows. */
export async function submitSignIn(page: Page, username: string, password = STAFF_PASSWORD): Promise<void> {
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: '登录 Sign in' }).click();
}

/** Opens the sign-in page of the console at `baseUrl` and signs in, until the staff badge shows. */
export async function signIn(page: Page, baseUrl: string, username: string, password = STAFF_PASSWORD) {
  await page.goto(`${baseUrl}/console/sign-in`);
  await submitSignIn(page, username, password);
  await page.locator('.console-staff').waitFor();
}

/** The signed-in staff member's API authorization, from the session the console keeps. */
export async function sessionAuth(page: Page): Promise<{ authorization: string }> {
  const s = JSON.parse((await page.evaluate(() => localStorage.getItem('chatmall.console.session'))) as string);
  return { authorization: `Bearer ${s.accessToken as string}` };
}

/** Screenshots named `<prefix><name>`, taken once the page has settled (charts and transitions). */
export function shots(prefix: string) {
  return async (page: Page, name: string, settleMs = 500): Promise<void> => {
    await page.waitForTimeout(settleMs);
    await screenshot(page, `${prefix}${name}`);
  };
}
