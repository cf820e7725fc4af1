/**
 * WeChat API failures as values, keyed on `errcode`. `errmsg` carries a per-request suffix
 * (`rid: …`, `hint: […]`) and must never be matched on; it is kept only for logs.
 */
export const WechatErrorKind = {
  [-1]: 'BUSY',
  40001: 'TOKEN_INVALID',
  40003: 'INVALID_OPENID',
  40013: 'INVALID_APPID',
  40014: 'TOKEN_MALFORMED',
  40029: 'INVALID_CODE',
  40056: 'INVALID_CARD_CODE',
  40073: 'INVALID_CARD_ID',
  40099: 'CARD_CODE_CONSUMED',
  40125: 'INVALID_SECRET',
  40127: 'CARD_CODE_UNUSABLE',
  40163: 'CODE_ALREADY_USED',
  41001: 'TOKEN_MISSING',
  42001: 'TOKEN_EXPIRED',
  43004: 'NOT_FOLLOWING',
  43101: 'NOT_SUBSCRIBED',
  45009: 'DAILY_QUOTA_REACHED',
  45011: 'MINUTE_QUOTA_REACHED',
  45015: 'OUTSIDE_48H_WINDOW',
  45047: 'CUSTOMER_MESSAGE_LIMIT',
  47003: 'INVALID_ARGUMENT',
  48001: 'API_UNAUTHORIZED',
} as const satisfies Record<number, string>;

export type WechatErrorKind = (typeof WechatErrorKind)[keyof typeof WechatErrorKind] | 'OTHER' | 'UNREACHABLE';

export interface WechatError {
  /** WeChat's code; null when WeChat could not be reached or answered garbage. */
  errcode: number | null;
  kind: WechatErrorKind;
  /** For logs only. */
  errmsg: string;
}

export type WechatResult<T> = { ok: true; value: T } | { ok: false; error: WechatError };

export function wechatError(errcode: number | null, errmsg: string): WechatError {
  const kind =
    errcode === null ? 'UNREACHABLE' : ((WechatErrorKind as Record<number, WechatErrorKind>)[errcode] ?? 'OTHER');
  return { errcode, kind, errmsg };
}

/** 40001 / 42001 / 40014: the token is stale, expired or garbled; refresh and try once more. */
export const tokenErrorCodes: ReadonlySet<number> = new Set([40001, 42001, 40014]);

/** Unwraps a result where a failure is a programming or operations error, not a business case. */
export function orThrow<T>(result: WechatResult<T>): T {
  if (result.ok) return result.value;
  throw Object.assign(new Error(`WeChat API failed: ${result.error.kind} (${result.error.errcode})`), {
    wechat: result.error,
  });
}
