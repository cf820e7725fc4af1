/**
 * WeChat Pay API v3 client for one merchant. wechatpay-node-v3 builds the requests (endpoint
 * paths, appid/mchid merged into bodies, the wx.requestPayment bridge); this file owns the
 * wire: the configured host, serialising and signing the exact bytes sent, the
 * `Wechatpay-Serial` header in public-key mode, **mandatory** verification of every response,
 * and platform-certificate download with the GCM tag checked. See docs/decisions/0006.
 */
import type { KeyObject } from 'node:crypto';
import Pay from 'wechatpay-node-v3';
import type { IPayRequest } from 'wechatpay-node-v3/dist/lib/pay-request.interface';
import type { Output } from 'wechatpay-node-v3/dist/lib/interface-v2';
import { aeadDecrypt, paySignMessage, rsaSign, signRequest, unixSeconds, newNonce } from './crypto';
import { ResponseVerificationError, WechatPayApiError } from './errors';
import { fetchHttp, type HttpFunction, type HttpResponse } from './http';
import { PlatformKeyring } from './keyring';
import { Refund, Transaction, type JsapiPrepayRequest, type RefundRequest, type RequestPaymentParams } from './types';
import { verifyWechatpaySignature } from './verify';

/** The host wechatpay-node-v3 hard-codes; requests are re-pointed at `baseUrl`. */
const LIBRARY_HOST = 'https://api.mch.weixin.qq.com';

export interface WechatPayClientOptions {
  mchid: string;
  appid: string;
  merchantSerial: string;
  merchantPrivateKey: KeyObject;
  /** PEM of the merchant private key: the library's constructor wants bytes. */
  merchantPrivateKeyPem: string;
  apiV3Key: Buffer;
  /** `https://api.mch.weixin.qq.com` in production, the sandbox in development. */
  baseUrl: string;
  keyring: PlatformKeyring;
  /** Set in public-key mode: sent as `Wechatpay-Serial`, so responses are signed with that key. */
  publicKeyId?: string;
  notifyUrl: string;
  http?: HttpFunction;
  now?: () => number;
  /** Unknown serials trigger at most one certificate download per interval. */
  certificateRefreshIntervalMs?: number;
}

export interface JsapiPrepayResult {
  prepayId: string;
  requestPayment: RequestPaymentParams;
}

export interface PlatformCertificateEntry {
  serial_no: string;
  effective_time: string;
  expire_time: string;
  encrypt_certificate: { algorithm: string; nonce: string; associated_data: string; ciphertext: string };
}

export class WechatPayClient {
  private readonly http: HttpFunction;
  private readonly now: () => number;
  private readonly builder: Pay;
  private lastCertificateRefresh = 0;
  private certificateRefresh: Promise<void> | undefined;

  constructor(private readonly opts: WechatPayClientOptions) {
    this.http = opts.http ?? fetchHttp();
    this.now = opts.now ?? Date.now;
    this.builder = new Pay({
      appid: opts.appid,
      mchid: opts.mchid,
      serial_no: opts.merchantSerial,
      // Only used by the library to derive a serial we already pass; never sent.
      publicKey: Buffer.from('unused'),
      privateKey: Buffer.from(opts.merchantPrivateKeyPem),
    });
    this.builder.createHttp(this.transport());
  }

  get keyring(): PlatformKeyring {
    return this.opts.keyring;
  }

  /** JSAPI / mini-program prepay; the result carries the signed `wx.requestPayment` parameters. */
  async prepayJsapi(req: JsapiPrepayRequest): Promise<JsapiPrepayResult> {
    const out = await this.builder.transactions_jsapi({
      description: req.description,
      out_trade_no: req.out_trade_no,
      notify_url: req.notify_url ?? this.opts.notifyUrl,
      amount: { total: req.total, currency: 'CNY' },
      payer: { openid: req.payerOpenid },
      ...(req.time_expire ? { time_expire: req.time_expire } : {}),
      ...(req.attach ? { attach: req.attach } : {}),
    });
    const bridge = out.data as RequestPaymentParams;
    return { prepayId: bridge.package.slice('prepay_id='.length), requestPayment: bridge };
  }

