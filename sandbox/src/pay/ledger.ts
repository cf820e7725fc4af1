/**
 * WeChat Pay's side of one merchant's money: transactions and refunds with WeChat's states
 * and rules. Expected failures are returned as `PayError` values carrying WeChat's HTTP
 * status and code, so the routes only translate them.
 * https://pay.weixin.qq.com/docs/merchant/apis/mini-program-payment/mini-prepay.html
 */
import crypto from 'node:crypto';
import { beijingTime } from './crypto';

/**
 * A merchant's JSON body as received. Every field is checked where it is read (as WeChat
 * does, answering PARAM_ERROR), so the shape is deliberately loose here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RequestBody = Record<string, any>;

export type TradeState = 'NOTPAY' | 'USERPAYING' | 'SUCCESS' | 'CLOSED' | 'REFUND' | 'PAYERROR';
export type RefundStatus = 'PROCESSING' | 'SUCCESS' | 'ABNORMAL' | 'CLOSED';

export interface Order {
  appid: string;
  mchid: string;
  out_trade_no: string;
  description: string;
  notify_url: string;
  attach?: string;
  total: number;
  openid: string;
  /** The business parameters as first posted: a re-post must match them exactly. */
  fingerprint: string;
  createdAt: number;
  expiresAt: number;
  trade_state: TradeState;
  transaction_id?: string;
  success_time?: string;
  prepayIds: string[];
}

export interface RefundRecord {
  refund_id: string;
  out_refund_no: string;
  out_trade_no: string;
  transaction_id: string;
  reason?: string;
  notify_url?: string;
  refund: number;
  total: number;
  status: RefundStatus;
  create_time: string;
  success_time?: string;
}

export interface LedgerState {
  orders: Record<string, Order>;
  prepays: Record<string, { out_trade_no: string; expiresAt: number }>;
  refunds: Record<string, RefundRecord>;
}

export const emptyLedger = (): LedgerState => ({ orders: {}, prepays: {}, refunds: {} });

export class PayError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
  ) {}
}

const PREPAY_ID_TTL_MS = 2 * 3600_000; // a prepay_id is good for two hours
const DEFAULT_EXPIRY_MS = 7 * 86_400_000; // unpaid orders can no longer be paid after 7 days
const MAX_EXPIRY_MS = 90 * 86_400_000;

export interface Merchant {
  mchid: string;
  appid: string;
}

const param = (message: string) => new PayError(400, 'PARAM_ERROR', message);

