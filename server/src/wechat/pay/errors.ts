/** Failures the Pay client reports; the server maps them to its own domain errors. */

/** WeChat Pay answered with an error code (`ORDERPAID`, `SIGN_ERROR`, …), in a verified response. */
export class WechatPayApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: unknown,
  ) {
    super(`WeChat Pay ${status} ${code}: ${message}`);
    this.name = 'WechatPayApiError';
  }
}

/** A response whose signature, serial or timestamp did not verify: it may not come from WeChat Pay. */
export class ResponseVerificationError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(`WeChat Pay response (HTTP ${status}) failed verification: ${reason}`);
    this.name = 'ResponseVerificationError';
  }
}
