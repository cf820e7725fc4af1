/**
 * The WeChat apps the sandbox knows, read from the same configuration the server reads
 * (the shared loader: config/default.json, config/<NODE_ENV>.json, `.env`, then the
 * environment), so `npm start` and the tests need no setup: both sides agree on appid,
 * secret, token and AES key.
 */
import { loadSandboxConfig } from '../config';

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

export function loadApps(env: NodeJS.ProcessEnv = process.env, root?: string): SandboxApps {
  return loadSandboxConfig(env, root).apps;
}
