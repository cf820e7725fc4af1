/**
 * The owner manages staff (list, add, change role, disable/enable, reset password, unlock):
 * owner only; never oneself, never the last enabled owner (two owners demoting each other at
 * once leave one); a change ends the member's sessions at once; every change is audited and
 * no password reaches an audit row, a response or a log line.
 */
import { Writable } from 'node:stream';
import { newId } from '@chatmall/shared';
import { AuditLogEntity } from '../src/modules/auth/audit-log.entity';
import { StaffEntity } from '../src/modules/auth/staff.entity';
import { startStack, type TestStack } from './support/harness';
import { api, makeStaff } from './support/people';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.text += chunk.toString('utf8');
    done();
  }
}

const log = new Capture();
let stack: TestStack;
let owner: Awaited<ReturnType<typeof makeStaff>>;

beforeAll(async () => {
  stack = await startStack({ seed: false, logDestination: log });
  owner = await makeStaff(stack.db, 'owner');
}, 60_000);
afterAll(async () => stack?.close());

type Auth = Record<string, string>;
const call = (method: string, path: string, auth?: Auth, body?: unknown) =>
  api(stack.baseUrl, method, path, auth, body);
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const uname = (p: string) =>
  `${p}_${newId('staff')
    .slice(-8)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x')}`;

async function addClerk(role: 'clerk' | 'marketer' = 'clerk', password = 'clerk-password-1') {
  const username = uname(role);
  const res = await call('POST', '/api/admin/staff', owner.auth, {
    username,
    displayName: '小王',
    role,
    password,
  });
  expect(res.status).toBe(200);
  return { id: res.body.id as string, username, password };
}
const signIn = (username: string, password: string) => call('POST', '/api/admin/login', {}, { username, password });
async function signedIn(username: string, password: string) {
  const res = await signIn(username, password);
  expect(res.status).toBe(200);
  return res.body as { accessToken: string; refreshToken: string };
}
/** Whether a session still works: an owner-or-clerk route with its access token, and a refresh. */
const accessStatus = async (t: { accessToken: string }) =>
  (await call('GET', '/api/admin/orders', bearer(t.accessToken))).status;
const refreshStatus = async (t: { refreshToken: string }) =>
  (await call('POST', '/api/auth/refresh', {}, { refreshToken: t.refreshToken })).status;
const listed = async (id: string) =>
  ((await call('GET', '/api/admin/staff', owner.auth)).body.items as { id: string }[]).find((s) => s.id === id) as
    Record<string, unknown> | undefined;
const audits = (entityId: string) =>
  stack.db.getRepository(AuditLogEntity).find({ where: { entity: 'staff', entityId }, order: { createdAt: 'ASC' } });

describe('who may manage staff', () => {
  it.each(['clerk', 'marketer'] as const)('a %s is refused every staff route (403)', async (role) => {
    const other = await makeStaff(stack.db, role);
    const target = await addClerk();
    expect((await call('GET', '/api/admin/staff', other.auth)).status).toBe(403);
    expect(
      (
        await call('POST', '/api/admin/staff', other.auth, {
          username: uname('x'),
          displayName: 'x',
          role: 'clerk',
          password: 'long-enough-pw',
        })
      ).status,
    ).toBe(403);
    expect((await call('PATCH', `/api/admin/staff/${target.id}`, other.auth, { disabled: true })).status).toBe(403);
    expect(
      (await call('POST', `/api/admin/staff/${target.id}/password`, other.auth, { password: 'another-password' }))
        .status,
    ).toBe(403);
    expect((await listed(target.id))?.disabled).toBe(false);
  });
});

describe('the staff list', () => {
  it('shows username, name, role, disabled, lock, last sign-in and created, and never a password or hash', async () => {
    const c = await addClerk();
    expect(await listed(c.id)).toEqual({
      id: c.id,
      username: c.username,
      displayName: '小王',
      role: 'clerk',
      disabled: false,
      lockedUntil: null,
      lastSignInAt: null,
      wechatBound: false,
      createdAt: expect.any(String),
    });
    await signedIn(c.username, c.password);
    const after = await listed(c.id);
    expect(Date.now() - Date.parse(after!.lastSignInAt as string)).toBeLessThan(60_000);
    const raw = JSON.stringify((await call('GET', '/api/admin/staff', owner.auth)).body);
    expect(raw).not.toMatch(/scrypt\$|password/i);
  });
});

