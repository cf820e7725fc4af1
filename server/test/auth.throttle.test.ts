/**
 * Sign-in throttling: ten wrong passwords lock a staff account (429 with Retry-After, the
 * right password refused too) until the owner unlocks it; a success resets the count; an
 * address failing across many accounts is locked; buyers' code exchange is limited per
 * address. The throttle itself (per-address keys, IPv6 /64s, the in-memory fallback while
 * Redis is unreachable) is checked directly.
 */
import { Redis } from 'ioredis';
import { AuditLogEntity } from '../src/modules/auth/audit-log.entity';
import { addressKey, SignInThrottle, type SignInPolicy } from '../src/modules/auth/sign-in-throttle';
import { startSandbox, type RunningSandbox } from './support/sandbox';
import { startStack, testConfig, type TestStack } from './support/harness';
import { api, makeStaff } from './support/people';

let sandbox: RunningSandbox;
let stack: TestStack;
let owner: Awaited<ReturnType<typeof makeStaff>>;

/** Forget every sign-in counter, so tests (and other runs sharing this Redis db) start clean. */
async function clearCounters(redis: Redis): Promise<void> {
  const keys = await redis.keys('rl:signin:*');
  if (keys.length) await redis.del(...keys);
}

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({ seed: false, config: testConfig({ WECHAT_API_BASE: sandbox.url }) });
  owner = await makeStaff(stack.db, 'owner');
}, 60_000);
beforeEach(async () => clearCounters(stack.redis));
afterAll(async () => {
  if (stack) await clearCounters(stack.redis).catch(() => undefined);
  await stack?.close();
  await sandbox?.close();
});

async function addClerk(username: string, password: string): Promise<string> {
  const res = await api(stack.baseUrl, 'POST', '/api/admin/staff', owner.auth, {
    username,
    displayName: username,
    role: 'clerk',
    password,
  });
  expect(res.status).toBe(200);
  return res.body.id;
}

async function staffLogin(username: string, password: string) {
  const res = await fetch(`${stack.baseUrl}/api/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body: any = await res.json();
  return { status: res.status, body, retryAfter: res.headers.get('retry-after') };
}

describe('staff password sign-in', () => {
  it('locks an account at the tenth wrong password: 429 with Retry-After, the right password refused until the owner unlocks', async () => {
    const id = await addClerk('clerk.wang', 'right-password-2026');
    for (let i = 1; i <= 9; i++) {
      const res = await staffLogin('clerk.wang', `wrong-password-${i}`);
      expect([i, res.status]).toEqual([i, 401]);
    }
    const tenth = await staffLogin('clerk.wang', 'wrong-password-10');
    expect(tenth.status).toBe(429);
    expect(tenth.body.code).toBe('RATE_LIMITED');
    expect(Number(tenth.retryAfter)).toBeGreaterThan(60);
    expect(Number(tenth.retryAfter)).toBeLessThanOrEqual(15 * 60);
    expect(JSON.stringify(tenth.body)).not.toMatch(/wrong-password|clerk\.wang/);

    const right = await staffLogin('clerk.wang', 'right-password-2026');
    expect(right.status).toBe(429);
    expect(Number(right.retryAfter)).toBeGreaterThan(0);
    // Another spelling of the same account is the same account.
    expect((await staffLogin('CLERK.WANG', 'right-password-2026')).status).toBe(429);

    // Only the owner may unlock; the unlock is audited.
    const clerk = await makeStaff(stack.db, 'clerk');
    expect((await api(stack.baseUrl, 'POST', `/api/admin/staff/${id}/unlock`, clerk.auth)).status).toBe(403);
    const unlocked = await api(stack.baseUrl, 'POST', `/api/admin/staff/${id}/unlock`, owner.auth);
    expect(unlocked.status).toBe(200);
    expect(unlocked.body).toMatchObject({ id, username: 'clerk.wang', role: 'clerk' });
    const audit = await stack.db
      .getRepository(AuditLogEntity)
      .findOneByOrFail({ action: 'staff.unlock', entityId: id });
    expect(audit.actorId).toBe(owner.id);

    const after = await staffLogin('clerk.wang', 'right-password-2026');
    expect(after.status).toBe(200);
    expect(after.body.staff.username).toBe('clerk.wang');
    expect((await api(stack.baseUrl, 'POST', '/api/admin/staff/staff_nobody/unlock', owner.auth)).status).toBe(404);
  }, 60_000);

  it('a success resets the account’s count; unknown usernames are counted and answered alike', async () => {
    await addClerk('clerk.zhao', 'right-password-2026');
    for (let i = 1; i <= 9; i++) expect((await staffLogin('clerk.zhao', `nope-${i}`)).status).toBe(401);
    expect((await staffLogin('clerk.zhao', 'right-password-2026')).status).toBe(200);
    for (let i = 1; i <= 9; i++) expect((await staffLogin('clerk.zhao', `nope-again-${i}`)).status).toBe(401);
    expect((await staffLogin('clerk.zhao', 'right-password-2026')).status).toBe(200);

    // A name that does not exist locks the same way: no difference reveals which names exist.
    for (let i = 1; i <= 9; i++) expect((await staffLogin('nobody.here', `nope-${i}`)).status).toBe(401);
    const tenth = await staffLogin('nobody.here', 'nope-10');
    expect(tenth.status).toBe(429);
    expect(Number(tenth.retryAfter)).toBeGreaterThan(0);
  }, 60_000);

  it('parallel guesses cannot outrun the count: at most ten are checked', async () => {
    await addClerk('clerk.sun', 'right-password-2026');
    const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => staffLogin('clerk.sun', `guess-${i}`)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(9);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect((await staffLogin('clerk.sun', 'right-password-2026')).status).toBe(429);
  }, 60_000);

  it('locks a client address that fails across many accounts', async () => {
    const id = await addClerk('clerk.zhou', 'right-password-2026');
    let locked: Awaited<ReturnType<typeof staffLogin>> | undefined;
    for (let i = 1; i <= 60 && !locked; i++) {
      const res = await staffLogin(`sprayed.name.${i}`, 'spray-password');
      if (res.status === 429) locked = res;
      else expect(res.status).toBe(401);
    }
    expect(locked?.retryAfter).toBeTruthy();
    // From that address even a valid account with its right password waits (the owner's unlock
    // lifts the account's lock, not the address's).
    expect((await staffLogin('clerk.zhou', 'right-password-2026')).status).toBe(429);
    expect((await api(stack.baseUrl, 'POST', `/api/admin/staff/${id}/unlock`, owner.auth)).status).toBe(200);
    expect((await staffLogin('clerk.zhou', 'right-password-2026')).status).toBe(429);
  }, 60_000);
});

describe('buyer code exchange', () => {
  it('is limited per client address, generously, with Retry-After', async () => {
    let limited: { retryAfter: string | null; body: { code: string } } | undefined;
    let count = 0;
    while (!limited && count < 200) {
      const res = await fetch(`${stack.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: `not-a-code-${count}` }),
      });
      count++;
      const body = (await res.json()) as { code: string };
      if (res.status === 429) limited = { retryAfter: res.headers.get('retry-after'), body };
      else expect(res.status).toBe(400);
    }
    // A shop's Wi-Fi is one address: well over a hundred sign-ins a minute pass.
    expect(count).toBe(121);
    expect(limited?.body.code).toBe('RATE_LIMITED');
    expect(Number(limited?.retryAfter)).toBeGreaterThan(0);
    expect(Number(limited?.retryAfter)).toBeLessThanOrEqual(60);
  }, 60_000);
});

