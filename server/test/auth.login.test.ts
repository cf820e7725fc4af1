/**
 * Buyer sign-in end to end against the sandbox playing WeChat: a wx.login code becomes a
 * buyer session; codes work once; refresh tokens rotate; the session key never leaves the
 * server. Staff sign in with a password; wrong passwords and unknown users look the same.
 */
import { startSandbox, type RunningSandbox } from './support/sandbox';
import { startStack, testConfig, type TestStack } from './support/harness';
import { api, makeStaff } from './support/people';

let sandbox: RunningSandbox;
let sandboxUrl: string;
let stack: TestStack;

beforeAll(async () => {
  sandbox = await startSandbox();
  sandboxUrl = sandbox.url;
  stack = await startStack({ seed: false, config: testConfig({ WECHAT_API_BASE: sandboxUrl }) });
}, 60_000);
afterAll(async () => {
  await stack?.close();
  await sandbox?.close();
});

async function wxLogin(openid: string): Promise<string> {
  const res = await api(sandboxUrl, 'POST', `/sandbox/mp/users/${openid}/login`, {}, {});
  expect(res.status).toBe(200);
  return res.body.code as string;
}

describe('buyer sign-in', () => {
  it('turns a wx.login code into a session, once; the same buyer on the next sign-in', async () => {
    const code = await wxLogin('oBuyerLogin0001');
    const first = await api(stack.baseUrl, 'POST', '/api/auth/login', {}, { code });
    expect(first.status).toBe(200);
    expect(first.body.accessToken).toMatch(/^at_/);
    expect(JSON.stringify(first.body)).not.toMatch(/session_?key/i);

    const me = await api(stack.baseUrl, 'GET', '/api/me', { authorization: `Bearer ${first.body.accessToken}` });
    expect(me.body.id).toBe(first.body.buyer.id);

    const reused = await api(stack.baseUrl, 'POST', '/api/auth/login', {}, { code });
    expect(reused.status).toBe(400);
    expect(reused.body.fields).toEqual([
      { path: 'body.code', message: 'is not a valid login code, or was already used' },
    ]);

    const again = await api(stack.baseUrl, 'POST', '/api/auth/login', {}, { code: await wxLogin('oBuyerLogin0001') });
    expect(again.body.buyer.id).toBe(first.body.buyer.id);
  });

  it('refuses a code WeChat never issued', async () => {
    const res = await api(stack.baseUrl, 'POST', '/api/auth/login', {}, { code: 'not-a-code' });
    expect(res.status).toBe(400);
    expect(res.body.fields[0].path).toBe('body.code');
  });

  it('rotates refresh tokens: the old refresh and access tokens stop working, the new ones work', async () => {
    const login = await api(stack.baseUrl, 'POST', '/api/auth/login', {}, { code: await wxLogin('oBuyerLogin0002') });
    const old = login.body;
    const next = await api(stack.baseUrl, 'POST', '/api/auth/refresh', {}, { refreshToken: old.refreshToken });
    expect(next.status).toBe(200);
    expect(next.body.refreshToken).not.toBe(old.refreshToken);
    expect((await api(stack.baseUrl, 'GET', '/api/me', { authorization: `Bearer ${old.accessToken}` })).status).toBe(
      401,
    );
    expect(
      (await api(stack.baseUrl, 'GET', '/api/me', { authorization: `Bearer ${next.body.accessToken}` })).status,
    ).toBe(200);
    const again = await api(stack.baseUrl, 'POST', '/api/auth/refresh', {}, { refreshToken: next.body.refreshToken });
    expect(again.status).toBe(200);
    // Reuse of a rotated token and concurrent refreshes: server/test/auth.refresh-reuse.test.ts.
  });
});

describe('staff sign-in', () => {
  it('signs in with the right password; a wrong password and an unknown user get the same 401', async () => {
    const owner = await makeStaff(stack.db, 'owner');
    const created = await api(stack.baseUrl, 'POST', '/api/admin/staff', owner.auth, {
      username: 'clerk.li',
      displayName: '李店员',
      role: 'clerk',
      password: 'tea-and-snacks-2026',
    });
    expect(created.status).toBe(200);
    expect(JSON.stringify(created.body)).not.toMatch(/password|scrypt/);

    const ok = await api(
      stack.baseUrl,
      'POST',
      '/api/admin/login',
      {},
      { username: 'clerk.li', password: 'tea-and-snacks-2026' },
    );
    expect(ok.status).toBe(200);
    expect(ok.body.staff).toMatchObject({ username: 'clerk.li', role: 'clerk' });

    const wrong = await api(
      stack.baseUrl,
      'POST',
      '/api/admin/login',
      {},
      { username: 'clerk.li', password: 'nope-nope-nope' },
    );
    const unknown = await api(
      stack.baseUrl,
      'POST',
      '/api/admin/login',
      {},
      { username: 'nobody', password: 'nope-nope-nope' },
    );
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.message).toBe(unknown.body.message);

    const dup = await api(stack.baseUrl, 'POST', '/api/admin/staff', owner.auth, {
      username: 'clerk.li',
      displayName: 'x',
      role: 'clerk',
      password: 'another-password',
    });
    expect(dup.status).toBe(409);
  });
});
