/**
 * The member pages' calls that need more than the typed client: the phone-number button's
 * code (WeChat's button in the mini-program; in H5 the sandbox plays the user who taps it and
 * agrees), and paying a top-up (WeChat's payment sheet, or the sandbox cashier in H5, which
 * comes back to the wallet with the top-up to wait for). Neither payment answer is proof:
 * the wallet waits until the server, told by WeChat Pay, says the top-up is PAID.
 */
import Taro from '@tarojs/taro';
import { formatFen, type LevelBasis, type TopUpPayment } from '@chatmall/shared';
import { api } from '../services/api';
import { h5Openid, randomKey } from '../services/session';
import { memberWalletUrl } from '../routes';

/** H5 only: the sandbox's user taps 手机号快捷登录 and agrees; the page gets `e.detail.code`. */
export async function h5PhoneCode(): Promise<string> {
  const { wechatSandboxUrl } = await api.clientConfig({});
  if (!wechatSandboxUrl) throw new Error('H5 无法获取手机号 · The phone number is not available in the browser');
  const res = await Taro.request({
    url: `${wechatSandboxUrl.replace(/\/$/, '')}/sandbox/mp/users/${encodeURIComponent(h5Openid())}/phone-code`,
    method: 'POST',
    header: { accept: 'application/json', 'content-type': 'application/json' },
    data: {},
    dataType: 'json',
  });
  const code = (res.data as { code?: unknown } | null)?.code;
  if (res.statusCode !== 200 || typeof code !== 'string')
    throw new Error(`获取手机号失败 · Could not get the phone number (${res.statusCode})`);
  return code;
}

export type TopUpStart = { kind: 'submitted'; topUpId: string } | { kind: 'cancelled' } | { kind: 'left' };

/** Pays one of the programme's tiers: `pay` in fen. */
export async function startTopUp(pay: number): Promise<TopUpStart> {
  const started: TopUpPayment = await api.startTopUp({ body: { pay, requestKey: randomKey('tu', 24) } });
  const p = started.requestPayment;
  if (process.env.TARO_ENV !== 'h5') {
    try {
      await Taro.requestPayment({
        timeStamp: p.timeStamp,
        nonceStr: p.nonceStr,
        package: p.package,
        signType: p.signType as Taro.requestPayment.Option['signType'],
        paySign: p.paySign,
      });
      return { kind: 'submitted', topUpId: started.topUp.id };
    } catch (err) {
      const msg = (err as { errMsg?: string } | undefined)?.errMsg ?? '';
      if (/cancel/i.test(msg)) return { kind: 'cancelled' };
      throw new Error(`支付未完成 · Payment not completed${msg ? ` (${msg})` : ''}`, { cause: err });
    }
  }
  // H5: the sandbox cashier checks paySign as WeChat's client would, then comes back here.
  const here = window.location.href.split('#')[0];
  const query = new URLSearchParams({
    appId: p.appId,
    timeStamp: p.timeStamp,
    nonceStr: p.nonceStr,
    package: p.package,
    signType: p.signType,
    paySign: p.paySign,
    redirect: `${here}#${memberWalletUrl(started.topUp.id)}`,
  });
  const url = started.cashierUrl;
  window.location.assign(`${url}${url.includes('?') ? '&' : '?'}${query.toString()}`);
  return { kind: 'left' };
}

/** `138 0013 8000…`: the code's digits in fours, as a clerk types them. */
export function spacedCode(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** ¥1,000.00 of spend, or 1000 growth points. */
export function basisText(basis: LevelBasis, n: number): string {
  return basis === 'spend' ? formatFen(n) : `${n} 成长值`;
}

/**
 * Puts the shop's member card in the buyer's WeChat card pack: wx.addCard with the server's
 * signed cardExt; in H5 the sandbox's user takes the card (the sandbox checks the signature as
 * WeChat does). WeChat then tells the server (user_get_card), which activates the card.
 */
export async function addMemberCard(): Promise<void> {
  const card = await api.myMemberCard({});
  if (process.env.TARO_ENV !== 'h5') {
    await Taro.addCard({ cardList: [{ cardId: card.cardId, cardExt: card.cardExt }] });
    return;
  }
  const { wechatSandboxUrl } = await api.clientConfig({});
  if (!wechatSandboxUrl) throw new Error('H5 无法领取会员卡 · The card pack is not available in the browser');
  const res = await Taro.request({
    url: `${wechatSandboxUrl.replace(/\/$/, '')}/sandbox/cards/users/${encodeURIComponent(h5Openid())}/get`,
    method: 'POST',
    header: { accept: 'application/json', 'content-type': 'application/json' },
    data: { cardId: card.cardId, cardExt: card.cardExt },
    dataType: 'json',
  });
  if (res.statusCode !== 200) throw new Error(`领取会员卡失败 · Could not add the card (${res.statusCode})`);
}
