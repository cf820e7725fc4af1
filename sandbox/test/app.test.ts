import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createSandbox } from '../src/app';
import { JsonStore } from '../src/store';

let server: http.Server;
let base: string;
beforeAll(async () => {
  const sandbox = createSandbox({
    merchantBaseUrl: 'http://127.0.0.1:3000',
    selfBaseUrl: 'http://127.0.0.1:0',
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-')),
    logLevel: 'silent',
  });
  server = http.createServer(sandbox.app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('sandbox shell', () => {
  it('answers /healthz', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', service: 'chatmall-sandbox' });
  });

  it('serves the console landing page naming the merchant server it plays WeChat for', async () => {
    const res = await fetch(`${base}/`);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain('http://127.0.0.1:3000');
  });
});

describe('sandbox state', () => {
  it('survives a restart: a new store on the same file sees what the old one wrote', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-store-')), 'oa.json');
    const a = new JsonStore(file, () => ({ followers: [] as string[] }));
    a.update((s) => s.followers.push('o_user_1'));
    a.flush();
    const b = new JsonStore(file, () => ({ followers: [] as string[] }));
    expect(b.state.followers).toEqual(['o_user_1']);
  });
});
