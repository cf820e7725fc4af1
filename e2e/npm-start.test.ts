/**
 * `npm start` as a newcomer runs it: it prints the URLs, the API answers /healthz, the
 * storefront shows the seeded shop in Chromium, and Ctrl-C leaves no process behind.
 * Runs on its own ports and a throwaway SQLite file so it never meets a developer's stack.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, phonePage, screenshot } from './browser';

const root = path.resolve(__dirname, '..');
const API_PORT = 3310;
const SANDBOX_PORT = 3410;

function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number));
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of rows) {
      if (parent !== p) continue;
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start', () => {
  let proc: ChildProcess;
  let output = '';

  afterAll(() => {
    if (proc?.pid && alive(proc.pid)) process.kill(-proc.pid, 'SIGKILL');
  });

  it('prints the URLs, serves the seeded storefront, and stops everything on Ctrl-C', async () => {
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
      LOG_LEVEL: 'warn',
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

    expect((await fetch(`http://127.0.0.1:${API_PORT}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${SANDBOX_PORT}/healthz`)).status).toBe(200);

    const browser = await launchBrowser();
    try {
      const page = await phonePage(browser);
      await page.goto(`http://127.0.0.1:${API_PORT}/`);
      await page.locator('.product-name', { hasText: '明前西湖龙井' }).waitFor({ timeout: 30_000 });
      expect(await page.locator('.product-card').count()).toBeGreaterThanOrEqual(10);
      await screenshot(page, 'npm-start-home');
    } finally {
      await browser.close();
    }

    const before = descendants(proc.pid!);
    expect(before.length).toBeGreaterThanOrEqual(3); // sandbox, api, worker
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    process.kill(-proc.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    // Helpers of the children (tsx's esbuild service) exit once their parent's pipe closes.
    const goneBy = Date.now() + 10_000;
    while (before.some(alive) && Date.now() < goneBy) await new Promise((r) => setTimeout(r, 200));
    const left = before
      .filter(alive)
      .map((pid) => execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim());
    expect(left).toEqual([]);
    await expect(fetch(`http://127.0.0.1:${API_PORT}/healthz`)).rejects.toThrow();
  }, 300_000);
});
