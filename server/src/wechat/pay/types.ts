/**
 * WeChat Pay v3 payloads as the merchant sees them (field names as on the wire).
 * Shapes are checked with zod where they enter: decrypted notifications and API responses.
 */
import { z } from 'zod';

export const TradeState = z.enum(['SUCCESS', 'REFUND', 'NOTPAY', 'CLOSED', 'REVOKED', 'USERPAYING', 'PAYERROR']);
export type TradeState = z.infer<typeof TradeState>;

export const Transaction = z.looseObject({
  appid: z.string(),
  mchid: z.string(),
  out_trade_no: z.string(),
  transaction_id: z.string().optional(),
  trade_type: z.string().optional(),
  trade_state: TradeState,
  trade_state_desc: z.string().optional(),
  bank_type: z.string().optional(),
  attach: z.string().optional(),
  success_time: z.string().optional(),
  payer: z.looseObject({ openid: z.string() }).optional(),
  amount: z.looseObject({
    total: z.number().int().optional(),
    payer_total: z.number().int().optional(),
    currency: z.string().optional(),
    payer_currency: z.string().optional(),
  }),
});
export type Transaction = z.infer<typeof Transaction>;

/** Refund API status. The refund *notification* says `CLOSE` where this says `CLOSED`. */
export const RefundStatus = z.enum(['SUCCESS', 'CLOSED', 'PROCESSING', 'ABNORMAL']);
export type RefundStatus = z.infer<typeof RefundStatus>;

export const Refund = z.looseObject({
  refund_id: z.string(),
  out_refund_no: z.string(),
  transaction_id: z.string(),
  out_trade_no: z.string(),
  channel: z.string().optional(),
  user_received_account: z.string().optional(),
  success_time: z.string().optional(),
  create_time: z.string().optional(),
  status: RefundStatus,
  funds_account: z.string().optional(),
  amount: z.looseObject({
    total: z.number().int(),
    refund: z.number().int(),
    payer_total: z.number().int().optional(),
    payer_refund: z.number().int().optional(),
    currency: z.string().optional(),
  }),
});
export type Refund = z.infer<typeof Refund>;

export const RefundNotice = z.looseObject({
  mchid: z.string(),
  out_trade_no: z.string(),
  transaction_id: z.string(),
  out_refund_no: z.string(),
  refund_id: z.string(),
  refund_status: z.enum(['SUCCESS', 'CLOSE', 'ABNORMAL']),
  success_time: z.string().optional(),
  user_received_account: z.string().optional(),
  amount: z.looseObject({
    total: z.number().int(),
    refund: z.number().int(),
    payer_total: z.number().int(),
    payer_refund: z.number().int(),
  }),
});
export type RefundNotice = z.infer<typeof RefundNotice>;

export const NotificationEnvelope = z.object({
  id: z.string().min(1),
  create_time: z.string(),
  event_type: z.string().min(1),
  resource_type: z.string(),
  summary: z.string().optional(),
  resource: z.object({
    algorithm: z.literal('AEAD_AES_256_GCM'),
    ciphertext: z.string().min(1),
    nonce: z.string().min(1),
    associated_data: z.string().optional(),
    original_type: z.string().optional(),
  }),
});

export interface JsapiPrepayRequest {
  description: string;
  out_trade_no: string;
  /** Fen. */
  total: number;
  payerOpenid: string;
  time_expire?: string;
  attach?: string;
  notify_url?: string;
}

/** What the mini-program passes to `wx.requestPayment` (and the H5 storefront to the sandbox's page). */
export interface RequestPaymentParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

export interface RefundRequest {
  out_refund_no: string;
  out_trade_no?: string;
  transaction_id?: string;
  reason?: string;
  notify_url?: string;
  /** Fen. */
  refund: number;
  /** Fen: the original order's total. */
  total: number;
}
