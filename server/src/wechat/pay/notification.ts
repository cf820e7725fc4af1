/**
 * Payment and refund notifications: signature on the raw body first, then the AEAD
 * `resource` (tag and associated data checked), then the decrypted payload parsed into a
 * typed result and checked to be for this merchant. Expected failures are returned, not thrown.
 * https://pay.weixin.qq.com/docs/merchant/apis/mini-program-payment/payment-notice.html
 */
import { aeadDecrypt, DecryptError } from './crypto';
import type { PlatformKeyring } from './keyring';
import { NotificationEnvelope, RefundNotice, Transaction } from './types';
import { verifyWechatpaySignature, type HeaderBag, type SignatureRejection, type VerifyOptions } from './verify';

export type PaymentNotification = {
  kind: 'payment';
  id: string;
  eventType: 'TRANSACTION.SUCCESS';
  createTime: string;
  transaction: Transaction;
};
export type RefundNotification = {
  kind: 'refund';
  id: string;
  eventType: 'REFUND.SUCCESS' | 'REFUND.ABNORMAL' | 'REFUND.CLOSED';
  createTime: string;
  refund: RefundNotice;
};
export type PayNotification = PaymentNotification | RefundNotification;

export type NotificationRejection =
  SignatureRejection | 'MALFORMED' | 'UNDECRYPTABLE' | 'NOT_FOR_THIS_MERCHANT' | 'UNKNOWN_EVENT';

export type NotificationResult =
  { ok: true; notification: PayNotification } | { ok: false; reason: NotificationRejection; message: string };

export interface NotificationVerifierOptions extends VerifyOptions {
  keyring: PlatformKeyring;
  apiV3Key: Buffer;
  mchid: string;
  /** App ids this merchant pays with; a payment for another app is refused. */
  appids: string[];
}

const refundEvents = new Set(['REFUND.SUCCESS', 'REFUND.ABNORMAL', 'REFUND.CLOSED']);

export async function readNotification(
  headers: HeaderBag,
  rawBody: Buffer,
  opts: NotificationVerifierOptions,
): Promise<NotificationResult> {
  const signature = await verifyWechatpaySignature({ headers, body: rawBody }, opts.keyring, opts);
  if (!signature.ok) return signature;

  let envelope;
  try {
    envelope = NotificationEnvelope.parse(JSON.parse(rawBody.toString('utf8')));
  } catch {
    return { ok: false, reason: 'MALFORMED', message: 'body is not a WeChat Pay notification' };
  }
  let plaintext: string;
  try {
    plaintext = aeadDecrypt(opts.apiV3Key, envelope.resource);
  } catch (err) {
    if (err instanceof DecryptError) return { ok: false, reason: 'UNDECRYPTABLE', message: err.message };
    throw err;
  }
  let payload: unknown;
  try {
    payload = JSON.parse(plaintext);
  } catch {
    return { ok: false, reason: 'MALFORMED', message: 'decrypted resource is not JSON' };
  }

  const base = { id: envelope.id, createTime: envelope.create_time };
  if (envelope.event_type === 'TRANSACTION.SUCCESS') {
    const parsed = Transaction.safeParse(payload);
    if (!parsed.success)
      return { ok: false, reason: 'MALFORMED', message: 'decrypted transaction has missing or invalid fields' };
    const t = parsed.data;
    // A valid ciphertext only proves the sender knows our APIv3 key; the ids must be ours too.
    if (t.mchid !== opts.mchid || !opts.appids.includes(t.appid)) {
      return { ok: false, reason: 'NOT_FOR_THIS_MERCHANT', message: 'transaction is for another merchant or app' };
    }
    return { ok: true, notification: { kind: 'payment', eventType: 'TRANSACTION.SUCCESS', transaction: t, ...base } };
  }
  if (refundEvents.has(envelope.event_type)) {
    const parsed = RefundNotice.safeParse(payload);
    if (!parsed.success)
      return { ok: false, reason: 'MALFORMED', message: 'decrypted refund has missing or invalid fields' };
    if (parsed.data.mchid !== opts.mchid) {
      return { ok: false, reason: 'NOT_FOR_THIS_MERCHANT', message: 'refund is for another merchant' };
    }
    const eventType = envelope.event_type as RefundNotification['eventType'];
    return { ok: true, notification: { kind: 'refund', eventType, refund: parsed.data, ...base } };
  }
  return { ok: false, reason: 'UNKNOWN_EVENT', message: `event_type ${envelope.event_type} is not handled` };
}
