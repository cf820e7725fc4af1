/**
 * The storefront's one request wrapper: the shared typed client over Taro.request (wx.request
 * in the mini-program, fetch in H5), plus the buyer's session. Buyer routes (the contract's
 * `access.buyer`, and the merchant pages' `access.boundStaff`) carry the access token; the wrapper signs the buyer in when there is no
 * session, refreshes a token about to expire, and on a 401 refreshes (or signs in again)
 * and retries once. Pages show errors with `errorMessage` / `showError`.
 */
import Taro from '@tarojs/taro';
import {
  ApiError,
  contract,
  createApiClient,
  ErrorCode,
  type ApiClient,
  type EndpointName,
  type SessionTokens,
  type Transport,
} from '@chatmall/shared';
import { expiresSoon, h5Openid, loadSession, saveSession, signInError } from './session';

/** Refresh this long before the access token's end, so a request never starts on a dying token. */
const REFRESH_MARGIN_MS = 60_000;

const transport: Transport = async ({ method, url, headers, body }) => {
  try {
    const res = await Taro.request({
      url,
      method: method as keyof Taro.request.Method,
      header: headers,
      data: body,
      dataType: 'json',
      timeout: 15_000,
    });
    return { status: res.statusCode, body: res.data };
  } catch (err) {
    // Taro rejects only when no answer arrived (offline, timeout, domain not allowed).
    const detail = (err as { errMsg?: string } | undefined)?.errMsg;
    throw new Error(`网络不可用，请稍后再试 · Network unavailable${detail ? ` (${detail})` : ''}`, {
      cause: err,
    });
  }
};

let session: SessionTokens | null = loadSession();

/** The client without session handling: public routes, login and refresh. */
const raw = createApiClient({
  baseUrl: API_BASE_URL,
  transport,
  headers: (): Record<string, string> => (session ? { authorization: `Bearer ${session.accessToken}` } : {}),
});

function setSession(tokens: SessionTokens | null): void {
  session = tokens
    ? {
        accessToken: tokens.accessToken,
        accessExpiresAt: tokens.accessExpiresAt,
        refreshToken: tokens.refreshToken,
        refreshExpiresAt: tokens.refreshExpiresAt,
      }
    : null;
  saveSession(session);
}

/** A single-use code from WeChat: wx.login in the mini-program, the sandbox's simulated buyer in H5. */
async function loginCode(): Promise<string> {
  if (process.env.TARO_ENV !== 'h5') {
    const { code } = await Taro.login();
    if (!code) throw new Error('微信登录失败 · WeChat sign-in failed');
    return code;
  }
  const { wechatSandboxUrl } = await raw.clientConfig({});
  if (!wechatSandboxUrl) throw new Error('H5 登录不可用 · Sign-in is not available in the browser');
  const res = await transport({
    method: 'POST',
    url: `${wechatSandboxUrl.replace(/\/$/, '')}/sandbox/mp/users/${encodeURIComponent(h5Openid())}/login`,
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: {},
  });
  const code = (res.body as { code?: unknown } | null)?.code;
  if (res.status !== 200 || typeof code !== 'string')
    throw new Error(`微信登录失败 · WeChat sign-in failed (${res.status})`);
  return code;
}

async function signIn(): Promise<void> {
  const res = await raw.buyerLogin({ body: { code: await loginCode() } });
  setSession(res);
}

/** Trade the refresh token for new tokens; sign in afresh when it is gone or refused. */
async function renew(): Promise<void> {
  const current = session;
  if (current && !expiresSoon(current.refreshExpiresAt, REFRESH_MARGIN_MS)) {
    try {
      setSession(await raw.refreshSession({ body: { refreshToken: current.refreshToken } }));
      return;
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) throw err;
    }
  }
  setSession(null);
  await signIn();
}

// One sign-in or refresh at a time: pages load several buyer routes at once.
let renewing: Promise<void> | null = null;
function renewOnce(): Promise<void> {
  // A sign-in that fails for want of an answer reads "暂时无法登录", not "Failed to fetch".
  renewing ??= renew()
    .catch((err: unknown) => {
      throw signInError(err);
    })
    .finally(() => {
      renewing = null;
    });
  return renewing;
}

async function ensureSession(): Promise<void> {
  if (renewing) await renewing;
  if (!session || expiresSoon(session.accessExpiresAt, REFRESH_MARGIN_MS)) await renewOnce();
}

function withSession<F extends (req: never) => Promise<unknown>>(call: F): F {
  return (async (req: never) => {
    await ensureSession();
    const tokenUsed = session?.accessToken;
    try {
      return await call(req);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) throw err;
      // Another call may have renewed meanwhile; otherwise renew now. Then one retry.
      if (session?.accessToken === tokenUsed) await renewOnce();
      return call(req);
    }
  }) as F;
}

/** The typed API: buyer routes sign in and refresh on their own; everything else passes through. */
export const api: ApiClient = Object.fromEntries(
  (Object.keys(contract) as EndpointName[]).map((name) => [
    name,
    // The merchant pages (`boundStaff`) ride on the buyer's session too.
    ['buyer', 'boundStaff'].includes(contract[name].access.kind) ? withSession(raw[name]) : raw[name],
  ]),
) as ApiClient;

/** Sign in now if needed (the "me" page shows who is signed in). */
export async function signedIn(): Promise<void> {
  await ensureSession();
}

/** A message a buyer can read, from whatever a call threw. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === ErrorCode.OUT_OF_STOCK) return `库存不足 · ${err.message}`;
    if (err.code === ErrorCode.DEPENDENCY_UNAVAILABLE || err.status >= 500)
      return '服务暂时不可用，请稍后再试 · Please try again shortly';
  }
  return err instanceof Error && err.message ? err.message : '出错了 · Something went wrong';
}

/** A failed action (add to cart, cancel…) as a toast; page loads use StateView instead. */
export function showError(err: unknown): void {
  void Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
}

/** `body.phone` → `phone`: the API names bad fields by where they sit in the request. */
export function fieldErrors(err: unknown, part: 'body' | 'query' = 'body'): Record<string, string> {
  const out: Record<string, string> = {};
  if (err instanceof ApiError && err.code === ErrorCode.VALIDATION_FAILED)
    for (const f of err.fields) if (f.path.startsWith(`${part}.`)) out[f.path.slice(part.length + 1)] ??= f.message;
  return out;
}

/** The signed-in buyer's `authorization` header, for the few calls outside the JSON client (photo uploads). */
export async function buyerAuthorization(): Promise<Record<string, string>> {
  await ensureSession();
  return session ? { authorization: `Bearer ${session.accessToken}` } : {};
}
