/**
 * The buyer's session: tokens kept in Taro storage (wx storage in the mini-program,
 * localStorage in H5), and how a sign-in code is obtained on each platform.
 */
import Taro from '@tarojs/taro';
import { ApiError, type SessionTokens } from '@chatmall/shared';

const SESSION_KEY = 'chatmall.session';
const H5_OPENID_KEY = 'chatmall.h5.openid';

export function loadSession(): SessionTokens | null {
  try {
    const value = Taro.getStorageSync(SESSION_KEY) as SessionTokens | '' | undefined;
    return value && typeof value === 'object' && value.accessToken ? value : null;
  } catch {
    return null;
  }
}

export function saveSession(tokens: SessionTokens | null): void {
  try {
    if (tokens) Taro.setStorageSync(SESSION_KEY, tokens);
    else Taro.removeStorageSync(SESSION_KEY);
  } catch {
    // storage full or unavailable: the session lives in memory for this run
  }
}

/** What a buyer reads when signing in cannot work right now (WeChat, the sandbox or the API away). */
export const SIGN_IN_UNAVAILABLE = '暂时无法登录 · Sign-in unavailable';

/**
 * A failed sign-in or token refresh as the buyer should see it: a refusal the API explained
 * (4xx: a bad code, too many attempts) keeps its message; no answer at all ("Failed to
 * fetch"), a server error or a WeChat outage reads "暂时无法登录 · Sign-in unavailable",
 * with the original kept as `cause`.
 */
export function signInError(err: unknown): Error {
  if (err instanceof ApiError && err.status < 500) return err;
  return new Error(SIGN_IN_UNAVAILABLE, { cause: err });
}

/** Whether a token is gone or ends within `marginMs`. */
export function expiresSoon(isoTime: string, marginMs: number, now = Date.now()): boolean {
  const at = Date.parse(isoTime);
  return !Number.isFinite(at) || at - now < marginMs;
}

/**
 * This browser's simulated WeChat buyer (H5 only): an openid made up once and kept in
 * localStorage, so the same browser is the same buyer across visits.
 */
export function h5Openid(): string {
  let openid = Taro.getStorageSync(H5_OPENID_KEY) as string | undefined;
  if (!openid || !/^[\w-]{1,64}$/.test(openid)) {
    openid = randomKey('oH5', 24);
    Taro.setStorageSync(H5_OPENID_KEY, openid);
  }
  return openid;
}

/** A random key of letters and digits, e.g. an order's idempotency key. */
export function randomKey(prefix: string, length = 24): string {
  const bytes = new Uint8Array(length);
  // Browsers have Web Crypto; the mini-program runtime has no `crypto` global.
  if (typeof crypto !== 'undefined' && typeof crypto.getRandomValues === 'function') crypto.getRandomValues(bytes);
  else for (let i = 0; i < length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return prefix + Array.from(bytes, (b) => (b % 36).toString(36)).join('');
}
