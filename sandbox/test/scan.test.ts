/**
 * A simulated user scans a code: the scan reads its content, and a QR code holding one of
 * the mini-program's pages (the console's staff binding code) says which page it opens, in
 * the mini-program and in the H5 build; the console's form shows a link to that page.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createSandbox, type Sandbox } from '../src/app';

let sandbox: Sandbox;
let server: http.Server;
let base: string;

beforeAll(async () => {
  sandbox = createSandbox({
    merchantBaseUrl: 'http://shop.test:3000/',
    selfBaseUrl: 'http://127.0.0.1:0',
    logLevel: 'silent',
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-scan-')),
  });
  server = http.createServer(sandbox.app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await sandbox.close();
});

const scan = async (openid: string, content: unknown) => {
  const res = await fetch(`${base}/sandbox/mp/users/${openid}/scan`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ content }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

it('a QR code holding a mini-program page opens that page, with its query', async () => {
  expect(await scan('oH5clerk', 'pkg-merchant/pages/bind/index?code=01234567')).toEqual({
    status: 200,
    body: {
      scanType: 'QR_CODE',
      charSet: 'utf-8',
      result: 'pkg-merchant/pages/bind/index?code=01234567',
      path: 'pkg-merchant/pages/bind/index?code=01234567',
      opens: '/pkg-merchant/pages/bind/index?code=01234567',
      h5Url: 'http://shop.test:3000/#/pkg-merchant/pages/bind/index?code=01234567',
    },
  });
});

it('anything else is read as text and opens nothing; an empty code is refused', async () => {
  const text = await scan('oH5clerk', 'https://example.com/pkg-merchant/pages/bind/index');
  expect(text.body).toMatchObject({ result: 'https://example.com/pkg-merchant/pages/bind/index', opens: null });
  expect((await scan('oH5clerk', '')).status).toBe(400);
  expect((await scan('bad openid!', 'pages/home/index')).status).toBe(400);
});

it('the console’s scan form shows the page the code opens as a link', async () => {
  const res = await fetch(`${base}/sandbox/mp/users/o_console_scan/scan`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ content: 'pkg-merchant/pages/bind/index?code=76543210' }).toString(),
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
  const page = await (await fetch(new URL(res.headers.get('location')!, base))).text();
  expect(page).toContain('href="http://shop.test:3000/#/pkg-merchant/pages/bind/index?code=76543210"');
  expect(page).toContain('action="/sandbox/mp/users/o_console_scan/scan"');
});