/** Validates a JSAPI prepay body; returns the order fields or the error WeChat would give. */
function readPrepay(body: RequestBody, merchant: Merchant, now: number) {
  if (body.mchid !== merchant.mchid) return new PayError(400, 'MCH_NOT_EXISTS', '商户号不存在');
  if (body.appid !== merchant.appid) return new PayError(400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
  if (typeof body.description !== 'string' || !body.description || body.description.length > 127) {
    return param('description 必填且不超过127个字符');
  }
  if (typeof body.out_trade_no !== 'string' || !/^[0-9A-Za-z_\-*|]{6,32}$/.test(body.out_trade_no)) {
    return param('out_trade_no 为6-32位数字、大小写字母或_-*|');
  }
  if (typeof body.notify_url !== 'string' || !/^https?:\/\/[^?#]+$/.test(body.notify_url)) {
    return param('notify_url 必须是不带参数的URL');
  }
  const total = body.amount?.total;
  if (!Number.isInteger(total) || total <= 0) return param('amount.total 必须是正整数（分）');
  if ((body.amount?.currency ?? 'CNY') !== 'CNY') return param('amount.currency 仅支持CNY');
  if (typeof body.payer?.openid !== 'string' || !body.payer.openid) return param('payer.openid 必填');
  if (body.attach !== undefined && (typeof body.attach !== 'string' || body.attach.length > 128)) {
    return param('attach 不超过128个字符');
  }
  let expiresAt = now + DEFAULT_EXPIRY_MS;
  if (body.time_expire !== undefined) {
    const t = Date.parse(body.time_expire);
    if (typeof body.time_expire !== 'string' || Number.isNaN(t)) return param('time_expire 格式错误（RFC3339）');
    // Documented clamp: at least one minute, at most 90 days from now.
    expiresAt = Math.min(Math.max(t, now + 60_000), now + MAX_EXPIRY_MS);
  }
  const fingerprint = JSON.stringify([
    body.description,
    body.notify_url,
    body.attach ?? null,
    total,
    body.payer.openid,
    body.time_expire ?? null,
  ]);
  return { total, openid: body.payer.openid as string, expiresAt, fingerprint };
}

/** `wx` + yyyyMMddHHmmss + 20 more characters, 36 in all like the documented example. */
const newPrepayId = (now: number) =>
  `wx${beijingTime(now).replace(/\D/g, '').slice(0, 14)}${crypto.randomBytes(10).toString('hex')}`;

export class Ledger {
  constructor(
    private readonly state: () => LedgerState,
    private readonly changed: () => void,
    private readonly merchant: Merchant,
  ) {}

  order(outTradeNo: string): Order | undefined {
    return this.state().orders[outTradeNo];
  }

  orderByTransactionId(transactionId: string): Order | undefined {
    return Object.values(this.state().orders).find((o) => o.transaction_id === transactionId);
  }

  orderByPrepayId(prepayId: string): Order | undefined {
    const p = this.state().prepays[prepayId];
    return p ? this.order(p.out_trade_no) : undefined;
  }

  prepayExpired(prepayId: string, now = Date.now()): boolean {
    const p = this.state().prepays[prepayId];
    return !p || p.expiresAt <= now;
  }

  refund(outRefundNo: string): RefundRecord | undefined {
    return this.state().refunds[outRefundNo];
  }

  prepay(body: RequestBody, now = Date.now()): { prepay_id: string } | PayError {
    const read = readPrepay(body, this.merchant, now);
    if (read instanceof PayError) return read;
    const s = this.state();
    const existing = s.orders[body.out_trade_no];
    if (existing) {
      if (existing.trade_state === 'SUCCESS' || existing.trade_state === 'REFUND') {
        return new PayError(403, 'ORDERPAID', '该订单已支付');
      }
      if (existing.trade_state === 'CLOSED') return new PayError(400, 'ORDER_CLOSED', '订单已关闭');
      // Before time_expire the same parameters get a fresh prepay_id; anything else needs a new out_trade_no.
      if (existing.expiresAt <= now || existing.fingerprint !== read.fingerprint) {
        return new PayError(403, 'OUT_TRADE_NO_USED', '商户订单号重复');
      }
    }
    const order: Order = existing ?? {
      appid: body.appid,
      mchid: body.mchid,
      out_trade_no: body.out_trade_no,
      description: body.description,
      notify_url: body.notify_url,
      attach: body.attach,
      total: read.total,
      openid: read.openid,
      fingerprint: read.fingerprint,
      createdAt: now,
      expiresAt: read.expiresAt,
      trade_state: 'NOTPAY',
      prepayIds: [],
    };
    const prepayId = newPrepayId(now);
    order.prepayIds.push(prepayId);
    s.orders[order.out_trade_no] = order;
    s.prepays[prepayId] = {
      out_trade_no: order.out_trade_no,
      expiresAt: Math.min(now + PREPAY_ID_TTL_MS, order.expiresAt),
    };
    this.changed();
    return { prepay_id: prepayId };
  }

  /** The transaction as the query API returns it. */
  view(o: Order): Record<string, unknown> {
    const paid = o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND';
    return {
      appid: o.appid,
      mchid: o.mchid,
      out_trade_no: o.out_trade_no,
      ...(o.transaction_id ? { transaction_id: o.transaction_id } : {}),
      trade_type: 'JSAPI',
      trade_state: o.trade_state,
      trade_state_desc: stateDesc[o.trade_state],
      ...(paid ? { bank_type: 'OTHERS', success_time: o.success_time } : {}),
      attach: o.attach ?? '',
      payer: { openid: o.openid },
      amount: paid
        ? { total: o.total, payer_total: o.total, currency: 'CNY', payer_currency: 'CNY' }
        : { total: o.total, currency: 'CNY' },
    };
  }

  /** The buyer opened the cashier and is entering the password. */
  startPaying(prepayId: string, now = Date.now()): Order | PayError {
    const o = this.payable(prepayId, now);
    if (o instanceof PayError) return o;
    o.trade_state = 'USERPAYING';
    this.changed();
    return o;
  }

  pay(prepayId: string, now = Date.now()): Order | PayError {
    const o = this.payable(prepayId, now);
    if (o instanceof PayError) return o;
    o.trade_state = 'SUCCESS';
    o.transaction_id = `4200${beijingTime(now).replace(/\D/g, '').slice(0, 8)}${String(crypto.randomInt(1e9)).padStart(9, '0')}${String(crypto.randomInt(1e7)).padStart(7, '0')}`;
    o.success_time = beijingTime(now);
    this.changed();
    return o;
  }

  /** The bank declined: the order may be paid again (a new prepay with the same parameters). */
  fail(prepayId: string, now = Date.now()): Order | PayError {
    const o = this.payable(prepayId, now);
    if (o instanceof PayError) return o;
    o.trade_state = 'PAYERROR';
    this.changed();
    return o;
  }

  /** The buyer closed the cashier: nothing changes on WeChat's side. */
  abandon(prepayId: string, now = Date.now()): Order | PayError {
    const o = this.payable(prepayId, now);
    if (o instanceof PayError) return o;
    if (o.trade_state === 'USERPAYING') o.trade_state = 'NOTPAY';
    this.changed();
    return o;
  }

  private payable(prepayId: string, now: number): Order | PayError {
    const o = this.orderByPrepayId(prepayId);
    if (!o) return new PayError(404, 'ORDER_NOT_EXIST', 'prepay_id 不存在');
    if (o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND')
      return new PayError(403, 'ORDERPAID', '该订单已支付');
    if (o.trade_state === 'CLOSED') return new PayError(400, 'ORDER_CLOSED', '订单已关闭');
    if (this.prepayExpired(prepayId, now) || o.expiresAt <= now) return new PayError(400, 'ORDER_CLOSED', '订单已过期');
    return o;
  }

  close(outTradeNo: string, mchid: unknown): 'closed' | 'userpaying' | PayError {
    if (mchid !== this.merchant.mchid) return new PayError(400, 'MCH_NOT_EXISTS', '商户号不存在');
    const o = this.order(outTradeNo);
    if (!o) return new PayError(404, 'ORDER_NOT_EXIST', '订单不存在');
    if (o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND') return new PayError(403, 'ORDERPAID', '订单已支付');
    if (o.trade_state === 'CLOSED') return new PayError(400, 'ORDER_CLOSED', '订单已关闭');
    if (o.trade_state === 'USERPAYING') return 'userpaying';
    o.trade_state = 'CLOSED';
    this.changed();
    return 'closed';
  }

  createRefund(body: RequestBody, now = Date.now()): RefundRecord | PayError {
    if (typeof body.out_refund_no !== 'string' || !/^[0-9A-Za-z_\-*|@]{1,64}$/.test(body.out_refund_no)) {
      return param('out_refund_no 格式错误');
    }
    const existing = this.refund(body.out_refund_no);
    if (existing) return existing; // the same out_refund_no is the same refund
    const o = body.transaction_id ? this.orderByTransactionId(body.transaction_id) : this.order(body.out_trade_no);
    if (!o) return new PayError(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
    if (o.trade_state !== 'SUCCESS' && o.trade_state !== 'REFUND') {
      return new PayError(403, 'INVALID_REQUEST', '订单未支付，不能退款');
    }
    const refund = body.amount?.refund;
    if (!Number.isInteger(refund) || refund <= 0) return param('amount.refund 必须是正整数（分）');
    if (body.amount?.total !== o.total) return param('amount.total 与原订单金额不一致');
    const refunded = Object.values(this.state().refunds)
      .filter((r) => r.out_trade_no === o.out_trade_no && r.status !== 'CLOSED')
      .reduce((sum, r) => sum + r.refund, 0);
    if (refunded + refund > o.total) return new PayError(403, 'NOT_ENOUGH', '可退金额不足');
    const record: RefundRecord = {
      refund_id: `50${now}${String(crypto.randomInt(1e7)).padStart(7, '0')}${String(crypto.randomInt(1e7)).padStart(7, '0')}`,
      out_refund_no: body.out_refund_no,
      out_trade_no: o.out_trade_no,
      transaction_id: o.transaction_id!,
      reason: body.reason,
      notify_url: body.notify_url,
      refund,
      total: o.total,
      status: 'PROCESSING',
      create_time: beijingTime(now),
    };
    this.state().refunds[record.out_refund_no] = record;
    o.trade_state = 'REFUND'; // WeChat shows 转入退款 as soon as a refund is accepted
    this.changed();
    return record;
  }

  /** PROCESSING → SUCCESS / ABNORMAL / CLOSED; ABNORMAL is not final (the merchant may retry it). */
  settleRefund(
    outRefundNo: string,
    status: Exclude<RefundStatus, 'PROCESSING'>,
    now = Date.now(),
  ): RefundRecord | PayError {
    const r = this.refund(outRefundNo);
    if (!r) return new PayError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
    if (r.status !== 'PROCESSING' && r.status !== 'ABNORMAL') {
      return new PayError(400, 'INVALID_REQUEST', `退款已是终态 ${r.status}`);
    }
    r.status = status;
    if (status === 'SUCCESS') r.success_time = beijingTime(now);
    this.changed();
    return r;
  }

  refundView(r: RefundRecord): Record<string, unknown> {
    return {
      refund_id: r.refund_id,
      out_refund_no: r.out_refund_no,
      transaction_id: r.transaction_id,
      out_trade_no: r.out_trade_no,
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
      ...(r.success_time ? { success_time: r.success_time } : {}),
      create_time: r.create_time,
      status: r.status,
      funds_account: 'AVAILABLE',
      amount: {
        total: r.total,
        refund: r.refund,
        payer_total: r.total,
        payer_refund: r.refund,
        settlement_refund: r.refund,
        settlement_total: r.total,
        discount_refund: 0,
        currency: 'CNY',
      },
    };
  }

  /** The decrypted payload of a refund notification: `refund_status` says CLOSE, not CLOSED. */
  refundNotice(r: RefundRecord): Record<string, unknown> {
    return {
      mchid: this.merchant.mchid,
      out_trade_no: r.out_trade_no,
      transaction_id: r.transaction_id,
      out_refund_no: r.out_refund_no,
      refund_id: r.refund_id,
      refund_status: r.status === 'CLOSED' ? 'CLOSE' : r.status,
      ...(r.success_time ? { success_time: r.success_time } : {}),
      user_received_account: '支付用户零钱',
      amount: { total: r.total, refund: r.refund, payer_total: r.total, payer_refund: r.refund },
    };
  }

  recentOrders(limit = 20): Order[] {
    return Object.values(this.state().orders)
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, limit);
  }
}

const stateDesc: Record<TradeState, string> = {
  NOTPAY: '未支付',
  USERPAYING: '用户支付中',
  SUCCESS: '支付成功',
  CLOSED: '已关闭',
  REFUND: '转入退款',
  PAYERROR: '支付失败，请重新下单支付',
};
