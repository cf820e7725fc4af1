/**
 * The console's one way to the API: the shared typed client (the contract) over fetch, with
 * the staff session attached. Before a call whose access token is about to expire it
 * refreshes; a 401 gets one refresh and one retry; a 401 that refresh cannot fix ends the
 * session (the app then returns to sign-in with the page remembered). A 429 becomes
 * `TooManyAttempts` carrying Retry-After. Images go up as raw bytes (a Blob body).
 */
import {
  ApiError,
  contract,
  createApiClient,
  ErrorCode,
  SessionTokens,
  type TransportRequest,
  type TransportResponse,
} from '@chatmall/shared';
import { expiresSoon, REFRESH_AHEAD_MS, session, withRefreshLock } from './session';

/** A 429: how many seconds to wait comes from the Retry-After header. */
export class TooManyAttempts extends ApiError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    requestId?: string,
  ) {
    super(429, ErrorCode.RATE_LIMITED, message, [], requestId);
    this.name = 'TooManyAttempts';
  }
}

/** Endpoints that take no session: never sent a token, never refreshed for. */
const SESSIONLESS = new Set<string>([contract.staffLogin.path, contract.refreshSession.path]);

interface RawResponse extends TransportResponse {
  headers: Headers;
}

async function send(req: TransportRequest): Promise<RawResponse> {
  const headers = { ...req.headers };
  let body: BodyInit | undefined;
  if (req.body instanceof Blob) {
    headers['content-type'] = req.body.type || 'application/octet-stream';
    body = req.body;
  } else if (req.body !== undefined) {
    body = JSON.stringify(req.body);
  }
  const res = await fetch(req.url, { method: req.method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

let inflight: Promise<boolean> | null = null;

/** Trades the refresh token for new tokens, once at a time; false when the session is over. */
export function refreshSession(): Promise<boolean> {
  inflight ??= refreshNow().finally(() => {
    inflight = null;
  });
  return inflight;
}

async function refreshNow(): Promise<boolean> {
  const before = session.get();
  if (!before) return false;
  return withRefreshLock(async () => {
    const now = session.reload();
    if (!now) return false;
    // Another tab refreshed while we waited for the lock.
    if (now.refreshToken !== before.refreshToken) return true;
    const res = await send({
      method: contract.refreshSession.method,
      url: contract.refreshSession.path,
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: { refreshToken: now.refreshToken },
    });
    if (res.status === 200) {
      session.renew(SessionTokens.parse(res.body));
      return true;
    }
    // The refresh token is spent, revoked or expired (or the staff member was disabled).
    if (res.status === 401 || res.status === 400 || res.status === 403) {
      session.clear('expired');
      return false;
    }
    return false; // 429 / 5xx: keep the session; the call that needed it reports its own error
  });
}

function bearer(): Record<string, string> {
  const s = session.get();
  return s ? { authorization: `Bearer ${s.accessToken}` } : {};
}

async function transport(req: TransportRequest): Promise<TransportResponse> {
  const sessionless = SESSIONLESS.has(new URL(req.url, window.location.origin).pathname);
  const headers = { ...req.headers };
  if (!sessionless) {
    const s = session.get();
    if (s && expiresSoon(s)) await refreshSession().catch(() => false);
    Object.assign(headers, bearer());
  }
  let res = await send({ ...req, headers });
  if (res.status === 401 && !sessionless && headers.authorization) {
    // Someone else may have refreshed already; else refresh once, then retry once.
    const used = headers.authorization;
    const fresh = bearer().authorization !== used || (await refreshSession().catch(() => false));
    if (fresh) res = await send({ ...req, headers: { ...headers, ...bearer() } });
    if (res.status === 401) session.clear('expired');
  }
  if (res.status === 429) {
    const retryAfter = Number(res.headers.get('retry-after'));
    const body = (res.body ?? {}) as { message?: string; requestId?: string };
    throw new TooManyAttempts(
      body.message ?? 'Too many attempts',
      Number.isFinite(retryAfter) && retryAfter > 0 ? Math.ceil(retryAfter) : 60,
      body.requestId,
    );
  }
  return res;
}

/** The typed client every page uses (through the hooks in `./hooks`). Same origin as the API. */
export const api = createApiClient({ baseUrl: '', transport });

// Refresh ahead of expiry even when the console sits idle, so the next click does not wait.
let timer: ReturnType<typeof setTimeout> | undefined;
function schedule() {
  clearTimeout(timer);
  const s = session.get();
  if (!s) return;
  const wait = Math.max(0, Date.parse(s.accessExpiresAt) - Date.now() - REFRESH_AHEAD_MS);
  timer = setTimeout(() => void refreshSession().catch(() => undefined), Math.min(wait, 2 ** 31 - 1));
}
session.subscribe(schedule);
schedule();
