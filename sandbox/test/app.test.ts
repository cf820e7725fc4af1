import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandboxApp } from '../src/app';

let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer(createSandboxApp({ merchantBaseUrl: 'http://127.0.0.1:3000' }).callback());
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
