/**
 * Member cards (wechat/cards/member-cards.ts) against the in-process sandbox: create a card,
 * a user takes it, the server activates it, changes points, balance and custom fields, and
 * reads them back; WeChat's error codes come back as typed errors. A small HTTP server plays
 * the merchant so the card events the sandbox pushes can be checked too.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WechatClient } from '../../src/wechat/api/client';
import { balanceToWechat, MemberCardApi, type MemberCardDefinition } from '../../src/wechat/cards/member-cards';
import { memoryStore } from '../../src/wechat/store';
import { startSandbox, type RunningSandbox } from '../support/sandbox';

let sandbox: RunningSandbox;
let merchant: http.Server;
let cards: MemberCardApi;
/** Card events pushed to the merchant (plain mode), as flat field maps. */
const pushes: Record<string, string>[] = [];

const teaClub: MemberCardDefinition = {
  brandName: '茶与点心',
  title: '茶友会员卡',
  logoUrl: 'https://example.com/logo.png',
  color: 'Color010',
  notice: '结账时出示会员卡',
  description: '积分可抵现',
  prerogative: '会员价与积分',
  quantity: 100_000,
  supplyBalance: true,
  customFields: [{ name: '等级' }, { name: '折扣' }],
};

beforeAll(async () => {
  merchant = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const fields: Record<string, string> = {};
      for (const m of body.matchAll(/<(\w+)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g)) {
        fields[m[1]] = m[2] ?? m[3];
      }
      pushes.push(fields);
      res.end('success');
    });
  });
  await new Promise<void>((r) => merchant.listen(0, '127.0.0.1', r));
  sandbox = await startSandbox({
    merchantBaseUrl: `http://127.0.0.1:${(merchant.address() as AddressInfo).port}`,
  });
  await sandboxPost('/sandbox/oa/mode', { mode: 'plain' });
  const { oa } = sandbox.sandbox.ctx.apps;
  cards = new MemberCardApi(
    new WechatClient({ baseUrl: sandbox.url, appId: oa.appId, secret: oa.secret, store: memoryStore() }),
  );
});
afterAll(async () => {
  await sandbox.close();
  merchant.closeAllConnections();
  await new Promise<void>((r) => merchant.close(() => r()));
});

async function sandboxPost(path: string, body: unknown) {
  const res = await fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}
