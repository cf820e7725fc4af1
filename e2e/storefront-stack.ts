/**
 * The H5 storefront as a buyer meets it: the API (serving the H5 build) on a test stack, the
 * sandbox playing WeChat in-process, and Debian's Chromium.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startStack, testConfig, type TestStack } from '../server/test/support/harness';
import { startSandbox, type RunningSandbox } from '../server/test/support/sandbox';
import { launchBrowser } from './browser';

export interface StorefrontStack {
  sandbox: RunningSandbox;
  stack: TestStack;
  browser: Browser;
  close(): Promise<void>;
}

export const defaultH5Dir = path.resolve(__dirname, '../miniapp/dist/h5');

export async function startStorefront(h5Dir = defaultH5Dir): Promise<StorefrontStack> {
  if (!fs.existsSync(path.join(h5Dir, 'index.html')))
    throw new Error('build the H5 storefront first (npm run build:h5 -w @chatmall/miniapp)');
  const sandbox = await startSandbox();
  const stack = await startStack({ config: testConfig({ STOREFRONT_DIR: h5Dir, WECHAT_API_BASE: sandbox.url }) });
  const browser = await launchBrowser();
  return {
    sandbox,
    stack,
    browser,
    async close() {
      await browser.close();
      await stack.close();
      await sandbox.close();
    },
  };
}