  /** Fresh `wx.requestPayment` parameters for an existing prepay id (e.g. the buyer retries). */
  requestPayment(prepayId: string, nonceStr: string = newNonce()): RequestPaymentParams {
    const timeStamp = unixSeconds(new Date(this.now()));
    const pkg = `prepay_id=${prepayId}`;
    const paySign = rsaSign(paySignMessage(this.opts.appid, timeStamp, nonceStr, pkg), this.opts.merchantPrivateKey);
    return { appId: this.opts.appid, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
  }

  async queryByOutTradeNo(outTradeNo: string): Promise<Transaction> {
    const out = await this.builder.query({ out_trade_no: outTradeNo } as Parameters<Pay['query']>[0]);
    return Transaction.parse(out.data);
  }

  async queryByTransactionId(transactionId: string): Promise<Transaction> {
    const out = await this.builder.query({ transaction_id: transactionId });
    return Transaction.parse(out.data);
  }

  /** Closes an unpaid order; WeChat answers 204. `ORDERPAID` arrives as a WechatPayApiError. */
  async close(outTradeNo: string): Promise<void> {
    await this.builder.close(outTradeNo);
  }

  async refund(req: RefundRequest): Promise<Refund> {
    const out = await this.builder.refunds({
      out_refund_no: req.out_refund_no,
      ...(req.transaction_id ? { transaction_id: req.transaction_id } : { out_trade_no: req.out_trade_no }),
      ...(req.reason ? { reason: req.reason } : {}),
      notify_url: req.notify_url ?? this.opts.notifyUrl,
      amount: { refund: req.refund, total: req.total, currency: 'CNY' },
    } as Parameters<Pay['refunds']>[0]);
    return Refund.parse(out.data);
  }

  async queryRefund(outRefundNo: string): Promise<Refund> {
    const out = await this.builder.find_refunds(outRefundNo);
    return Refund.parse(out.data);
  }

  /**
   * Downloads the platform certificates, decrypts each (GCM tag checked), verifies the
   * response with them, then adds them to the keyring. Returns the serials now known.
   * With public-key mode only, WeChat answers `{"data":[]}`: that is not an error.
   */
  async downloadCertificates(): Promise<string[]> {
    const res = await this.send('GET', '/v3/certificates');
    const entries = parseJson<{ data?: PlatformCertificateEntry[] }>(res.body).data ?? [];
    const candidate = new PlatformKeyring();
    for (const serial of this.opts.keyring.serials()) {
      const key = this.opts.keyring.get(serial);
      if (key) candidate.addPublicKey(serial, key);
    }
    const pems = entries.map((e) => aeadDecrypt(this.opts.apiV3Key, e.encrypt_certificate));
    for (const pem of pems) candidate.addCertificate(pem);
    // The response is signed by one of the certificates it carries: verify with those too.
    await this.verify(res, candidate);
    if (res.status !== 200) throw apiError(res);
    for (const pem of pems) this.opts.keyring.addCertificate(pem);
    this.lastCertificateRefresh = this.now();
    return this.opts.keyring.certificateSerials();
  }

  /** For verifiers: download certificates when a serial is unknown, at most once per interval. */
  readonly refreshCertificatesForUnknownSerial = async (): Promise<void> => {
    const interval = this.opts.certificateRefreshIntervalMs ?? 60_000;
    if (this.certificateRefresh) return this.certificateRefresh;
    if (this.now() - this.lastCertificateRefresh < interval) return;
    this.lastCertificateRefresh = this.now();
    this.certificateRefresh = this.downloadCertificates()
      .then(() => undefined)
      .catch(() => undefined) // the caller sees the serial still unknown and refuses
      .finally(() => (this.certificateRefresh = undefined));
    return this.certificateRefresh;
  };

  /** Signs, sends and verifies one request; the body is serialised once and those bytes are signed. */
  private async send(method: 'GET' | 'POST', pathWithQuery: string, payload?: unknown): Promise<HttpResponse> {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': 'chatmall-wechatpay/1',
      Authorization: signRequest({
        method,
        pathWithQuery,
        body,
        mchid: this.opts.mchid,
        merchantSerial: this.opts.merchantSerial,
        merchantPrivateKey: this.opts.merchantPrivateKey,
        timestamp: unixSeconds(new Date(this.now())),
      }),
    };
    if (method === 'POST') headers['Content-Type'] = 'application/json';
    if (this.opts.publicKeyId) headers['Wechatpay-Serial'] = this.opts.publicKeyId;
    return this.http({
      method,
      url: `${this.opts.baseUrl}${pathWithQuery}`,
      headers,
      body: method === 'POST' ? body : undefined,
    });
  }

  private async verify(res: HttpResponse, keyring: PlatformKeyring): Promise<void> {
    const check = await verifyWechatpaySignature({ headers: res.headers, body: res.body }, keyring, {
      now: this.now,
      onUnknownSerial: keyring === this.opts.keyring ? this.refreshCertificatesForUnknownSerial : undefined,
    });
    if (!check.ok) throw new ResponseVerificationError(res.status, `${check.reason}: ${check.message}`);
  }

  /** The transport handed to wechatpay-node-v3 (`createHttp`): host, signing, verification. */
  private transport(): IPayRequest {
    const call = async (method: 'GET' | 'POST', url: string, params?: Record<string, unknown>): Promise<Output> => {
      if (!url.startsWith(LIBRARY_HOST)) throw new Error(`unexpected WeChat Pay URL ${url}`);
      const res = await this.send(method, url.slice(LIBRARY_HOST.length), params);
      await this.verify(res, this.opts.keyring);
      if (res.status < 200 || res.status >= 300) throw apiError(res);
      return { status: res.status, data: res.body.length ? parseJson(res.body) : undefined };
    };
    return {
      get: (url) => call('GET', url),
      post: (url, params) => call('POST', url, params),
      upload: () => Promise.reject(new Error('image upload is not used by chatmall')),
    };
  }
}

function parseJson<T>(body: Buffer): T {
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    return {} as T;
  }
}

function apiError(res: HttpResponse): WechatPayApiError {
  const body = parseJson<{ code?: string; message?: string; detail?: unknown }>(res.body);
  return new WechatPayApiError(res.status, body.code ?? `HTTP_${res.status}`, body.message ?? '', body.detail);
}