/** What the member sees in the card wallet (the sandbox playing the user). */
async function wallet(openid: string) {
  return ((await (await fetch(`${sandbox.url}/sandbox/cards/users/${openid}/cards`)).json()) as any).cards;
}
/** Card events arrive 20 ms after the call that causes them. */
async function pushed(event: string, match: (f: Record<string, string>) => boolean) {
  for (let i = 0; i < 100; i++) {
    const found = pushes.find((f) => f.Event === event && match(f));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no ${event} push`);
}
function ok<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return result.value;
}

async function newCard(): Promise<string> {
  const cardId = ok(await cards.create(teaClub)).card_id;
  await pushed('card_pass_check', (f) => f.CardId === cardId);
  return cardId;
}
/** The user taps "get" on the card; the server learns the code from the encrypted one. */
async function takeCard(openid: string, cardId: string): Promise<string> {
  const taken = await sandboxPost(`/sandbox/cards/users/${openid}/get`, { cardId });
  expect(taken.status).toBe(200);
  const code = ok(await cards.decryptCode(taken.body.encryptCode)).code;
  expect(code).toBe(taken.body.code);
  return code;
}

describe('a member card from creation to a member with points, balance and a level', () => {
  let cardId: string;
  let code: string;
  const openid = 'o_member_tea_lover';

  it('a card is created (string enums) and the user who takes it is pushed as user_get_card', async () => {
    cardId = await newCard();
    expect(cardId).toMatch(/^p/);
    code = await takeCard(openid, cardId);
    expect(await pushed('user_get_card', (f) => f.UserCardCode === code)).toMatchObject({
      FromUserName: openid,
      CardId: cardId,
    });
    expect(ok(await cards.holder(cardId, code))).toMatchObject({ openid, has_active: false, bonus: 0 });
  });

  it('activation sets the membership number, opening points, balance (fen) and custom fields', async () => {
    ok(
      await cards.activate({
        cardId,
        code,
        membershipNumber: 'M000001',
        initBonus: 100,
        initBalanceFen: 5000,
        initCustomFields: { 1: '普通会员' },
      }),
    );
    expect(ok(await cards.holder(cardId, code))).toMatchObject({
      openid,
      membership_number: 'M000001',
      bonus: 100,
      balance: 5000,
      user_card_status: 'NORMAL',
      has_active: true,
    });
    expect(await wallet(openid)).toEqual([
      expect.objectContaining({
        code,
        activated: true,
        bonus: 100,
        balance: 5000,
        customFields: [{ field: 1, name: '等级', value: '普通会员' }],
      }),
    ]);
  });

  it('points and balance change by a delta; the answer and update_member_card carry the result', async () => {
    const result = ok(
      await cards.updateHolder({ cardId, code, points: { add: 20 }, balanceFen: { add: -3000 }, reason: '购买龙井' }),
    );
    // -3000 is 30 yuan: the balance travels in fen, as WeChat's own example pairs -3000 with 30元.
    expect(result).toMatchObject({ result_bonus: 120, result_balance: 2000, openid });
    expect(balanceToWechat(-3000)).toBe(-3000);
    expect(await pushed('update_member_card', (f) => f.UserCardCode === code)).toMatchObject({
      CardId: cardId,
      ModifyBonus: '20',
      ModifyBalance: '-3000',
    });
  });

  it('points set to a value leave the balance alone', async () => {
    expect(ok(await cards.updateHolder({ cardId, code, points: { setTo: 500 } }))).toMatchObject({
      result_bonus: 500,
      result_balance: 2000,
    });
    expect(ok(await cards.holder(cardId, code))).toMatchObject({ bonus: 500, balance: 2000 });
  });

  it('custom fields change what the card shows; points and balance stay', async () => {
    ok(await cards.updateHolder({ cardId, code, customFields: { 1: '黄金会员', 2: '8.8折' } }));
    const [card] = await wallet(openid);
    expect(card).toMatchObject({ bonus: 500, balance: 2000 });
    expect(card.customFields).toEqual([
      { field: 1, name: '等级', value: '黄金会员' },
      { field: 2, name: '折扣', value: '8.8折' },
    ]);
  });

  it('a reason longer than the 14 characters WeChat takes is clipped, not refused', async () => {
    const reason = '双十一大促销活动赠送积分感谢您的支持与厚爱'; // 21 characters
    const raw = await cards.client.post('/card/membercard/updateuser', {
      card_id: cardId,
      code,
      add_bonus: 1,
      record_bonus: reason,
    });
    expect(raw.ok || raw.error.kind).toBe('INVALID_ARGUMENT');
    expect(ok(await cards.updateHolder({ cardId, code, points: { add: 1 }, reason })).result_bonus).toBe(501);
  });

  it('a full value wins over a delta sent beside it (the sandbox keeps WeChat’s rule)', async () => {
    const raw = await cards.client.post<{ result_bonus: number }>('/card/membercard/updateuser', {
      card_id: cardId,
      code,
      bonus: 42,
      add_bonus: 1000,
    });
    expect(ok(raw).result_bonus).toBe(42);
  });

  it('the counter verifies the code once; a second scan is "consumed", not a broken card', async () => {
    expect(ok(await cards.getCode(code, cardId))).toMatchObject({ openid, can_consume: true });
    expect(ok(await cards.consumeCode(code, cardId))).toEqual(
      expect.objectContaining({ openid, card: { card_id: cardId } }),
    );
    expect(await pushed('user_consume_card', (f) => f.UserCardCode === code)).toMatchObject({
      ConsumeSource: 'FROM_API',
    });
    const again = await cards.consumeCode(code, cardId);
    expect(again.ok || again.error).toMatchObject({ errcode: 40099, kind: 'CARD_CODE_CONSUMED' });
    expect(ok(await cards.getCode(code, cardId))).toMatchObject({ can_consume: false, user_card_status: 'NORMAL' });
  });
});

describe('errors come back as typed values, keyed on errcode', () => {
  let cardId: string;
  let code: string;
  beforeAll(async () => {
    cardId = await newCard();
    code = await takeCard('o_member_errors', cardId);
  });
  afterEach(() => sandboxPost('/sandbox/platform/faults', { reset: true }));

  it('an unknown card id is INVALID_CARD_ID (40073) on every call that names one', async () => {
    const calls = [
      cards.holder('pNoSuchCard', code),
      cards.activate({ cardId: 'pNoSuchCard', code, membershipNumber: 'M1' }),
      cards.updateHolder({ cardId: 'pNoSuchCard', code, points: { add: 1 } }),
      cards.getCode(code, 'pNoSuchCard'),
    ];
    for (const result of await Promise.all(calls)) {
      expect(result.ok || result.error).toMatchObject({ errcode: 40073, kind: 'INVALID_CARD_ID' });
    }
  });

  it('an unknown code, or the code of another card, is INVALID_CARD_CODE (40056)', async () => {
    const otherCard = await newCard();
    for (const result of [
      await cards.holder(cardId, '000000000000'),
      await cards.holder(otherCard, code),
      await cards.decryptCode(Buffer.from('000000000000').toString('base64url')),
    ]) {
      expect(result.ok || result.error).toMatchObject({ errcode: 40056, kind: 'INVALID_CARD_CODE' });
    }
  });

  it('a numeric code_type (Senparc #1556) and an over-long custom field value are INVALID_ARGUMENT', async () => {
    const numeric = await cards.create({ ...teaClub, codeType: 1 as never });
    expect(numeric.ok || numeric.error).toMatchObject({ errcode: 47003, kind: 'INVALID_ARGUMENT' });
    const long = await cards.updateHolder({ cardId, code, customFields: { 1: '钻石至尊会员' } }); // 18 bytes
    expect(long.ok || long.error).toMatchObject({ errcode: 47003, kind: 'INVALID_ARGUMENT' });
  });

  it('cards belong to the official account: a mini-program token is API_UNAUTHORIZED (48001)', async () => {
    const { mp } = sandbox.sandbox.ctx.apps;
    const asMiniProgram = new MemberCardApi(
      new WechatClient({ baseUrl: sandbox.url, appId: mp.appId, secret: mp.secret, store: memoryStore() }),
    );
    const result = await asMiniProgram.holder(cardId, code);
    expect(result.ok || result.error).toMatchObject({ errcode: 48001, kind: 'API_UNAUTHORIZED' });
  });

  it('WeChat busy and quota answers keep their kind; errmsg (with its rid) is for logs only', async () => {
    await sandboxPost('/sandbox/platform/faults', { path: '/card/membercard/updateuser', errcode: -1 });
    await sandboxPost('/sandbox/platform/faults', { path: '/card/membercard/userinfo/get', errcode: 45009 });
    const busy = await cards.updateHolder({ cardId, code, points: { add: 5 } });
    expect(busy.ok || busy.error).toMatchObject({ errcode: -1, kind: 'BUSY', errmsg: expect.stringMatching(/rid: /) });
    const quota = await cards.holder(cardId, code);
    expect(quota.ok || quota.error).toMatchObject({ errcode: 45009, kind: 'DAILY_QUOTA_REACHED' });
    // Each fault was injected once: the next calls go through, and the failed one changed nothing.
    expect(ok(await cards.holder(cardId, code)).bonus).toBe(0);
  });

  it('decimal points are refused by WeChat (-1); the client sends whole points', async () => {
    const raw = await cards.client.post('/card/membercard/updateuser', { card_id: cardId, code, add_bonus: 1.5 });
    expect(raw.ok || raw.error).toMatchObject({ errcode: -1, kind: 'BUSY' });
    expect(ok(await cards.updateHolder({ cardId, code, points: { add: 2.7 } })).result_bonus).toBe(2);
  });

  it('an unreachable WeChat is UNREACHABLE with no errcode', async () => {
    const { oa } = sandbox.sandbox.ctx.apps;
    const offline = new MemberCardApi(
      new WechatClient({ baseUrl: 'http://127.0.0.1:1', appId: oa.appId, secret: oa.secret, store: memoryStore() }),
    );
    const result = await offline.holder(cardId, code);
    expect(result.ok || result.error).toMatchObject({ errcode: null, kind: 'UNREACHABLE' });
  });
});
