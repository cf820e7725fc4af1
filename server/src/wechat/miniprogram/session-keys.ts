/**
 * Where buyers' session keys (code2Session's `session_key`) are kept. They must outlive a
 * Redis restart (the red-envelope group check decrypts group payloads with them long after
 * sign-in), so the source of truth is durable storage the application supplies (the auth
 * module's encrypted table), and Redis is only a cache in front of it: read the cache, fall
 * back to the durable store; write both. The protocol layer knows neither database nor
 * Redis: it sees these interfaces and a `KeyValueStore`.
 */
import type { KeyValueStore } from '../store';

/** What MiniProgramApi needs: a buyer's current session key, by openid. */
export interface SessionKeyStore {
  get(openid: string): Promise<string | null>;
  put(openid: string, sessionKey: string, ttlMs: number): Promise<void>;
}

/** The durable side: survives restarts; knows when each key stops being used. */
export interface DurableSessionKeys {
  get(openid: string): Promise<{ sessionKey: string; expiresAt: Date } | null>;
  put(openid: string, sessionKey: string, expiresAt: Date): Promise<void>;
}

/** The cache key of a buyer's session key (the same key the cache-only store always used). */
export const sessionKeyCacheKey = (appId: string, openid: string) => `wx:mp:${appId}:session-key:${openid}`;

/** Session keys in a key-value store only (unit tests, single-process tools). */
export function kvSessionKeys(store: KeyValueStore, appId: string): SessionKeyStore {
  return {
    get: (openid) => store.get(sessionKeyCacheKey(appId, openid)),
    put: (openid, sessionKey, ttlMs) => store.put(sessionKeyCacheKey(appId, openid), sessionKey, ttlMs),
  };
}

export interface CachedSessionKeysOptions {
  appId: string;
  cache: KeyValueStore;
  durable: DurableSessionKeys;
  /** Told once when the cache starts failing (then quiet until it has worked again). */
  onCacheDown?(err: unknown): void;
  /** Told once when the cache works again after failing. */
  onCacheUp?(): void;
  now?: () => number;
}

/**
 * The durable store with a cache in front. A cache failure (Redis stopped, flushed or
 * restarted empty) never fails a sign-in or a decryption: it is reported once and ignored,
 * and the durable store answers. A durable-store failure is the caller's error.
 */
export function cachedSessionKeys(o: CachedSessionKeysOptions): SessionKeyStore {
  const now = o.now ?? Date.now;
  let failing = false;
  const cacheCall = async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      const value = await fn();
      if (failing) {
        failing = false;
        o.onCacheUp?.();
      }
      return value;
    } catch (err) {
      if (!failing) {
        failing = true;
        o.onCacheDown?.(err);
      }
      return undefined;
    }
  };
  return {
    async get(openid) {
      const key = sessionKeyCacheKey(o.appId, openid);
      const cached = await cacheCall(() => o.cache.get(key));
      if (cached) return cached;
      const stored = await o.durable.get(openid);
      if (!stored) return null;
      const ttlMs = stored.expiresAt.getTime() - now();
      if (ttlMs <= 0) return null;
      await cacheCall(() => o.cache.put(key, stored.sessionKey, ttlMs));
      return stored.sessionKey;
    },
    async put(openid, sessionKey, ttlMs) {
      // The durable write first: a sign-in whose key could be lost must not succeed.
      await o.durable.put(openid, sessionKey, new Date(now() + ttlMs));
      await cacheCall(() => o.cache.put(sessionKeyCacheKey(o.appId, openid), sessionKey, ttlMs));
    },
  };
}
