/**
 * Member cards: create, activate, holder info, points and balance, codes; card events
 * pushed to the merchant like WeChat does.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import path from 'node:path';
import type Koa from 'koa';
import type Router from 'koa-router';
import { escapeHtml } from '../html';
import { officialAccountSim } from '../oa/oa.surface';
import { answerSimulation, platformFor, readBody, WechatFault } from '../platform/platform';
import { JsonStore } from '../store';
import type { SandboxContext, Surface } from '../surface';

interface UserCard {
  code: string;
  cardId: string;
  openid: string;
  membershipNumber?: string;
  /** Epoch ms the user took the card (absent in older state). */
  takenAt?: number;
  bonus: number;
  balance: number;
  status: 'NORMAL' | 'DELETE' | 'UNAVAILABLE';
  consumed: boolean;
  /** custom_field_value1..3, keyed '1'..'3': what the card shows beside its field names. */
  customFieldValues?: Record<string, string>;
}
interface CardState {
  cards: Record<
    string,
    { title: string; brandName: string; customFieldNames?: Record<string, string>; createdAt?: number }
  >;
  userCards: Record<string, UserCard>;
  /** The card api_ticket (`getticket?type=wx_card`) and until when it is good. */
  ticket?: { value: string; expiresAt: number };
}

const seconds = () => Math.floor(Date.now() / 1000);

/** record_bonus / record_balance: at most 14 characters (WECHAT-MARKETING.md §8). */
const RECORD_MAX_CHARS = 14;
/** custom_field_value1..3: at most 12 bytes, 4 CJK characters. */
const CUSTOM_VALUE_MAX_BYTES = 12;

/** `${prefix}1..3` of a request body → {'1': value, …}; too long → 47003. */
function customValues(b: Record<string, unknown>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of ['1', '2', '3']) {
    const v = b[`${prefix}${n}`];
    if (v === undefined) continue;
    if (Buffer.byteLength(String(v)) > CUSTOM_VALUE_MAX_BYTES) throw new WechatFault(47003);
    out[n] = String(v);
  }
  return out;
}

