/**
 * POST /api/pay/notify: WeChat Pay's payment and refund notifications. Verified on the raw
 * bytes captured by the body reader, never on re-parsed JSON. WeChat reads only the status:
 * 204 once the handler has finished (after its commit), 4xx for a notification we refuse
 * (nothing reaches the handler), 5xx when the handler fails so WeChat retries.
 * https://pay.weixin.qq.com/docs/merchant/apis/mini-program-payment/payment-notice.html
 */
import type Koa from 'koa';
import type Router from 'koa-router';
import { UnauthenticatedError, ValidationError } from '../../kernel/errors';
import type { NotificationResult, PayNotification } from '../../wechat/pay/notification';
import type { HeaderBag } from '../../wechat/pay/verify';

export const PAY_NOTIFY_PATH = '/api/pay/notify';

/**
 * Receives each verified notification. Must be idempotent (WeChat delivers duplicates) and
 * resolve only after its work is committed; a rejection makes WeChat retry.
 */
export interface PayNotificationHandler {
  /** `rawBody` is the notification exactly as received, for the inbox. */
  handle(notification: PayNotification, rawBody: Buffer): Promise<void>;
  /** Records a notification that was refused before it could be trusted. */
  refused?(rawBody: Buffer, reason: string): Promise<void>;
}

export interface PayNotificationReader {
  readNotification(headers: HeaderBag, rawBody: Buffer): Promise<NotificationResult>;
}

export interface PayNotifyDeps {
  wechatPay: PayNotificationReader;
  handler: PayNotificationHandler;
}

const signatureReasons = new Set([
  'MISSING_HEADERS',
  'SIGNTEST_PROBE',
  'STALE_TIMESTAMP',
  'UNKNOWN_SERIAL',
  'BAD_SIGNATURE',
]);

/**
 * Mounts the notify route at `path`: orders' at PAY_NOTIFY_PATH, and other payment kinds
 * (membership top-ups) at their own path with their own handler, verified the same way.
 */
export function payNotifyRoutes(router: Router, deps: PayNotifyDeps, path: string = PAY_NOTIFY_PATH): void {
  router.post(path, async (ctx: Koa.Context) => {
    const raw = Buffer.isBuffer(ctx.state.rawBody) ? (ctx.state.rawBody as Buffer) : Buffer.alloc(0);
    const result = await deps.wechatPay.readNotification(ctx.headers, raw);
    if (!result.ok) {
      ctx.state.log?.warn({ reason: result.reason }, 'WeChat Pay notification refused');
      // Kept for audit; if even that fails the error answers 5xx and WeChat tries again.
      await deps.handler.refused?.(raw, result.reason);
      if (signatureReasons.has(result.reason))
        throw new UnauthenticatedError(`Notification refused: ${result.message}.`);
      throw new ValidationError([{ path: 'body.resource', message: result.message }], 'Notification refused.');
    }
    await deps.handler.handle(result.notification, raw);
    ctx.status = 204;
  });
}