describe('the throttle', () => {
  const small: SignInPolicy = {
    staffAccount: { failures: 3, windowSeconds: 60, lockSeconds: 120 },
    staffAddress: { failures: 100, windowSeconds: 60, lockSeconds: 120 },
    slowAfterFailures: 100,
    slowStepMs: 0,
    slowMaxMs: 0,
    buyerLoginPerAddress: { requests: 3, windowSeconds: 60 },
    refreshPerAddress: { requests: 2, windowSeconds: 60 },
  };

  it('counts each address on its own (an IPv6 subscriber by their /64)', async () => {
    const t = new SignInThrottle(stack.redis, small);
    for (let i = 0; i < 3; i++) await t.buyerLogin('203.0.113.7');
    await expect(t.buyerLogin('203.0.113.7')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(t.buyerLogin('::ffff:203.0.113.7')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await t.buyerLogin('203.0.113.8');
    await t.refresh('203.0.113.7');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    await t.refresh('2001:db8:1:2:aaaa::1');
    await t.refresh('2001:db8:1:2:ffff::9');
    await expect(t.refresh('2001:db8:1:2::42')).rejects.toMatchObject({ retryAfterSeconds: expect.any(Number) });
    await t.refresh('2001:db8:1:3::1');
  });

  it('keeps counting in memory while Redis cannot be reached', async () => {
    // A client that never connects: every command fails at once, as during an outage.
    const down = new Redis('redis://127.0.0.1:1/0', {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: () => 60_000,
    });
    down.on('error', () => undefined);
    try {
      const t = new SignInThrottle(down, small);
      for (let i = 0; i < 2; i++) {
        const a = await t.staffAttempt({ staffId: 'staff_offline' }, '198.51.100.1');
        await a.failed();
      }
      const third = await t.staffAttempt({ staffId: 'staff_offline' }, '198.51.100.1');
      await expect(third.failed()).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 120 });
      await expect(t.staffAttempt({ staffId: 'staff_offline' }, '198.51.100.1')).rejects.toMatchObject({
        code: 'RATE_LIMITED',
      });
      await t.unlockStaff('staff_offline', 'offline');
      const again = await t.staffAttempt({ staffId: 'staff_offline' }, '198.51.100.1');
      await again.succeeded();
      for (let i = 0; i < 3; i++) await t.buyerLogin('198.51.100.2');
      await expect(t.buyerLogin('198.51.100.2')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    } finally {
      down.disconnect();
    }
  });
});
