/**
 * Group chats in the sandbox (WECHAT-MARKETING.md §7): groups with members, a card shared into
 * a group becomes a message there, a member's open gets a shareTicket for that launch (scene
 * 1044), getGroupEnterInfo / getShareInfo answer the group encrypted with that member's own
 * session key (decrypted here with the key the merchant would get from jscode2session), chat
 * type 1 from a single chat (no ticket), 65206 once the member has left, 40097 without a group
 * launch; and the console drives the same routes through its forms.
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
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-groups-'));
const MERCHANT = 'http://shop.test:8080';

async function start() {
  sandbox = createSandbox({
    merchantBaseUrl: MERCHANT,
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
  return { status: res.status, body: (await res.json()) as any };
};

/** wx.login, then the merchant's jscode2session: the session key the server would hold. */
async function sessionKey(openid: string): Promise<string> {
  const { code } = (await call(`/sandbox/mp/users/${openid}/login`, {})).body;
  const res = await call(
    `/sns/jscode2session?appid=${apps.mp.appId}&secret=${apps.mp.secret}&js_code=${code}&grant_type=authorization_code`,
  );
  return res.body.session_key;
}

function decrypt(key: string, payload: { iv: string; encryptedData: string }) {
  const d = createDecipheriv('aes-128-cbc', Buffer.from(key, 'base64'), Buffer.from(payload.iv, 'base64'));
  return JSON.parse(Buffer.concat([d.update(Buffer.from(payload.encryptedData, 'base64')), d.final()]).toString());
}

const CARD = '/pkg-redpack/pages/red-envelope/index?id=rp_1&from=b_1';

