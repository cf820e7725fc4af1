/**
 * The H5 storefront with WeChat and WeChat Pay played by the sandbox (in-process, retries
 * compressed by `timeScale`), so a buyer can pay at the sandbox's cashier: the API sits behind a
 * plain listener (`frontUrl`) that browsers open and the sandbox sends WeChat Pay's
 * notifications to, with the merchant keys the sandbox writes into its state folder.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createSandbox, type Sandbox } from '../sandbox/src/app';
import { startStack, testConfig, type TestStack } from '../server/test/support/harness';
import { defaultH5Dir } from './storefront-stack';

export interface SandboxPayStorefront {
  sandbox: Sandbox;
  sandboxUrl: string;
  /** The API (serving the H5 build) as browsers and the sandbox reach it. */
  frontUrl: string;
  stack: TestStack;
  close(): Promise<void>;
}

const listen = async (handler: http.RequestListener) => {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};

/**
 * `name` names the sandbox's state folder. `front`, when given, sees each request to the API
 * first and calls `pass` to let it through (a test holds WeChat Pay's notifications this way).
 */
export async function startSandboxPayStorefront(o: {
  name: string;
  front?: (req: http.IncomingMessage, pass: () => void) => void;
}): Promise<SandboxPayStorefront> {
  const h5Dir = defaultH5Dir;
  if (!fs.existsSync(path.join(h5Dir, 'index.html')))
    throw new Error('build the H5 storefront first (npm run build:h5 -w @chatmall/miniapp)');
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `sandbox-e2e-${o.name}-`));
  const keyDir = path.join(stateDir, 'pay');
  let sandbox: Sandbox | undefined;
  let stack: TestStack | undefined;
  const servers: http.Server[] = [];
  // Whatever was started, stopped in this order (also when starting fails half way).
  const close = async () => {
    await sandbox?.close();
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
    await stack?.close();
  };
  try {
    const front = await listen((req, res) => {
      const pass = () => stack!.server.emit('request', req, res);
      if (o.front) o.front(req, pass);
      else pass();
    });
    servers.push(front.server);
    sandbox = createSandbox({
      merchantBaseUrl: front.url,
      selfBaseUrl: 'http://127.0.0.1:0',
      stateDir,
      timeScale: 1000,
      logLevel: 'silent',
    });
    const sb = await listen(sandbox.app.callback());
    servers.push(sb.server);
    stack = await startStack({
      config: testConfig({
        STOREFRONT_DIR: h5Dir,
        WECHAT_API_BASE: sb.url,
        WECHATPAY_API_BASE: sb.url,
        WECHATPAY_MERCHANT_SERIAL: `file:${keyDir}/merchant-serial.txt`,
        WECHATPAY_MERCHANT_PRIVATE_KEY: `file:${keyDir}/merchant-key.pem`,
        WECHATPAY_PUBLIC_KEY_ID: `file:${keyDir}/wechatpay-public-key-id.txt`,
        WECHATPAY_PUBLIC_KEY: `file:${keyDir}/wechatpay-public-key.pem`,
        WECHATPAY_NOTIFY_URL: `${front.url}/api/pay/notify`,
      }),
    });
    return { sandbox, sandboxUrl: sb.url, frontUrl: front.url, stack, close };
  } catch (err) {
    await close();
    throw err;
  }
}
