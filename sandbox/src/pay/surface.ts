/**
 * The WeChat Pay v3 surface: the merchant API (`/v3/…`) with every request's signature
 * verified (401 SIGN_ERROR with `truncated_sign_message`) and every response signed; the
 * simulated payer (`/sandbox/pay/…` and the cashier page the H5 storefront opens where the
 * weapp build calls wx.requestPayment); notifications; fault knobs; the console section.
 * State lives in `<state>/pay/state.json`, keys in `<state>/pay/keys.json`.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type Koa from 'koa';
import type Router from 'koa-router';
import type { SandboxMerchant } from '../config';
import { escapeHtml } from '../html';
import { answerSimulation } from '../platform/platform';
import { JsonStore } from '../store';
import type { SandboxContext, Surface } from '../surface';
import { randomString, sign, unixSeconds, verify } from './crypto';
import { PayKeys } from './keys';
import { emptyLedger, Ledger, PayError, type LedgerState, type RefundRecord, type RequestBody } from './ledger';
import { Notifier, type Delivery, type NotifySettings } from './notifier';

export interface PaySettings extends NotifySettings {
  /** Answer the next `faultCount` merchant API calls with this fault (500 SYSTEM_ERROR or 429 FREQUENCY_LIMITED). */
  fault: 'none' | 'SYSTEM_ERROR' | 'FREQUENCY_LIMITED';
  faultCount: number;
  latencyMs: number;
  /** What a new refund becomes: settled at once, or left PROCESSING for the console/API. */
  refundOutcome: 'SUCCESS' | 'ABNORMAL' | 'CLOSED' | 'manual';
  /** Test knobs for the merchant's response verification. */
  corruptResponseSignatures: boolean;
  responseClockOffsetSeconds: number;
}

interface PayState {
  settings: PaySettings;
  ledger: LedgerState;
  deliveries: Delivery[];
}

const defaultSettings = (): PaySettings => ({
  signMode: 'cert',
  mixedPublicKeyShare: 0.5,
  duplicateDeliveries: false,
  signtestProbes: false,
  dropNextNotifications: 0,
  fault: 'none',
  faultCount: 0,
  latencyMs: 0,
  refundOutcome: 'SUCCESS',
  corruptResponseSignatures: false,
  responseClockOffsetSeconds: 0,
});

const MAX_SKEW_SECONDS = 300;

export interface PaySurface extends Surface {
  keys: PayKeys;
  ledger: Ledger;
  notifier: Notifier;
  settings: PaySettings;
  merchant: SandboxMerchant;
}

