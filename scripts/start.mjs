#!/usr/bin/env node
// `npm start`: the whole stack on embedded defaults — SQLite under .data/, a private Redis
// (or REDIS_URL), the demo shop, the H5 storefront — then sandbox + API + worker until Ctrl-C.
// DATABASE_URL=mysql://… and REDIS_URL=redis://… switch to existing servers.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureDependencies, log, newestMtime, root, run, runSync, baseEnv } from './lib.mjs';

const children = [];
let startedRedis = false;
let stopping = false;

function readDefaults() {
  const defaults = JSON.parse(fs.readFileSync(path.join(root, 'config/default.json'), 'utf8'));
  const pick = (k) => process.env[k] || defaults[k];
  return {
    apiHost: pick('API_HOST'),
    apiPort: pick('API_PORT'),
    sandboxHost: pick('SANDBOX_HOST'),
    sandboxPort: pick('SANDBOX_PORT'),
    redisUrl: pick('REDIS_URL'),
  };
}

async function ensureRedis(cfg) {
  if (process.env.REDIS_URL) {
    log(`using Redis at ${process.env.REDIS_URL.replace(/\/\/[^@]*@/, '//***@')}`);
    return true;
  }
  const status = runSync('bash', ['scripts/services.sh', 'status']).stdout ?? '';
  const alreadyRunning = /redis: running/.test(status);
  log('starting a private Redis (scripts/services.sh up redis)');
  if ((await run('bash', ['scripts/services.sh', 'up', 'redis'])) !== 0) {
    console.error(
      `\nchatmall needs Redis. Either run as root so it can install Debian's redis-server, or point it at one:\n` +
        `  REDIS_URL=redis://127.0.0.1:6379/0 npm start\n`,
    );
    return false;
  }
  startedRedis = !alreadyRunning;
  void cfg;
  return true;
}

function h5IsStale() {
  const index = path.join(root, 'miniapp/dist/h5/index.html');
  if (!fs.existsSync(index)) return true;
  const built = fs.statSync(index).mtimeMs;
  return newestMtime(['miniapp/src', 'miniapp/config', 'miniapp/babel.config.js', 'shared/src']) > built;
}

/** Starts a TypeScript entry with tsx in-process (no wrapper process, so signals reach it). */
function startProcess(name, cwd, entry, env) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: path.join(root, cwd),
    env: { ...baseEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: the terminal's Ctrl-C reaches only this script, which then
    // stops each child once, in order, with SIGTERM.
    detached: true,
  });
  const prefix = `[${name}]`.padEnd(10);
  for (const stream of [child.stdout, child.stderr]) {
    let buf = '';
    stream.on('data', (chunk) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        process.stdout.write(`${prefix}${buf.slice(0, i)}\n`);
        buf = buf.slice(i + 1);
      }
    });
  }
  child.on('exit', (code, signal) => {
    child.exited = true;
    if (!stopping) {
      console.error(`${name} exited unexpectedly (${signal ?? code}); stopping everything`);
      void stopAll(1);
    }
  });
  children.push({ name, child });
  return child;
}

async function waitForHttp(url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url);
      if (res.ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  log('stopping…');
  for (const { child } of children) if (!child.exited) child.kill('SIGTERM');
  const deadline = Date.now() + 15_000;
  while (children.some(({ child }) => !child.exited) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  for (const { child } of children) if (!child.exited) child.kill('SIGKILL');
  if (startedRedis) await run('bash', ['scripts/services.sh', 'down', 'redis']);
  log('stopped');
  process.exit(code);
}

async function main() {
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  if ((await ensureDependencies()) !== 0) process.exit(1);
  const cfg = readDefaults();
  if (!(await ensureRedis(cfg))) process.exit(1);

  log('database: applying migrations and seeding the demo shop (once)');
  if (
    (await run(process.execPath, ['--import', 'tsx', 'src/main/seed.ts'], { cwd: path.join(root, 'server') })) !== 0
  ) {
    await stopAll(1);
  }

  if (h5IsStale()) {
    log('building the H5 storefront (first run takes a minute)');
    // Always a production build: under NODE_ENV=development Taro's Babel preset wants react-refresh (not installed).
    const build = await run('npm', ['run', '--silent', 'build:h5', '-w', '@chatmall/miniapp'], {
      env: { ...baseEnv, NODE_ENV: 'production' },
    });
    if (build !== 0) await stopAll(1);
  }

  const apiUrl = `http://${cfg.apiHost === '0.0.0.0' ? '127.0.0.1' : cfg.apiHost}:${cfg.apiPort}`;
  const sandboxUrl = `http://${cfg.sandboxHost}:${cfg.sandboxPort}`;
  startProcess('sandbox', 'sandbox', 'src/main.ts', { PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? apiUrl });
  startProcess('api', 'server', 'src/main/api.ts', {});
  startProcess('worker', 'server', 'src/main/worker.ts', {});

  const [apiUp, sandboxUp] = await Promise.all([
    waitForHttp(`${apiUrl}/healthz`),
    waitForHttp(`${sandboxUrl}/healthz`),
  ]);
  if (!apiUp || !sandboxUp) {
    console.error(`${!apiUp ? 'the API' : 'the sandbox'} did not come up; see the log above`);
    await stopAll(1);
    return;
  }
  console.log(`
  chatmall is running.

    Storefront (H5)   ${apiUrl}/
    Sandbox console   ${sandboxUrl}/
    API               ${apiUrl}/api/products
    Health            ${apiUrl}/healthz   ${apiUrl}/readyz

  Press Ctrl-C to stop.
`);
}

main().catch((err) => {
  console.error(err);
  void stopAll(1);
});
