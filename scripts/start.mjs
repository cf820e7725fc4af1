#!/usr/bin/env node
// `npm start`: the whole stack on embedded defaults — SQLite under .data/, a private Redis
// (or REDIS_URL), the demo shop, the H5 storefront — then sandbox + API + worker until Ctrl-C.
// DATABASE_URL=mysql://… and REDIS_URL=redis://… switch to existing servers.
// Ports come from the shared configuration loader (config/index.cjs), as every child reads
// them: API_PORT=3301 SANDBOX_PORT=3401 REDIS_PORT=16401 npm start is a second stack with its
// own Redis and its own data under .data/stack-3301/.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfigLayers, urlHost } from '../config/index.cjs';
import { ensureDependencies, log, newestMtime, root, run, runSync, baseEnv } from './lib.mjs';

const children = [];
let startedRedis = false;
let stopping = false;
/** Set once configuration is read; `stopAll` needs the Redis port it started. */
let cfg;

function readConfig() {
  const { values, derived } = loadConfigLayers(process.env, root);
  return {
    apiUrl: `http://${urlHost(values.API_HOST)}:${values.API_PORT}`,
    sandboxUrl: `http://${urlHost(values.SANDBOX_HOST)}:${values.SANDBOX_PORT}`,
    redisUrl: values.REDIS_URL,
    // REDIS_URL set anywhere (environment, .env, config/<env>.json) means an existing server.
    privateRedis: derived.includes('REDIS_URL'),
    // services.sh keeps one private Redis per port.
    redisEnv: { REDIS_PORT: values.REDIS_PORT },
    dataDir: derived.includes('DATA_DIR') && values.DATA_DIR !== '.data' ? values.DATA_DIR : null,
  };
}

async function ensureRedis() {
  if (!cfg.privateRedis) {
    log(`using Redis at ${cfg.redisUrl.replace(/\/\/[^@]*@/, '//***@')}`);
    return true;
  }
  const status = runSync('bash', ['scripts/services.sh', 'status'], { env: cfg.redisEnv }).stdout ?? '';
  const alreadyRunning = /redis: running/.test(status);
  log(`starting a private Redis on port ${cfg.redisEnv.REDIS_PORT} (scripts/services.sh up redis)`);
  if ((await run('bash', ['scripts/services.sh', 'up', 'redis'], { env: cfg.redisEnv })) !== 0) {
    console.error(
      `\nchatmall needs Redis. Either run as root so it can install Debian's redis-server, or point it at one:\n` +
        `  REDIS_URL=redis://127.0.0.1:6379/0 npm start\n`,
    );
    return false;
  }
  startedRedis = !alreadyRunning;
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
  if (startedRedis) await run('bash', ['scripts/services.sh', 'down', 'redis'], { env: cfg.redisEnv });
  log('stopped');
  process.exit(code);
}

async function main() {
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  if ((await ensureDependencies()) !== 0) process.exit(1);
  cfg = readConfig();
  if (!(await ensureRedis())) process.exit(1);

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

  const { apiUrl, sandboxUrl } = cfg;
  // Each child reads the same configuration (and .env) itself, so they agree with each other.
  startProcess('sandbox', 'sandbox', 'src/main.ts', {});
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
  // A stack off the default API port keeps its own data; say where.
  const dataLine = cfg.dataDir ? `\n    Data              ${cfg.dataDir}/` : '';
  console.log(`
  chatmall is running.

    Storefront (H5)   ${apiUrl}/
    Sandbox console   ${sandboxUrl}/
    API               ${apiUrl}/api/products
    Health            ${apiUrl}/healthz   ${apiUrl}/readyz${dataLine}

  Press Ctrl-C to stop.
`);
}

main().catch((err) => {
  console.error(err);
  void stopAll(1);
});
