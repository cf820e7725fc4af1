/**
 * Words for what the Pay notification log and the reconciliation carry as codes: the
 * outcome of a notification, why one was refused, and each side's status of a payment or
 * refund. An unknown code shows as itself.
 */
export const notificationOutcomes = [
  'APPLIED',
  'DUPLICATE',
  'REFUSED',
  'AMOUNT_MISMATCH',
  'CURRENCY_MISMATCH',
  'PAID_AFTER_CLOSE',
  'UNKNOWN_ORDER',
  'NOT_SUCCESS',
  'REFUND_SUCCESS',
  'REFUND_ABNORMAL',
  'REFUND_CLOSED',
  'UNKNOWN_REFUND',
] as const;

export const outcomeLabel: Record<string, string> = {
  APPLIED: '已入账 Applied',
  DUPLICATE: '重复通知 Duplicate',
  REFUSED: '已拒收 Refused',
  AMOUNT_MISMATCH: '金额不符 Amount mismatch',
  CURRENCY_MISMATCH: '币种不符 Currency mismatch',
  PAID_AFTER_CLOSE: '关单后支付 Paid after close',
  UNKNOWN_ORDER: '未知订单 Unknown order',
  NOT_SUCCESS: '非成功交易 Not a success',
  REFUND_SUCCESS: '退款成功 Refund succeeded',
  REFUND_ABNORMAL: '退款异常 Refund abnormal',
  REFUND_CLOSED: '退款关闭 Refund closed',
  UNKNOWN_REFUND: '未知退款 Unknown refund',
};

/** Outcomes that need the merchant's attention. */
export const outcomeAlarming = new Set([
  'REFUSED',
  'AMOUNT_MISMATCH',
  'CURRENCY_MISMATCH',
  'PAID_AFTER_CLOSE',
  'UNKNOWN_ORDER',
  'REFUND_ABNORMAL',
  'UNKNOWN_REFUND',
]);

export const rejectReasonLabel: Record<string, string> = {
  MISSING_HEADERS: '缺少签名头 Signature headers missing',
  SIGNTEST_PROBE: '签名探测（已按规定拒收）Signature probe, refused as required',
  STALE_TIMESTAMP: '时间戳过期 Timestamp out of range',
  UNKNOWN_SERIAL: '未知证书序列号 Unknown certificate serial',
  BAD_SIGNATURE: '签名不符 Signature does not match',
  UNDECRYPTABLE: '无法解密（APIv3 密钥？）Cannot decrypt (APIv3 key?)',
  MALFORMED: '格式错误 Malformed',
  NOT_FOR_THIS_MERCHANT: '不是本商户的 Not for this merchant',
  UNKNOWN_EVENT: '未处理的事件 Event not handled',
};

export const tradeStateLabel: Record<string, string> = {
  // Ours (payments)
  OPEN: '待支付 Open',
  PAID: '已支付 Paid',
  CLOSED: '已关闭 Closed',
  PAID_AFTER_CLOSE: '关单后支付 Paid after close',
  // WeChat (trade_state)
  SUCCESS: '成功 Success',
  REFUND: '转入退款 Refund',
  NOTPAY: '未支付 Not paid',
  USERPAYING: '支付中 Paying',
  PAYERROR: '支付失败 Failed',
  REVOKED: '已撤销 Revoked',
  NOT_EXIST: '无此记录 Not found',
  // Refunds (both sides)
  PROCESSING: '处理中 Processing',
  ABNORMAL: '异常 Abnormal',
};

export const label = (map: Record<string, string>, code: string | null | undefined) =>
  code ? (map[code] ?? code) : '—';

/** WeChat Pay's notification event types, in words (the code stays beneath). */
export const payEventLabel: Record<string, string> = {
  'TRANSACTION.SUCCESS': '支付成功 Paid',
  'REFUND.SUCCESS': '退款成功 Refunded',
  'REFUND.ABNORMAL': '退款异常 Refund abnormal',
  'REFUND.CLOSED': '退款关闭 Refund closed',
};