describe('adding staff', () => {
  it('a taken username is a 409 naming body.username, also when two adds race', async () => {
    const c = await addClerk();
    const again = await call('POST', '/api/admin/staff', owner.auth, {
      username: c.username,
      displayName: '另一个',
      role: 'clerk',
      password: 'long-enough-pw',
    });
    expect(again.status).toBe(409);
    expect(again.body.fields).toEqual([{ path: 'body.username', message: 'is already taken' }]);

    const name = uname('race');
    const both = await Promise.all(
      [1, 2].map(() =>
        call('POST', '/api/admin/staff', owner.auth, {
          username: name,
          displayName: '抢',
          role: 'clerk',
          password: 'long-enough-pw',
        }),
      ),
    );
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await stack.db.getRepository(StaffEntity).countBy({ username: name })).toBe(1);
  });

  it('a short password is a 400 on body.password and adds nobody', async () => {
    const name = uname('short');
    const res = await call('POST', '/api/admin/staff', owner.auth, {
      username: name,
      displayName: '短',
      role: 'clerk',
      password: 'short',
    });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ path: 'body.password', message: 'must be at least 10 characters' }]);
    expect(await stack.db.getRepository(StaffEntity).countBy({ username: name })).toBe(0);
  });
});

describe('changing role and disabling', () => {
  it('a role change ends the member’s sessions at once and is audited from → to', async () => {
    const c = await addClerk();
    const t = await signedIn(c.username, c.password);
    expect(await accessStatus(t)).toBe(200);
    const res = await call('PATCH', `/api/admin/staff/${c.id}`, owner.auth, { role: 'marketer' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: c.id, role: 'marketer', disabled: false });
    expect(await accessStatus(t)).toBe(401);
    expect(await refreshStatus(t)).toBe(401);
    // A new sign-in carries the new role: a marketer may not see orders.
    const again = await signedIn(c.username, c.password);
    expect(await accessStatus(again)).toBe(403);
    expect((await audits(c.id)).map((a) => [a.action, a.detail, a.actorId])).toEqual([
      ['staff.create', { username: c.username, role: 'clerk' }, owner.id],
      ['staff.role', { username: c.username, from: 'clerk', to: 'marketer' }, owner.id],
    ]);
  });

  it('disabling ends access and refresh tokens at once and refuses sign-in; enabling lets them sign in again', async () => {
    const c = await addClerk();
    const t = await signedIn(c.username, c.password);
    const res = await call('PATCH', `/api/admin/staff/${c.id}`, owner.auth, { disabled: true });
    expect([res.status, res.body.disabled]).toEqual([200, true]);
    expect(await accessStatus(t)).toBe(401);
    expect(await refreshStatus(t)).toBe(401);
    expect((await signIn(c.username, c.password)).status).toBe(401);

    const back = await call('PATCH', `/api/admin/staff/${c.id}`, owner.auth, { disabled: false });
    expect([back.status, back.body.disabled]).toEqual([200, false]);
    // The old session stays ended; a new sign-in works.
    expect(await accessStatus(t)).toBe(401);
    expect(await accessStatus(await signedIn(c.username, c.password))).toBe(200);
    expect((await audits(c.id)).map((a) => a.action)).toEqual(['staff.create', 'staff.disable', 'staff.enable']);
  });

  it('a patch naming nothing new changes nothing and ends no session', async () => {
    const c = await addClerk();
    const t = await signedIn(c.username, c.password);
    const res = await call('PATCH', `/api/admin/staff/${c.id}`, owner.auth, { role: 'clerk', disabled: false });
    expect(res.status).toBe(200);
    expect(await accessStatus(t)).toBe(200);
    expect((await audits(c.id)).map((a) => a.action)).toEqual(['staff.create']);
  });

  it('an unknown member is a 404, an unknown field a 400', async () => {
    expect((await call('PATCH', '/api/admin/staff/staff_nobody', owner.auth, { disabled: true })).status).toBe(404);
    const c = await addClerk();
    expect((await call('PATCH', `/api/admin/staff/${c.id}`, owner.auth, { password: 'x' })).status).toBe(400);
  });
});

