/**
 * Access tokens shared by every process of the merchant: cached in shared storage, and
 * refreshed by one process at a time under a lock, because each refresh through
 * `/cgi-bin/token` invalidates the previous token (the classic "40001 with several servers").
 * `stable_token` is the default: it returns the same token until near expiry, so even an
 * uncoordinated refresh cannot invalidate another process's token.
 */
import { randomUUID } from 'node:crypto';
import type { KeyValueStore } from '../store';
import type { WechatResult } from './errors';

export type TokenMode = 'stable' | 'classic';

type Requester = <T extends object>(
  method: 'GET' | 'POST',
  path: string,
  o: { query?: Record<string, string | number | undefined>; body?: unknown },
) => Promise<WechatResult<T>>;

export interface AccessTokensOptions {
  appId: string;
  secret: string;
  mode: TokenMode;
  store: KeyValueStore;
  request: Requester;
  /** How long the refresher may hold the lock. */
  lockMs?: number;
  /** How long a waiting process polls for the refresher's token before trying itself. */
  waitMs?: number;
  /**
   * How long this process reuses the token it last read from the store without asking again
   * (a campaign sends thousands of messages a second; a token rejected as stale is dropped
   * at once by `invalidate`). 0: ask the store every time.
   */
  holdMs?: number;
}

interface TokenAnswer {
  access_token: string;
  expires_in: number;
}

export class AccessTokens {
  private readonly cacheKey: string;
  private readonly lockKey: string;
  /** Refreshes performed by this process (tests and metrics). */
  refreshes = 0;

  constructor(private readonly opts: AccessTokensOptions) {
    this.cacheKey = `wx:token:${opts.appId}`;
    this.lockKey = `wx:token-lock:${opts.appId}`;
  }

  private held: { token: string; until: number } | null = null;

  async current(): Promise<WechatResult<string>> {
    const now = Date.now();
    if (this.held && this.held.until > now) return { ok: true, value: this.held.token };
    const cached = await this.opts.store.get(this.cacheKey);
    const token = cached ? ({ ok: true, value: cached } as const) : await this.refresh();
    const holdMs = this.opts.holdMs ?? 1000;
    this.held = token.ok && holdMs > 0 ? { token: token.value, until: Date.now() + holdMs } : null;
    return token;
  }

  /** Drops the cached token, but only if it is still the one that failed. */
  async invalidate(failedToken: string): Promise<void> {
    if (this.held?.token === failedToken) this.held = null;
    await this.opts.store.deleteIfEquals(this.cacheKey, failedToken);
  }

  private async refresh(): Promise<WechatResult<string>> {
    const owner = randomUUID();
    const lockMs = this.opts.lockMs ?? 10_000;
    const deadline = Date.now() + (this.opts.waitMs ?? lockMs + 2000);
    for (;;) {
      if (await this.opts.store.putIfAbsent(this.lockKey, owner, lockMs)) {
        try {
          // Someone may have refreshed between our cache miss and taking the lock.
          const fresh = await this.opts.store.get(this.cacheKey);
          if (fresh) return { ok: true, value: fresh };
          return await this.fetchAndStore();
        } finally {
          await this.opts.store.deleteIfEquals(this.lockKey, owner);
        }
      }
      await new Promise((r) => setTimeout(r, 50));
      const cached = await this.opts.store.get(this.cacheKey);
      if (cached) return { ok: true, value: cached };
      if (Date.now() > deadline) return this.fetchAndStore(); // the refresher died: go it alone
    }
  }

  private async fetchAndStore(): Promise<WechatResult<string>> {
    const { appId, secret } = this.opts;
    this.refreshes++;
    const answer =
      this.opts.mode === 'stable'
        ? await this.opts.request<TokenAnswer>('POST', '/cgi-bin/stable_token', {
            body: { grant_type: 'client_credential', appid: appId, secret, force_refresh: false },
          })
        : await this.opts.request<TokenAnswer>('GET', '/cgi-bin/token', {
            query: { grant_type: 'client_credential', appid: appId, secret },
          });
    if (!answer.ok) return answer;
    const { access_token: token, expires_in: expiresIn } = answer.value;
    // Renew a little before WeChat does: a quarter of the lifetime, at most five minutes early.
    const ttlMs = Math.max(1, expiresIn - Math.min(300, Math.floor(expiresIn / 4))) * 1000;
    await this.opts.store.put(this.cacheKey, token, ttlMs);
    return { ok: true, value: token };
  }
}
