/**
 * Member cards (会员卡) through the classic `/card/*` API: create, activate, read the
 * member, change points and balance, and work with card codes. Enums are strings
 * (`CODE_TYPE_QRCODE`): a number is rejected. Balance is in fen on our side; WeChat's
 * `balance` is yuan-denominated in some SDKs, so the conversion lives in one place below.
 */
import type { WechatClient } from '../api/client';
import type { WechatResult } from '../api/errors';

type Ok = { errcode?: number; errmsg?: string };

export interface MemberCardDefinition {
  brandName: string;
  title: string;
  logoUrl: string;
  color: string;
  notice: string;
  description: string;
  prerogative: string;
  quantity: number;
  codeType?: 'CODE_TYPE_QRCODE' | 'CODE_TYPE_BARCODE' | 'CODE_TYPE_TEXT' | 'CODE_TYPE_NONE';
  supplyBonus?: boolean;
  supplyBalance?: boolean;
  autoActivate?: boolean;
  /** Up to three fields shown on the card (a level, a discount…); their values are per member. */
  customFields?: { name: string; url?: string }[];
}

/** Values of the card's custom fields 1–3 for one member; each at most 12 bytes (4 CJK characters). */
export type CustomFieldValues = Partial<Record<1 | 2 | 3, string>>;

export interface MemberCardHolder {
  openid: string;
  nickname?: string;
  membership_number?: string;
  bonus: number;
  balance?: number;
  user_card_status: 'NORMAL' | 'EXPIRE' | 'GIFTING' | 'GIFT_SUCC' | 'GIFT_TIMEOUT' | 'DELETE' | 'UNAVAILABLE';
  /** False until the card is activated. */
  has_active?: boolean;
  user_info?: {
    common_field_list?: { name: string; value: string }[];
    custom_field_list?: { name: string; value: string }[];
  };
}

/** Our money is integer fen; the card balance is sent as fen too (the sources do not settle the unit: one converter, here). */
export const balanceToWechat = (fen: number): number => Math.round(fen);

export type PointsChange = { setTo: number } | { add: number };

/** `record_bonus` / `record_balance` (the line in the member's history) take at most 14 characters. */
export const RECORD_MAX_CHARS = 14;
const record = (reason: string | undefined) =>
  reason === undefined ? undefined : Array.from(reason).slice(0, RECORD_MAX_CHARS).join('');

/** `{1: 'Gold'}` → `{[prefix + '1']: 'Gold'}`: activate and updateuser name the same values differently. */
function customFieldValues(prefix: string, values: CustomFieldValues | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of [1, 2, 3] as const) if (values?.[n] !== undefined) out[`${prefix}${n}`] = values[n];
  return out;
}

export class MemberCardApi {
  constructor(readonly client: WechatClient) {}

  create(def: MemberCardDefinition): Promise<WechatResult<{ card_id: string }>> {
    return this.client.post('/card/create', {
      card: {
        card_type: 'MEMBER_CARD',
        member_card: {
          base_info: {
            logo_url: def.logoUrl,
            brand_name: def.brandName,
            code_type: def.codeType ?? 'CODE_TYPE_QRCODE',
            title: def.title,
            color: def.color,
            notice: def.notice,
            description: def.description,
            sku: { quantity: def.quantity },
            date_info: { type: 'DATE_TYPE_PERMANENT' },
          },
          prerogative: def.prerogative,
          supply_bonus: def.supplyBonus ?? true,
          supply_balance: def.supplyBalance ?? false,
          auto_activate: def.autoActivate ?? false,
          ...Object.fromEntries(
            (def.customFields ?? []).slice(0, 3).map((f, i) => [`custom_field${i + 1}`, { name: f.name, url: f.url }]),
          ),
        },
      },
    });
  }

  activate(a: {
    cardId: string;
    code: string;
    membershipNumber: string;
    initBonus?: number;
    initBalanceFen?: number;
    initCustomFields?: CustomFieldValues;
  }): Promise<WechatResult<Ok>> {
    return this.client.post('/card/membercard/activate', {
      card_id: a.cardId,
      code: a.code,
      membership_number: a.membershipNumber,
      init_bonus: a.initBonus,
      init_balance: a.initBalanceFen === undefined ? undefined : balanceToWechat(a.initBalanceFen),
      ...customFieldValues('init_custom_field_value', a.initCustomFields),
    });
  }

  holder(cardId: string, code: string): Promise<WechatResult<MemberCardHolder>> {
    return this.client.post('/card/membercard/userinfo/get', { card_id: cardId, code });
  }

  /**
   * Points and balance, each either set to an absolute value or changed by a delta, and the
   * custom field values shown on the card. `reason` is clipped to 14 characters.
   */
  updateHolder(u: {
    cardId: string;
    code: string;
    points?: PointsChange;
    balanceFen?: PointsChange;
    customFields?: CustomFieldValues;
    reason?: string;
  }): Promise<WechatResult<{ result_bonus: number; result_balance: number; openid: string }>> {
    const body: Record<string, unknown> = {
      card_id: u.cardId,
      code: u.code,
      ...customFieldValues('custom_field_value', u.customFields),
    };
    if (u.points) {
      if ('setTo' in u.points) body.bonus = Math.trunc(u.points.setTo);
      else body.add_bonus = Math.trunc(u.points.add);
      body.record_bonus = record(u.reason);
    }
    if (u.balanceFen) {
      if ('setTo' in u.balanceFen) body.balance = balanceToWechat(u.balanceFen.setTo);
      else body.add_balance = balanceToWechat(u.balanceFen.add);
      body.record_balance = record(u.reason);
    }
    return this.client.post('/card/membercard/updateuser', body);
  }

  /** The card api_ticket that signs `wx.addCard`'s cardExt (7200 s; cache it for everyone). */
  apiTicket(): Promise<WechatResult<{ ticket: string; expires_in: number }>> {
    return this.client.get('/cgi-bin/ticket/getticket', { type: 'wx_card' });
  }

  /** `encrypt_code` from a card page or redirect → the real code. */
  decryptCode(encryptCode: string): Promise<WechatResult<{ code: string }>> {
    return this.client.post('/card/code/decrypt', { encrypt_code: encryptCode });
  }

  getCode(
    code: string,
    cardId?: string,
  ): Promise<
    WechatResult<{ card: { card_id: string }; openid: string; can_consume: boolean; user_card_status: string }>
  > {
    return this.client.post('/card/code/get', { code, card_id: cardId, check_consume: true });
  }

  /** Verifies a code at the counter; WeChat then pushes user_consume_card. */
  consumeCode(code: string, cardId?: string): Promise<WechatResult<{ card: { card_id: string }; openid: string }>> {
    return this.client.post('/card/code/consume', { code, card_id: cardId });
  }
}
