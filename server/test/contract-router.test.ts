/**
 * The API's routes live in one koa-router per static prefix (a request meets a dozen patterns,
 * not the whole contract). Generated from the contract table: every route is reached exactly as
 * one flat koa-router with the same routes in the same order would reach it, in any letter case
 * and with a trailing slash; and two routes of different prefixes that one path could match are
 * refused when bound, so a route added tomorrow cannot be shadowed without a failing start.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { contract, fillPath, type Endpoint } from '@chatmall/shared';
import Koa from 'koa';
import Router from 'koa-router';
import { ContractRouter } from '../src/http/contract-router';

const endpoints = Object.values(contract) as Endpoint[];
const filled = (e: Endpoint) =>
  fillPath(e.path, Object.fromEntries([...e.path.matchAll(/:(\w+)/g)].map((m) => [m[1], `x_${m[1]}`])));

let server: http.Server;
let base: string;
const flat = new Router();

beforeAll(async () => {
  const api = new ContractRouter();
  for (const e of endpoints) {
    api.handle(e, async () => ({}) as never);
    flat[e.method.toLowerCase() as 'get'](e.path, async () => undefined);
  }
  const app = new Koa();
  // Which route took the request: koa-router names it before the handler runs (and refuses the
  // caller without a session: that refusal is what every request here ends in).
  app.use(async (ctx, next) => {
    await next().catch(() => undefined);
    ctx.status = 200;
    ctx.body = { route: (ctx as unknown as { _matchedRoute?: string })._matchedRoute ?? null };
  });
  app.use(api.middleware());
  server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const routeOf = async (method: string, path: string) =>
  ((await (await fetch(base + path, { method })).json()) as { route: string | null }).route;

describe('the API routes, grouped by prefix', () => {
  it.each(endpoints.map((e) => [`${e.method} ${e.path}`, e] as const))(
    '%s is reached as a flat router reaches it, in upper case and with a trailing slash too',
    async (_label, e) => {
      const path = filled(e);
      const expected = flat.match(path, e.method).pathAndMethod[0]?.path;
      expect(expected).toBe(e.path);
      expect(await routeOf(e.method, path)).toBe(expected);
      expect(await routeOf(e.method, path.toUpperCase())).toBe(expected);
      expect(await routeOf(e.method, `${path}/`)).toBe(expected);
    },
  );

  it('leaves a path no route matches to the next middleware', async () => {
    expect(await routeOf('GET', '/api/no-such-thing/x')).toBeNull();
    expect(await routeOf('DELETE', '/api/red-envelopes/x/grab')).toBeNull();
  });

  it('refuses two routes of different prefixes that one path could match', () => {
    const api = new ContractRouter();
    const route = (path: string) => ({ ...(contract.getProduct as Endpoint), path }) as Endpoint;
    api.handle(route('/api/things/:id'), async () => ({}) as never);
    expect(() => api.handle(route('/api/things/mine'), async () => ({}) as never)).toThrow(/one path could match both/);
    // Another method, or another length, is no clash.
    expect(() => api.handle(route('/api/things/mine/list'), async () => ({}) as never)).not.toThrow();
  });
});
