// Helpers shared by the start and test drivers: running commands, installing what is missing.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** better-sqlite3 and other native addons compile against the system's Node headers. */
export const baseEnv = { ...process.env, npm_config_nodedir: process.env.npm_config_nodedir ?? '/usr' };

export function log(msg) {
  process.stdout.write(`\x1b[1m▸ ${msg}\x1b[0m\n`);
}

/** Runs a command with inherited output; resolves to its exit code. */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    // The caller's env adds to the inherited one (PATH, ports, …), never replaces it.
    const { env, ...rest } = opts;
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', ...rest, env: { ...baseEnv, ...(env ?? {}) } });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(127));
  });
}

/**
 * Runs a command with its output appended to `logFile` instead of the terminal (webpack's
 * progress frames and the like); resolves to its exit code.
 */
export function runLogged(cmd, args, logFile, opts = {}) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = fs.openSync(logFile, 'w');
  return new Promise((resolve) => {
    const { env, ...rest } = opts;
    const child = spawn(cmd, args, {
      cwd: root,
      stdio: ['ignore', fd, fd],
      ...rest,
      env: { ...baseEnv, ...(env ?? {}) },
    });
    const done = (code) => {
      fs.closeSync(fd);
      resolve(code);
    };
    child.on('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
    child.on('error', () => done(127));
  });
}

/** The last `n` lines of a text file ('' when it is missing). */
export function tail(file, n = 30) {
  if (!fs.existsSync(file)) return '';
  return fs.readFileSync(file, 'utf8').split('\n').slice(-n).join('\n');
}

/**
 * Whether something already listens on host:port: we try to listen there ourselves.
 * Resolves to null when free, else the error code (EADDRINUSE, EACCES, …).
 */
export function portTaken(port, host) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', (err) => resolve(err.code ?? 'EADDRINUSE'));
    srv.listen({ port: Number(port), host, exclusive: true }, () => srv.close(() => resolve(null)));
  });
}

export function runSync(cmd, args, opts = {}) {
  const { env, ...rest } = opts;
  return spawnSync(cmd, args, { cwd: root, encoding: 'utf8', ...rest, env: { ...baseEnv, ...(env ?? {}) } });
}

/** `npm ci` when node_modules is missing or older than the lock file. */
export async function ensureDependencies() {
  const marker = path.join(root, 'node_modules/.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs) return 0;
  log('installing dependencies (npm ci)');
  const code = await run('npm', ['ci', '--no-audit', '--no-fund']);
  if (code === 0) return 0;
  // A registry mirror that lags behind may lack another platform's optional binary that the
  // lock file names; npm ci then refuses the lock outright. npm install tolerates it.
  log('npm ci refused; retrying with npm install');
  return run('npm', ['install', '--no-audit', '--no-fund']);
}

/** Newest modification time of any file under the given paths (skipping node_modules, dist). */
export function newestMtime(paths) {
  let newest = 0;
  const walk = (p) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p)) if (name !== 'node_modules' && name !== 'dist') walk(path.join(p, name));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of paths) walk(path.join(root, p));
  return newest;
}

/** KEY=value lines printed by `scripts/services.sh env`. */
export function servicesEnv() {
  const out = runSync('bash', ['scripts/services.sh', 'env']).stdout ?? '';
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

export function dirSize(dir) {
  let total = 0;
  const walk = (p) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const n of fs.readdirSync(p)) walk(path.join(p, n));
    else total += st.size;
  };
  if (fs.existsSync(dir)) walk(dir);
  return total;
}
