/**
 * Refresh-token reuse detection: a refresh token that was already rotated, presented again,
 * revokes the whole session family (the thief's and the owner's sessions alike); two
 * concurrent refreshes with one token never leave two valid sessions; a disabled staff
 * member cannot refresh.
 */
import { SessionEntity } from '../src/modules/auth/session.entity';
import { StaffEntity } from '../src/modules/auth/staff.entity';
import { startSandbox, type RunningSandbox } from './support/sandbox';
import { startStack, testConfig, type TestStack } from './support/harness';
import { api, makeStaff } from './support/people';

let sandbox: RunningSandbox;
let stack: TestStack;

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({ seed: false, config: testConfig({ WECHAT_API_BASE: sandbox.url }) });
}, 60_000);
afterAll(async () => {
  await stack?.close();
  await sandbox?.close();
});

type Tokens = { accessToken: string; refreshToken: string };

async function buyerSignIn(openid: string): Promise<Tokens> {
  const code = (await api(sandbox.url, 'POST', `/sandbox/mp/users/${openid}/login`, {}, {})).body.code;
  const res = await api(stack.baseUrl, 'POST', '/api/auth/login', {}, { code });
  expect(res.status).toBe(200);
  return res.body;
}
const refresh = (refreshToken: string) => api(stack.baseUrl, 'POST', '/api/auth/refresh', {}, { refreshToken });
const me = async (t: Tokens) =>
  (await api(stack.baseUrl, 'GET', '/api/me', { authorization: `Bearer ${t.accessToken}` })).status;

describe('a rotated refresh token used again', () => {
  it('revokes the family: the old and the new tokens stop working, and both parties sign in again', async () => {
    const first = await buyerSignIn('oReuseBuyer0001');
    // The thief refreshes with a stolen token first…
    const thief = await refresh(first.refreshToken);
    expect(thief.status).toBe(200);
    const stolen: Tokens = thief.body;
    const thiefAgain = await refresh(stolen.refreshToken);
    expect(thiefAgain.status).toBe(200);
    const stolen2: Tokens = thiefAgain.body;
    expect(await me(stolen2)).toBe(200);

    // …then the owner presents the token the thief already rotated: reuse.
    const owner = await refresh(first.refreshToken);
    expect(owner.status).toBe(401);
    expect(owner.body.code).toBe('UNAUTHENTICATED');

    // Every session descended from that sign-in is over: access and refresh tokens, old and new.
    for (const t of [first, stolen, stolen2]) expect(await me(t)).toBe(401);
    expect((await refresh(stolen2.refreshToken)).status).toBe(401);
    expect((await refresh(stolen.refreshToken)).status).toBe(401);

    const family = await stack.db.getRepository(SessionEntity).find({ where: { subjectId: await buyerId(first) } });
    expect(family.length).toBeGreaterThanOrEqual(3);
    expect(family.every((s) => s.revokedAt !== null)).toBe(true);

    // A fresh sign-in is a new family and works.
    const fresh = await buyerSignIn('oReuseBuyer0001');
    expect(await me(fresh)).toBe(200);
    expect((await refresh(fresh.refreshToken)).status).toBe(200);
  });

  it('revokes only that family: the same buyer’s other sign-in keeps working', async () => {
    const phone = await buyerSignIn('oReuseBuyer0002');
    const tablet = await buyerSignIn('oReuseBuyer0002');
    const rotated = await refresh(phone.refreshToken);
    expect(rotated.status).toBe(200);
    expect((await refresh(phone.refreshToken)).status).toBe(401);
    expect(await me(rotated.body)).toBe(401);
    expect(await me(tablet)).toBe(200);
  });
});

async function buyerId(t: Tokens): Promise<string> {
  // Revoked tokens no longer resolve; read the subject from the stored hash instead.
  const { createHash } = await import('node:crypto');
  const s = await stack.db
    .getRepository(SessionEntity)
    .findOneByOrFail({ accessHash: createHash('sha256').update(t.accessToken).digest('hex') });
  return s.subjectId;
}

describe('two refreshes with the same token at once', () => {
  it('never leave two valid sessions: one wins and the reuse revokes the family', async () => {
    for (let round = 0; round < 8; round++) {
      const t = await buyerSignIn(`oRaceBuyer000${round}`);
      const results = await Promise.all([refresh(t.refreshToken), refresh(t.refreshToken), refresh(t.refreshToken)]);
      const won = results.filter((r) => r.status === 200);
      expect(won.length).toBeLessThanOrEqual(1);
      expect(results.filter((r) => r.status !== 200).every((r) => r.status === 401)).toBe(true);
      // Whatever won was revoked with its family by the loser's reuse: nothing valid remains.
      for (const w of won) {
        expect(await me(w.body)).toBe(401);
        expect((await refresh(w.body.refreshToken)).status).toBe(401);
      }
      const live = await stack.db
        .getRepository(SessionEntity)
        .createQueryBuilder('s')
        .where('s.subject_id = :id AND s.revoked_at IS NULL AND s.rotated_at IS NULL', { id: await buyerId(t) })
        .getCount();
      expect(live).toBe(0);
    }
  });
});

describe('a disabled staff member', () => {
  it('cannot refresh (401), and their access token stops working', async () => {
    const owner = await makeStaff(stack.db, 'owner');
    const created = await api(stack.baseUrl, 'POST', '/api/admin/staff', owner.auth, {
      username: 'clerk.leaving',
      displayName: '离职店员',
      role: 'clerk',
      password: 'leaving-soon-2026',
    });
    expect(created.status).toBe(200);
    const login = await api(
      stack.baseUrl,
      'POST',
      '/api/admin/login',
      {},
      { username: 'clerk.leaving', password: 'leaving-soon-2026' },
    );
    expect(login.status).toBe(200);
    const ok = await refresh(login.body.refreshToken);
    expect(ok.status).toBe(200);

    await stack.db.getRepository(StaffEntity).update({ id: created.body.id }, { active: false });
    const refused = await refresh(ok.body.refreshToken);
    expect(refused.status).toBe(401);
    const orders = await api(stack.baseUrl, 'GET', '/api/admin/orders', {
      authorization: `Bearer ${ok.body.accessToken}`,
    });
    expect(orders.status).toBe(401);
    // Re-enabled, the old session stays ended: they sign in again.
    await stack.db.getRepository(StaffEntity).update({ id: created.body.id }, { active: true });
    expect((await refresh(ok.body.refreshToken)).status).toBe(401);
  });
});
