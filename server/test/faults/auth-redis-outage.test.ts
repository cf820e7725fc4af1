/**
 * Fault test: buyer sign-in with the real Redis stopped (scripts/services.sh). The session
 * key goes to the database (encrypted), the sign-in throttle counts in memory, sessions are
 * in MariaDB: a buyer signs in, uses and refreshes the session, and a staff member signs in.
 * After Redis comes back empty, a group payload encrypted with that buyer's session key is
 * still decrypted by the server.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startSandbox, type RunningSandbox } from '../support/sandbox';
import { startStack, testConfig, type TestStack } from '../support/harness';
import { api, makeStaff } from '../support/people';

const services = path.resolve(__dirname, '../../../scripts/services.sh');
const service = (action: 'start' | 'stop', name: 'mariadb' | 'redis') =>
  execFileSync('bash', [services, action, name], { stdio: 'pipe' });

async function until(ok: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

let sandbox: RunningSandbox;
let stack: TestStack;

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({ seed: false, config: testConfig({ WECHAT_API_BASE: sandbox.url }) });
}, 60_000);
afterAll(async () => {
  service('start', 'redis');
  await stack?.close();
  await sandbox?.close();
}, 60_000);

describe('with Redis stopped', () => {
  it('a buyer signs in and refreshes; after Redis restarts empty their group payload still decrypts', async () => {
    const openid = 'oOutageBuyer0001';
    const owner = await makeStaff(stack.db, 'owner');
    expect(
      (
        await api(stack.baseUrl, 'POST', '/api/admin/staff', owner.auth, {
          username: 'clerk.outage',
          displayName: '店员',
          role: 'clerk',
          password: 'outage-password-2026',
        })
      ).status,
    ).toBe(200);

    service('stop', 'redis');
    let session: { accessToken: string; refreshToken: string };
    try {
      await until(() => stack.redis.status !== 'ready');
      const ready = await api(stack.baseUrl, 'GET', '/readyz');
      expect(ready.status).toBe(503);

      // wx.login in the sandbox (which plays WeChat and needs no Redis), then our sign-in.
      const code = (await api(sandbox.url, 'POST', `/sandbox/mp/users/${openid}/login`, {}, {})).body.code;
      const login = await api(stack.baseUrl, 'POST', '/api/auth/login', {}, { code });
      expect(login.status).toBe(200);
      expect(login.body.accessToken).toMatch(/^at_/);
      const me = await api(stack.baseUrl, 'GET', '/api/me', { authorization: `Bearer ${login.body.accessToken}` });
      expect(me.status).toBe(200);

      const refreshed = await api(
        stack.baseUrl,
        'POST',
        '/api/auth/refresh',
        {},
        { refreshToken: login.body.refreshToken },
      );
      expect(refreshed.status).toBe(200);
      session = refreshed.body;
      expect(
        (await api(stack.baseUrl, 'GET', '/api/me', { authorization: `Bearer ${session.accessToken}` })).status,
      ).toBe(200);

      // Staff sign-in too (its throttle counts in memory meanwhile).
      const staff = await api(
        stack.baseUrl,
        'POST',
        '/api/admin/login',
        {},
        { username: 'clerk.outage', password: 'outage-password-2026' },
      );
      expect(staff.status).toBe(200);

      // The group check works during the outage as well: the key comes from the database.
      const share = await api(
        sandbox.url,
        'POST',
        `/sandbox/mp/users/${openid}/group-share`,
        {},
        {
          groupId: 'tGroupOutage0001',
        },
      );
      expect(share.status).toBe(200);
      expect(
        await stack.app.kernel.wechat.miniProgram.groupOf(openid, {
          iv: share.body.iv,
          encryptedData: share.body.encryptedData,
        }),
      ).toEqual({ ok: true, data: { groupId: 'tGroupOutage0001' } });
    } finally {
      service('start', 'redis');
    }

    // Redis is back, and empty (as after a restart without its data).
    await until(() => stack.redis.status === 'ready');
    await until(async () => (await api(stack.baseUrl, 'GET', '/readyz')).status === 200);
    await stack.redis.flushdb();
    expect(await stack.redis.dbsize()).toBe(0);

    const share = await api(
      sandbox.url,
      'POST',
      `/sandbox/mp/users/${openid}/group-share`,
      {},
      {
        api: 'getShareInfo',
        groupId: 'tGroupOutage0002',
      },
    );
    expect(share.status).toBe(200);
    expect(
      await stack.app.kernel.wechat.miniProgram.groupOf(openid, {
        iv: share.body.iv,
        encryptedData: share.body.encryptedData,
      }),
    ).toEqual({ ok: true, data: { groupId: 'tGroupOutage0002' } });

    // The session made during the outage still works, and sign-in is normal again.
    expect(
      (await api(stack.baseUrl, 'GET', '/api/me', { authorization: `Bearer ${session.accessToken}` })).status,
    ).toBe(200);
    const code = (await api(sandbox.url, 'POST', `/sandbox/mp/users/${openid}/login`, {}, {})).body.code;
    expect((await api(stack.baseUrl, 'POST', '/api/auth/login', {}, { code })).status).toBe(200);
  }, 120_000);
});
