/**
 * The outage log (kernel/outage.ts): once when a dependency goes, then at most once a minute
 * with a count, then once when it is back; no stack traces. Real ioredis connections to a
 * port nothing listens on show that a connection with the process's logger stays within that.
 */
import net from 'node:net';
import pino from 'pino';
import { blame, dependencyOf, isConnectionError, isOut, reportOutage, reportRecovered } from '../src/kernel/outage';
import { createQueue } from '../src/kernel/queues';
import { createRedis } from '../src/kernel/redis';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const log = pino(
    { level: 'info' },
    { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) },
  );
  return { log, lines, msgs: () => lines.map((l) => l.msg as string) };
}

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:16999'), { code: 'ECONNREFUSED' });

describe('reportOutage / reportRecovered', () => {
  it('logs once, then once a minute with a count, then the recovery', () => {
    const { log, lines, msgs } = capture();
    const t0 = 1_000_000;
    // Five connections failing every two seconds for three and a half minutes.
    for (let t = 0; t <= 210_000; t += 2000)
      for (let c = 0; c < 5; c++) reportOutage(log, 'redis', refused, { now: t0 + t });
    expect(msgs()).toEqual([
      expect.stringMatching(/^redis unavailable/),
      'redis still unavailable',
      'redis still unavailable',
      'redis still unavailable',
    ]);
    expect(lines[0]).toMatchObject({ dependency: 'redis', err: 'connect ECONNREFUSED 127.0.0.1:16999', level: 40 });
    expect(lines[1]).toMatchObject({ failures: 30 * 5 + 1, downForSeconds: 60 });
    expect(JSON.stringify(lines)).not.toMatch(/\n\s+at /); // no stack
    expect(isOut(log, 'redis')).toBe(true);

    reportRecovered(log, 'redis', { now: t0 + 212_000 });
    reportRecovered(log, 'redis', { now: t0 + 214_000 }); // once
    expect(lines).toHaveLength(5);
    expect(lines[4]).toMatchObject({ msg: 'redis recovered', downForSeconds: 212, level: 30 });
    expect(isOut(log, 'redis')).toBe(false);
  });

  it('keeps dependencies and processes (loggers) apart; a recovery without an outage says nothing', () => {
    const a = capture();
    const b = capture();
    reportRecovered(a.log, 'database');
    reportOutage(a.log, 'database', refused);
    reportOutage(a.log, 'redis', refused);
    reportOutage(b.log, 'redis', refused);
    reportOutage(a.log, 'database', refused);
    expect(a.msgs().map((m) => m.split(';')[0])).toEqual(['database unavailable', 'redis unavailable']);
    expect(b.msgs()).toHaveLength(1);
  });
});

describe('which dependency an error is', () => {
  it('tells a lost connection from a bad query, and takes a step’s word for whose it was', async () => {
    expect(isConnectionError(refused)).toBe(true);
    expect(
      isConnectionError(Object.assign(new Error('x'), { driverError: { code: 'PROTOCOL_CONNECTION_LOST' } })),
    ).toBe(true);
    expect(isConnectionError(new Error("Table 'x' doesn't exist"))).toBe(false);
    expect(dependencyOf(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe('redis');
    expect(
      dependencyOf(Object.assign(new Error('Reached the max retries'), { name: 'MaxRetriesPerRequestError' })),
    ).toBe('redis');
    expect(dependencyOf(refused)).toBe('database');
    expect(dependencyOf(new Error('boom'))).toBeNull();

    const fromRedis = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:16999'), { code: 'ECONNREFUSED' });
    await expect(blame(Promise.reject(fromRedis), 'redis')).rejects.toBe(fromRedis);
    expect(dependencyOf(fromRedis)).toBe('redis');
    const bug = new Error('boom');
    await expect(blame(Promise.reject(bug), 'redis')).rejects.toBe(bug);
    expect(dependencyOf(bug)).toBeNull();
  });
});

describe('Redis connections and queues given the process logger', () => {
  it('log a refused Redis once (no "Unhandled error event", no stack), however many retries', async () => {
    // A port that was free a moment ago: nothing answers there.
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    const { log, msgs } = capture();
    const printed: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
    const app = createRedis(`redis://127.0.0.1:${port}/0`, 'app', log);
    const conn = createRedis(`redis://127.0.0.1:${port}/0`, 'queue', log);
    const queue = createQueue('system', conn, 'outage-test', log);
    try {
      await new Promise((r) => setTimeout(r, 3000)); // several reconnect attempts each
      expect(msgs()).toEqual([expect.stringMatching(/^redis unavailable/)]);
      expect(printed).toEqual([]);
    } finally {
      spy.mockRestore();
      await queue.close().catch(() => undefined);
      app.disconnect();
      conn.disconnect();
    }
  }, 15_000);
});
