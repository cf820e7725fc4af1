/**
 * /readyz names a WeChat or WeChat Pay base URL that does not answer as degraded: 200 (buyers
 * can still browse) with a warning, and one log line with the URL. The probe is cached for a
 * few seconds, so polling /readyz does not poll WeChat.
 */
import http from 'node:http';
import net from 'node:net';
import { Writable } from 'node:stream';
import { getJson, startStack, testConfig, type TestStack } from './support/harness';

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });

let stack: TestStack;
let pay: http.Server;
let payHits = 0;
let deadUrl: string;
let payUrl: string;
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  // WeChat Pay answers (a 404 at its bare base URL is an answer); WeChat's port is closed.
  pay = http.createServer((_req, res) => {
    payHits++;
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((resolve) => pay.listen(0, '127.0.0.1', resolve));
  payUrl = `http://127.0.0.1:${(pay.address() as net.AddressInfo).port}`;
  deadUrl = `http://127.0.0.1:${await freePort()}`;
  const logDestination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  stack = await startStack({
    config: testConfig({ WECHAT_API_BASE: `${deadUrl}/`, WECHATPAY_API_BASE: payUrl }),
    logDestination,
  });
}, 60_000);

afterAll(async () => {
  await stack?.close();
  await new Promise((r) => pay?.close(r));
});

it('answers 200 naming the WeChat base URL that does not answer, and logs it once with the URL', async () => {
  const ready = await getJson(`${stack.baseUrl}/readyz`);
  expect(ready.status).toBe(200);
  expect(ready.body).toMatchObject({
    status: 'degraded',
    checks: { database: 'ok', redis: 'ok' },
    degraded: [{ name: 'wechat', url: deadUrl, status: 'unreachable', error: 'ECONNREFUSED' }],
  });
  expect(ready.body.warning).toContain(deadUrl);
  expect(ready.body.warning).toMatch(/buyers can browse/);
  expect(payHits).toBe(1);

  // Polled again within the cache window: no new probe, no new log line.
  const again = await getJson(`${stack.baseUrl}/readyz`);
  expect(again.body.degraded).toHaveLength(1);
  expect(payHits).toBe(1);

  const lines = logLines.filter((l) => l.upstream);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ upstream: 'wechat', url: deadUrl, level: 40 });
  expect(String(lines[0].msg)).toContain(deadUrl);
});

it('says "ready" with nothing degraded when both answer', async () => {
  const { upstreamProbe } = await import('../src/modules/health/upstreams');
  const probe = upstreamProbe(
    [
      { name: 'wechat', url: payUrl },
      { name: 'wechatPay', url: payUrl },
    ],
    stack.log,
  );
  expect((await probe.check()).map((u) => u.status)).toEqual(['ok', 'ok']);
});

it('counts a server that accepts but never answers as unreachable after the timeout', async () => {
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((s) => void sockets.add(s));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const { upstreamProbe } = await import('../src/modules/health/upstreams');
    const url = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    const probe = upstreamProbe([{ name: 'wechatPay', url }], stack.log, { timeoutMs: 300 });
    const started = Date.now();
    expect(await probe.check()).toEqual([
      { name: 'wechatPay', url, status: 'unreachable', error: 'no answer within 300 ms' },
    ]);
    expect(Date.now() - started).toBeLessThan(2000);
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
  }
});
