/**
 * Configuration: config/default.json, then config/<NODE_ENV>.json, then a root `.env`,
 * then the process environment (last wins). Validated with zod; a bad or missing value
 * stops start-up with a message naming the key. Secret values never appear in messages.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { repoRoot } from './paths';

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();

export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  API_HOST: z.string().min(1),
  API_PORT: port,
  PUBLIC_BASE_URL: z.url(),
  DATABASE_URL: z.string().regex(/^(mysql|mariadb):\/\/|^sqlite:/, 'must start with mysql://, mariadb:// or sqlite:'),
  DB_POOL_SIZE: positiveInt,
  DB_CONNECT_TIMEOUT_MS: positiveInt,
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://'),
  QUEUE_PREFIX: z.string().regex(/^[\w-]+$/, 'letters, digits, _ and - only'),
  STOREFRONT_DIR: z.string().min(1),
  MEDIA_DIR: z.string().min(1),
  SANDBOX_HOST: z.string().min(1),
  SANDBOX_PORT: port,
  SHUTDOWN_GRACE_MS: positiveInt,
});
export type ConfigKey = keyof z.infer<typeof ConfigSchema>;

/** Keys whose values must never be printed (they may hold passwords or keys). */
export const secretKeys: ReadonlySet<string> = new Set(['DATABASE_URL', 'REDIS_URL']);

export interface Config {
  env: 'development' | 'test' | 'production';
  logLevel: z.infer<typeof ConfigSchema>['LOG_LEVEL'];
  api: { host: string; port: number; publicBaseUrl: string };
  db: { url: string; poolSize: number; connectTimeoutMs: number };
  redis: { url: string };
  queues: { prefix: string };
  storefrontDir: string;
  mediaDir: string;
  sandbox: { host: string; port: number };
  shutdownGraceMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: { key: string; message: string }[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p.key}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function readJson(file: string): Record<string, string> {
  if (!fs.existsSync(file)) return {};
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
}

/** Minimal dotenv reader: KEY=value lines, # comments, optional quotes. */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, root: string = repoRoot): Config {
  const resolve = (p: string) => (path.isAbsolute(p) ? p : path.join(root, p));
  const nodeEnv = env.NODE_ENV ?? 'development';
  const dotenvFile = path.join(root, '.env');
  const merged: Record<string, unknown> = {
    ...readJson(path.join(root, 'config/default.json')),
    ...readJson(path.join(root, `config/${nodeEnv}.json`)),
    ...(fs.existsSync(dotenvFile) && nodeEnv !== 'test' ? parseDotenv(fs.readFileSync(dotenvFile, 'utf8')) : {}),
  };
  for (const key of Object.keys(ConfigSchema.shape)) {
    if (env[key] !== undefined && env[key] !== '') merged[key] = env[key];
  }
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? '(root)');
        // zod messages can quote the received value; for secrets keep only the rule.
        const message = secretKeys.has(key) ? 'is missing or malformed' : issue.message;
        return { key, message };
      }),
    );
  }
  const c = parsed.data;
  return {
    env: c.NODE_ENV,
    logLevel: c.LOG_LEVEL,
    api: { host: c.API_HOST, port: c.API_PORT, publicBaseUrl: c.PUBLIC_BASE_URL.replace(/\/$/, '') },
    db: {
      url: c.DATABASE_URL.startsWith('sqlite:')
        ? `sqlite:${resolve(c.DATABASE_URL.slice('sqlite:'.length))}`
        : c.DATABASE_URL,
      poolSize: c.DB_POOL_SIZE,
      connectTimeoutMs: c.DB_CONNECT_TIMEOUT_MS,
    },
    redis: { url: c.REDIS_URL },
    queues: { prefix: c.QUEUE_PREFIX },
    storefrontDir: resolve(c.STOREFRONT_DIR),
    mediaDir: resolve(c.MEDIA_DIR),
    sandbox: { host: c.SANDBOX_HOST, port: c.SANDBOX_PORT },
    shutdownGraceMs: c.SHUTDOWN_GRACE_MS,
  };
}

/** `mysql://user:secret@host/db` → `mysql://user:***@host/db`, for log lines. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}