describe('group chats', () => {
  it('a member shares a card into a group; members open it with a shareTicket; the group decrypts with each one’s own key', async () => {
    const created = await call('/sandbox/mp/groups', { name: '茶友群', members: ['o_ga', 'o_gb'] });
    expect(created.status).toBe(200);
    const group = created.body;
    expect(group.id).toMatch(/^tG\w+$/);
    expect((await call(`/sandbox/mp/groups/${group.id}/members`, { openid: 'o_gc' })).body.members).toEqual([
      'o_ga',
      'o_gb',
      'o_gc',
    ]);

    // Only a member can share into it; the path must start with '/'.
    expect((await call('/sandbox/mp/users/o_stranger/share', { groupId: group.id, path: CARD })).status).toBe(403);
    expect((await call('/sandbox/mp/users/o_ga/share', { groupId: group.id, path: CARD.slice(1) })).status).toBe(400);
    const shared = await call('/sandbox/mp/users/o_ga/share', { groupId: group.id, path: CARD, title: '店庆红包' });
    expect(shared.status).toBe(200);
    expect(shared.body).toMatchObject({ groupId: group.id, from: 'o_ga', path: CARD, withShareTicket: true });
    const chats = (await call('/sandbox/mp/users/o_gb/chats')).body;
    expect(chats.groups.map((g: { id: string }) => g.id)).toContain(group.id);
    expect(chats.messages.map((m: { id: string }) => m.id)).toContain(shared.body.id);
    expect((await call('/sandbox/mp/users/o_stranger/chats')).body.messages).toEqual([]);

    const keyB = await sessionKey('o_gb');
    const opened = await call('/sandbox/mp/users/o_gb/open', { messageId: shared.body.id });
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({
      scene: 1044,
      chatType: 3,
      path: 'pkg-redpack/pages/red-envelope/index',
      query: { id: 'rp_1', from: 'b_1' },
    });
    const ticket = opened.body.shareTicket as string;
    expect(ticket).toBeTruthy();
    // The H5 storefront opens the card's page with the launch in its URL.
    expect(opened.body.h5Url).toBe(`${MERCHANT}/#${CARD}&scene=1044&shareTicket=${ticket}`);

    const enter = await call('/sandbox/mp/users/o_gb/group-enter-info', { shareTicket: ticket });
    expect(enter.status).toBe(200);
    const plain = decrypt(keyB, enter.body);
    expect(plain).toMatchObject({ opengid: group.id, chat_type: 3, open_single_roomid: '' });
    expect(plain.group_openid).toMatch(/^gO/);
    expect(plain.watermark.appid).toBe(apps.mp.appId);
    expect(Math.abs(plain.watermark.timestamp - Date.now() / 1000)).toBeLessThan(60);
    // The older getShareInfo shape for the same ticket.
    const older = await call('/sandbox/mp/users/o_gb/group-enter-info', { shareTicket: ticket, api: 'getShareInfo' });
    expect(decrypt(keyB, older.body)).toMatchObject({ openGId: group.id });

    // Another member's open: their own ticket and key; the group's id is the same, their group_openid is not.
    const keyC = await sessionKey('o_gc');
    const openedC = (await call('/sandbox/mp/users/o_gc/open', { messageId: shared.body.id })).body;
    const encC = (await call('/sandbox/mp/users/o_gc/group-enter-info', { shareTicket: openedC.shareTicket })).body;
    const plainC = decrypt(keyC, encC);
    expect(plainC.opengid).toBe(group.id);
    expect(plainC.group_openid).not.toBe(plain.group_openid);
    expect(() => decrypt(keyB, encC)).toThrow(); // sealed with C's key, not B's
    // A ticket is its user's: another user presenting it is outside a group scene.
    const stolen = await call('/sandbox/mp/users/o_gb/group-enter-info', { shareTicket: openedC.shareTicket });
    expect(stolen.status).toBe(400);
    expect(stolen.body.errcode).toBe(40097);
  });

  it('65206 once the member left the group; 40097 without a group launch; a single chat has no ticket and says chat_type 1', async () => {
    const group = (await call('/sandbox/mp/groups', { name: '邻居群', members: 'o_ha, o_hb' })).body;
    const msg = (await call('/sandbox/mp/users/o_ha/share', { groupId: group.id, path: CARD })).body;
    await sessionKey('o_hb');
    const opened = (await call('/sandbox/mp/users/o_hb/open', { messageId: msg.id })).body;
    expect((await call(`/sandbox/mp/groups/${group.id}/members/o_hb/remove`, {})).body.members).toEqual(['o_ha']);
    const left = await call('/sandbox/mp/users/o_hb/group-enter-info', { shareTicket: opened.shareTicket });
    expect(left.status).toBe(403);
    expect(left.body.errcode).toBe(65206);
    // Someone never in the group cannot even open its card.
    expect((await call('/sandbox/mp/users/o_never/open', { messageId: msg.id })).status).toBe(404);

    // No launch, an unknown ticket, or a launch that a newer one replaced: scene error.
    for (const body of [{}, { shareTicket: 'st_nope' }]) {
      const res = await call('/sandbox/mp/users/o_ha/group-enter-info', body);
      expect(res.body.errcode).toBe(40097);
    }
    const keyA = await sessionKey('o_ha');
    const first = (await call('/sandbox/mp/users/o_ha/open', { messageId: msg.id })).body;
    const second = (await call('/sandbox/mp/users/o_ha/open', { messageId: msg.id })).body;
    expect(
      (await call('/sandbox/mp/users/o_ha/group-enter-info', { shareTicket: first.shareTicket })).body.errcode,
    ).toBe(40097);
    expect(
      decrypt(keyA, (await call('/sandbox/mp/users/o_ha/group-enter-info', { shareTicket: second.shareTicket })).body)
        .opengid,
    ).toBe(group.id);

    // A card shared into a single chat: scene 1007, no shareTicket; getGroupEnterInfo says chat_type 1.
    const single = (await call('/sandbox/mp/users/o_ha/share', { to: 'o_friend', path: CARD })).body;
    expect(single).toMatchObject({ groupId: null, to: 'o_friend' });
    const keyF = await sessionKey('o_friend');
    const fo = (await call('/sandbox/mp/users/o_friend/open', { messageId: single.id })).body;
    expect(fo).toMatchObject({ scene: 1007, shareTicket: null, chatType: 1 });
    expect(fo.h5Url).toBe(`${MERCHANT}/#${CARD}&scene=1007&enterId=${fo.enterId}`);
    const info = decrypt(
      keyF,
      (await call('/sandbox/mp/users/o_friend/group-enter-info', { enterId: fo.enterId })).body,
    );
    expect(info).toMatchObject({ chat_type: 1, opengid: '' });
    expect(info.open_single_roomid).toMatch(/^room/);
    const noTicket = await call('/sandbox/mp/users/o_friend/group-enter-info', {
      enterId: fo.enterId,
      api: 'getShareInfo',
    });
    expect(noTicket.body.errcode).toBe(40097);
  });

  it('a card shared without withShareTicket opens with scene 1008 and no ticket', async () => {
    const group = (await call('/sandbox/mp/groups', { name: '无票群', members: ['o_ia', 'o_ib'] })).body;
    const msg = (await call('/sandbox/mp/users/o_ia/share', { groupId: group.id, path: CARD, withShareTicket: false }))
      .body;
    const opened = (await call('/sandbox/mp/users/o_ib/open', { messageId: msg.id })).body;
    expect(opened).toMatchObject({ scene: 1008, shareTicket: null });
  });

  it('groups and their cards survive a restart', async () => {
    const group = (await call('/sandbox/mp/groups', { name: '持久群', members: ['o_ja'] })).body;
    await call('/sandbox/mp/users/o_ja/share', { groupId: group.id, path: CARD });
    await stop();
    await start();
    const again = (await call(`/sandbox/mp/groups/${group.id}`)).body;
    expect(again.members).toEqual(['o_ja']);
    expect(again.messages).toHaveLength(1);
  });

  it('the console creates a group, shares and opens a card through its forms and shows the page to open', async () => {
    const form = async (p: string, fields: Record<string, string>) => {
      const res = await fetch(`${base}${p}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      });
      expect(res.status).toBe(303);
      const page = await (await fetch(`${base}${res.headers.get('location')}`)).text();
      return page;
    };
    let page = await form('/sandbox/mp/groups', { name: '控制台群', members: 'o_ka, o_kb' });
    expect(page).toContain('建群');
    const id = /<h3>控制台群 <code>(tG\w+)<\/code>/.exec(page)?.[1];
    expect(id).toBeTruthy();
    page = await form('/sandbox/mp/users/o_ka/share', { groupId: id!, path: '/pages/home/index', title: '来看看' });
    expect(page).toContain('分享卡片到聊天');
    const chats = (await call('/sandbox/mp/users/o_kb/chats')).body;
    const msg = chats.messages.find((m: { groupId: string }) => m.groupId === id);
    page = await form('/sandbox/mp/users/o_kb/open', { messageId: msg.id });
    expect(page).toContain('打开聊天里的卡片');
    expect(page).toContain(`Opens <a href="${MERCHANT}/#/pages/home/index?scene=1044&#38;shareTicket=st`);
    page = await form(`/sandbox/mp/groups/${id}/members/o_kb/remove`, {});
    expect(page).toContain('已退出 Left: o_kb');
  });
});
