/**
 * The WeChat apps the sandbox knows, read from the same configuration the server reads
 * (config/default.json, config/<NODE_ENV>.json, then the environment), so `npm start`
 * and the tests need no setup: both sides agree on appid, secret, token and AES key.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface OaApp {
  kind: 'official-account';
  appId: string;
  secret: string;
  /** The account's original id (gh_…), ToUserName of every push. */
  originalId: string;
  token: string;
  encodingAesKey: string;
  /** Where pushes go on the merchant server. */
  pushPath: string;
}
export interface MpApp {
  kind: 'mini-program';
  appId: string;
  secret: string;
}
export interface SandboxApps {
  oa: OaApp;
  mp: MpApp;
}

const root = path.resolve(__dirname, '../../..');

function readJson(file: string): Record<string, string> {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>) : {};
}

export function loadApps(env: NodeJS.ProcessEnv = process.env): SandboxApps {
  const merged: Record<string, string | undefined> = {
    ...readJson(path.join(root, 'config/default.json')),
    ...readJson(path.join(root, `config/${env.NODE_ENV ?? 'development'}.json`)),
  };
  const pick = (key: string, fallback: string) => env[key] || merged[key] || fallback;
  return {
    oa: {
      kind: 'official-account',
      appId: pick('WECHAT_OA_APPID', 'wxc0ffee0000000002'),
      secret: pick('WECHAT_OA_SECRET', 'sandbox0a5ecret00000000000000002'),
      originalId: pick('WECHAT_OA_ORIGINAL_ID', 'gh_c0ffee000002'),
      token: pick('WECHAT_OA_TOKEN', 'chatmallSandboxToken'),
      encodingAesKey: pick('WECHAT_OA_AES_KEY', 'ChatmallSandboxEncodingAesKey00000000000002'),
      pushPath: pick('WECHAT_OA_PATH', '/wechat/oa'),
    },
    mp: {
      kind: 'mini-program',
      appId: pick('WECHAT_MP_APPID', 'wxc0ffee0000000001'),
      secret: pick('WECHAT_MP_SECRET', 'sandbox0mp5ecret0000000000000001'),
    },
  };
}
