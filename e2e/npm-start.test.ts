/**
 * `npm start` as a newcomer runs it: it prints the URLs only once the API is ready, the
 * storefront shows the seeded shop in Chromium, the owner's day in the console works on that
 * stack (e2e/console-journey.ts: dashboard, a new 2 × 2 product in the storefront, shipping,
 * a refund, the shop's name), a Redis outage is logged once (not a stack
 * per retry) and its recovery too, and Ctrl-C leaves no process behind; a taken port stops
 * start-up with one line naming its variable. Runs on its own ports, its own private Redis
 * (started by the stack itself, so stopping it touches nobody else's) and a throwaway SQLite
 * file, so it never meets a developer's stack.
 */
import { spawn, spawnSync, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { alive, descendants } from './processes';
import { launchBrowser, phonePage, screenshot } from './browser';
import { ownerJourney } from './console-journey';

const root = path.resolve(__dirname, '..');
const API_PORT = 3310;
const SANDBOX_PORT = 3410;
const REDIS_PORT = 16410;
const OWNER_PASSWORD = 'first start owner';
const services = (action: 'up' | 'down') =>
  execFileSync('bash', ['scripts/services.sh', action, 'redis'], {
    cwd: root,
    env: { ...process.env, REDIS_PORT: String(REDIS_PORT) },
    stdio: 'pipe',
  });
/** Lines that speak of Redis being away: our outage lines, or what ioredis/BullMQ print unasked. */
const outageLine = (l: string) =>
  /redis|ECONNREFUSED|Unhandled error event|^\S*\s+at \S+ \(/i.test(l) && !/recovered/.test(l);

describe('npm start', () => {
  let proc: ChildProcess;
  let output = '';

  /**
   * After a failure: the servers run in process groups of their own, so each is killed by pid
   * (found before their parent goes), then the private Redis is stopped. Called when the first
   * test fails, not only after all, so a stack left running cannot hold the port the next test
   * takes.
   */
  const stopLeftovers = () => {
    if (!proc?.pid || !alive(proc.pid)) return;
    const tree = descendants(proc.pid);
    process.kill(-proc.pid, 'SIGKILL');
    for (const pid of tree) if (alive(pid)) process.kill(pid, 'SIGKILL');
    services('down');
  };
  afterAll(stopLeftovers);

  it('prints the URLs, serves the seeded storefront, and stops everything on Ctrl-C', async () => {
    try {
      await startUseAndStop();
    } catch (err) {
      stopLeftovers();
      // What the stack printed last says why (the assertion alone rarely does).
      const tail = output.split('\n').slice(-40).join('\n');
      throw Object.assign(err as Error, { message: `${(err as Error).message}\n--- npm start printed last:\n${tail}` });
    }
  }, 480_000);

  async function startUseAndStop() {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'chatmall-start-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      API_PORT: String(API_PORT),
      SANDBOX_PORT: String(SANDBOX_PORT),
      PUBLIC_BASE_URL: `http://127.0.0.1:${API_PORT}`,
      DATABASE_URL: `sqlite:${path.join(tmp, 'shop.sqlite')}`,
      MEDIA_DIR: path.join(tmp, 'media'),
      // Its sandbox state and WeChat Pay keys too (by default under .data/stack-<API_PORT>/).
      SANDBOX_STATE_DIR: path.join(tmp, 'sandbox'),
      // Its own private Redis, which this test stops and starts again.
      REDIS_PORT: String(REDIS_PORT),
      // info: the recovery lines are info.
      LOG_LEVEL: 'info',
      // The owner account the first start creates (otherwise a random password in a file).
      CHATMALL_OWNER_PASSWORD: OWNER_PASSWORD,
    };
    delete env.REDIS_URL; // the default path: start finds or starts the private Redis itself
    // detached: its own process group, so a group SIGINT is exactly what a terminal's Ctrl-C sends.
    proc = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: root,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout!.on('data', (c) => (output += c));
    proc.stderr!.on('data', (c) => (output += c));

    const deadline = Date.now() + 240_000;
    while (!output.includes('Press Ctrl-C to stop.') && Date.now() < deadline && proc.exitCode === null) {
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(output).toContain(`Storefront (H5)   http://127.0.0.1:${API_PORT}/`);
    expect(output).toContain(`Sandbox console   http://127.0.0.1:${SANDBOX_PORT}/`);
    // "running" is printed only once /readyz says 200.
    const ready = await fetch(`http://127.0.0.1:${API_PORT}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { status: string }).status).toBe('ready'); // the sandbox answers as WeChat
    // The first-start log is short: webpack's progress frames went to a file, one line per step.
    expect(output).not.toMatch(/webpack|Compiling|\d+%/i);
    if (output.includes('building the H5 storefront')) expect(output).toContain('.data/build-h5.log');

    expect((await fetch(`http://127.0.0.1:${API_PORT}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${SANDBOX_PORT}/healthz`)).status).toBe(200);

    const browser = await launchBrowser();
    try {
      const page = await phonePage(browser);
      await page.goto(`http://127.0.0.1:${API_PORT}/`);
      await page.locator('.product-name', { hasText: '明前西湖龙井' }).waitFor({ timeout: 30_000 });
      expect(await page.locator('.product-card').count()).toBeGreaterThanOrEqual(10);
      await screenshot(page, 'npm-start-home');
      await page.context().close();
      await ownerJourney(browser, {
        apiUrl: `http://127.0.0.1:${API_PORT}`,
        sandboxUrl: `http://127.0.0.1:${SANDBOX_PORT}`,
        ownerPassword: OWNER_PASSWORD,
      });
    } finally {
      await browser.close();
    }

    // Redis goes away for 30 s: the API and the worker each log it once (no stack per retry).
    const mark = output.length;
    services('down');
    try {
      await new Promise((r) => setTimeout(r, 30_000));
      const lines = output.slice(mark).split('\n').filter(outageLine);
      expect(lines.length).toBeGreaterThanOrEqual(1);
      expect(lines.length).toBeLessThanOrEqual(3);
      expect(output.slice(mark)).not.toMatch(/Unhandled error event|\n\S*\s+at \S+ \(/);
    } finally {
      services('up');
    }
    // …and its recovery.
    const backBy = Date.now() + 60_000;
    while (!/redis recovered/.test(output.slice(mark)) && Date.now() < backBy)
      await new Promise((r) => setTimeout(r, 250));
    expect(output.slice(mark)).toMatch(/redis recovered/);
    expect(proc.exitCode).toBeNull(); // nothing crashed meanwhile

    const before = descendants(proc.pid!);
    expect(before.length).toBeGreaterThanOrEqual(3); // sandbox, api, worker
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    process.kill(-proc.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    // Helpers of the children (tsx's esbuild service) exit once their parent's pipe closes.
    const goneBy = Date.now() + 20_000;
    while (before.some(alive) && Date.now() < goneBy) await new Promise((r) => setTimeout(r, 200));
    const left = before
      .filter(alive)
      .map((pid) => execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim());
    expect(left).toEqual([]);
    await expect(fetch(`http://127.0.0.1:${API_PORT}/healthz`)).rejects.toThrow();
  }

  it('stops at once, with one line naming API_PORT, when the API port is taken', async () => {
    stopLeftovers(); // a first test that ran out of time may have left its stack up
    const taken = net.createServer();
    await new Promise<void>((resolve, reject) => taken.once('error', reject).listen(API_PORT, '127.0.0.1', resolve));
    try {
      const r = spawnSync(process.execPath, ['scripts/start.mjs'], {
        cwd: root,
        env: {
          ...process.env,
          NODE_ENV: 'development',
          API_PORT: String(API_PORT),
          SANDBOX_PORT: String(SANDBOX_PORT),
          REDIS_PORT: String(REDIS_PORT),
        },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(r.status).not.toBe(0);
      expect(r.status).not.toBeNull();
      const lines = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim());
      expect(lines).toEqual([expect.stringContaining(`port ${API_PORT} (API_PORT`)]);
      expect(r.stdout).not.toMatch(/running/);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
    // Nothing was started: no sandbox on its port, no Redis on its own.
    await expect(fetch(`http://127.0.0.1:${SANDBOX_PORT}/healthz`)).rejects.toThrow();
  }, 60_000);
});
