/**
 * Configuration: the shared loader (@chatmall/config: config/default.json, then
 * config/<NODE_ENV>.json, then a root `.env`, then the process environment, last wins; URLs
 * that follow from ports derived unless set explicitly), validated here with zod. A bad or
 * missing value stops start-up with a message naming the key. Secret values never appear in
 * messages.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadRawConfig } from '@chatmall/config';
import { z } from 'zod';
import type { WechatPaySettings } from '../wechat/pay/wechat-pay';
import { repoRoot } from './paths';

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
/** An AES-256 key: 32 random bytes in base64 (`openssl rand -base64 32`). Never quoted in messages. */
const aes256Key = z
  .string()
  .refine(
    (v) => /^[A-Za-z0-9+/]{43}=$/.test(v) && Buffer.from(v, 'base64').length === 32,
    'must be 32 random bytes in base64, 44 characters (openssl rand -base64 32)',
  );

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
  // Only feed REDIS_URL's default (and `npm start`'s private Redis); validated so a typo is named.
  REDIS_PORT: port,
  REDIS_DB: z.coerce.number().int().min(0).max(15),
  QUEUE_PREFIX: z.string().regex(/^[\w-]+$/, 'letters, digits, _ and - only'),
  // Red-envelope grab scripts on a Redis Cluster (host:port,…); empty: on REDIS_URL like the rest.
  RED_ENVELOPE_REDIS_CLUSTER: z.union([
    z.literal(''),
    z.string().regex(/^[\w.-]+:\d+(,[\w.-]+:\d+)*$/, 'must be host:port[,host:port…]'),
  ]),
  RED_ENVELOPE_GRABS_PER_BUYER_PER_MINUTE: positiveInt,
  RED_ENVELOPE_GRABS_PER_IP_PER_MINUTE: positiveInt,
  // Push campaigns: sends a second over every worker, the recipient count above which the owner
  // approves, how often a campaign paused at WeChat's daily quota tries again.
  CAMPAIGN_SENDS_PER_SECOND: positiveInt,
  CAMPAIGN_APPROVAL_ABOVE: positiveInt,
  CAMPAIGN_QUOTA_RETRY_MS: positiveInt,
  // Quiet hours in China time, `22-8` (22:00–08:00) or `off`; service notices are sent anyway.
  CAMPAIGN_QUIET_HOURS: z.union([
    z.literal('off'),
    z.string().regex(/^([01]?\d|2[0-3])-([01]?\d|2[0-3])$/, 'must be <start hour>-<end hour> (e.g. 22-8) or off'),
  ]),
  STOREFRONT_DIR: z.string().min(1),
  CONSOLE_DIR: z.string().min(1),
  MEDIA_DIR: z.string().min(1),
  MEDIA_MAX_UPLOAD_BYTES: positiveInt,
  SANDBOX_HOST: z.string().min(1),
  SANDBOX_PORT: port,
  SHUTDOWN_GRACE_MS: positiveInt,
  // WeChat official account and mini-program (defaults: the sandbox's apps). Secrets never printed.
  WECHAT_API_BASE: z.url(),
  WECHAT_TOKEN_MODE: z.enum(['stable', 'classic']),
  WECHAT_OA_APPID: z.string().regex(/^wx[0-9a-zA-Z]{16}$/, 'must be a wx… app id (18 characters)'),
  WECHAT_OA_SECRET: z.string().min(1),
  WECHAT_OA_TOKEN: z.string().regex(/^[A-Za-z0-9]{3,32}$/, '3–32 letters or digits'),
  WECHAT_OA_AES_KEY: z.string().regex(/^[A-Za-z0-9]{43}$/, 'must be 43 letters or digits'),
  WECHAT_OA_PREVIOUS_AES_KEY: z.union([
    z.literal(''),
    z.string().regex(/^[A-Za-z0-9]{43}$/, 'must be 43 letters or digits'),
  ]),
  WECHAT_OA_PATH: z.string().regex(/^\/[\w\-/]*$/, 'must be a path starting with /'),
  WECHAT_OA_WELCOME: z.string().min(1),
  WECHAT_MP_APPID: z.string().regex(/^wx[0-9a-zA-Z]{16}$/, 'must be a wx… app id (18 characters)'),
  WECHAT_MP_SECRET: z.string().min(1),
  // Buyers' WeChat session keys are stored encrypted (AES-256-GCM) with this key; the previous
  // key is only read (rows written under it are re-encrypted on the buyer's next sign-in).
  SESSION_KEY_ENCRYPTION_KEY: aes256Key,
  SESSION_KEY_PREVIOUS_ENCRYPTION_KEY: z.union([z.literal(''), aes256Key]),
  ORDER_PAYMENT_MINUTES: positiveInt,
  ORDER_AUTO_COMPLETE_DAYS: positiveInt,
  // WeChat Pay v3. Key material may be inline PEM or `file:<path>` (read when first used, so
  // the API can start before the sandbox has generated its test keys).
  WECHATPAY_API_BASE: z.url(),
  WECHATPAY_MCHID: z.string().regex(/^\d{6,12}$/, 'must be the numeric merchant id'),
  WECHATPAY_APPID: z.string().regex(/^wx[0-9a-zA-Z]{16}$/, 'must be a wx… app id (18 characters)'),
  WECHATPAY_MERCHANT_SERIAL: z.string().min(1),
  WECHATPAY_MERCHANT_PRIVATE_KEY: z.string().min(1),
  WECHATPAY_APIV3_KEY: z.string().refine((v) => Buffer.byteLength(v, 'utf8') === 32, 'must be exactly 32 bytes'),
  WECHATPAY_PUBLIC_KEY_ID: z.string(),
  WECHATPAY_PUBLIC_KEY: z.string(),
  WECHATPAY_NOTIFY_URL: z.url(),
});
export type ConfigKey = keyof z.infer<typeof ConfigSchema>;

