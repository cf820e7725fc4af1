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
}

export interface MemberCardHolder {
  openid: string;
  membership_number?: string;
  bonus: number;
  balance?: number;
  user_card_status: 'NORMAL' | 'EXPIRE' | 'GIFTING' | 'GIFT_SUCC' | 'GIFT_TIMEOUT' | 'DELETE' | 'UNAVAILABLE';
  user_info?: { common_field_list?: { name: string; value: string }[] };
}

/** Our money is integer fen; the card balance is sent as fen too (the sources do not settle the unit: one converter, here). */
export const balanceToWechat = (fen: number): number => Math.round(fen);

export type PointsChange = { setTo: number } | { add: number };

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
  }): Promise<WechatResult<Ok>> {
    return this.client.post('/card/membercard/activate', {
      card_id: a.cardId,
      code: a.code,
      membership_number: a.membershipNumber,
      init_bonus: a.initBonus,
      init_balance: a.initBalanceFen === undefined ? undefined : balanceToWechat(a.initBalanceFen),
    });
  }

  holder(cardId: string, code: string): Promise<WechatResult<MemberCardHolder>> {
    return this.client.post('/card/membercard/userinfo/get', { card_id: cardId, code });
  }

  /** Points and balance, each either set to an absolute value or changed by a delta. */
  updateHolder(u: {
    cardId: string;
    code: string;
    points?: PointsChange;
    balanceFen?: PointsChange;
    reason?: string;
  }): Promise<WechatResult<{ result_bonus: number; result_balance: number; openid: string }>> {
    const body: Record<string, unknown> = { card_id: u.cardId, code: u.code };
    if (u.points) {
      if ('setTo' in u.points) body.bonus = Math.trunc(u.points.setTo);
      else body.add_bonus = Math.trunc(u.points.add);
      body.record_bonus = u.reason;
    }
    if (u.balanceFen) {
      if ('setTo' in u.balanceFen) body.balance = balanceToWechat(u.balanceFen.setTo);
      else body.add_balance = balanceToWechat(u.balanceFen.add);
      body.record_balance = u.reason;
    }
    return this.client.post('/card/membercard/updateuser', body);
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
