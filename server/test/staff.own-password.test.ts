/**
 * A staff member changes their own password (POST /api/admin/me/password): the current one must
 * match and a wrong one changes nothing and counts toward the sign-in lock; the new one works at
 * once, the old one stops; the member's other sign-ins end while this one stays; two changes
 * racing with the same current password apply once; the audit row holds no password.
 */
import { newId } from '@chatmall/shared';
import { AuditLogEntity } from '../src/modules/auth/audit-log.entity';
import { startStack, type TestStack } from './support/harness';
import { api, makeStaff } from './support/people';

let stack: TestStack;
let owner: Awaited<ReturnType<typeof makeStaff>>;

beforeAll(async () => {
  stack = await startStack({ seed: false });
  owner = await makeStaff(stack.db, 'owner');
}, 60_000);
afterAll(async () => stack?.close());

type Auth = Record<string, string>;
const call = (method: string, path: string, auth?: Auth, body?: unknown) =>
  api(stack.baseUrl, method, path, auth, body);
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

async function clerkSignedInTwice() {
  const username = `clerk_${newId('staff').slice(-8).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
  const password = 'first-password-1';
  const made = await call('POST', '/api/admin/staff', owner.auth, { username, displayName: '小李', role: 'clerk', password });
  expect(made.status).toBe(200);
  const here = await call('POST', '/api/admin/login', {}, { username, password });
  const elsewhere = await call('POST', '/api/admin/login', {}, { username, password });
  expect([here.status, elsewhere.status]).toEqual([200, 200]);
  return {
    username,
    password,
    here: bearer(here.body.accessToken as string),
    elsewhere: bearer(elsewhere.body.accessToken as string),
  };
}
const change = (auth: Auth, currentPassword: string, password: string) =>
  call('POST', '/api/admin/me/password', auth, { currentPassword, password });
const signIn = (username: string, password: string) => call('POST', '/api/admin/login', {}, { username, password });
const works = async (auth: Auth) => (await call('GET', '/api/admin/me/wechat-binding', auth)).status;

it('a wrong current password is refused on its field and changes nothing', async () => {
  const c = await clerkSignedInTwice();
  const res = await change(c.here, 'not-the-password', 'second-password-2');
  expect(res.status).toBe(400);
  expect(JSON.stringify(res.body)).toContain('body.currentPassword');
  expect((await signIn(c.username, c.password)).status).toBe(200);
  expect((await signIn(c.username, 'second-password-2')).status).toBe(401);
  expect(await works(c.elsewhere)).toBe(200);
});

it('the new password must differ from the current one and follow the password rules', async () => {
  const c = await clerkSignedInTwice();
  const same = await change(c.here, c.password, c.password);
  expect(same.status).toBe(400);
  expect(JSON.stringify(same.body)).toContain('body.password');
  const short = await change(c.here, c.password, 'short');
  expect(short.status).toBe(400);
  expect(JSON.stringify(short.body)).toContain('body.password');
  expect((await signIn(c.username, c.password)).status).toBe(200);
});

it('the change takes at once: new password in, old out, other sign-ins ended, this one kept, audited without the password', async () => {
  const c = await clerkSignedInTwice();
  const res = await change(c.here, c.password, 'second-password-2');
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ ok: true, signedOutElsewhere: 1 });
  expect(await works(c.here)).toBe(200);
  expect(await works(c.elsewhere)).toBe(401);
  expect((await signIn(c.username, c.password)).status).toBe(401);
  expect((await signIn(c.username, 'second-password-2')).status).toBe(200);
  const audit = await stack.db.getRepository(AuditLogEntity).findBy({ action: 'staff.password.change' });
  expect(audit.length).toBeGreaterThan(0);
  const text = JSON.stringify(audit);
  expect(text).not.toContain('second-password-2');
  expect(text).not.toContain(c.password);
});

it('two changes racing with the same current password: exactly one applies', async () => {
  const c = await clerkSignedInTwice();
  const results = await Promise.all([
    change(c.here, c.password, 'racer-one-password'),
    change(c.here, c.password, 'racer-two-password'),
  ]);
  const ok = results.filter((r) => r.status === 200);
  expect(ok).toHaveLength(1);
  expect(results.filter((r) => r.status === 400)).toHaveLength(1);
  const one = (await signIn(c.username, 'racer-one-password')).status;
  const two = (await signIn(c.username, 'racer-two-password')).status;
  expect([one, two].sort()).toEqual([200, 401]);
});

it('wrong current passwords count toward the account’s sign-in lock', async () => {
  const c = await clerkSignedInTwice();
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) statuses.push((await change(c.here, `wrong-${i}-password`, 'third-password-3')).status);
  expect(statuses).toContain(429);
  // Locked: even the right password is refused at sign-in until the owner unlocks it.
  expect((await signIn(c.username, c.password)).status).toBe(429);
}, 60_000);
