/**
 * Fault tests: MariaDB and Redis really stopped and restarted (scripts/services.sh) while
 * the API runs. Readiness and catalog requests must answer 503 with a clear code while a
 * dependency is down, and recover without restarting the API.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { getJson, startStack, type TestStack } from '../support/harness';

const services = path.resolve(__dirname, '../../../scripts/services.sh');
const service = (action: 'start' | 'stop', name: 'mariadb' | 'redis') =>
  execFileSync('bash', [services, action, name], { stdio: 'pipe' });

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  do {
    last = await fn();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  } while (Date.now() < deadline);
  return last;
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(async () => {
  service('start', 'mariadb');
  service('start', 'redis');
  await stack?.close();
}, 60_000);

describe('with MariaDB stopped', () => {
  it('answers 503 on /readyz and on catalog requests, then recovers when it is back', async () => {
    expect((await getJson(`${stack.baseUrl}/api/products?limit=5`)).status).toBe(200);

    service('stop', 'mariadb');
    try {
      const ready = await getJson(`${stack.baseUrl}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.body.checks).toEqual({ database: 'unavailable', redis: 'ok' });

      for (const url of ['/api/products?limit=5', '/api/categories', '/api/products/prod_longjing']) {
        const res = await getJson(stack.baseUrl + url);
        expect(res.status).toBe(503);
        expect(res.body).toMatchObject({
          code: 'DEPENDENCY_UNAVAILABLE',
          message: 'The database is unavailable; try again shortly.',
        });
        expect(res.headers.get('retry-after')).toBe('5');
        expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|13306|at .*:\d+/);
      }
      // The process itself stays healthy: a load balancer must not kill it for a database blip.
      expect((await getJson(`${stack.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      service('start', 'mariadb');
    }

    const ready = await eventually(
      () => getJson(`${stack.baseUrl}/readyz`),
      (r) => r.status === 200,
    );
    expect(ready.body.checks).toEqual({ database: 'ok', redis: 'ok' });
    const products = await getJson(`${stack.baseUrl}/api/products?limit=5`);
    expect(products.status).toBe(200);
    expect(products.body.items).toHaveLength(5);
  }, 90_000);
});

describe('with Redis stopped', () => {
  it('answers 503 on /readyz while catalog reads keep working, then recovers', async () => {
    service('stop', 'redis');
    try {
      const ready = await eventually(
        () => getJson(`${stack.baseUrl}/readyz`),
        (r) => r.status === 503,
        10_000,
      );
      expect(ready.status).toBe(503);
      expect(ready.body.checks).toEqual({ database: 'ok', redis: 'unavailable' });
      expect((await getJson(`${stack.baseUrl}/api/products?limit=5`)).status).toBe(200);
    } finally {
      service('start', 'redis');
    }
    const back = await eventually(
      () => getJson(`${stack.baseUrl}/readyz`),
      (r) => r.status === 200,
    );
    expect(back.body.checks).toEqual({ database: 'ok', redis: 'ok' });
  }, 90_000);
});
