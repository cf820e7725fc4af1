/**
 * The WeChat API client for one app (official account or mini-program): base URL from
 * configuration, access token injected, errors as values, and one retry with a fresh token
 * on 40001/42001/40014.
 */
import { Agent } from 'undici';
import { type KeyValueStore } from '../store';
import { tokenErrorCodes, wechatError, type WechatResult } from './errors';
import { AccessTokens, type TokenMode } from './token';

export interface WechatAppCredentials {
  appId: string;
  /** AppSecret: sent only to the token and login endpoints, never logged. */
  secret: string;
}

export interface WechatClientOptions extends WechatAppCredentials {
  baseUrl: string;
  store: KeyValueStore;
  tokenMode?: TokenMode;
  timeoutMs?: number;
  /** A fetch of one's own (tests, the credential check); by default calls go through `transport`. */
  fetch?: typeof fetch;
}

/**
 * One kept-alive connection pool per origin for every WeChat client in the process. undici's
 * `request` rather than `fetch`: a campaign makes thousands of calls a second, and fetch's web
 * streams, abort signals and DOMExceptions cost more CPU than the call itself.
 */
const transport = new Agent({ keepAliveTimeout: 30_000, connections: 256 });

/**
 * The body of one call, by the injected fetch or by the shared pool (given the origin and the
 * path with its query, so no URL object is built and parsed again per call).
 */
async function send(
  fetchImpl: typeof fetch | undefined,
  target: { origin: string; path: string },
  method: 'GET' | 'POST',
  body: string | undefined,
  timeoutMs: number,
): Promise<string> {
  const headers = body === undefined ? undefined : { 'content-type': 'application/json' };
  if (fetchImpl) {
    const res = await fetchImpl(target.origin + target.path, {
      method,
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return res.text();
  }
  const res = await transport.request({
    origin: target.origin,
    path: target.path,
    method,
    headers,
    body,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  return res.body.text();
}

type Query = Record<string, string | number | undefined>;

export class WechatClient {
  readonly tokens: AccessTokens;
  /** `https://api.weixin.qq.com`, and a path prefix when the base URL has one. */
  private readonly origin: string;
  private readonly prefix: string;

  constructor(private readonly opts: WechatClientOptions) {
    const base = new URL(opts.baseUrl);
    this.origin = base.origin;
    this.prefix = base.pathname.replace(/\/$/, '');
    this.tokens = new AccessTokens({
      appId: opts.appId,
      secret: opts.secret,
      mode: opts.tokenMode ?? 'stable',
      store: opts.store,
      request: (method, path, o) => this.request(method, path, o),
    });
  }

  get appId(): string {
    return this.opts.appId;
  }

  /** POST JSON with `?access_token=`. */
  post<T extends object>(path: string, body: unknown, query: Query = {}): Promise<WechatResult<T>> {
    return this.withToken<T>('POST', path, { query, body });
  }

  /** GET with `?access_token=`. */
  get<T extends object>(path: string, query: Query = {}): Promise<WechatResult<T>> {
    return this.withToken<T>('GET', path, { query });
  }

  /** Calls that authenticate with appid + secret instead of a token (jscode2session). */
  withSecret<T extends object>(path: string, query: Query): Promise<WechatResult<T>> {
    return this.request<T>('GET', path, { query: { appid: this.opts.appId, secret: this.opts.secret, ...query } });
  }

  private async withToken<T extends object>(
    method: 'GET' | 'POST',
    path: string,
    o: { query: Query; body?: unknown },
  ): Promise<WechatResult<T>> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.tokens.current();
      if (!token.ok) return token;
      const result = await this.request<T>(method, path, { ...o, query: { ...o.query, access_token: token.value } });
      if (result.ok || attempt > 0 || result.error.errcode === null || !tokenErrorCodes.has(result.error.errcode)) {
        return result;
      }
      await this.tokens.invalidate(token.value);
    }
  }

  async request<T extends object>(
    method: 'GET' | 'POST',
    path: string,
    o: { query?: Query; body?: unknown } = {},
  ): Promise<WechatResult<T>> {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(o.query ?? {})) if (v !== undefined) query.set(k, String(v));
    const search = query.size ? `?${query.toString()}` : '';
    const target = { origin: this.origin, path: this.prefix + path + search };
    let text: string;
    try {
      const body = o.body === undefined ? undefined : JSON.stringify(o.body);
      text = await send(this.opts.fetch, target, method, body, this.opts.timeoutMs ?? 10_000);
    } catch (err) {
      // The URL carries the token or the secret: report only the path.
      return { ok: false, error: wechatError(null, `${path}: ${(err as Error).name}`) };
    }
    let json: { errcode?: number; errmsg?: string } & Record<string, unknown>;
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      return { ok: false, error: wechatError(null, `${path}: answer is not JSON`) };
    }
    if (typeof json.errcode === 'number' && json.errcode !== 0) {
      return { ok: false, error: wechatError(json.errcode, String(json.errmsg ?? '')) };
    }
    return { ok: true, value: json as unknown as T };
  }
}
