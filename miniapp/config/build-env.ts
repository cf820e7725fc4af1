/**
 * What a storefront build learns from its environment, as pure functions (unit-tested in
 * miniapp/test/build-env.test.ts; `config/index.ts` applies them):
 *
 * - the API's origin, from CHATMALL_API_BASE: H5 is served by the API itself (same origin,
 *   '' by default); a mini-program has no origin, so it needs an absolute URL, and a release
 *   build needs an https:// one (WeChat refuses anything else outside the developer tools);
 * - the mini-program's appid, from WECHAT_MP_APPID (through the configuration loader), written
 *   into dist/<platform>/project.config.json.
 */

export class BuildConfigError extends Error {
  override name = 'BuildConfigError';
}

export interface ApiBaseInput {
  /** Taro's TARO_ENV: 'weapp', 'h5', … */
  platform: string;
  /** CHATMALL_API_BASE exactly as the environment gave it (undefined when unset). */
  value: string | undefined;
  /** A release build (NODE_ENV=production, Taro's default for `taro build` without --watch). */
  production: boolean;
  /** What a development mini-program build talks to when the variable is unset (the local API). */
  devDefault: string;
}

const EXAMPLE = 'CHATMALL_API_BASE=https://shop.example.com npm run build:weapp';

/**
 * The origin (plus an optional path prefix) requests go to, without a trailing slash, so the
 * client's `${base}/api/…` never becomes `//api/…`. Throws BuildConfigError naming
 * CHATMALL_API_BASE when the value cannot work.
 */
export function resolveApiBase({ platform, value, production, devDefault }: ApiBaseInput): string {
  const mini = platform !== 'h5';
  if (value === undefined) {
    if (!mini) return '';
    if (production)
      throw new BuildConfigError(
        `CHATMALL_API_BASE is not set: a release mini-program build needs the API's https:// origin, e.g. ${EXAMPLE}` +
          ` (a development build, NODE_ENV=development or dev:weapp, talks to ${devDefault}).`,
      );
    return normalise(devDefault);
  }
  const trimmed = value.trim();
  if (trimmed === '') {
    if (!mini) return '';
    throw new BuildConfigError(
      `CHATMALL_API_BASE is empty: wx.request needs an absolute URL, e.g. ${EXAMPLE} (unset it for a development build).`,
    );
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new BuildConfigError(
      `CHATMALL_API_BASE is not a URL: "${trimmed}" (expected e.g. https://shop.example.com).`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new BuildConfigError(`CHATMALL_API_BASE must be an http(s) URL, not "${trimmed}".`);
  if (url.search || url.hash || url.username || url.password)
    throw new BuildConfigError(
      `CHATMALL_API_BASE must be an origin with an optional path, without query, fragment or credentials: "${trimmed}".`,
    );
  if (mini && production && url.protocol !== 'https:')
    throw new BuildConfigError(
      `CHATMALL_API_BASE must start with https:// in a release mini-program build (WeChat only calls https request domains), not "${trimmed}".`,
    );
  return normalise(`${url.origin}${url.pathname}`);
}

const normalise = (base: string) => base.replace(/\/+$/, '');

/**
 * The appid the WeChat developer tools and miniprogram-ci upload under: WECHAT_MP_APPID from
 * the configuration loader, else the committed project.config.json's placeholder.
 */
export function resolveAppId(configured: string | undefined, committed: string): string {
  const appid = configured?.trim();
  if (!appid) return committed;
  if (!/^(wx[0-9a-f]{16}|touristappid)$/.test(appid))
    throw new BuildConfigError(`WECHAT_MP_APPID is not a mini-program appid (wx + 16 hex digits): "${appid}".`);
  return appid;
}