export function paySurface(ctx: SandboxContext): PaySurface {
  const dir = path.join(ctx.stateDir, 'pay');
  // The merchant this sandbox serves, from the configuration the server reads too.
  const merchant = ctx.merchant;
  const keys = new PayKeys(dir);
  const store = new JsonStore<PayState>(path.join(dir, 'state.json'), () => ({
    settings: defaultSettings(),
    ledger: emptyLedger(),
    deliveries: [],
  }));
  store.state.settings = { ...defaultSettings(), ...store.state.settings };
  const changed = () => store.changed();
  const ledger = new Ledger(() => store.state.ledger, changed, merchant);
  const notifier = new Notifier({
    keys,
    apiV3Key: merchant.apiV3Key,
    timeScale: ctx.timeScale,
    log: ctx.log,
    settings: () => store.state.settings,
    deliveries: () => store.state.deliveries,
    changed,
  });
  ctx.log.info(
    {
      dir,
      mchid: merchant.mchid,
      appid: merchant.appid,
      merchantSerial: keys.state.merchant.serial,
      platformSerial: keys.currentPlatform.serial,
      publicKeyId: keys.state.publicKey.id,
    },
    'WeChat Pay sandbox keys (the server reads merchant-key.pem, merchant-serial.txt, wechatpay-public-key*.{pem,txt} here)',
  );

  const settle = (r: RefundRecord, status: 'SUCCESS' | 'ABNORMAL' | 'CLOSED') => {
    const done = ledger.settleRefund(r.out_refund_no, status);
    if (done instanceof PayError) return done;
    const order = ledger.order(done.out_trade_no);
    const notifyUrl = done.notify_url ?? order?.notify_url;
    const summary = { SUCCESS: '退款成功', ABNORMAL: '退款异常', CLOSED: '退款关闭' }[status];
    if (notifyUrl) notifier.send(`REFUND.${status}`, summary, 'refund', ledger.refundNotice(done), notifyUrl);
    return done;
  };

  const paid = (prepayId: string) => {
    const o = ledger.pay(prepayId);
    if (o instanceof PayError) return o;
    notifier.send('TRANSACTION.SUCCESS', '支付成功', 'transaction', ledger.view(o), o.notify_url);
    return o;
  };

  /** Signs the response exactly as sent; in public-key mode (request carried PUB_KEY_ID) with that key. */
  const signResponse = (c: Koa.Context, payload: unknown) => {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const usePublicKey = c.get('Wechatpay-Serial') === keys.state.publicKey.id;
    const timestamp = String(Number(unixSeconds()) + store.state.settings.responseClockOffsetSeconds);
    const nonce = randomString(32);
    const key = usePublicKey ? keys.state.publicKey.privateKeyPem : keys.currentPlatform.privateKeyPem;
    let signature = sign(`${timestamp}\n${nonce}\n${body}\n`, key);
    if (store.state.settings.corruptResponseSignatures) signature = sign(`${timestamp}\n${nonce}\n${body} \n`, key);
    c.set('Request-ID', crypto.randomUUID());
    c.set('Wechatpay-Timestamp', timestamp);
    c.set('Wechatpay-Nonce', nonce);
    c.set('Wechatpay-Signature', signature);
    c.set('Wechatpay-Serial', usePublicKey ? keys.state.publicKey.id : keys.currentPlatform.serial);
    c.set('Wechatpay-Signature-Type', 'WECHATPAY2-SHA256-RSA2048');
    if (body) {
      c.type = 'application/json';
      c.body = body;
    } else {
      c.body = null;
    }
  };

  const answer = (c: Koa.Context, status: number, payload?: unknown) => {
    c.status = status;
    signResponse(c, payload);
  };
  const fail = (c: Koa.Context, e: PayError) => answer(c, e.status, { code: e.code, message: e.message });

  /** Reads the raw body, applies fault knobs, verifies the merchant's signature. Returns the parsed JSON body. */
  const merchantRequest = async (c: Koa.Context): Promise<RequestBody | undefined> => {
    const raw = await readRaw(c.req);
    const s = store.state.settings;
    if (s.latencyMs > 0) await new Promise((r) => setTimeout(r, s.latencyMs));
    if (s.fault !== 'none' && s.faultCount > 0) {
      const fault = s.fault;
      s.faultCount -= 1;
      if (s.faultCount === 0) s.fault = 'none';
      changed();
      fail(
        c,
        fault === 'FREQUENCY_LIMITED'
          ? new PayError(429, 'FREQUENCY_LIMITED', '频率超限')
          : new PayError(500, 'SYSTEM_ERROR', '系统错误'),
      );
      return undefined;
    }
    const auth = parseAuthorization(c.get('Authorization'));
    const signMessage = auth ? `${c.method}\n${c.url}\n${auth.timestamp}\n${auth.nonce_str}\n${raw}\n` : '';
    const signInformation = {
      method: c.method,
      url: c.url,
      sign_message_length: Buffer.byteLength(signMessage),
      truncated_sign_message: signMessage.split('\n').slice(0, 4).join('\n') + (signMessage ? '\n…' : ''),
    };
    const signError = (issue: string) =>
      answer(c, 401, {
        code: 'SIGN_ERROR',
        message: '签名错误，请检查后再试',
        detail: {
          detail: { issue },
          field: 'signature',
          location: 'authorization',
          sign_information: signInformation,
        },
      });
    if (!auth) return void signError('Authorization header missing or malformed');
    if (auth.mchid !== merchant.mchid) return void signError('mchid does not match');
    if (auth.serial_no.toUpperCase() !== keys.state.merchant.serial) return void signError('serial_no not found');
    if (Math.abs(Number(unixSeconds()) - Number(auth.timestamp)) >= MAX_SKEW_SECONDS) {
      return void signError('timestamp expired');
    }
    if (!verify(signMessage, auth.signature, keys.state.merchant.publicKeyPem)) return void signError('sign not match');
    if (!raw) return {};
    try {
      return JSON.parse(raw) as RequestBody;
    } catch {
      fail(c, new PayError(400, 'PARAM_ERROR', '请求体不是合法的JSON'));
      return undefined;
    }
  };

  const api = (handler: (c: Koa.Context, body: RequestBody) => void) => async (c: Koa.Context) => {
    const body = await merchantRequest(c);
    if (body !== undefined) handler(c, body);
  };

  const mchidQuery = (c: Koa.Context) => {
    if (c.query.mchid !== merchant.mchid) {
      fail(c, new PayError(400, 'MCH_NOT_EXISTS', '商户号不存在'));
      return false;
    }
    return true;
  };

  const mount = (router: Router) => {
    router.post(
      '/v3/pay/transactions/jsapi',
      api((c, body) => {
        const r = ledger.prepay(body);
        if (r instanceof PayError) fail(c, r);
        else answer(c, 200, r);
      }),
    );
    router.get(
      '/v3/pay/transactions/out-trade-no/:outTradeNo',
      api((c) => {
        if (!mchidQuery(c)) return;
        const o = ledger.order(c.params.outTradeNo);
        if (!o) fail(c, new PayError(404, 'ORDER_NOT_EXIST', '订单不存在'));
        else answer(c, 200, ledger.view(o));
      }),
    );
    router.get(
      '/v3/pay/transactions/id/:transactionId',
      api((c) => {
        if (!mchidQuery(c)) return;
        const o = ledger.orderByTransactionId(c.params.transactionId);
        if (!o) fail(c, new PayError(404, 'ORDER_NOT_EXIST', '订单不存在'));
        else answer(c, 200, ledger.view(o));
      }),
    );
    router.post(
      '/v3/pay/transactions/out-trade-no/:outTradeNo/close',
      api((c, body) => {
        const r = ledger.close(c.params.outTradeNo, body.mchid);
        if (r instanceof PayError) fail(c, r);
        else if (r === 'userpaying') answer(c, 202, { code: 'USERPAYING', message: '用户支付中' });
        else answer(c, 204);
      }),
    );
    router.post(
      '/v3/refund/domestic/refunds',
      api((c, body) => {
        const r = ledger.createRefund(body);
        if (r instanceof PayError) return fail(c, r);
        answer(c, 200, ledger.refundView(r));
        const outcome = store.state.settings.refundOutcome;
        // Settled just after the answer, as WeChat does (the answer says PROCESSING).
        if (outcome !== 'manual' && r.status === 'PROCESSING') setTimeout(() => settle(r, outcome), 20).unref();
      }),
    );
    router.get(
      '/v3/refund/domestic/refunds/:outRefundNo',
      api((c) => {
        const r = ledger.refund(c.params.outRefundNo);
        if (!r) fail(c, new PayError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在'));
        else answer(c, 200, ledger.refundView(r));
      }),
    );
    router.get(
      '/v3/certificates',
      api((c) => {
        answer(c, 200, {
          data: keys.state.platform.map((p) => {
            const nonce = randomString(12);
            return {
              serial_no: p.serial,
              effective_time: p.effectiveTime,
              expire_time: p.expireTime,
              encrypt_certificate: {
                algorithm: 'AEAD_AES_256_GCM',
                nonce,
                associated_data: 'certificate',
                ciphertext: sealCertificate(merchant.apiV3Key, nonce, p.certificatePem),
              },
            };
          }),
        });
      }),
    );

    // The simulated payer and the sandbox's own controls (unsigned: they are not WeChat's API).
    const simulate = (c: Koa.Context, r: unknown) => {
      if (r instanceof PayError) {
        c.status = r.status;
        c.body = { code: r.code, message: r.message };
      } else c.body = r;
    };
    const orderOut = (o: ReturnType<Ledger['pay']>) => (o instanceof PayError ? o : ledger.view(o));
    router.post('/sandbox/pay/prepay/:prepayId/pay', (c: Koa.Context) =>
      simulate(c, orderOut(paid(c.params.prepayId))),
    );
    router.post('/sandbox/pay/prepay/:prepayId/start', (c: Koa.Context) =>
      simulate(c, orderOut(ledger.startPaying(c.params.prepayId))),
    );
    router.post('/sandbox/pay/prepay/:prepayId/fail', (c: Koa.Context) =>
      simulate(c, orderOut(ledger.fail(c.params.prepayId))),
    );
    router.post('/sandbox/pay/prepay/:prepayId/abandon', (c: Koa.Context) =>
      simulate(c, orderOut(ledger.abandon(c.params.prepayId))),
    );
    router.post('/sandbox/pay/refunds/:outRefundNo/:outcome', (c: Koa.Context) => {
      const outcome = String(c.params.outcome).toUpperCase();
      const r = ledger.refund(c.params.outRefundNo);
      if (!r || !['SUCCESS', 'ABNORMAL', 'CLOSED'].includes(outcome)) {
        return simulate(c, new PayError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在或结果无效'));
      }
      const done = settle(r, outcome as 'SUCCESS' | 'ABNORMAL' | 'CLOSED');
      simulate(c, done instanceof PayError ? done : ledger.refundView(done));
    });
    router.get('/sandbox/pay/settings', (c: Koa.Context) => (c.body = store.state.settings));
    router.post('/sandbox/pay/settings', async (c: Koa.Context) => {
      const patch = await readJsonOrForm(c);
      const next = { ...store.state.settings };
      for (const [k, v] of Object.entries(patch) as [keyof PaySettings, unknown][]) {
        if (!(k in next)) continue;
        const current = next[k];
        (next as Record<string, unknown>)[k] =
          typeof current === 'number'
            ? Number(v)
            : typeof current === 'boolean'
              ? v === true || v === 'true' || v === 'on'
              : String(v);
      }
      if (next.fault !== 'none' && next.faultCount <= 0) next.faultCount = 1;
      store.state.settings = next;
      changed();
      answerSimulation(c, next);
    });
    router.post('/sandbox/pay/rotate-certificate', (c: Koa.Context) => {
      const cert = keys.rotatePlatformCertificate();
      answerSimulation(c, { serial: cert.serial, previous: keys.state.platform.slice(0, -1).map((p) => p.serial) });
    });
    router.get('/sandbox/pay/keys', (c: Koa.Context) => {
      c.body = {
        mchid: merchant.mchid,
        appid: merchant.appid,
        merchantSerial: keys.state.merchant.serial,
        platformSerials: keys.state.platform.map((p) => p.serial),
        currentPlatformSerial: keys.currentPlatform.serial,
        publicKeyId: keys.state.publicKey.id,
        files: dir,
      };
    });
    router.get('/sandbox/pay/notifications', (c: Koa.Context) => {
      c.body = store.state.deliveries.map(({ body, ...d }) => ({ ...d, bodyLength: body.length }));
    });
    router.post('/sandbox/pay/notifications/:id/redeliver', (c: Koa.Context) => {
      const d = notifier.redeliver(c.params.id);
      c.status = d ? 202 : 404;
      c.body = d ? { id: d.id } : { code: 'NOT_FOUND' };
    });
    router.get('/sandbox/pay/orders/:outTradeNo', (c: Koa.Context) => {
      const o = ledger.order(c.params.outTradeNo);
      simulate(
        c,
        o ? { ...ledger.view(o), prepayIds: o.prepayIds } : new PayError(404, 'ORDER_NOT_EXIST', '订单不存在'),
      );
    });
    router.get('/sandbox/pay/cashier', (c: Koa.Context) => {
      c.type = 'text/html; charset=utf-8';
      c.body = cashierPage(c.query as Record<string, string>, merchant.appid, keys.state.merchant.publicKeyPem, ledger);
    });
    router.post('/sandbox/pay/cashier', async (c: Koa.Context) => {
      const form = await readJsonOrForm(c);
      const prepayId = String(form.prepay_id ?? '');
      const action = String(form.action ?? '');
      const result =
        action === 'pay' ? paid(prepayId) : action === 'fail' ? ledger.fail(prepayId) : ledger.abandon(prepayId);
      const back = returnUrl(form.redirect);
      const outcome = result instanceof PayError ? `error:${result.code}` : action;
      if (back) return c.redirect(`${back}${back.includes('?') ? '&' : '?'}wxpay=${encodeURIComponent(outcome)}`);
      c.type = 'text/html; charset=utf-8';
      c.body = `<!doctype html><meta charset="utf-8"><p>${escapeHtml(outcome)}</p>`;
    });
  };

  return {
    name: 'pay',
    keys,
    ledger,
    notifier,
    merchant,
    get settings() {
      return store.state.settings;
    },
    mount,
    console: () => ({
      title: '微信支付 WeChat Pay',
      id: 'pay',
      html: consoleHtml(merchant, keys, ledger, store.state),
    }),
    users: () =>
      ledger.recentOrders(100).map((o) => ({ openid: o.openid, roles: ['付款人 payer'], lastSeen: o.createdAt })),
    close() {
      notifier.close();
      store.flush();
    },
  };
}

function sealCertificate(apiV3Key: string, nonce: string, pem: string): string {
  const cipher = crypto.createCipheriv('aes-256-gcm', Buffer.from(apiV3Key), Buffer.from(nonce));
  cipher.setAAD(Buffer.from('certificate'));
  return Buffer.concat([cipher.update(pem, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64');
}

function parseAuthorization(header: string) {
  const prefix = 'WECHATPAY2-SHA256-RSA2048 ';
  if (!header.startsWith(prefix)) return undefined;
  const f = Object.fromEntries([...header.slice(prefix.length).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  if (!f.mchid || !f.nonce_str || !f.signature || !f.timestamp || !f.serial_no) return undefined;
  return f as { mchid: string; nonce_str: string; signature: string; timestamp: string; serial_no: string };
}

function readRaw(req: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function readJsonOrForm(c: Koa.Context): Promise<Record<string, unknown>> {
  const raw = await readRaw(c.req);
  if (!raw) return {};
  if (c.is('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(raw));
}

/**
 * Where the cashier sends the payer back (the H5 storefront's order page, `?wxpay=<outcome>`
 * added): an absolute http(s) URL only, so no `javascript:`, `data:` or `//host` tricks.
 */
export function returnUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The page the H5 storefront opens instead of wx.requestPayment: checks paySign like WeChat's client does. */
function cashierPage(q: Record<string, string>, appid: string, merchantPublicKeyPem: string, ledger: Ledger): string {
  const prepayId = (q.package ?? '').replace(/^prepay_id=/, '') || q.prepay_id || '';
  const order = ledger.orderByPrepayId(prepayId);
  let problem = '';
  if (!order) problem = 'prepay_id 不存在';
  else if (q.paySign) {
    const message = `${q.appId}\n${q.timeStamp}\n${q.nonceStr}\n${q.package}\n`;
    if (q.appId !== appid) problem = 'appId 与下单时不一致';
    else if (!verify(message, q.paySign, merchantPublicKeyPem)) problem = '支付验证签名失败 (paySign)';
  }
  const redirect = returnUrl(q.redirect) ?? '';
  const hidden = `<input type="hidden" name="prepay_id" value="${escapeHtml(prepayId)}"><input type="hidden" name="redirect" value="${escapeHtml(redirect)}">`;
  const button = (action: string, label: string, color: string) =>
    `<form method="post" action="/sandbox/pay/cashier">${hidden}<input type="hidden" name="action" value="${action}"><button style="background:${color}" ${problem ? 'disabled' : ''}>${label}</button></form>`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>微信支付 · sandbox</title>
<style>body{font:16px/1.6 system-ui,"WenQuanYi Micro Hei",sans-serif;margin:0;background:#ededed;text-align:center}
.card{background:#fff;margin:24px 16px;border-radius:12px;padding:24px}.amount{font-size:40px;font-weight:600}
button{width:100%;border:0;border-radius:8px;color:#fff;font-size:17px;padding:12px;margin:6px 0}button[disabled]{opacity:.4}
.problem{color:#fa5151}</style></head>
<body><div class="card">
<div>${escapeHtml(order?.description ?? '')}</div>
<div class="amount">¥${order ? (order.total / 100).toFixed(2) : '—'}</div>
<div>商户订单号 <code>${escapeHtml(order?.out_trade_no ?? '')}</code> · ${escapeHtml(order?.trade_state ?? '')}</div>
${problem ? `<p class="problem">${escapeHtml(problem)}</p>` : ''}
${button('pay', '确认支付 Pay', '#07c160')}
${button('fail', '支付失败 Fail', '#fa5151')}
${button('abandon', '取消 Abandon', '#888')}
</div></body></html>`;
}

function consoleHtml(
  merchant: { mchid: string; appid: string },
  keys: PayKeys,
  ledger: Ledger,
  state: PayState,
): string {
  const s = state.settings;
  const rows = ledger
    .recentOrders(10)
    .map(
      (o) =>
        `<tr><td><code>${escapeHtml(o.out_trade_no)}</code></td><td>¥${(o.total / 100).toFixed(2)}</td><td>${o.trade_state}</td><td>${o.prepayIds
          .slice(-1)
          .map((p) => `<a href="/sandbox/pay/cashier?prepay_id=${encodeURIComponent(p)}">收银台 cashier</a>`)
          .join('')}</td></tr>`,
    )
    .join('');
  const deliveries = state.deliveries
    .slice(-10)
    .reverse()
    .map(
      (d) =>
        `<tr><td>${escapeHtml(d.eventType)}</td><td>${d.state}</td><td>${d.attempts.map((a) => `${a.kind[0]}:${a.status}`).join(' ')}</td><td><code>${escapeHtml(d.serial.slice(0, 16))}…</code></td></tr>`,
    )
    .join('');
  const select = (name: string, options: string[], value: string) =>
    `<select name="${name}">${options.map((o) => `<option${o === value ? ' selected' : ''}>${o}</option>`).join('')}</select>`;
  const check = (name: keyof PaySettings, label: string) =>
    `<label><input type="hidden" name="${name}" value="false"><input type="checkbox" name="${name}" value="true"${s[name] ? ' checked' : ''}> ${label}</label>`;
  return `<div id="pay">
<p>商户号 Merchant <code>${escapeHtml(merchant.mchid)}</code> · 应用 app <code>${escapeHtml(merchant.appid)}</code> · 商户证书序列号 merchant serial <code>${escapeHtml(keys.state.merchant.serial)}</code> ·
平台证书 platform certificate <code>${escapeHtml(keys.currentPlatform.serial)}</code> · 微信支付公钥 public key <code>${escapeHtml(keys.state.publicKey.id)}</code>.
给服务器的密钥文件 Key files for the server: <code>${escapeHtml(keys.dir)}</code></p>
<form method="post" action="/sandbox/pay/settings">
<label>通知签名 Notification signing ${select('signMode', ['cert', 'pubkey', 'mixed'], s.signMode)}</label>
<label>故障 Fault ${select('fault', ['none', 'SYSTEM_ERROR', 'FREQUENCY_LIMITED'], s.fault)} × <input name="faultCount" size="3" value="${s.faultCount}"></label>
<label>延迟 Latency <input name="latencyMs" size="5" value="${s.latencyMs}"> ms</label>
<label>退款结果 Refunds ${select('refundOutcome', ['SUCCESS', 'ABNORMAL', 'CLOSED', 'manual'], s.refundOutcome)}</label>
<label>丢弃接下来 Drop next <input name="dropNextNotifications" size="3" value="${s.dropNextNotifications}"> 条通知 notifications</label>
${check('duplicateDeliveries', '重复通知 duplicate deliveries')} ${check('signtestProbes', '签名探测 SIGNTEST probes')}
<button>保存 Save</button></form>
<form method="post" action="/sandbox/pay/rotate-certificate"><button class="plain">轮换平台证书 Rotate platform certificate</button></form>
<h3>订单 <span class="en">Orders</span></h3><table><tr><th>out_trade_no</th><th>金额 Amount</th><th>状态 State</th><th></th></tr>${rows}</table>
<h3>支付通知 <span class="en">Notifications</span></h3><table><tr><th>事件 Event</th><th>状态 State</th><th>投递 Attempts</th><th>serial</th></tr>${deliveries}</table>
</div>`;
}