/** Keys whose values must never be printed (they may hold passwords or keys). */
export const secretKeys: ReadonlySet<string> = new Set([
  'DATABASE_URL',
  'REDIS_URL',
  'WECHAT_OA_SECRET',
  'WECHAT_OA_TOKEN',
  'WECHAT_OA_AES_KEY',
  'WECHAT_OA_PREVIOUS_AES_KEY',
  'WECHAT_MP_SECRET',
  'SESSION_KEY_ENCRYPTION_KEY',
  'SESSION_KEY_PREVIOUS_ENCRYPTION_KEY',
  'WECHATPAY_MERCHANT_PRIVATE_KEY',
  'WECHATPAY_APIV3_KEY',
]);

export interface Config {
  env: 'development' | 'test' | 'production';
  logLevel: z.infer<typeof ConfigSchema>['LOG_LEVEL'];
  api: { host: string; port: number; publicBaseUrl: string };
  db: { url: string; poolSize: number; connectTimeoutMs: number };
  redis: {
    url: string;
    /** Nodes of the Redis Cluster the red-envelope scripts run on; empty: they use `url`. */
    redEnvelopeCluster: { host: string; port: number }[];
  };
  /** Grab rate limits (429 with Retry-After beyond them). */
  redEnvelopes: { grabsPerBuyerPerMinute: number; grabsPerIpPerMinute: number };
  /** Push campaigns: the global send rate, the approval threshold, the quota retry interval. */
  campaigns: { sendsPerSecond: number; approvalAbove: number; quotaRetryMs: number; quietHours: string };
  queues: { prefix: string };
  storefrontDir: string;
  /** The merchant console's build (console/dist), served at /console/. */
  consoleDir: string;
  mediaDir: string;
  /** Largest image upload accepted, in bytes. */
  mediaMaxUploadBytes: number;
  sandbox: { host: string; port: number };
  shutdownGraceMs: number;
  wechat: WechatConfig;
  orders: { paymentWindowMs: number; autoCompleteMs: number };
  /** WeChat Pay settings, in the protocol layer's own shape; `file:` values are absolute paths here. */
  wechatPay: WechatPaySettings;
  /** Keys (base64, 32 bytes) that encrypt buyers' session keys at rest; `previous` is read only. */
  sessionKeyEncryption: { key: string; previousKey?: string };
}

