/**
 * Rate limits shared by every API process (rate-limiter-flexible on Redis), with an
 * in-memory limiter of the same rule as insurance: while Redis is down each process counts
 * on its own, so a limit still holds (per process) and nothing answers 503 for want of a
 * counter. Keys are whatever the caller limits by (a staff id, a client address); callers
 * pass opaque keys and never put secrets in them.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Redis } from './redis';

export interface LimitRule {
  /** Redis key prefix, e.g. `rl:staff-login:user`. */
  keyPrefix: string;
  /** How many points a key may use per window. */
  points: number;
  /** The window, in seconds, counted from a key's first point. */
  durationSeconds: number;
  /** When a key goes over, it stays refused this long (0: until its window ends). */
  blockSeconds?: number;
}

export type LimitOutcome = { ok: true; consumed: number; remaining: number } | { ok: false; retryAfterSeconds: number };

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export class RateLimit {
  private readonly shared: RateLimiterRedis;
  /** The same rule in this process's memory, used while Redis cannot be reached. */
  private readonly local: RateLimiterMemory;

  constructor(
    redis: Redis,
    readonly rule: LimitRule,
  ) {
    const opts = {
      keyPrefix: rule.keyPrefix,
      points: rule.points,
      duration: rule.durationSeconds,
      blockDuration: rule.blockSeconds ?? 0,
    };
    this.local = new RateLimiterMemory(opts);
    this.shared = new RateLimiterRedis({
      ...opts,
      storeClient: redis,
      // Go to the in-memory limiter at once when the connection is down, rather than failing.
      rejectIfRedisNotReady: true,
      insuranceLimiter: this.local,
    });
  }

  /** Uses `points` of the key's allowance; refused (with when to retry) once it is used up. */
  async consume(key: string, points = 1): Promise<LimitOutcome> {
    try {
      const res = await this.shared.consume(key, points);
      return { ok: true, consumed: res.consumedPoints, remaining: res.remainingPoints };
    } catch (err) {
      if (err instanceof RateLimiterRes) return { ok: false, retryAfterSeconds: seconds(err.msBeforeNext) };
      throw err;
    }
  }

  /** Gives back points (a success that should not count against the key). */
  async reward(key: string, points = 1): Promise<void> {
    await this.shared.reward(key, points);
  }

  /** Refuses the key for `secondsToBlock` from now. */
  async block(key: string, secondsToBlock: number): Promise<void> {
    await this.shared.block(key, secondsToBlock);
  }

  /** How much longer the key is refused, in ms (0 when it is not refused now). */
  async refusedForMs(key: string): Promise<number> {
    const res = await this.shared.get(key);
    return res && res.consumedPoints > this.rule.points ? Math.max(0, res.msBeforeNext) : 0;
  }

  /** Forgets the key everywhere: in Redis and in this process's fallback. */
  async reset(key: string): Promise<void> {
    await Promise.all([this.shared.delete(key), this.local.delete(key)]);
  }
}
