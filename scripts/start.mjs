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
import {
  ensureDependencies,
  log,
  newestMtime,
  portTaken,
  root,
  run,
  runLogged,
  runSync,
  baseEnv,
  tail,
} from './lib.mjs';

/** Where the H5 build's output (webpack's progress frames) goes; the terminal gets one line. */
const H5_BUILD_LOG = '.data/build-h5.log';
/** Where the console's Vite build output goes. */
const CONSOLE_BUILD_LOG = '.data/build-console.log';

const children = [];
let startedRedis = false;
let stopping = false;
/** Set once configuration is read; `stopAll` needs the Redis port it started. */
let cfg;

function readConfig() {
  const { values, derived } = loadConfigLayers(process.env, root);
  return {
    ports: [
      { name: 'the API', variable: 'API_PORT', port: values.API_PORT, host: values.API_HOST },
      { name: 'the sandbox', variable: 'SANDBOX_PORT', port: values.SANDBOX_PORT, host: values.SANDBOX_HOST },
    ],
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

/** Stops start-up, before anything starts, with one line naming the port and its variable. */
function refusePort(variable, port, code, what) {
  const why = code === 'EACCES' ? 'may not be used by this user' : 'is already in use by another process';
  console.error(
    `chatmall: port ${port} (${variable}, ${what}) ${why}; stop that process or move it, e.g. ${variable}=${Number(port) + 1} npm start`,
  );
  process.exit(1);
}

async function checkPorts() {
  for (const p of cfg.ports) {
    const code = await portTaken(p.port, p.host);
    if (code) refusePort(p.variable, p.port, code, p.name);
  }
}

async function ensureRedis() {
  if (!cfg.privateRedis) {
    log(`using Redis at ${cfg.redisUrl.replace(/\/\/[^@]*@/, '//***@')}`);
    return true;
  }
  const status = runSync('bash', ['scripts/services.sh', 'status'], { env: cfg.redisEnv }).stdout ?? '';
  const alreadyRunning = /redis: running/.test(status);
  // services.sh refuses a port some other program holds; say so in one line, as for the others.
  if (!alreadyRunning) {
    const code = await portTaken(cfg.redisEnv.REDIS_PORT, '127.0.0.1');
    if (code) refusePort('REDIS_PORT', cfg.redisEnv.REDIS_PORT, code, 'the private Redis');
  }
  log(`starting a private Redis on port ${cfg.redisEnv.REDIS_PORT} (scripts/services.sh up redis)`);
  const redisLog = path.join(root, `.data/redis-${cfg.redisEnv.REDIS_PORT}-up.log`);
  if ((await runLogged('bash', ['scripts/services.sh', 'up', 'redis'], redisLog, { env: cfg.redisEnv })) !== 0) {
    console.error(tail(redisLog, 10));
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

function consoleIsStale() {
  const index = path.join(root, 'console/dist/index.html');
  if (!fs.existsSync(index)) return true;
  const built = fs.statSync(index).mtimeMs;
  return (
    newestMtime(['console/src', 'console/index.html', 'console/vite.config.ts', 'console/package.json', 'shared/src']) >
    built
  );
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

/**
 * Polls `url` until it answers 200; resolves to { ok, status, body } of the last answer
 * (status 0: no answer at all).
 */
async function waitForHttp(url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last = { ok: false, status: 0, body: null };
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      const text = await res.text();
      let body = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON
      }
      last = { ok: res.status === 200, status: res.status, body };
      if (last.ok) return last;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return last;
}

/** What /readyz said that is not "ok", in a few words. */
function notReady(answer) {
  if (!answer.status) return 'no answer';
  const checks = answer.body?.checks ?? {};
  const down = Object.entries(checks).filter(([, v]) => v !== 'ok');
  return down.length ? down.map(([k, v]) => `${k} ${v}`).join(', ') : `HTTP ${answer.status}`;
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

  // Ports first: a taken one stops start-up before anything is installed, built or started.
  cfg = readConfig();
  await checkPorts();
  if ((await ensureDependencies()) !== 0) process.exit(1);
  if (!(await ensureRedis())) process.exit(1);

  log('database: applying migrations and seeding the demo shop (once)');
  if (
    (await run(process.execPath, ['--import', 'tsx', 'src/main/seed.ts'], { cwd: path.join(root, 'server') })) !== 0
  ) {
    await stopAll(1);
  }

  if (h5IsStale()) {
    log(`building the H5 storefront (the first run takes a minute; its output goes to ${H5_BUILD_LOG})`);
    const t0 = Date.now();
    // Always a production build: under NODE_ENV=development Taro's Babel preset wants react-refresh (not installed).
    const build = await runLogged(
      'npm',
      ['run', '--silent', 'build:h5', '-w', '@chatmall/miniapp'],
      path.join(root, H5_BUILD_LOG),
      { env: { NODE_ENV: 'production' } },
    );
    if (build !== 0) {
      console.error(
        `${tail(path.join(root, H5_BUILD_LOG), 30)}\nthe H5 build failed; its whole output is in ${H5_BUILD_LOG}`,
      );
      await stopAll(1);
    }
    log(`H5 storefront built in ${Math.round((Date.now() - t0) / 1000)} s`);
  }

  if (consoleIsStale()) {
    log(`building the merchant console (its output goes to ${CONSOLE_BUILD_LOG})`);
    const t0 = Date.now();
    const build = await runLogged(
      'npm',
      ['run', '--silent', 'build', '-w', '@chatmall/console'],
      path.join(root, CONSOLE_BUILD_LOG),
      { env: { NODE_ENV: 'production' } },
    );
    if (build !== 0) {
      console.error(
        `${tail(path.join(root, CONSOLE_BUILD_LOG), 30)}\nthe console build failed; its whole output is in ${CONSOLE_BUILD_LOG}`,
      );
      await stopAll(1);
    }
    log(`merchant console built in ${Math.round((Date.now() - t0) / 1000)} s`);
  }

  const { apiUrl, sandboxUrl } = cfg;
  log('starting the sandbox, the API and the worker');
  // Each child reads the same configuration (and .env) itself, so they agree with each other.
  startProcess('sandbox', 'sandbox', 'src/main.ts', {});
  startProcess('api', 'server', 'src/main/api.ts', {});
  startProcess('worker', 'server', 'src/main/worker.ts', {});

  // "Running" means ready: the sandbox answers and the API's /readyz says 200 (database and
  // Redis answer), not merely that the processes are up.
  const sandbox = await waitForHttp(`${sandboxUrl}/healthz`);
  if (!sandbox.ok) {
    if (!stopping) console.error(`the sandbox did not answer at ${sandboxUrl}/healthz; see the log above`);
    await stopAll(1);
    return;
  }
  let ready = await waitForHttp(`${apiUrl}/readyz`);
  if (!ready.ok) {
    if (!stopping) console.error(`the API is not ready (${notReady(ready)}) at ${apiUrl}/readyz; see the log above`);
    await stopAll(1);
    return;
  }
  // The API may have probed WeChat's base URL (the sandbox) before the sandbox listened; its
  // answer is cached for a few seconds, so look once more before calling it degraded.
  if (ready.body?.degraded) {
    await new Promise((r) => setTimeout(r, 5500));
    ready = await waitForHttp(`${apiUrl}/readyz`, 10_000);
  }
  const warning = ready.body?.warning ? `\n  Warning: ${ready.body.warning}\n` : '';
  // A stack off the default API port keeps its own data; say where.
  const dataLine = cfg.dataDir ? `\n    Data              ${cfg.dataDir}/` : '';
  console.log(`
  chatmall is running.
${warning}
    Storefront (H5)   ${apiUrl}/
    Console           ${apiUrl}/console/
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
