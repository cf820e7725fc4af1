/**
 * The little shared storage the protocol layer needs (token cache, token lock, de-duplication
 * keys, session keys). An interface so `wechat/` stays free of infrastructure; `redisStore`
 * adapts an ioredis client, and every process sharing one Redis shares this state.
 */
import type { Redis } from 'ioredis';

export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  put(key: string, value: string, ttlMs: number): Promise<void>;
  /** SET NX: true when this caller created the key. */
  putIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Deletes only when the key still holds `value` (releasing a lock, dropping a stale token). */
  deleteIfEquals(key: string, value: string): Promise<boolean>;
}

const deleteIfEqualsScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export function redisStore(redis: Redis): KeyValueStore {
  return {
    get: (key) => redis.get(key),
    async put(key, value, ttlMs) {
      await redis.set(key, value, 'PX', Math.max(1, Math.round(ttlMs)));
    },
    async putIfAbsent(key, value, ttlMs) {
      return (await redis.set(key, value, 'PX', Math.max(1, Math.round(ttlMs)), 'NX')) === 'OK';
    },
    async delete(key) {
      await redis.del(key);
    },
    async deleteIfEquals(key, value) {
      return Number(await redis.eval(deleteIfEqualsScript, 1, key, value)) === 1;
    },
  };
}

/** In-process store for unit tests and single-process tools. */
export function memoryStore(now: () => number = Date.now): KeyValueStore {
  const data = new Map<string, { value: string; expiresAt: number }>();
  const live = (key: string) => {
    const e = data.get(key);
    if (e && e.expiresAt <= now()) data.delete(key);
    return data.get(key);
  };
  return {
    get: async (key) => live(key)?.value ?? null,
    async put(key, value, ttlMs) {
      data.set(key, { value, expiresAt: now() + ttlMs });
    },
    async putIfAbsent(key, value, ttlMs) {
      if (live(key)) return false;
      data.set(key, { value, expiresAt: now() + ttlMs });
      return true;
    },
    async delete(key) {
      data.delete(key);
    },
    async deleteIfEquals(key, value) {
      if (live(key)?.value !== value) return false;
      data.delete(key);
      return true;
    },
  };
}
