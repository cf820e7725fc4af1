/**
 * The sandbox's WeChat semantics on their own: token rules, error codes, login codes,
 * group-share payloads, quotas, and state that survives a restart.
 */
import { createDecipheriv } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createSandbox, type Sandbox } from '../src/app';
import { loadApps } from '../src/platform/apps';

const apps = loadApps();
let sandbox: Sandbox;
let server: http.Server;
let base: string;
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-wechat-'));

async function start() {
  sandbox = createSandbox({
    merchantBaseUrl: 'http://127.0.0.1:1',
    selfBaseUrl: 'http://127.0.0.1:0',
    stateDir,
    logLevel: 'silent',
  });
  server = http.createServer(sandbox.app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
async function stop() {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await sandbox.close();
}
beforeAll(start);
afterAll(stop);

const call = async (p: string, body?: unknown) => {
  const res = await fetch(`${base}${p}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as any;
};
const classic = () =>
  call(`/cgi-bin/token?grant_type=client_credential&appid=${apps.oa.appId}&secret=${apps.oa.secret}`);
const stable = (force = false) =>
  call('/cgi-bin/stable_token', {
    grant_type: 'client_credential',
    appid: apps.oa.appId,
    secret: apps.oa.secret,
    force_refresh: force,
  });

describe('access tokens', () => {
  it('a new /cgi-bin/token keeps the previous one working during the 5-minute overlap', async () => {
    const a = await classic();
    const b = await classic();
    expect(a.access_token).not.toBe(b.access_token);
    expect((await call(`/cgi-bin/menu/delete?access_token=${a.access_token}`)).errcode).toBe(0);
    expect((await call(`/cgi-bin/menu/delete?access_token=${b.access_token}`)).errcode).toBe(0);
  });

  it('stable_token returns the same token until near expiry; force_refresh kills the old one', async () => {
    const a = await stable();
    const b = await stable();
    expect(b.access_token).toBe(a.access_token);
    expect(b.expires_in).toBeGreaterThanOrEqual(300);
    const c = await stable(true);
    expect(c.access_token).not.toBe(a.access_token);
    expect((await call(`/cgi-bin/menu/delete?access_token=${a.access_token}`)).errcode).toBe(40001);
    expect((await stable(true)).errcode).toBe(45009); // 30 s apart at least
  });

  it('answers 41001 / 40014 / 40001 / 42001 and a wrong secret, with errmsg carrying a rid suffix', async () => {
    expect((await call('/cgi-bin/menu/get')).errcode).toBe(41001);
    expect((await call('/cgi-bin/menu/get?access_token=garbage')).errcode).toBe(40014);
    expect((await call(`/cgi-bin/menu/get?access_token=SBX${'a'.repeat(60)}`)).errcode).toBe(40001);
    const t = await classic();
    await call('/sandbox/platform/tokens/expire', { appid: apps.oa.appId });
    const expired = await call(`/cgi-bin/menu/get?access_token=${t.access_token}`);
    expect(expired.errcode).toBe(42001);
    expect(expired.errmsg).toMatch(/rid: /);
    expect((await call(`/cgi-bin/token?grant_type=client_credential&appid=${apps.oa.appId}&secret=nope`)).errcode).toBe(
      40125,
    );
  });
});

describe('official-account APIs', () => {
  it('refuses messages to unknown and non-following users, and enforces the template quota', async () => {
    const { access_token: token } = await classic();
    const send = (touser: string) =>
      call(`/cgi-bin/message/template/send?access_token=${token}`, {
        touser,
        template_id: 'TPL_ORDER_PAID',
        data: { thing1: { value: 'tea' } },
      });
    expect((await send('o_nobody')).errcode).toBe(40003);
    await call('/sandbox/oa/users/o_quota/follow', {}); // push fails (no merchant): still follows
    await call('/sandbox/oa/users/o_quota/unfollow', {});
    expect((await send('o_quota')).errcode).toBe(43004);
    await call('/sandbox/oa/users/o_quota/follow', {});
    await call('/sandbox/platform/faults', { templateDailyQuota: 1 });
    expect((await send('o_quota')).errcode).toBe(0);
    expect((await send('o_quota')).errcode).toBe(45009);
    expect(
      (
        await call(`/cgi-bin/message/template/send?access_token=${token}`, {
          touser: 'o_quota',
          template_id: 'TPL_ORDER_PAID',
          data: { a: { value: 1 } },
        })
      ).errcode,
    ).toBe(47003);
    await call('/sandbox/platform/faults', { reset: true });
  });

  it('injects an error on one endpoint the given number of times', async () => {
    const { access_token: token } = await classic();
    await call('/sandbox/platform/faults', { path: '/cgi-bin/menu/get', errcode: -1, times: 1 });
    expect((await call(`/cgi-bin/menu/get?access_token=${token}`)).errcode).toBe(-1);
    expect((await call(`/cgi-bin/menu/get?access_token=${token}`)).errcode).toBe(46003);
  });
});

describe('mini-program', () => {
  it('a login code works once (40163 the second time, 40029 when unknown)', async () => {
    const { code } = await call('/sandbox/mp/users/o_mp_user/login', {});
    const exchange = (c: string) =>
      call(
        `/sns/jscode2session?appid=${apps.mp.appId}&secret=${apps.mp.secret}&js_code=${c}&grant_type=authorization_code`,
      );
    const first = await exchange(code);
    expect(first.openid).toBe('o_mp_user');
    expect(Buffer.from(first.session_key, 'base64')).toHaveLength(16);
    expect((await exchange(code)).errcode).toBe(40163);
    expect((await exchange('nope')).errcode).toBe(40029);
  });

  it('a group share decrypts to openGId (getShareInfo) or opengid (getGroupEnterInfo) with the app’s watermark', async () => {
    const { code } = await call('/sandbox/mp/users/o_group_user/login', {});
    const { session_key: key } = await call(
      `/sns/jscode2session?appid=${apps.mp.appId}&secret=${apps.mp.secret}&js_code=${code}&grant_type=authorization_code`,
    );
    for (const [api, field] of [
      ['getShareInfo', 'openGId'],
      ['getGroupEnterInfo', 'opengid'],
    ]) {
      const payload = await call('/sandbox/mp/users/o_group_user/group-share', { api, groupId: 'tG1' });
      const d = createDecipheriv('aes-128-cbc', Buffer.from(key, 'base64'), Buffer.from(payload.iv, 'base64'));
      const plain = JSON.parse(
        Buffer.concat([d.update(Buffer.from(payload.encryptedData, 'base64')), d.final()]).toString(),
      );
      expect(plain[field]).toBe('tG1');
      expect(plain.watermark.appid).toBe(apps.mp.appId);
    }
  });
});

describe('state', () => {
  it('followers survive a restart', async () => {
    await call('/sandbox/oa/users/o_persist/follow', {});
    await stop();
    await start();
    const { followers } = await call('/sandbox/oa/followers');
    expect(followers.map((f: { openid: string }) => f.openid)).toContain('o_persist');
  });
});
