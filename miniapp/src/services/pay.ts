/**
 * Paying for an order. The server prepares the payment (`POST /api/orders/:id/pay`); the
 * mini-program then opens WeChat's payment sheet (wx.requestPayment), the H5 build goes to
 * the sandbox's cashier page, which sends the buyer back to the order page with
 * `wxpay=<outcome>`. Neither answer is proof of payment: the order page waits until the
 * server, told by WeChat Pay's notification, says the order is PAID.
 */
import Taro from '@tarojs/taro';
import { api } from './api';
import { orderUrl } from '../routes';

/**
 * What the buyer did, as far as the client knows:
 * - `submitted`: WeChat's sheet said paid (weapp); wait for the server's confirmation.
 * - `cancelled`: the buyer closed the sheet; the order stays payable.
 * - `left`: the browser is on its way to the cashier page (H5); it comes back to the order page.
 */
export type PayStart = { kind: 'submitted' } | { kind: 'cancelled' } | { kind: 'left' };

/** What the sandbox cashier appended to the return URL: `pay`, `fail`, `abandon` or `error:<CODE>`. */
export type CashierOutcome = 'pay' | 'fail' | 'abandon' | 'paid-already' | 'error';

export function cashierOutcome(value: string | undefined): CashierOutcome | null {
  if (!value) return null;
  if (value === 'pay' || value === 'fail' || value === 'abandon') return value;
  // WeChat says the order is paid already (a second tab, a retry): the server will catch up.
  if (value === 'error:ORDERPAID') return 'paid-already';
  return 'error';
}

/** Where the cashier sends the H5 buyer back: this order's page in this storefront (hash router). */
function h5ReturnUrl(orderId: string): string {
  const here = window.location.href.split('#')[0];
  return `${here}#${orderUrl(orderId)}`;
}

export async function startPayment(orderId: string): Promise<PayStart> {
  const pay = await api.payOrder({ params: { id: orderId } });
  if (process.env.TARO_ENV !== 'h5') {
    const p = pay.requestPayment;
    try {
      await Taro.requestPayment({
        timeStamp: p.timeStamp,
        nonceStr: p.nonceStr,
        package: p.package,
        signType: p.signType,
        paySign: p.paySign,
      });
      return { kind: 'submitted' };
    } catch (err) {
      const msg = (err as { errMsg?: string } | undefined)?.errMsg ?? '';
      if (/cancel/i.test(msg)) return { kind: 'cancelled' };
      throw new Error(`支付未完成 · Payment not completed${msg ? ` (${msg})` : ''}`, { cause: err });
    }
  }
  // H5: WeChat's client would check paySign; the sandbox cashier does the same with these.
  const p = pay.requestPayment;
  const query = new URLSearchParams({
    appId: p.appId,
    timeStamp: p.timeStamp,
    nonceStr: p.nonceStr,
    package: p.package,
    signType: p.signType,
    paySign: p.paySign,
    redirect: h5ReturnUrl(orderId),
  });
  window.location.assign(`${pay.cashierUrl}${pay.cashierUrl.includes('?') ? '&' : '?'}${query.toString()}`);
  return { kind: 'left' };
}
