/**
 * The API serves the merchant console's build at /console/: its files, and index.html for any
 * deep link under it (the single-page app routes itself); hashed assets are cached for good,
 * index.html never; a missing asset is a 404, not the page.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createHttpApp } from '../src/http/app';
import { createLogger } from '../src/kernel/logger';
import { testConfig } from './support/harness';

let server: http.Server;
let base: string;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-dist-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>商家后台</title>');
  fs.writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  const { app } = createHttpApp({
    config: testConfig({ CONSOLE_DIR: dir, STOREFRONT_DIR: path.join(dir, 'no-storefront') }),
    log: createLogger('silent', 'test'),
    modules: [],
    authenticate: async () => null,
  });
  server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

it('answers index.html at /console/ and for a deep link, never cached', async () => {
  for (const p of ['/console/', '/console/orders/ord_1', '/console/sign-in?next=%2Forders']) {
    const res = await fetch(base + p);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    await expect(res.text()).resolves.toContain('商家后台');
  }
});

it('serves hashed assets for a year, and a missing asset is a 404 (not the page)', async () => {
  const js = await fetch(`${base}/console/assets/index-abc123.js`);
  expect(js.status).toBe(200);
  expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  expect((await fetch(`${base}/console/assets/gone-000.js`)).status).toBe(404);
});

it('redirects /console to /console/', async () => {
  const res = await fetch(`${base}/console`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  expect(res.headers.get('location')).toBe('/console/');
});
