/**
 * The sandbox's configuration, read by the loader the server reads (@chatmall/config), so a
 * value changed in `.env` or the environment reaches both sides alike: the apps it plays
 * (appid, secret, Token, EncodingAESKey), the merchant it serves (mchid, appid, APIv3 key),
 * where it listens, where the merchant server is and where its state lives. No value is
 * written here: config/default.json holds the sandbox's defaults.
 */
import { loadRawConfig, repoRoot, resolvePath, urlHost } from '@chatmall/config';
import { z } from 'zod';
import type { SandboxApps } from './platform/apps';

const appId = z.string().regex(/^wx[0-9a-zA-Z]{16}$/, 'must be a wx… app id (18 characters)');

const SandboxConfigSchema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  SANDBOX_HOST: z.string().min(1),
  SANDBOX_PORT: z.coerce.number().int().min(1).max(65535),
  SANDBOX_STATE_DIR: z.string().min(1),
  SANDBOX_TIME_SCALE: z.coerce.number().positive(),
  PUBLIC_BASE_URL: z.url(),
  WECHAT_OA_APPID: appId,
  WECHAT_OA_SECRET: z.string().min(1),
  WECHAT_OA_ORIGINAL_ID: z.string().regex(/^gh_[0-9a-zA-Z]+$/, 'must be a gh_… original id'),
  WECHAT_OA_TOKEN: z.string().min(1),
  WECHAT_OA_AES_KEY: z.string().regex(/^[A-Za-z0-9]{43}$/, 'must be 43 letters or digits'),
  WECHAT_OA_PATH: z.string().regex(/^\/[\w\-/]*$/, 'must be a path starting with /'),
  WECHAT_MP_APPID: appId,
  WECHAT_MP_SECRET: z.string().min(1),
  WECHATPAY_MCHID: z.string().regex(/^\d{6,12}$/, 'must be the numeric merchant id'),
  WECHATPAY_APPID: appId,
  WECHATPAY_APIV3_KEY: z.string().refine((v) => Buffer.byteLength(v, 'utf8') === 32, 'must be exactly 32 bytes'),
});

/** The merchant the WeChat Pay surface serves. */
export interface SandboxMerchant {
  mchid: string;
  appid: string;
  apiV3Key: string;
}

export interface SandboxConfig {
  host: string;
  port: number;
  /** Where this sandbox is reached (links it hands out). */
  selfBaseUrl: string;
  /** The merchant server's PUBLIC_BASE_URL: pushes and notifications go there. */
  merchantBaseUrl: string;
  /** Absolute. */
  stateDir: string;
  timeScale: number;
  logLevel: string;
  apps: SandboxApps;
  merchant: SandboxMerchant;
}

export class SandboxConfigError extends Error {
  constructor(readonly problems: { key: string; message: string }[]) {
    super(`invalid sandbox configuration:\n${problems.map((p) => `  ${p.key}: ${p.message}`).join('\n')}`);
    this.name = 'SandboxConfigError';
  }
}

const secretKeys = new Set([
  'WECHAT_OA_SECRET',
  'WECHAT_OA_TOKEN',
  'WECHAT_OA_AES_KEY',
  'WECHAT_MP_SECRET',
  'WECHATPAY_APIV3_KEY',
]);

export function loadSandboxConfig(env: NodeJS.ProcessEnv = process.env, root: string = repoRoot): SandboxConfig {
  const parsed = SandboxConfigSchema.safeParse(loadRawConfig(env, root, Object.keys(SandboxConfigSchema.shape)));
  if (!parsed.success) {
    throw new SandboxConfigError(
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? '(root)');
        // As in the server: zod's own messages may quote the value, so secrets keep only the rule.
        const message = secretKeys.has(key) && issue.code !== 'custom' ? 'is missing or malformed' : issue.message;
        return { key, message };
      }),
    );
  }
  const c = parsed.data;
  return {
    host: c.SANDBOX_HOST,
    port: c.SANDBOX_PORT,
    selfBaseUrl: `http://${urlHost(c.SANDBOX_HOST)}:${c.SANDBOX_PORT}`,
    merchantBaseUrl: c.PUBLIC_BASE_URL.replace(/\/$/, ''),
    stateDir: resolvePath(root, c.SANDBOX_STATE_DIR),
    timeScale: c.SANDBOX_TIME_SCALE,
    logLevel: c.LOG_LEVEL,
    apps: {
      oa: {
        kind: 'official-account',
        appId: c.WECHAT_OA_APPID,
        secret: c.WECHAT_OA_SECRET,
        originalId: c.WECHAT_OA_ORIGINAL_ID,
        token: c.WECHAT_OA_TOKEN,
        encodingAesKey: c.WECHAT_OA_AES_KEY,
        pushPath: c.WECHAT_OA_PATH,
      },
      mp: { kind: 'mini-program', appId: c.WECHAT_MP_APPID, secret: c.WECHAT_MP_SECRET },
    },
    merchant: { mchid: c.WECHATPAY_MCHID, appid: c.WECHATPAY_APPID, apiV3Key: c.WECHATPAY_APIV3_KEY },
  };
}
