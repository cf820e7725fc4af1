/**
 * Throttling of sign-in (`docs/decisions/0020-sign-in-hardening.md`).
 *
 * Staff password sign-in is counted per account and per client address. Every attempt
 * takes a point before the password is checked (so a burst of parallel guesses cannot
 * outrun the count); a success gives the account's points back (its counter resets) and
 * the address's point back. After a few failures the answers slow down; at the account's
 * tenth failure within the window it is locked (429 with Retry-After) — the right password
 * too — until the lock passes or the owner unlocks it. An address that fails often across
 * accounts is locked the same way, with a higher limit (a shop's Wi-Fi is one address).
 *
 * Buyers' code exchange and token refresh are limited per client address only, generously.
 * All counters live in Redis, shared by every API process; while Redis is down each process
 * counts in memory (rate-limiter-flexible's insurance limiter), so sign-in keeps working.
 */
import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { RateLimitedError } from '../../kernel/errors';
import { RateLimit } from '../../kernel/rate-limit';
import type { Redis } from '../../kernel/redis';

export interface SignInPolicy {
  staffAccount: { failures: number; windowSeconds: number; lockSeconds: number };
  staffAddress: { failures: number; windowSeconds: number; lockSeconds: number };
  /** From this many failures of an account in the window, each wrong answer waits longer. */
  slowAfterFailures: number;
  slowStepMs: number;
  slowMaxMs: number;
  buyerLoginPerAddress: { requests: number; windowSeconds: number };
  refreshPerAddress: { requests: number; windowSeconds: number };
}