export function cardSurface(ctx: SandboxContext): Surface {
  const p = platformFor(ctx);
  const oa = officialAccountSim(ctx);
  const store = new JsonStore<CardState>(path.join(ctx.stateDir, 'cards.json'), () => ({ cards: {}, userCards: {} }));
  const event = (openid: string, name: string, extra: Record<string, string | number>) =>
    setTimeout(
      () =>
        void oa
          .push({ FromUserName: openid, CreateTime: seconds(), MsgType: 'event', Event: name, ...extra })
          .catch(() => undefined),
      20,
    ).unref();
  /** A member's card by code; an unknown card_id is 40073, a code unknown or of another card 40056. */
  const userCard = (code: unknown, cardId?: unknown): UserCard => {
    if (cardId !== undefined && !store.state.cards[String(cardId)]) throw new WechatFault(40073);
    const uc = store.state.userCards[String(code)];
    if (!uc || (cardId !== undefined && cardId !== uc.cardId)) throw new WechatFault(40056);
    return uc;
  };
  /** `card/create` for a member card: enums are strings (a numeric code_type is refused, Senparc #1556). */
  const createCard = (input: unknown): string => {
    const card = input as { card_type?: string; member_card?: { base_info?: Record<string, unknown> } } | undefined;
    const base = card?.member_card?.base_info;
    if (card?.card_type !== 'MEMBER_CARD' || !base || typeof base.code_type !== 'string' || !base.title) {
      throw new WechatFault(47003);
    }
    const cardId = `p${randomBytes(14).toString('base64url')}`;
    const customFieldNames: Record<string, string> = {};
    for (const n of ['1', '2', '3']) {
      const field = (card.member_card as Record<string, unknown>)[`custom_field${n}`] as
        { name?: string; name_type?: string } | undefined;
      if (field) customFieldNames[n] = String(field.name ?? field.name_type ?? '');
    }
    store.update(
      (s) =>
        (s.cards[cardId] = {
          title: String(base.title),
          brandName: String(base.brand_name ?? ''),
          customFieldNames,
          createdAt: Date.now(),
        }),
    );
    event('o_sandbox_admin', 'card_pass_check', { CardId: cardId });
    return cardId;
  };
  return {
    name: 'cards',
    mount(router: Router) {
      const api = (route: string, fn: (b: Record<string, unknown>) => unknown) =>
        router.post(
          route,
          p.route(route, async (c: Koa.Context) => {
            if (p.appOfToken(c.query.access_token as string | undefined) !== p.apps.oa.appId)
              throw new WechatFault(48001);
            return fn(await readBody(c));
          }),
        );
      api('/card/create', (b) => ({ card_id: createCard(b.card) }));
      /** The card api_ticket: the same one for 7200 s (WECHAT-MARKETING.md §8). */
      router.get(
        '/cgi-bin/ticket/getticket',
        p.route('/cgi-bin/ticket/getticket', (c: Koa.Context) => {
          if (p.appOfToken(c.query.access_token as string | undefined) !== p.apps.oa.appId)
            throw new WechatFault(48001);
          if (c.query.type !== 'wx_card') throw new WechatFault(40097);
          const now = Date.now();
          const t = store.state.ticket;
          const ticket =
            t && t.expiresAt > now
              ? t
              : store.update(
                  (s) =>
                    (s.ticket = {
                      value: `sandbox_wx_card_ticket_${randomBytes(12).toString('hex')}`,
                      expiresAt: now + 7200_000,
                    }),
                );
          return { ticket: ticket.value, expires_in: Math.floor((ticket.expiresAt - now) / 1000) };
        }),
      );
      api('/card/membercard/activate', (b) => {
        const uc = userCard(b.code, b.card_id);
        const custom = customValues(b, 'init_custom_field_value');
        store.update(() => {
          uc.membershipNumber = String(b.membership_number ?? uc.code);
          if (b.init_bonus !== undefined) uc.bonus = Number(b.init_bonus);
          if (b.init_balance !== undefined) uc.balance = Number(b.init_balance);
          uc.customFieldValues = { ...uc.customFieldValues, ...custom };
        });
        return {};
      });
      api('/card/membercard/userinfo/get', (b) => {
        const uc = userCard(b.code, b.card_id);
        return {
          openid: uc.openid,
          nickname: '',
          membership_number: uc.membershipNumber ?? '',
          bonus: uc.bonus,
          balance: uc.balance,
          sex: 'UNKNOWN',
          user_info: { common_field_list: [], custom_field_list: [] },
          user_card_status: uc.status,
          has_active: uc.membershipNumber !== undefined,
        };
      });
      api('/card/membercard/updateuser', (b) => {
        const uc = userCard(b.code, b.card_id);
        for (const k of ['bonus', 'add_bonus'] as const) {
          if (b[k] !== undefined && !Number.isInteger(b[k])) throw new WechatFault(-1); // decimals: "system error"
        }
        for (const k of ['record_bonus', 'record_balance'] as const) {
          if (b[k] !== undefined && Array.from(String(b[k])).length > RECORD_MAX_CHARS) throw new WechatFault(47003);
        }
        const custom = customValues(b, 'custom_field_value');
        const before = { bonus: uc.bonus, balance: uc.balance };
        store.update(() => {
          if (b.bonus !== undefined) uc.bonus = Number(b.bonus);
          else if (b.add_bonus !== undefined) uc.bonus += Number(b.add_bonus);
          if (b.balance !== undefined) uc.balance = Number(b.balance);
          else if (b.add_balance !== undefined) uc.balance += Number(b.add_balance);
          uc.customFieldValues = { ...uc.customFieldValues, ...custom };
        });
        event(uc.openid, 'update_member_card', {
          CardId: uc.cardId,
          UserCardCode: uc.code,
          ModifyBonus: uc.bonus - before.bonus,
          ModifyBalance: uc.balance - before.balance,
        });
        return { result_bonus: uc.bonus, result_balance: uc.balance, openid: uc.openid };
      });
      api('/card/code/decrypt', (b) => {
        const code = Buffer.from(String(b.encrypt_code ?? ''), 'base64url').toString();
        if (!store.state.userCards[code]) throw new WechatFault(40056);
        return { code };
      });
      api('/card/code/get', (b) => {
        const uc = userCard(b.code, b.card_id);
        if (uc.status !== 'NORMAL') throw new WechatFault(40127);
        return {
          card: { card_id: uc.cardId, begin_time: 0, end_time: 0 },
          openid: uc.openid,
          can_consume: !uc.consumed,
          user_card_status: uc.status,
        };
      });
      api('/card/code/consume', (b) => {
        const uc = userCard(b.code, b.card_id);
        if (uc.status !== 'NORMAL') throw new WechatFault(40127);
        // "invalid code, this code has consumed." — a second scan is not a broken card.
        if (uc.consumed) throw new WechatFault(40099);
        store.update(() => (uc.consumed = true));
        event(uc.openid, 'user_consume_card', { CardId: uc.cardId, UserCardCode: uc.code, ConsumeSource: 'FROM_API' });
        return { card: { card_id: uc.cardId }, openid: uc.openid };
      });

      /** The console's "create a member card": a MEMBER_CARD with the title and brand given. */
      router.post('/sandbox/cards/create', async (c: Koa.Context) => {
        const b = await readBody(c);
        try {
          const cardId = createCard({
            card_type: 'MEMBER_CARD',
            member_card: {
              base_info: {
                title: String(b.title ?? '').trim() || undefined,
                brand_name: String(b.brand_name ?? ''),
                code_type: 'CODE_TYPE_QRCODE',
              },
              supply_bonus: true,
              supply_balance: true,
            },
          });
          answerSimulation(c, { card_id: cardId }, { openid: typeof b.openid === 'string' ? b.openid : undefined });
        } catch (err) {
          if (!(err instanceof WechatFault)) throw err;
          answerSimulation(c, { errcode: err.errcode, errmsg: err.message }, { status: 400 });
        }
      });
      /** The user taps "get" on a card: a code is issued and user_get_card pushed. */
      router.post('/sandbox/cards/users/:openid/get', async (c: Koa.Context) => {
        const b = await readBody(c);
        // wx.addCard with a cardExt: its signature must be the merchant's, made with the ticket.
        let ext: Record<string, string> | undefined;
        if (typeof b.cardExt === 'string') {
          try {
            ext = JSON.parse(b.cardExt) as Record<string, string>;
          } catch {
            ext = {};
          }
          const values = [
            store.state.ticket?.value ?? '',
            String(ext.timestamp ?? ''),
            String(ext.nonce_str ?? ''),
            String(b.cardId ?? ''),
            String(ext.code ?? ''),
            String(ext.openid ?? ''),
          ];
          const want = createHash('sha1').update(values.sort().join('')).digest('hex');
          if (!store.state.ticket || ext.signature !== want) {
            answerSimulation(
              c,
              { error: '签名错误 the cardExt signature does not match', errMsg: 'addCard:fail' },
              { status: 400 },
            );
            return;
          }
          b.outerStr = ext.outer_str ?? '';
        }
        const cardId = String(b.cardId ?? Object.keys(store.state.cards)[0] ?? '');
        if (!store.state.cards[cardId]) {
          answerSimulation(
            c,
            { error: '没有这张卡，先创建会员卡 no such card; create one with /card/create first' },
            { status: 404 },
          );
          return;
        }
        const code = String(randomInt(100_000_000_000, 999_999_999_999));
        store.update((s) => {
          s.userCards[code] = {
            code,
            cardId,
            openid: c.params.openid,
            takenAt: Date.now(),
            bonus: 0,
            balance: 0,
            status: 'NORMAL',
            consumed: false,
          };
        });
        event(c.params.openid, 'user_get_card', {
          CardId: cardId,
          IsGiveByFriend: 0,
          UserCardCode: code,
          FriendUserName: '',
          OuterId: 0,
          OldUserCardCode: '',
          OuterStr: String(b.outerStr ?? ''),
          IsRestoreMemberCard: 0,
        });
        answerSimulation(c, { code, encryptCode: Buffer.from(code).toString('base64url') });
      });
      /** The user deletes the card from their card pack: user_del_card is pushed. */
      router.post('/sandbox/cards/users/:openid/delete', async (c: Koa.Context) => {
        const b = await readBody(c);
        const uc = Object.values(store.state.userCards).find(
          (u) => u.openid === c.params.openid && u.status === 'NORMAL' && (b.code === undefined || u.code === b.code),
        );
        if (!uc) {
          answerSimulation(c, { error: '这个用户没有会员卡 this user holds no card' }, { status: 404 });
          return;
        }
        store.update(() => (uc.status = 'DELETE'));
        event(uc.openid, 'user_del_card', { CardId: uc.cardId, UserCardCode: uc.code });
        answerSimulation(c, { code: uc.code });
      });
      /** What the member sees in the card wallet: points, balance and the custom fields by name. */
      router.get('/sandbox/cards/users/:openid/cards', (c: Koa.Context) => {
        c.body = {
          cards: Object.values(store.state.userCards)
            .filter((u) => u.openid === c.params.openid)
            .map((u) => {
              const card = store.state.cards[u.cardId];
              return {
                cardId: u.cardId,
                code: u.code,
                title: card?.title ?? '',
                activated: u.membershipNumber !== undefined,
                membershipNumber: u.membershipNumber ?? null,
                bonus: u.bonus,
                balance: u.balance,
                status: u.status,
                consumed: u.consumed,
                customFields: Object.entries(u.customFieldValues ?? {}).map(([n, value]) => ({
                  field: Number(n),
                  name: card?.customFieldNames?.[n] ?? '',
                  value,
                })),
              };
            }),
        };
      });
      /** The user shows the card at the counter and the clerk's phone scans it. */
      router.post('/sandbox/cards/users/:openid/use', async (c: Koa.Context) => {
        const b = await readBody(c);
        const uc = Object.values(store.state.userCards).find(
          (u) => u.openid === c.params.openid && (b.code === undefined || u.code === b.code),
        );
        if (!uc) {
          answerSimulation(c, { error: '这个用户没有会员卡 this user holds no card' }, { status: 404 });
          return;
        }
        event(uc.openid, 'user_consume_card', {
          CardId: uc.cardId,
          UserCardCode: uc.code,
          ConsumeSource: 'FROM_MOBILE_HELPER',
        });
        answerSimulation(c, { code: uc.code });
      });
    },
    users() {
      return Object.values(store.state.userCards).map((u) => ({
        openid: u.openid,
        roles: ['会员卡 card holder'],
        lastSeen: u.takenAt ?? 0,
      }));
    },
    console(view) {
      const user = encodeURIComponent(view.openid);
      const cards = Object.entries(store.state.cards).sort(([, a], [, b]) => (b.createdAt ?? 0) - (a.createdAt ?? 0));
      const held = Object.values(store.state.userCards)
        .filter((u) => u.openid === view.openid)
        .map(
          (u) =>
            `<li>${escapeHtml(store.state.cards[u.cardId]?.title ?? u.cardId)} · code <code>${escapeHtml(u.code)}</code> · ${u.bonus} 积分 points · 余额 balance ${u.balance} 分 fen${u.membershipNumber === undefined ? ' · 未激活 not activated' : ''}</li>`,
        )
        .join('');
      const options = cards
        .map(([id, c]) => `<option value="${escapeHtml(id)}">${escapeHtml(c.title)} (${escapeHtml(id)})</option>`)
        .join('');
      return {
        title: '会员卡 Member cards',
        id: 'cards',
        html: `<form method="post" action="/sandbox/cards/create"><input type="hidden" name="openid" value="${escapeHtml(view.openid)}">
<label>卡名 Title <input name="title" value="会员卡" required size="12"></label>
<label>商户名 Brand <input name="brand_name" value="chatmall" size="12"></label><button>创建会员卡 Create a member card</button></form>
<p class="muted">商户服务器也可以用 <code>/card/create</code> 创建。The merchant server can create one with <code>/card/create</code> too.</p>
${
  cards.length
    ? `<form method="post" action="/sandbox/cards/users/${user}/get">以 <code>${escapeHtml(view.openid)}</code> As this user: <select name="cardId">${options}</select><button>领取 Take the card</button></form>
<form method="post" action="/sandbox/cards/users/${user}/use"><button class="plain">到店出示 Show it at the counter</button></form>`
    : '<p>还没有会员卡 No card yet.</p>'
}
<ul>${held || '<li class="muted">这个用户没有卡 This user holds no card.</li>'}</ul>`,
      };
    },
    close() {
      store.flush();
    },
  };
}
