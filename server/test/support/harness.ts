/**
 * Integration-test harness: a private database per Jest worker on the real MariaDB
 * started by scripts/services.sh, a Redis database per worker, migrations applied,
 * the demo shop seeded, and the Koa app listening on an ephemeral port.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import os from 'node:os';
import mysql from 'mysql2/promise';
import type { DestinationStream } from 'pino';
import type { DataSource } from 'typeorm';
import { loadConfig, type Config } from '../../src/kernel/config';
import { createDataSource } from '../../src/main/data-source';
import { createLogger, type Logger } from '../../src/kernel/logger';
import { createRedis, type Redis } from '../../src/kernel/redis';
import { seedDemoShop } from '../../src/modules/catalog/seed/demo-shop';
import { compose, type ComposeDeps, type Composition } from '../../src/main/compose';

export const workerId = Number(process.env.JEST_WORKER_ID ?? '1');

const hashOf = (text: string) => [...text].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);

/** Test configuration pointing at this worker's own database and Redis db. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const base = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const dbUrl = new URL(base.db.url);
  // CHATMALL_TEST_TAG keeps two test runs on one machine (two developers' shells) apart.
  const tag = process.env.CHATMALL_TEST_TAG ? `${process.env.CHATMALL_TEST_TAG}_` : '';
  dbUrl.pathname = `/chatmall_test_${tag}w${workerId}`;
  const redisUrl = new URL(base.redis.url);
  // Untagged runs use databases 1–10; a tagged run gets four of 16–63 by its tag's name, so two
  // tagged runs rarely meet (each test start empties its database).
  redisUrl.pathname = `/${tag ? 16 + 4 * (hashOf(tag) % 12) + (workerId % 4) : 1 + (workerId % 10)}`;
  return loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL: redisUrl.toString(),
    MEDIA_DIR: path.join(os.tmpdir(), `chatmall-media-w${workerId}`),
    QUEUE_PREFIX: `chatmall-test-${tag}w${workerId}`,
    ...overrides,
  });
}

/** Drops and recreates the worker's database so each test file starts clean. */
export async function freshDatabase(config: Config): Promise<void> {
  const url = new URL(config.db.url);
  const name = url.pathname.slice(1);
  url.pathname = '/';
  const conn = await mysql.createConnection({ uri: url.toString() });
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
}

export interface TestStack {
  /** The composition root's services, exactly as the API process builds them. */
  app: Composition;
  config: Config;
  db: DataSource;
  redis: Redis;
  log: Logger;
  baseUrl: string;
  server: http.Server;
  close(): Promise<void>;
}

export async function startStack(
  opts: {
    seed?: boolean;
    config?: Config;
    compose?: Partial<Omit<ComposeDeps, 'config' | 'db' | 'redis' | 'log'>>;
    /** Capture the API's log lines (at info level) instead of discarding them. */
    logDestination?: DestinationStream;
  } = {},
): Promise<TestStack> {
  const config = opts.config ?? testConfig();
  await freshDatabase(config);
  const db = createDataSource(config);
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  if (opts.seed !== false) await seedDemoShop(db, config.mediaDir);
  const redis = createRedis(config.redis.url, 'app');
  redis.on('error', () => undefined); // outage tests expect errors; readiness reports them
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  await redis.flushdb();
  const log = opts.logDestination
    ? createLogger('info', 'api', opts.logDestination)
    : createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', 'test');
  const app = compose({ config, db, redis, log, ...opts.compose });
  const server = http.createServer(app.app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    app,
    config,
    db,
    redis,
    log,
    server,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
      await db.destroy().catch(() => undefined);
      redis.disconnect();
    },
  };
}

export async function getJson(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep text
  }
  return { status: res.status, body, headers: res.headers };
}
