/**
 * What every WeChat surface of the sandbox shares: the apps, access tokens with WeChat's
 * semantics, fault knobs, and the JSON-in/JSON-out conventions (errcode + errmsg with a
 * `rid:` suffix, so a client that matches on errmsg breaks here as it would on WeChat).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import type Koa from 'koa';
import type { ConsoleResults } from '../console/results';
import type { SandboxContext } from '../surface';
import { JsonStore } from '../store';
import type { SandboxApps } from './apps';

interface IssuedToken {
  token: string;
  appId: string;
  kind: 'classic' | 'stable';
  expiresAt: number;
}

interface PlatformState {
  tokens: IssuedToken[];
  /** Tokens issued per app (tests check that racing processes refresh once). */
  issued: Record<string, number>;
  /** `${appId}:${day}:${counter}` → count, for daily quotas. */
  daily: Record<string, number>;
  forceRefreshAt: Record<string, number[]>;
  faults: Faults;
}

export interface Faults {
  /** Added to every WeChat API answer. */
  latencyMs: number;
  /** Path → errcode to answer with, `times` more times (-1: until cleared). */
  errors: Record<string, { errcode: number; times: number }>;
  /** Quotas: template messages per app per day, classic token calls per day. */
  templateDailyQuota: number;
  tokenDailyQuota: number;
  /** Every official-account push is delivered twice (WeChat's retries, forced). */
  duplicatePushes: boolean;
}

export const errmsgs: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40013: 'invalid appid',
  40014: 'invalid access_token',
  40029: 'invalid code',
  40037: 'invalid template_id',
  40125: 'invalid appsecret',
  40127: 'invalid user-card status',
  40163: 'code been used',
  41001: 'access_token missing',
  42001: 'access_token expired',
  43004: 'require subscribe',
  43101: 'user refuse to accept the msg',
  45009: 'reach max api daily quota limit',
  45015: 'response out of time limit',
  47003: 'argument invalid!',
  40050: 'invalid tag id',
  40056: 'invalid serial code',
  40073: 'invalid card id',
  40097: 'invalid args',
  40099: 'invalid code, this code has consumed.',
  45157: 'invalid tag name',
  46003: 'menu no exist',
  48001: 'api unauthorized',
};

/** Thrown by route code; written as WeChat's JSON error. */
export class WechatFault extends Error {
  constructor(readonly errcode: number) {
    super(errmsgs[errcode] ?? 'error');
  }
}

const TOKEN_TTL_S = 7200;
const OVERLAP_MS = 5 * 60_000;
const today = () => new Date().toISOString().slice(0, 10);

export class Platform {
  readonly apps: SandboxApps;
  readonly store: JsonStore<PlatformState>;

  constructor(readonly ctx: SandboxContext) {
    this.apps = ctx.apps;
    this.store = new JsonStore<PlatformState>(path.join(ctx.stateDir, 'platform.json'), () => ({
      tokens: [],
      issued: {},
      daily: {},
      forceRefreshAt: {},
      faults: defaultFaults(),
    }));
  }

  get faults(): Faults {
    return this.store.state.faults;
  }

  appById(appId: string) {
    return [this.apps.oa, this.apps.mp].find((a) => a.appId === appId);
  }

  checkCredentials(appId: unknown, secret: unknown): void {
    const app = this.appById(String(appId ?? ''));
    if (!app) throw new WechatFault(40013);
    if (app.secret !== secret) throw new WechatFault(40125);
  }

  /** /cgi-bin/token: a new token each call; the previous one keeps working for 5 minutes. */
  issueClassic(appId: string): IssuedToken {
    this.countDaily(appId, 'token', this.faults.tokenDailyQuota);
    const now = Date.now();
    return this.store.update((s) => {
      for (const t of s.tokens) {
        if (t.appId === appId && t.kind === 'classic') t.expiresAt = Math.min(t.expiresAt, now + OVERLAP_MS);
      }
      return this.add(s, appId, 'classic');
    });
  }

  /**
   * /cgi-bin/stable_token: the same token until it is within 5 minutes of expiry; with
   * force_refresh, a new one (20 a day, 30 s apart) and the old one is dead.
   */
  issueStable(appId: string, force: boolean): IssuedToken {
    const now = Date.now();
    return this.store.update((s) => {
      const current = s.tokens.filter((t) => t.appId === appId && t.kind === 'stable' && t.expiresAt > now).at(-1);
      if (!force && current && current.expiresAt - now > OVERLAP_MS) return current;
      if (force) {
        const recent = (s.forceRefreshAt[appId] ?? []).filter((at) => now - at < 24 * 3600_000);
        if (recent.length >= 20 || (recent.length && now - recent[recent.length - 1] < 30_000)) {
          throw new WechatFault(45009);
        }
        s.forceRefreshAt[appId] = [...recent, now];
        // The old token is not expired but superseded: WeChat answers 40001 "not latest".
        s.tokens = s.tokens.filter((t) => !(t.appId === appId && t.kind === 'stable'));
      }
      return this.add(s, appId, 'stable');
    });
  }

