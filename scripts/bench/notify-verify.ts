/**
 * How many WeChat Pay notifications one process verifies and decrypts per second: signature
 * on the raw body, AES-256-GCM with the tag, payload parsed. Compared: the platform key
 * parsed once and cached (what PlatformKeyring does) against the certificate parsed on
 * every call (what naive code does). Prints a table; not a timed test.
 *
 *   npm run bench:notify-verify [-- <notifications per round>]
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PlatformKeyring } from '../../server/src/wechat/pay/keyring';
import { readNotification } from '../../server/src/wechat/pay/notification';

const fixtures = path.join(__dirname, '../../server/test/pay/fixtures');
const certificatePem = fs.readFileSync(path.join(fixtures, 'platform-cert.pem'), 'utf8');
const platformKey = fs.readFileSync(path.join(fixtures, 'platform-key.pem'), 'utf8');
const serial = new crypto.X509Certificate(certificatePem).serialNumber;
const apiV3Key = Buffer.from('chatmallBenchApiV3Key00000000032');
const count = Number(process.argv[2] ?? 2000);

/** Parses the certificate on every lookup, as code without a key cache does. */
class ParsePerCallKeyring extends PlatformKeyring {
  override get(s: string) {
    return s === serial ? new crypto.X509Certificate(certificatePem).publicKey : undefined;
  }
}

function notification(i: number) {
  const nonce = crypto.randomBytes(6).toString('hex');
  const transaction = {
    appid: 'wxc0ffee0000000001',
    mchid: '1900000109',
    out_trade_no: `CM${String(i).padStart(12, '0')}`,
    transaction_id: `42000${String(i).padStart(23, '0')}`,
    trade_type: 'JSAPI',
    trade_state: 'SUCCESS',
    trade_state_desc: '支付成功',
    bank_type: 'OTHERS',
    success_time: '2024-08-01T10:00:00+08:00',
    payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    amount: { total: 3900, payer_total: 3900, currency: 'CNY', payer_currency: 'CNY' },
  };
  const cipher = crypto.createCipheriv('aes-256-gcm', apiV3Key, Buffer.from(nonce));
  cipher.setAAD(Buffer.from('transaction'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(transaction)), cipher.final(), cipher.getAuthTag()]);
  const body = Buffer.from(
    JSON.stringify({
      id: crypto.randomUUID(),
      create_time: '2024-08-01T10:00:01+08:00',
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      resource: {
        original_type: 'transaction',
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: ciphertext.toString('base64'),
        associated_data: 'transaction',
        nonce,
      },
    }),
  );
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headerNonce = crypto.randomBytes(16).toString('hex');
  const signature = crypto
    .sign('sha256', Buffer.from(`${timestamp}\n${headerNonce}\n${body}\n`), platformKey)
    .toString('base64');
  return {
    body,
    headers: {
      'wechatpay-timestamp': timestamp,
      'wechatpay-nonce': headerNonce,
      'wechatpay-signature': signature,
      'wechatpay-serial': serial,
    },
  };
}

async function run(keyring: PlatformKeyring, batch: ReturnType<typeof notification>[]): Promise<number> {
  const opts = { keyring, apiV3Key, mchid: '1900000109', appids: ['wxc0ffee0000000001'] };
  const started = process.hrtime.bigint();
  for (const n of batch) {
    const r = await readNotification(n.headers, n.body, opts);
    if (!r.ok) throw new Error(`bench notification refused: ${r.reason}`);
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function main() {
  const batch = Array.from({ length: count }, (_, i) => notification(i));
  const cached = new PlatformKeyring();
  cached.addCertificate(certificatePem);
  const perCall = new ParsePerCallKeyring();
  // Warm up both paths, then alternate rounds so neither gets the JIT's or the CPU's favour.
  await run(cached, batch.slice(0, 200));
  await run(perCall, batch.slice(0, 200));
  const rounds = 3;
  const totals = { cached: 0, perCall: 0 };
  for (let i = 0; i < rounds; i++) {
    totals.cached += await run(cached, batch);
    totals.perCall += await run(perCall, batch);
  }
  const rate = (seconds: number) => (count * rounds) / seconds;
  const rows = [
    ['key object cached (baseline)', rate(totals.cached), 1],
    ['certificate parsed per call', rate(totals.perCall), rate(totals.perCall) / rate(totals.cached)],
  ] as const;
  console.log(
    `\nWeChat Pay notifications verified + decrypted in-process (${count} × ${rounds} rounds, Node ${process.version})\n`,
  );
  console.log(`| ${'key handling'.padEnd(30)} | ${'notifications/s'.padStart(15)} | ${'vs baseline'.padStart(11)} |`);
  console.log(`|${'-'.repeat(32)}|${'-'.repeat(17)}|${'-'.repeat(13)}|`);
  for (const [name, perSecond, ratio] of rows) {
    console.log(
      `| ${name.padEnd(30)} | ${perSecond.toFixed(0).padStart(15)} | ${`${ratio.toFixed(2)}×`.padStart(11)} |`,
    );
  }
  console.log(
    `\ncached is ${(rate(totals.cached) / rate(totals.perCall)).toFixed(2)}× the throughput of parsing per call\n`,
  );
}

void main();
