'use strict';
/**
 * The one configuration loader, shared by the server, the sandbox and the scripts.
 *
 * Layers, last wins: config/default.json, config/<NODE_ENV>.json, the root `.env` (not when
 * NODE_ENV=test, so a developer's .env never leaks into tests), then the process environment
 * (empty values there are ignored). Then the values that follow from ports are derived,
 * unless a layer above default.json set them: an explicit value always wins.
 *
 * Plain CommonJS with no dependencies, so `scripts/start.mjs` (plain Node), the TypeScript
 * sources (tsx) and Jest (which transforms only .ts/.js) load the same file. Validation is
 * the consumer's job (zod, in the server and the sandbox): this returns strings.
 */
const fs = require('node:fs');
const path = require('node:path');
const { parseEnv } = require('node:util');

const repoRoot = path.resolve(__dirname, '..');

/**
 * Keys this loader computes when no layer above default.json sets them. They must not appear
 * in default.json: a value there would look the same as an explicit one.
 */
const derivedKeys = [
  'PUBLIC_BASE_URL',
  'WECHATPAY_NOTIFY_URL',
  'WECHAT_API_BASE',
  'WECHATPAY_API_BASE',
  'REDIS_URL',
  'DATA_DIR',
  'DATABASE_URL',
  'MEDIA_DIR',
  'SANDBOX_STATE_DIR',
  'WECHATPAY_MERCHANT_SERIAL',
  'WECHATPAY_MERCHANT_PRIVATE_KEY',
  'WECHATPAY_PUBLIC_KEY_ID',
  'WECHATPAY_PUBLIC_KEY',
];

function readJson(file) {
  if (!fs.existsSync(file)) return {};
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  // Numbers and booleans in JSON read like the strings an environment would give.
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, String(v)]));
}

function readDotenv(file) {
  return fs.existsSync(file) ? parseEnv(fs.readFileSync(file, 'utf8')) : {};
}

/** The host to put in a URL for a listening address: a wildcard bind is reached on loopback. */
function urlHost(host) {
  if (!host || host === '0.0.0.0' || host === '::' || host === '[::]') return '127.0.0.1';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

const trimSlash = (s) => s.replace(/\/+$/, '');

/**
 * Loads every layer and derives the port-driven defaults.
 * `extraKeys` are keys the environment may set besides those named in a config file.
 * Returns `{ values, derived }`: all values as strings, and the keys whose value was derived
 * here rather than set by a layer (`npm start` uses this to tell a private Redis from one the
 * developer pointed it at).
 */
function loadConfigLayers(env = process.env, root = repoRoot, extraKeys = []) {
  const nodeEnv = env.NODE_ENV || 'development';
  const defaults = readJson(path.join(root, 'config/default.json'));
  const layers = [
    readJson(path.join(root, `config/${nodeEnv}.json`)),
    nodeEnv === 'test' ? {} : readDotenv(path.join(root, '.env')),
  ];
  // The environment only speaks for keys configuration knows, never PATH or HOME.
  // (`extraKeys`: a consumer's schema, for keys with no default in any file.)
  const known = new Set([
    ...Object.keys(defaults),
    ...derivedKeys,
    ...layers.flatMap((l) => Object.keys(l)),
    ...extraKeys,
  ]);
  const fromEnv = {};
  for (const key of known) if (env[key] !== undefined && env[key] !== '') fromEnv[key] = env[key];
  layers.push(fromEnv);

  const values = { ...defaults, NODE_ENV: nodeEnv };
  for (const layer of layers) Object.assign(values, layer);
  values.NODE_ENV = nodeEnv;

  const derived = [];
  const derive = (key, value) => {
    // An empty value in .env or a <env>.json leaves the derived default in place too.
    if (layers.some((l) => l[key] !== undefined && l[key] !== '')) return;
    values[key] = value;
    derived.push(key);
  };
  const apiPort = values.API_PORT;
  derive('PUBLIC_BASE_URL', `http://${urlHost(values.API_HOST)}:${apiPort}`);
  derive('WECHATPAY_NOTIFY_URL', `${trimSlash(values.PUBLIC_BASE_URL)}/api/pay/notify`);
  const sandboxUrl = `http://${urlHost(values.SANDBOX_HOST)}:${values.SANDBOX_PORT}`;
  derive('WECHAT_API_BASE', sandboxUrl);
  derive('WECHATPAY_API_BASE', sandboxUrl);
  derive('REDIS_URL', `redis://127.0.0.1:${values.REDIS_PORT}/${values.REDIS_DB ?? '0'}`);
  // A second stack on another API port keeps its database, images and sandbox state apart.
  derive('DATA_DIR', Number(apiPort) === Number(defaults.API_PORT ?? 3000) ? '.data' : `.data/stack-${apiPort}`);
  const data = trimSlash(values.DATA_DIR);
  derive('DATABASE_URL', `sqlite:${data}/chatmall.sqlite`);
  derive('MEDIA_DIR', `${data}/media`);
  derive('SANDBOX_STATE_DIR', `${data}/sandbox`);
  // The sandbox writes its WeChat Pay keys here; the server reads them as `file:` values.
  const pay = `${trimSlash(values.SANDBOX_STATE_DIR)}/pay`;
  derive('WECHATPAY_MERCHANT_SERIAL', `file:${pay}/merchant-serial.txt`);
  derive('WECHATPAY_MERCHANT_PRIVATE_KEY', `file:${pay}/merchant-key.pem`);
  derive('WECHATPAY_PUBLIC_KEY_ID', `file:${pay}/wechatpay-public-key-id.txt`);
  derive('WECHATPAY_PUBLIC_KEY', `file:${pay}/wechatpay-public-key.pem`);
  return { values, derived };
}

/** All configuration values as strings (see loadConfigLayers). */
function loadRawConfig(env = process.env, root = repoRoot, extraKeys = []) {
  return loadConfigLayers(env, root, extraKeys).values;
}

/** A configured path, relative to the repo root unless absolute. */
function resolvePath(root, p) {
  return path.isAbsolute(p) ? p : path.join(root, p);
}

exports.repoRoot = repoRoot;
exports.derivedKeys = derivedKeys;
exports.urlHost = urlHost;
exports.resolvePath = resolvePath;
exports.loadConfigLayers = loadConfigLayers;
exports.loadRawConfig = loadRawConfig;