  /** The app a request's access_token belongs to, or WeChat's error for it. */
  appOfToken(token: string | undefined): string {
    if (!token) throw new WechatFault(41001);
    if (!/^SBX[A-Za-z0-9_-]{40,}$/.test(token)) throw new WechatFault(40014);
    const found = this.store.state.tokens.find((t) => t.token === token);
    if (!found) throw new WechatFault(40001);
    if (found.expiresAt <= Date.now()) throw new WechatFault(42001);
    return found.appId;
  }

  /** Fault knob: every token of the app expires now (the next call gets 42001). */
  expireTokens(appId: string): number {
    return this.store.update((s) => {
      const mine = s.tokens.filter((t) => t.appId === appId && t.expiresAt > Date.now());
      for (const t of mine) t.expiresAt = Date.now();
      return mine.length;
    });
  }

  countDaily(appId: string, counter: string, limit: number): void {
    const key = `${appId}:${today()}:${counter}`;
    const used = this.store.state.daily[key] ?? 0;
    if (used >= limit) throw new WechatFault(45009);
    this.store.update((s) => (s.daily[key] = used + 1));
  }

  /** Wraps a WeChat API route: latency, injected errors, and errors written WeChat's way. */
  route(name: string, handler: (c: Koa.Context) => Promise<unknown> | unknown): Koa.Middleware {
    return async (c) => {
      if (this.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, this.faults.latencyMs));
      try {
        const injected = this.faults.errors[name];
        if (injected && injected.times !== 0) {
          this.store.update(() => (injected.times = injected.times > 0 ? injected.times - 1 : -1));
          throw new WechatFault(injected.errcode);
        }
        const body = await handler(c);
        c.type = 'application/json';
        c.body = { errcode: 0, errmsg: 'ok', ...(body as object) };
      } catch (err) {
        if (!(err instanceof WechatFault)) throw err;
        c.type = 'application/json';
        c.body = { errcode: err.errcode, errmsg: `${err.message} rid: ${randomUUID().slice(0, 8)}` };
      }
    };
  }

  private add(s: PlatformState, appId: string, kind: IssuedToken['kind']): IssuedToken {
    const token: IssuedToken = {
      token: `SBX${randomBytes(48).toString('base64url')}`,
      appId,
      kind,
      expiresAt: Date.now() + TOKEN_TTL_S * 1000,
    };
    // Keep the list short: drop tokens dead for more than a day.
    s.tokens = s.tokens.filter((t) => t.expiresAt > Date.now() - 24 * 3600_000);
    s.tokens.push(token);
    s.issued[appId] = (s.issued[appId] ?? 0) + 1;
    return token;
  }
}

export function defaultFaults(): Faults {
  return { latencyMs: 0, errors: {}, templateDailyQuota: 100_000, tokenDailyQuota: 2000, duplicatePushes: false };
}

const platforms = new WeakMap<SandboxContext, Platform>();
/** One platform per sandbox, shared by its surfaces. */
export function platformFor(ctx: SandboxContext): Platform {
  let p = platforms.get(ctx);
  if (!p) platforms.set(ctx, (p = new Platform(ctx)));
  return p;
}

/** Reads a JSON or form body (the console posts forms). */
export async function readBody(c: Koa.Context): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of c.req) {
    size += (chunk as Buffer).length;
    if (size > 1024 * 1024) throw new WechatFault(47003);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  if (c.is('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    throw new WechatFault(47003);
  }
}

/** A simulated user's action that cannot happen (unknown ticket, no such button): status + reason. */
export class SimulationError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface SimulationAnswer {
  /** HTTP status for API callers (and shown on the console); 200 by default. */
  status?: number;
  /** The simulated user the console keeps driving; by default the route's `:openid`. */
  openid?: string;
  /** Shown on the console only, never sent to API callers. */
  detail?: unknown;
}

/**
 * A simulation's answer. API callers (JSON or no body) get `body` as JSON. A console form
 * (form-encoded) gets its result recorded and a 303 to the page that shows it.
 */
export function answerSimulation(c: Koa.Context, body: unknown, opts: SimulationAnswer = {}): void {
  const status = opts.status ?? 200;
  const results = c.state.consoleResults as ConsoleResults | undefined;
  // By the header, not c.is(): a form with no fields (Follow, Log in) posts an empty body.
  if (results && /^application\/x-www-form-urlencoded/i.test(c.get('content-type'))) {
    const params = (c as Koa.Context & { params?: Record<string, string> }).params;
    const openid = opts.openid ?? params?.openid;
    const r = results.record({ method: c.method, path: c.path, status, openid, body, detail: opts.detail });
    const query = new URLSearchParams(openid ? { as: openid, r: r.id } : { r: r.id });
    c.status = 303;
    c.redirect(`/?${query}#result`);
    return;
  }
  c.status = status;
  c.body = body;
}
