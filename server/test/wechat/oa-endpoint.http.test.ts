/**
 * The mounted message endpoint over real HTTP (real MariaDB + Redis through the harness):
 * bad input is refused with the right status and nothing runs; the default handler welcomes.
 */
import { MessageCrypt } from '../../src/wechat/crypto/message-crypt';
import { parseWechatXml } from '../../src/wechat/oa/xml';
import { startStack, type TestStack } from '../support/harness';
import { welcomeText } from '../../src/modules/official-account/oa.routes';

/** The configured welcome with the shop's current name (shop settings) in it. */
const welcome = () =>
  welcomeText(stack.config.wechat.oa.welcome, async () => (await stack.app.services.settings.get()).name);

let stack: TestStack;
let crypt: MessageCrypt;
let url: string;
beforeAll(async () => {
  stack = await startStack({ seed: false });
  const { oa } = stack.config.wechat;
  crypt = new MessageCrypt({ token: oa.token, encodingAesKey: oa.encodingAesKey, appId: oa.appId });
  url = `${stack.baseUrl}${oa.path}`;
});
afterAll(() => stack.close());

let clock = 1_800_000_000;
const subscribeXml = (ts: number, from = 'o_http_user') =>
  `<xml><ToUserName><![CDATA[gh_chatmall]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${ts}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event></xml>`;

function plain(xml: string, ts: number, tamper = false) {
  const q = new URLSearchParams({
    signature: tamper ? '0'.repeat(40) : crypt.signature(String(ts), 'n1'),
    timestamp: String(ts),
    nonce: 'n1',
  });
  return fetch(`${url}?${q}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml });
}

function safe(xml: string, ts: number, c: MessageCrypt = crypt, badMsgSignature = false) {
  const encrypted = c.encrypt(xml);
  const q = new URLSearchParams({
    signature: crypt.signature(String(ts), 'n2'),
    timestamp: String(ts),
    nonce: 'n2',
    encrypt_type: 'aes',
    msg_signature: badMsgSignature ? 'f'.repeat(40) : crypt.msgSignature(String(ts), 'n2', encrypted),
  });
  const body = `<xml><ToUserName><![CDATA[gh_chatmall]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`;
  return fetch(`${url}?${q}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
}

describe('official-account endpoint over HTTP', () => {
  it('answers URL verification with echostr verbatim, and 401 to a forged one', async () => {
    const ts = String(clock);
    const ok = await fetch(`${url}?signature=${crypt.signature(ts, 'x')}&timestamp=${ts}&nonce=x&echostr=abc123`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('abc123');
    const forged = await fetch(`${url}?signature=${'1'.repeat(40)}&timestamp=${ts}&nonce=x&echostr=abc123`);
    expect(forged.status).toBe(401);
  });

  it('welcomes a new follower with the configured welcome text (safe mode, encrypted reply)', async () => {
    const res = await safe(subscribeXml(++clock), clock);
    expect(res.status).toBe(200);
    const envelope = parseWechatXml(await res.text())!;
    const opened = crypt.decrypt(envelope.Encrypt as string);
    expect(opened.ok && parseWechatXml(opened.message)?.Content).toBe(await welcome());
  });

  it('a wrong signature is refused with 401 and the push is not consumed', async () => {
    const ts = ++clock;
    expect((await plain(subscribeXml(ts), ts, true)).status).toBe(401);
    // Not marked as seen: the genuine push is still handled afterwards.
    const genuine = await plain(subscribeXml(ts), ts);
    expect(await genuine.text()).toContain('<MsgType><![CDATA[text]]></MsgType>');
  });

  it('a wrong msg_signature is refused with 401 and the push is not consumed', async () => {
    const ts = ++clock;
    expect((await safe(subscribeXml(ts), ts, crypt, true)).status).toBe(401);
    expect(await (await safe(subscribeXml(ts), ts)).text()).toContain('<Encrypt>');
  });

  it('a ciphertext carrying another appid is refused with 403', async () => {
    const ts = ++clock;
    const { oa } = stack.config.wechat;
    const other = new MessageCrypt({ token: oa.token, encodingAesKey: oa.encodingAesKey, appId: 'wx0000000000000bad' });
    const res = await safe(subscribeXml(ts), ts, other);
    expect(res.status).toBe(403);
    expect(await stack.redis.exists(`wx:oa:${oa.appId}:seen:evt:o_http_user:${ts}:subscribe`)).toBe(0);
  });

  it('malformed XML and a truncated body get 400', async () => {
    const ts = ++clock;
    expect((await plain('<xml><ToUserName>oops</xml>', ts)).status).toBe(400);
    const whole = subscribeXml(ts);
    expect((await plain(whole.slice(0, -12), ts)).status).toBe(400);
  });

  it('a body over the endpoint’s 64 KB limit gets 413', async () => {
    const ts = ++clock;
    const big = subscribeXml(ts).replace('</xml>', `<Pad><![CDATA[${'x'.repeat(70 * 1024)}]]></Pad></xml>`);
    const res = await plain(big, ts);
    expect(res.status).toBe(413);
  });

  it('a retried push is answered success and not handled again', async () => {
    const ts = ++clock;
    const first = await plain(subscribeXml(ts, 'o_dup'), ts);
    expect(await first.text()).toContain('CDATA[text]');
    const retry = await plain(subscribeXml(ts, 'o_dup'), ts);
    expect(await retry.text()).toBe('success');
  });
});