describe('the owner and the last owner', () => {
  it('the owner cannot disable or demote themself (409 on the field), and their session keeps working', async () => {
    const me = await makeStaff(stack.db, 'owner');
    const off = await call('PATCH', `/api/admin/staff/${me.id}`, me.auth, { disabled: true });
    expect(off.status).toBe(409);
    expect(off.body.fields).toEqual([{ path: 'body.disabled', message: 'cannot disable your own account' }]);
    const down = await call('PATCH', `/api/admin/staff/${me.id}`, me.auth, { role: 'clerk' });
    expect(down.status).toBe(409);
    expect(down.body.fields).toEqual([{ path: 'body.role', message: 'cannot demote your own account' }]);
    expect((await call('GET', '/api/admin/staff', me.auth)).status).toBe(200);
    const row = await stack.db.getRepository(StaffEntity).findOneByOrFail({ id: me.id });
    expect([row.role, row.active]).toEqual(['owner', true]);
  });

  it('an owner whose request was let in before they were demoted cannot then remove the last owner', async () => {
    await stack.db.query(`UPDATE staff SET role = 'clerk' WHERE role = 'owner'`);
    const a = await addOwner();
    const b = await addOwner();
    expect((await stack.app.services.staff.update({}, a, b.staffId, { role: 'clerk' })).role).toBe('clerk');
    // B still holds a principal that says owner (authorised a moment ago): A is the last owner.
    await expect(stack.app.services.staff.update({}, b, a.staffId, { disabled: true })).rejects.toMatchObject({
      code: 'CONFLICT',
      fields: [{ path: 'body.disabled', message: 'The shop must keep at least one enabled owner.' }],
    });
    await expect(stack.app.services.staff.update({}, b, a.staffId, { role: 'marketer' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await enabledOwners()).toEqual([a.staffId]);
    owner = await makeStaff(stack.db, 'owner');
  });

  it.each([
    ['demote', { role: 'clerk' }],
    ['disable', { disabled: true }],
  ] as const)('two owners who %s each other at once leave exactly one enabled owner', async (_what, patch) => {
    for (let round = 0; round < 6; round++) {
      await stack.db.query(`UPDATE staff SET role = 'clerk' WHERE role = 'owner'`);
      const [a, b] = [await makeStaff(stack.db, 'owner'), await makeStaff(stack.db, 'owner')];
      const [ab, ba] = await Promise.all([
        call('PATCH', `/api/admin/staff/${b.id}`, a.auth, patch),
        call('PATCH', `/api/admin/staff/${a.id}`, b.auth, patch),
      ]);
      const statuses = [ab.status, ba.status].sort();
      // The loser is refused as the last owner (409), or its session already ended (401).
      expect([
        [200, 401],
        [200, 409],
      ]).toContainEqual(statuses);
      const left = await enabledOwners();
      expect(left).toHaveLength(1);
      expect(left[0]).toBe(ab.status === 200 ? a.id : b.id);
    }
    owner = await makeStaff(stack.db, 'owner');
  });
});

describe('resetting a password', () => {
  it('the new password signs in, the old one no longer does, sessions end, and no password is kept in the audit or logs', async () => {
    const c = await addClerk();
    const t = await signedIn(c.username, c.password);
    const secret = `Reset-${newId('session').slice(-10)}`;
    const res = await call('POST', `/api/admin/staff/${c.id}/password`, owner.auth, { password: secret });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain(secret);
    expect(await accessStatus(t)).toBe(401);
    expect(await refreshStatus(t)).toBe(401);
    expect((await signIn(c.username, c.password)).status).toBe(401);
    expect(await accessStatus(await signedIn(c.username, secret))).toBe(200);
    const rows = await audits(c.id);
    expect(rows.map((a) => [a.action, a.detail])).toContainEqual(['staff.password', { username: c.username }]);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(log.text).not.toContain(secret);
    expect(log.text).not.toContain(c.password);
  });

  it('a password shorter than the rule is a 400 on body.password and changes nothing', async () => {
    const c = await addClerk();
    const res = await call('POST', `/api/admin/staff/${c.id}/password`, owner.auth, { password: 'short' });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ path: 'body.password', message: 'must be at least 10 characters' }]);
    await signedIn(c.username, c.password);
  });

  it('a locked member shows lockedUntil; a reset lifts the lock, and so does unlock', async () => {
    const c = await addClerk();
    const lock = async () => {
      let last = 0;
      for (let i = 0; i < 10; i++) last = (await signIn(c.username, 'wrong-password')).status;
      expect(last).toBe(429);
      const until = (await listed(c.id))?.lockedUntil as string;
      expect(Date.parse(until) - Date.now()).toBeGreaterThan(10 * 60_000);
    };
    await lock();
    const secret = 'after-the-lock-1';
    expect((await call('POST', `/api/admin/staff/${c.id}/password`, owner.auth, { password: secret })).status).toBe(
      200,
    );
    expect((await listed(c.id))?.lockedUntil).toBeNull();
    await signedIn(c.username, secret);

    await lock();
    expect((await signIn(c.username, secret)).status).toBe(429);
    expect((await call('POST', `/api/admin/staff/${c.id}/unlock`, owner.auth)).status).toBe(200);
    expect((await listed(c.id))?.lockedUntil).toBeNull();
    await signedIn(c.username, secret);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------

async function addOwner() {
  const s = await makeStaff(stack.db, 'owner');
  return { kind: 'staff' as const, staffId: s.id, role: 'owner' as const, sessionId: 'test' };
}
async function enabledOwners(): Promise<string[]> {
  const rows = await stack.db.getRepository(StaffEntity).find({ where: { role: 'owner', active: true } });
  return rows.map((r) => r.id);
}
