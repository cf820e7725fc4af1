/**
 * The phone-number button's code (WECHAT-MARKETING.md §6): traded once with
 * /wxa/business/getuserphonenumber for phone_info (purePhoneNumber, countryCode, watermark with
 * the mini-program's appid); a second trade, an unknown code, a code of another openid are 40029;
 * the official account's token is 40013; foreign numbers carry their country code.
 */
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

beforeAll(async () => {
  sandbox = createSandbox({
    merchantBaseUrl: 'http://shop.test:8080',
    selfBaseUrl: 'http://127.0.0.1:0',
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-phone-')),
    logLevel: 'silent',
  });
  server = http.createServer(sandbox.app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await sandbox.close();
});

const call = async (p: string, body?: unknown) => {
  const res = await fetch(`${base}${p}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
};
const token = async (app: { appId: string; secret: string }) =>
  (await call(`/cgi-bin/token?grant_type=client_credential&appid=${app.appId}&secret=${app.secret}`)).body
    .access_token as string;
const phoneCode = async (openid: string, body: Record<string, unknown> = {}) =>
  (await call(`/sandbox/mp/users/${openid}/phone-code`, body)).body.code as string;

describe('getuserphonenumber', () => {
  it('trades a code once for phone_info, bound to its openid', async () => {
    const t = await token(apps.mp);
    const code = await phoneCode('oPhoneA', { phone: '13800001111' });
    const first = await call(`/wxa/business/getuserphonenumber?access_token=${t}`, { code, openid: 'oPhoneA' });
    expect(first.body).toMatchObject({
      errcode: 0,
      phone_info: {
        phoneNumber: '13800001111',
        purePhoneNumber: '13800001111',
        countryCode: '86',
        watermark: { appid: apps.mp.appId, timestamp: expect.any(Number) },
      },
    });
    const again = await call(`/wxa/business/getuserphonenumber?access_token=${t}`, { code });
    expect(again.body.errcode).toBe(40029);
  });

  it('refuses an unknown code, another user’s code, and the official account’s token', async () => {
    const mp = await token(apps.mp);
    expect((await call(`/wxa/business/getuserphonenumber?access_token=${mp}`, { code: 'nope' })).body.errcode).toBe(
      40029,
    );
    const code = await phoneCode('oPhoneB');
    expect(
      (await call(`/wxa/business/getuserphonenumber?access_token=${mp}`, { code, openid: 'oPhoneC' })).body.errcode,
    ).toBe(40029);
    const oa = await token(apps.oa);
    const other = await phoneCode('oPhoneB');
    expect((await call(`/wxa/business/getuserphonenumber?access_token=${oa}`, { code: other })).body.errcode).toBe(
      40013,
    );
  });

  it('a number outside China carries its country code in phoneNumber', async () => {
    const t = await token(apps.mp);
    const code = await phoneCode('oPhoneD', { phone: '91234567', countryCode: '852' });
    const res = await call(`/wxa/business/getuserphonenumber?access_token=${t}`, { code });
    expect(res.body.phone_info).toMatchObject({
      phoneNumber: '+85291234567',
      purePhoneNumber: '91234567',
      countryCode: '852',
    });
  });
});