export const defaultSignInPolicy: SignInPolicy = {
  staffAccount: { failures: 10, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
  staffAddress: { failures: 50, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
  slowAfterFailures: 4,
  slowStepMs: 200,
  slowMaxMs: 1000,
  buyerLoginPerAddress: { requests: 120, windowSeconds: 60 },
  refreshPerAddress: { requests: 300, windowSeconds: 60 },
};

const LOCKED = 'Too many failed sign-in attempts; try again later.';
const BUSY = 'Too many sign-in requests from this network; try again shortly.';

/** The account a staff sign-in attempt is counted against. */
export type StaffAccountKey = { staffId: string } | { username: string };

/** What a staff attempt reports back: exactly one of these, once the password is checked. */
export interface StaffAttempt {
  succeeded(): Promise<void>;
  /** Resolves (after the slow-down) when the caller should answer 401; throws 429 when this failure locks. */
  failed(): Promise<void>;
}

function accountKey(k: StaffAccountKey): string {
  if ('staffId' in k) return `id:${k.staffId}`;
  // Unknown usernames are counted too (the answers must not reveal which usernames exist),
  // folded as the database compares them (case- and width-insensitive, trailing spaces ignored).
  const folded = k.username.normalize('NFKC').trim().toLowerCase();
  return `name:${createHash('sha256').update(folded).digest('hex').slice(0, 32)}`;
}

/**
 * The key for a client address: an IPv4 address as it is (an IPv4-mapped IPv6 address as
 * its IPv4 form), an IPv6 address by its /64 (one subscriber usually holds a whole /64).
 */
export function addressKey(ip: string): string {
  const bare = ip.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(bare);
  if (mapped) return mapped[1];
  if (!isIPv6(bare)) return bare;
  const groups = (s: string) => (s ? s.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const [head, tail] = bare.split('::');
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return `${all
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SignInThrottle {
  private readonly staffAccounts: RateLimit;
  private readonly staffAddresses: RateLimit;
  private readonly buyerLogins: RateLimit;
  private readonly refreshes: RateLimit;

  constructor(
    redis: Redis,
    readonly policy: SignInPolicy = defaultSignInPolicy,
  ) {
    const p = policy;
    this.staffAccounts = new RateLimit(redis, {
      keyPrefix: 'rl:signin:staff-account',
      points: p.staffAccount.failures,
      durationSeconds: p.staffAccount.windowSeconds,
      blockSeconds: p.staffAccount.lockSeconds,
    });
    this.staffAddresses = new RateLimit(redis, {
      keyPrefix: 'rl:signin:staff-address',
      points: p.staffAddress.failures,
      durationSeconds: p.staffAddress.windowSeconds,
      blockSeconds: p.staffAddress.lockSeconds,
    });
    this.buyerLogins = new RateLimit(redis, {
      keyPrefix: 'rl:signin:buyer-address',
      points: p.buyerLoginPerAddress.requests,
      durationSeconds: p.buyerLoginPerAddress.windowSeconds,
    });
    this.refreshes = new RateLimit(redis, {
      keyPrefix: 'rl:signin:refresh-address',
      points: p.refreshPerAddress.requests,
      durationSeconds: p.refreshPerAddress.windowSeconds,
    });
  }

  /**
   * Starts a staff password attempt: refused with 429 while the account or the address is
   * locked (whatever the password); otherwise the caller checks the password and reports.
   */
  async staffAttempt(account: StaffAccountKey, ip: string | undefined): Promise<StaffAttempt> {
    const key = accountKey(account);
    const address = ip ? addressKey(ip) : undefined;
    const a = address ? await this.staffAddresses.consume(address) : undefined;
    if (a && !a.ok) throw new RateLimitedError(LOCKED, a.retryAfterSeconds);
    const u = await this.staffAccounts.consume(key);
    if (!u.ok) throw new RateLimitedError(LOCKED, u.retryAfterSeconds);
    return {
      succeeded: async () => {
        await this.staffAccounts.reset(key);
        if (address) await this.staffAddresses.reward(address);
      },
      failed: async () => {
        // The counts are atomic: exactly one attempt sees the last try used, and if it fails
        // the account (or the address) is locked from now, this answer included.
        const { staffAccount, staffAddress } = this.policy;
        const accountLocked = u.remaining === 0;
        const addressLocked = address !== undefined && a?.ok === true && a.remaining === 0;
        if (accountLocked) await this.staffAccounts.block(key, staffAccount.lockSeconds);
        if (addressLocked) await this.staffAddresses.block(address, staffAddress.lockSeconds);
        if (accountLocked || addressLocked) {
          throw new RateLimitedError(
            LOCKED,
            Math.max(accountLocked ? staffAccount.lockSeconds : 0, addressLocked ? staffAddress.lockSeconds : 0),
          );
        }
        const over = u.consumed - this.policy.slowAfterFailures + 1;
        if (over > 0) await sleep(Math.min(this.policy.slowMaxMs, over * this.policy.slowStepMs));
      },
    };
  }

  /** The owner lifts a staff member's lock (and forgets their failures). */
  async unlockStaff(staffId: string, username: string): Promise<void> {
    await this.staffAccounts.reset(accountKey({ staffId }));
    await this.staffAccounts.reset(accountKey({ username }));
  }

  /** Until when a staff member's account is locked (by id, or by their name), or null. */
  async staffLockedUntil(staffId: string, username: string, now = Date.now()): Promise<Date | null> {
    const ms = Math.max(
      await this.staffAccounts.refusedForMs(accountKey({ staffId })),
      await this.staffAccounts.refusedForMs(accountKey({ username })),
    );
    return ms > 0 ? new Date(now + ms) : null;
  }

  /** A buyer's code exchange: generous, per address. */
  async buyerLogin(ip: string | undefined): Promise<void> {
    if (!ip) return;
    const r = await this.buyerLogins.consume(addressKey(ip));
    if (!r.ok) throw new RateLimitedError(BUSY, r.retryAfterSeconds);
  }

  /** A token refresh (buyers and staff): generous, per address. */
  async refresh(ip: string | undefined): Promise<void> {
    if (!ip) return;
    const r = await this.refreshes.consume(addressKey(ip));
    if (!r.ok) throw new RateLimitedError(BUSY, r.retryAfterSeconds);
  }
}