/** Official account and mini-program settings (WeChat Pay has its own). */
export interface WechatConfig {
  apiBase: string;
  tokenMode: 'stable' | 'classic';
  oa: {
    appId: string;
    secret: string;
    token: string;
    encodingAesKey: string;
    previousEncodingAesKey?: string;
    path: string;
    welcome: string;
  };
  miniProgram: { appId: string; secret: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: { key: string; message: string }[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p.key}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, root: string = repoRoot): Config {
  const resolve = (p: string) => (path.isAbsolute(p) ? p : path.join(root, p));
  const fileRef = (v: string) => (v.startsWith('file:') ? `file:${resolve(v.slice('file:'.length))}` : v);
  const merged = loadRawConfig(env, root, Object.keys(ConfigSchema.shape));
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? '(root)');
        // zod's built-in messages can quote the received value; for secrets keep only the rule
        // (our own refinements, e.g. the APIv3 key's length, never quote it).
        const message = secretKeys.has(key) && issue.code !== 'custom' ? 'is missing or malformed' : issue.message;
        return { key, message };
      }),
    );
  }
  const c = parsed.data;
  // The development key in config/default.json is public: production must bring its own.
  if (
    c.NODE_ENV === 'production' &&
    c.SESSION_KEY_ENCRYPTION_KEY === defaultValue(root, 'SESSION_KEY_ENCRYPTION_KEY')
  ) {
    throw new ConfigError([
      {
        key: 'SESSION_KEY_ENCRYPTION_KEY',
        message: 'is the development default from config/default.json; set a key of your own in production',
      },
    ]);
  }
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
    redis: {
      url: c.REDIS_URL,
      redEnvelopeCluster: c.RED_ENVELOPE_REDIS_CLUSTER
        ? c.RED_ENVELOPE_REDIS_CLUSTER.split(',').map((n) => {
            const i = n.lastIndexOf(':');
            return { host: n.slice(0, i), port: Number(n.slice(i + 1)) };
          })
        : [],
    },
    redEnvelopes: {
      grabsPerBuyerPerMinute: c.RED_ENVELOPE_GRABS_PER_BUYER_PER_MINUTE,
      grabsPerIpPerMinute: c.RED_ENVELOPE_GRABS_PER_IP_PER_MINUTE,
    },
    campaigns: {
      sendsPerSecond: c.CAMPAIGN_SENDS_PER_SECOND,
      approvalAbove: c.CAMPAIGN_APPROVAL_ABOVE,
      quotaRetryMs: c.CAMPAIGN_QUOTA_RETRY_MS,
      quietHours: c.CAMPAIGN_QUIET_HOURS,
    },
    queues: { prefix: c.QUEUE_PREFIX },
    storefrontDir: resolve(c.STOREFRONT_DIR),
    consoleDir: resolve(c.CONSOLE_DIR),
    mediaDir: resolve(c.MEDIA_DIR),
    mediaMaxUploadBytes: c.MEDIA_MAX_UPLOAD_BYTES,
    sandbox: { host: c.SANDBOX_HOST, port: c.SANDBOX_PORT },
    shutdownGraceMs: c.SHUTDOWN_GRACE_MS,
    wechat: {
      apiBase: c.WECHAT_API_BASE.replace(/\/$/, ''),
      tokenMode: c.WECHAT_TOKEN_MODE,
      oa: {
        appId: c.WECHAT_OA_APPID,
        secret: c.WECHAT_OA_SECRET,
        token: c.WECHAT_OA_TOKEN,
        encodingAesKey: c.WECHAT_OA_AES_KEY,
        previousEncodingAesKey: c.WECHAT_OA_PREVIOUS_AES_KEY || undefined,
        path: c.WECHAT_OA_PATH,
        welcome: c.WECHAT_OA_WELCOME,
      },
      miniProgram: { appId: c.WECHAT_MP_APPID, secret: c.WECHAT_MP_SECRET },
    },
    orders: {
      paymentWindowMs: c.ORDER_PAYMENT_MINUTES * 60_000,
      autoCompleteMs: c.ORDER_AUTO_COMPLETE_DAYS * 86_400_000,
    },
    wechatPay: {
      apiBase: c.WECHATPAY_API_BASE.replace(/\/$/, ''),
      mchid: c.WECHATPAY_MCHID,
      appid: c.WECHATPAY_APPID,
      merchantSerial: fileRef(c.WECHATPAY_MERCHANT_SERIAL),
      merchantPrivateKey: fileRef(c.WECHATPAY_MERCHANT_PRIVATE_KEY),
      apiV3Key: c.WECHATPAY_APIV3_KEY,
      publicKeyId: fileRef(c.WECHATPAY_PUBLIC_KEY_ID),
      publicKey: fileRef(c.WECHATPAY_PUBLIC_KEY),
      notifyUrl: c.WECHATPAY_NOTIFY_URL,
    },
    sessionKeyEncryption: {
      key: c.SESSION_KEY_ENCRYPTION_KEY,
      previousKey: c.SESSION_KEY_PREVIOUS_ENCRYPTION_KEY || undefined,
    },
  };
}

/** A value as config/default.json under `root` sets it (undefined when the file or key is absent). */
function defaultValue(root: string, key: string): string | undefined {
  try {
    const value = (
      JSON.parse(fs.readFileSync(path.join(root, 'config/default.json'), 'utf8')) as Record<string, unknown>
    )[key];
    return value === undefined ? undefined : String(value);
  } catch {
    return undefined;
  }
}

/** `mysql://user:secret@host/db` → `mysql://user:***@host/db`, for log lines. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}
