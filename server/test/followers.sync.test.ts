/**
 * Followers kept from events and from the resumable full sync, linked to buyers by unionid,
 * tags mirrored both ways, and staff replies from the inbox inside (and refused outside)
 * WeChat's 48-hour window. Sandbox in-process; real MariaDB and Redis.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { newId } from '@chatmall/shared';
import { createSandbox, type Sandbox } from '../../sandbox/src/app';
import { unionidOf } from '../../sandbox/src/oa/followers.surface';
import { BuyerEntity } from '../src/modules/auth/buyer.entity';
import type { FollowerService } from '../src/modules/followers/follower.service';
import type { OfficialAccountApi } from '../src/wechat/api/official-account';
import { getJson, startStack, testConfig, type TestStack } from './support/harness';
import { api, makeStaff } from './support/people';

let sandbox: Sandbox;
let sandboxServer: http.Server;
let sb: string;
let stack: TestStack;
let followers: FollowerService;
let oa: OfficialAccountApi;
let marketer: { id: string; auth: Record<string, string> };

beforeAll(async () => {
  sandbox = createSandbox({
    merchantBaseUrl: 'http://127.0.0.1:1',
    selfBaseUrl: 'http://127.0.0.1:0',
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-followers-')),
    logLevel: 'silent',
  });
  sandboxServer = http.createServer(sandbox.app.callback());
  await new Promise<void>((r) => sandboxServer.listen(0, '127.0.0.1', r));
  sb = `http://127.0.0.1:${(sandboxServer.address() as AddressInfo).port}`;
  stack = await startStack({ seed: false, config: testConfig({ WECHAT_API_BASE: sb }) });
  sandbox.ctx.merchantBaseUrl = stack.baseUrl;
  followers = stack.app.services.followers;
  oa = stack.app.services.officialAccountApi();
  marketer = await makeStaff(stack.db, 'marketer');
}, 60_000);
afterAll(async () => {
  await stack.close();
  sandboxServer.closeAllConnections();
  await new Promise<void>((r) => sandboxServer.close(() => r()));
  await sandbox.close();
});

const post = (p: string, body: unknown) =>
  getJson(`${sb}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const inbox = async (openid: string) =>
  (await getJson(`${sb}/sandbox/oa/users/${openid}/inbox`)).body.messages as { via: string; content: string }[];
const topics = async (openid: string) =>
  (
    (await stack.db.query('SELECT topic FROM outbox_events WHERE event_key LIKE ? ORDER BY id', [`${openid}:%`])) as {
      topic: string;
    }[]
  ).map((r) => r.topic);

describe('followers from events', () => {
  it('a follow, a message and an unfollow keep the follower and publish follower.* events; a buyer with the same unionid is linked', async () => {
    const openid = 'o_event_follower';
    const buyerId = newId('buyer');
    await stack.db.getRepository(BuyerEntity).insert({
      id: buyerId,
      openid: 'o_mp_side',
      unionid: unionidOf(openid),
      nickname: null,
      lastLoginAt: new Date(),
    });
    await post(`/sandbox/oa/users/${openid}/follow`, {});
    let f = await followers.get(openid);
    expect(f).toMatchObject({ subscribed: true, unionid: unionidOf(openid), buyerId });
    await post(`/sandbox/oa/users/${openid}/text`, { content: '你好' });
    await post(`/sandbox/oa/users/${openid}/unfollow`, {});
    f = await followers.get(openid);
    expect(f).toMatchObject({ subscribed: false, buyerId });
    expect(f!.unfollowedAt).not.toBeNull();
    const seen = await topics(openid);
    expect(seen).toEqual(
      expect.arrayContaining(['follower.followed', 'follower.messaged', 'follower.unfollowed', 'follower.updated']),
    );
    const conv = await api(stack.baseUrl, 'GET', `/api/admin/inbox/${openid}`, marketer.auth);
    expect(conv.body.messages.map((m: { content: string }) => m.content)).toContain('你好');
  });
});

describe('the full sync', () => {
  it('pages user/get and batchget by 100, and after a failure resumes from its cursor instead of the first page', async () => {
    expect((await post('/sandbox/oa/users/bulk', { count: 12_000, prefix: 'oSync' })).status).toBe(200);
    expect(await followers.runSync({ maxPages: 1 })).toBe(true);
    let status = await followers.syncStatus();
    expect(status).toMatchObject({ status: 'RUNNING', fetched: 10_000 });
    const cursor = status.nextOpenid;
    expect(cursor).toBeTruthy();

    // WeChat fails a batchget of the second page: the sync stops, its cursor where the page starts.
    await post('/sandbox/platform/faults', { path: '/cgi-bin/user/info/batchget', errcode: -1, times: 1 });
    await followers.runSync();
    status = await followers.syncStatus();
    expect(status).toMatchObject({ status: 'FAILED', fetched: 10_000, nextOpenid: cursor });
    expect(status.error).toContain('-1');

    // Tagged on WeChat meanwhile: one follower of the first page, one of the last.
    const tag = await oa.createTag('同步标记');
    expect(tag.ok).toBe(true);
    if (!tag.ok) return;
    const firstPage = 'oSync0000005';
    const lastPage = 'oSync0011000';
    expect((await oa.tagFollowers(tag.value.tag.id, [firstPage, lastPage])).ok).toBe(true);

    await followers.runSync();
    status = await followers.syncStatus();
    expect(status.status).toBe('DONE');
    expect(status.fetched).toBeGreaterThanOrEqual(12_000);
    const [{ n }] = (await stack.db.query(
      "SELECT COUNT(*) AS n FROM oa_followers WHERE subscribed = 1 AND openid LIKE 'oSync%'",
    )) as { n: number }[];
    expect(Number(n)).toBe(12_000);
    // Resumed at the cursor: the first page was not read again, the last page was.
    expect((await followers.get(firstPage))!.tagIds).not.toContain(tag.value.tag.id);
    expect((await followers.get(lastPage))!.tagIds).toContain(tag.value.tag.id);
    expect((await followers.get(lastPage))!.unionid).toBe(unionidOf(lastPage));
  }, 120_000);

  it('runs one sync at a time: a second start while one holds the cursor does nothing', async () => {
    const both = await Promise.all([followers.runSync({ maxPages: 1 }), followers.runSync({ maxPages: 1 })]);
    expect(both.filter(Boolean)).toHaveLength(1);
  }, 60_000);
});

describe('tags both ways', () => {
  it('a tag made in the console exists on WeChat; tagging 120 followers goes in 3 batches of at most 50 and is mirrored', async () => {
    const made = await api(stack.baseUrl, 'POST', '/api/admin/follower-tags', marketer.auth, { name: '老客' });
    expect(made.status).toBe(200);
    const onWechat = await oa.listTags();
    expect(onWechat.ok && onWechat.value.tags.some((t) => t.id === made.body.id && t.name === '老客')).toBe(true);
    const openids = Array.from({ length: 120 }, (_, i) => `oSync${String(i + 100).padStart(7, '0')}`);
    const tagged = await api(stack.baseUrl, 'POST', `/api/admin/follower-tags/${made.body.id}/members`, marketer.auth, {
      openids,
    });
    expect(tagged.body).toEqual({ changed: 120, batches: 3 });
    const list = await api(stack.baseUrl, 'GET', `/api/admin/follower-tags`, marketer.auth);
    expect(list.body.items).toContainEqual({ id: made.body.id, name: '老客', count: 120 });
    expect((await followers.get(openids[0]))!.tagIds).toContain(made.body.id);
    const renamed = await api(stack.baseUrl, 'PUT', `/api/admin/follower-tags/${made.body.id}`, marketer.auth, {
      name: '回头客',
    });
    expect(renamed.body.name).toBe('回头客');
    const tooLong = await api(stack.baseUrl, 'POST', '/api/admin/follower-tags', marketer.auth, {
      name: '一二三四五六七八九十一',
    });
    expect(tooLong.status).toBe(400);
    const dup = await api(stack.baseUrl, 'POST', '/api/admin/follower-tags', marketer.auth, { name: '回头客' });
    expect(dup.status).toBe(400);
    expect(JSON.stringify(dup.body)).toContain('45157');

    const removed = await api(stack.baseUrl, 'DELETE', `/api/admin/follower-tags/${made.body.id}`, marketer.auth);
    expect(removed.body).toEqual({ deleted: true, untagged: 120 });
    const gone = await oa.listTags();
    expect(gone.ok && gone.value.tags.some((t) => t.id === made.body.id)).toBe(false);
    expect((await followers.get(openids[0]))!.tagIds).not.toContain(made.body.id);
    const system = await api(stack.baseUrl, 'DELETE', '/api/admin/follower-tags/2', marketer.auth);
    expect(system.status).toBe(400);
    expect(JSON.stringify(system.body)).toContain('45058');
  });
});

describe('inbox replies and the 48-hour window', () => {
  it('a staff reply reaches a follower who wrote; one to a follower silent for 48 hours is refused with the reason and nothing is sent', async () => {
    const clerk = await makeStaff(stack.db, 'clerk');
    await post('/sandbox/oa/users/o_inbox_talker/follow', {});
    await post('/sandbox/oa/users/o_inbox_talker/text', { content: '有货吗' });
    const ok = await api(stack.baseUrl, 'POST', '/api/admin/inbox/o_inbox_talker/reply', clerk.auth, { text: '有的' });
    expect(ok.status).toBe(200);
    expect(ok.body.message).toMatchObject({ direction: 'out', content: '有的', staffId: clerk.id });
    expect((await inbox('o_inbox_talker')).filter((m) => m.via === 'customer').map((m) => m.content)).toEqual(['有的']);

    // Known from the sync, never wrote: outside the window.
    const silent = 'oSync0000300';
    const refused = await api(stack.baseUrl, 'POST', `/api/admin/inbox/${silent}/reply`, clerk.auth, { text: '在吗' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('48');
    expect(refused.body.message).toContain('45015');
    expect((await inbox(silent)).filter((m) => m.via === 'customer')).toEqual([]);

    const threads = await api(stack.baseUrl, 'GET', '/api/admin/inbox', clerk.auth);
    expect(threads.body.items[0]).toMatchObject({ openid: 'o_inbox_talker', canReply: true, unanswered: false });
  });
});
