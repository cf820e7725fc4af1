/**
 * The message endpoint core, driven with built pushes: modes, replies, rejections,
 * de-duplication and the 5-second rule.
 */
import { MessageCrypt } from '../../src/wechat/crypto/message-crypt';
import { sortedSha1 } from '../../src/wechat/crypto/signature';
import { PushDeduplicator } from '../../src/wechat/oa/dedup';
import { OfficialAccountEndpoint } from '../../src/wechat/oa/endpoint';
import { MessageHandlers } from '../../src/wechat/oa/handlers';
import type { InboundMessage } from '../../src/wechat/oa/messages';
import { parseWechatXml } from '../../src/wechat/oa/xml';
import { memoryStore } from '../../src/wechat/store';

const token = 'chatmalltoken';
const appId = 'wxd0c0ffee00a1a001';
const crypt = new MessageCrypt({ token, encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', appId });
const now = 1714112445;

const textXml = (content: string, msgId = '1234567890123456789') =>
  `<xml><ToUserName><![CDATA[gh_chatmall]]></ToUserName><FromUserName><![CDATA[o_user_1]]></FromUserName><CreateTime>${now}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`;
const eventXml = (event: string, extra = '') =>
  `<xml><ToUserName><![CDATA[gh_chatmall]]></ToUserName><FromUserName><![CDATA[o_user_1]]></FromUserName><CreateTime>${now}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${event}]]></Event>${extra}</xml>`;

function plainQuery(ts = String(now), nonce = '415670741') {
  return { signature: sortedSha1(token, ts, nonce), timestamp: ts, nonce, openid: 'o_user_1' };
}
function safePush(xml: string, c: MessageCrypt = crypt, compat = false) {
  const ts = String(now);
  const nonce = '98765';
  const encrypted = c.encrypt(xml);
  const body = compat
    ? xml.replace('</xml>', `<Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`)
    : `<xml><ToUserName><![CDATA[gh_chatmall]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`;
  return {
    query: { ...plainQuery(ts, nonce), encrypt_type: 'aes', msg_signature: sortedSha1(token, ts, nonce, encrypted) },
    body: Buffer.from(body),
  };
}

function setup(opts: { deadlineMs?: number } = {}) {
  const seen: InboundMessage[] = [];
  const late: { openid: string; reply: unknown }[] = [];
  const handlers = new MessageHandlers()
    .onMessage('text', (m) => {
      seen.push(m);
      if (m.content === 'slow')
        return new Promise((r) => setTimeout(() => r({ type: 'text', content: 'sorry, slow' }), 1500));
      if (m.content === 'boom') throw new Error('handler failed');
      return { type: 'text', content: `you said ${m.content}` };
    })
    .onEvent('subscribe', (m) => {
      seen.push(m);
      return { type: 'text', content: `welcome from ${m.scene ?? 'nowhere'}` };
    })
    .onEvent('CLICK', () => ({ type: 'text', content: 'today’s tea' }), 'MENU_TODAY')
    .otherwise((m) => void seen.push(m));
  const endpoint = new OfficialAccountEndpoint({
    crypt,
    handlers,
    dedup: new PushDeduplicator(memoryStore(), appId),
    deadlineMs: opts.deadlineMs,
    nowSeconds: () => now + 1,
    sendLateReply: async (openid, reply) => void late.push({ openid, reply }),
  });
  return { endpoint, seen, late };
}

describe('URL verification', () => {
  it('answers echostr verbatim when the signature matches', () => {
    const { endpoint } = setup();
    expect(endpoint.verifyUrl({ ...plainQuery(), echostr: '4375120948345356249' })).toMatchObject({
      status: 200,
      body: '4375120948345356249',
    });
  });
  it('refuses a wrong signature with 401', () => {
    const { endpoint } = setup();
    expect(endpoint.verifyUrl({ ...plainQuery(), signature: 'f'.repeat(40), echostr: '1' }).status).toBe(401);
  });
});

describe('plaintext mode', () => {
  it('replies in XML with To and From swapped and CreateTime in seconds', async () => {
    const { endpoint } = setup();
    const answer = await endpoint.receive(plainQuery(), Buffer.from(textXml('hi')));
    expect(answer.status).toBe(200);
    if (answer.status !== 200) return;
    const reply = parseWechatXml(answer.body)!;
    expect(reply).toEqual({
      ToUserName: 'o_user_1',
      FromUserName: 'gh_chatmall',
      CreateTime: String(now + 1),
      MsgType: 'text',
      Content: 'you said hi',
    });
  });

  it('a wrong signature is refused with 401 and no handler runs', async () => {
    const { endpoint, seen } = setup();
    const answer = await endpoint.receive({ ...plainQuery(), signature: '0'.repeat(40) }, Buffer.from(textXml('hi')));
    expect(answer.status).toBe(401);
    expect(seen).toHaveLength(0);
  });

  it('malformed and truncated XML get 400 and no handler runs', async () => {
    const { endpoint, seen } = setup();
    expect((await endpoint.receive(plainQuery(), Buffer.from('<xml><ToUserName>a</xml>'))).status).toBe(400);
    const whole = textXml('hi');
    expect((await endpoint.receive(plainQuery(), Buffer.from(whole.slice(0, whole.length - 20)))).status).toBe(400);
    expect((await endpoint.receive(plainQuery(), Buffer.from('<!DOCTYPE x [<!ENTITY a "b">]><xml/>'))).status).toBe(
      400,
    );
    expect((await endpoint.receive(plainQuery(), Buffer.from('<xml><Foo>1</Foo></xml>'))).status).toBe(400);
    expect(seen).toHaveLength(0);
  });

  it('a body over the endpoint limit is refused with 413', async () => {
    const { endpoint, seen } = setup();
    const answer = await endpoint.receive(plainQuery(), Buffer.from(textXml('x'.repeat(70 * 1024))));
    expect(answer.status).toBe(413);
    expect(seen).toHaveLength(0);
  });

  it('a retried message (same MsgId) is handled once; the retry gets success', async () => {
    const { endpoint, seen } = setup();
    const first = await endpoint.receive(plainQuery(), Buffer.from(textXml('hi')));
    const retry = await endpoint.receive(plainQuery(), Buffer.from(textXml('hi')));
    expect(first.status === 200 && first.body).toContain('you said hi');
    expect(retry).toMatchObject({ status: 200, body: 'success' });
    expect(seen).toHaveLength(1);
  });

  it('a retried event (same FromUserName + CreateTime) is handled once', async () => {
    const { endpoint, seen } = setup();
    await endpoint.receive(plainQuery(), Buffer.from(eventXml('subscribe')));
    await endpoint.receive(plainQuery(), Buffer.from(eventXml('subscribe')));
    expect(seen).toHaveLength(1);
  });

  it('send receipts are told apart by their MsgID: two in one second from one sender both count, a retry of one does not', async () => {
    const { endpoint, seen } = setup();
    const receipt = (msgId: string) =>
      Buffer.from(
        eventXml('MASSSENDJOBFINISH', `<MsgID>${msgId}</MsgID><Status><![CDATA[send success]]></Status>`),
      );
    await endpoint.receive(plainQuery(), receipt('1000001'));
    await endpoint.receive(plainQuery(), receipt('1000002'));
    await endpoint.receive(plainQuery(), receipt('1000002'));
    expect(seen).toHaveLength(2);
  });

  it('a handler that fails gives the push back, so WeChat’s retry is handled', async () => {
    const { endpoint, seen } = setup();
    await expect(endpoint.receive(plainQuery(), Buffer.from(textXml('boom', '1')))).rejects.toThrow('handler failed');
    await expect(endpoint.receive(plainQuery(), Buffer.from(textXml('boom', '1')))).rejects.toThrow('handler failed');
    expect(seen).toHaveLength(2);
  });

  it('routes a menu click by key and answers success when nobody replies', async () => {
    const { endpoint } = setup();
    const click = await endpoint.receive(
      plainQuery(),
      Buffer.from(eventXml('CLICK', '<EventKey><![CDATA[MENU_TODAY]]></EventKey>')),
    );
    expect(click.status === 200 && click.body).toContain('today’s tea');
    const other = await endpoint.receive(
      plainQuery(String(now + 5)),
      Buffer.from(eventXml('CLICK', '<EventKey><![CDATA[OTHER]]></EventKey>').replace(String(now), String(now + 5))),
    );
    expect(other).toMatchObject({ status: 200, body: 'success' });
  });
});

describe('safe and compatible mode', () => {
  it('decrypts, checks msg_signature, and answers with an encrypted reply that echoes the nonce', async () => {
    const { endpoint, seen } = setup();
    const push = safePush(
      eventXml('subscribe', '<EventKey><![CDATA[qrscene_table-12]]></EventKey><Ticket><![CDATA[T]]></Ticket>'),
    );
    const answer = await endpoint.receive(push.query, push.body);
    expect(answer.status).toBe(200);
    if (answer.status !== 200) return;
    expect(seen[0]).toMatchObject({ msgType: 'event', event: 'subscribe', scene: 'table-12', ticket: 'T' });
    const envelope = parseWechatXml(answer.body)!;
    expect(envelope.Nonce).toBe('98765');
    expect(envelope.TimeStamp).toBe(String(now + 1));
    expect(envelope.MsgSignature).toBe(crypt.msgSignature(String(now + 1), '98765', envelope.Encrypt as string));
    const opened = crypt.decrypt(envelope.Encrypt as string);
    expect(opened.ok && parseWechatXml(opened.message)?.Content).toBe('welcome from table-12');
  });

  it('compatible mode (plaintext fields plus Encrypt) is handled from the ciphertext', async () => {
    const { endpoint, seen } = setup();
    const push = safePush(textXml('compat'), crypt, true);
    const answer = await endpoint.receive(push.query, push.body);
    expect(answer.status).toBe(200);
    expect(seen[0]).toMatchObject({ content: 'compat' });
  });

  it('a wrong msg_signature is refused with 401 even when signature is right; no handler runs', async () => {
    const { endpoint, seen } = setup();
    const push = safePush(textXml('hi'));
    const answer = await endpoint.receive({ ...push.query, msg_signature: 'a'.repeat(40) }, push.body);
    expect(answer.status).toBe(401);
    expect(seen).toHaveLength(0);
  });

  it('a ciphertext for another appid is refused with 403; no handler runs', async () => {
    const { endpoint, seen } = setup();
    const stranger = new MessageCrypt({
      token,
      encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
      appId: 'wx_other',
    });
    const push = safePush(textXml('hi'), stranger);
    expect((await endpoint.receive(push.query, push.body)).status).toBe(403);
    expect(seen).toHaveLength(0);
  });

  it('a ciphertext under an unknown key is refused with 400', async () => {
    const { endpoint } = setup();
    const stranger = new MessageCrypt({ token, encodingAesKey: 'Z'.repeat(43), appId });
    const push = safePush(textXml('hi'), stranger);
    expect([400, 403]).toContain((await endpoint.receive(push.query, push.body)).status);
  });

  it('success is never encrypted', async () => {
    const { endpoint } = setup();
    const push = safePush(eventXml('unsubscribe'));
    expect(await endpoint.receive(push.query, push.body)).toMatchObject({ status: 200, body: 'success' });
  });
});

describe('the 5-second rule', () => {
  it('a slow handler’s push is answered success in time, and its reply goes out as a customer-service message', async () => {
    const { endpoint, late } = setup({ deadlineMs: 20 });
    const started = Date.now();
    const answer = await endpoint.receive(plainQuery(), Buffer.from(textXml('slow')));
    // Answered at the deadline, long before the handler's reply is ready (wide margins: a busy CI machine).
    expect(Date.now() - started).toBeLessThan(1000);
    expect(answer).toMatchObject({ status: 200, body: 'success' });
    if (answer.status === 200) await answer.background;
    expect(late).toEqual([{ openid: 'o_user_1', reply: { type: 'text', content: 'sorry, slow' } }]);
  });
});
