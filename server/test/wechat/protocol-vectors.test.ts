/**
 * Every vector in WECHAT-PROTOCOL.md §1 and §3, reproduced with our own code.
 */
import { MessageCrypt } from '../../src/wechat/crypto/message-crypt';
import { decryptMiniProgramData, encryptMiniProgramData } from '../../src/wechat/crypto/miniprogram-crypt';
import { sha1Hex, sortedSha1, sortedSha1WithAmpersand } from '../../src/wechat/crypto/signature';
import { sealReply } from '../../src/wechat/oa/endpoint';

describe('V1: URL verification signature (official docs)', () => {
  it('sha1 of the sorted token, timestamp and nonce matches the documented signature', () => {
    expect(sortedSha1('AAAAA', '1714036504', '1514711492')).toBe('f464b24fc39322e44b38aa78f5edd27bd1441696');
    expect([...['AAAAA', '1714036504', '1514711492']].sort().join('')).toBe('15147114921714036504AAAAA');
  });
});

describe('V1b: plaintext JSON push signature (official docs)', () => {
  it('matches 899cf89e…', () => {
    expect(sortedSha1('AAAAA', '1714037059', '486452656')).toBe('899cf89e464efb63f54ddac96b0a0a235f53aa78');
  });
  it('the third-party page signature re-computes with token AAAAA', () => {
    expect(sortedSha1('AAAAA', '1715943329', '1590219412')).toBe('cc0c594499c1634947d5b502f158ee518947db27');
  });
});

describe('SDK signature vectors', () => {
  it('silenceper/wechat: sha1(sort(a,b,c))', () => {
    expect(sortedSha1('a', 'b', 'c')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(sha1Hex('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  });
  it('WxJava SHA1.gen and genWithAmple', () => {
    expect(sortedSha1('123', '345')).toBe('9f537aeb751ec72605f57f94a2f6dc3e3958e1dd');
    expect(sortedSha1WithAmpersand('123', '345')).toBe('20b896ccbd5a72dde5dbe0878ff985e4069771c6');
  });
});

describe('V2: safe mode, both directions (official docs)', () => {
  const crypt = new MessageCrypt({
    token: 'AAAAA',
    encodingAesKey: 'A'.repeat(43),
    appId: 'wxba5fad812f8e6fb9',
  });
  const encrypt =
    '+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04=';
  const message =
    '{"ToUserName":"gh_97417a04a28d","FromUserName":"o9AgO5Kd5ggOC-bXrbNODIiE3bGY","CreateTime":1714112445,"MsgType":"event","Event":"debug_demo","debug_str":"hello world"}';

  it('push: signature and msg_signature match the documented URL', () => {
    expect(crypt.signature('1714112445', '415670741')).toBe('6c5c811b55cc85e0e1b54100749188c20beb3f5d');
    expect(crypt.msgSignature('1714112445', '415670741', encrypt)).toBe('046e02f8204d34f8ba5fa3b1db94908f3df2e9b3');
  });

  it('push: decrypts to the documented message with the expected appid', () => {
    expect(Buffer.from(encrypt, 'base64')).toHaveLength(224);
    const opened = crypt.decrypt(encrypt);
    expect(opened).toEqual({ ok: true, message, appId: 'wxba5fad812f8e6fb9', key: 'current' });
    expect(Buffer.byteLength(message)).toBe(167);
  });

  it('reply: encrypting with the documented random gives the documented Encrypt and MsgSignature', () => {
    const sealed = sealReply(crypt, '{"demo_resp":"good luck"}', {
      nonce: '415670741',
      timestamp: 1713424427,
      format: 'json',
      random: Buffer.from('707722b803182950'),
    });
    expect(JSON.parse(sealed)).toEqual({
      Encrypt: 'ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==',
      MsgSignature: '1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1',
      TimeStamp: 1713424427,
      Nonce: '415670741',
    });
  });

  it('the same ciphertext under another appid is refused as wrong-appid', () => {
    const other = new MessageCrypt({ token: 'AAAAA', encodingAesKey: 'A'.repeat(43), appId: 'wx0000000000000000' });
    expect(other.decrypt(encrypt)).toEqual({ ok: false, reason: 'wrong-appid' });
  });

  it('pads to 32-byte blocks, not 16 (63-byte FullStr becomes 64)', () => {
    const out = Buffer.from(crypt.encrypt('{"demo_resp":"good luck"}'), 'base64');
    expect(out).toHaveLength(64);
  });

  it('after a key rotation, a push under the previous key still opens and the reply uses that key', () => {
    const rotated = new MessageCrypt({
      token: 'AAAAA',
      encodingAesKey: 'B'.repeat(43),
      previousEncodingAesKey: 'A'.repeat(43),
      appId: 'wxba5fad812f8e6fb9',
    });
    const opened = rotated.decrypt(encrypt);
    expect(opened).toMatchObject({ ok: true, key: 'previous' });
    const reply = rotated.encrypt('x', { key: 'previous' });
    expect(crypt.decrypt(reply)).toMatchObject({ ok: true, message: 'x' });
  });
});

describe('V8: mini-program encrypted data (official wx.getUserInfo demo)', () => {
  const input = {
    sessionKey: 'tiihtNczf5v6AKRyjwEUhQ==',
    iv: 'r7BXXKkLb8qrSNn05n0qiA==',
    encryptedData:
      'CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS9uT5geRa0W4oTOb1WT7fJlAC+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142dNCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW1zAo6/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn/Hz7saL8xz+W//FRAUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4PC7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns/8wR2SiRS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYVoKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuyDb/XcxxmK01EpqOyuxINew==',
  };

  it('decrypts to the documented user and checks watermark.appid', () => {
    const out = decryptMiniProgramData<Record<string, any>>(input, { appId: 'wx4f4bc4dec97d474b' });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.data.openId).toBe('oGZUI0egBJY1zhBYw2KhdUfwVJJE');
    expect(out.data.unionId).toBe('ocMvos6NjeKLIBqg5Mr9QjxrP1FA');
    expect(out.data.watermark).toEqual({ timestamp: 1477314187, appid: 'wx4f4bc4dec97d474b' });
  });

  it('refuses the payload for another appid, and a stale watermark when freshness is asked for', () => {
    expect(decryptMiniProgramData(input, { appId: 'wx0000000000000000' })).toEqual({
      ok: false,
      reason: 'wrong-appid',
    });
    expect(
      decryptMiniProgramData(input, { appId: 'wx4f4bc4dec97d474b', maxAgeSeconds: 600, nowSeconds: 1477314187 + 601 }),
    ).toEqual({ ok: false, reason: 'stale' });
  });

  it('AES-128-CBC of the empty string with the demo key and iv is qJ3AQxeKzsJ9mDC9BRN4YQ==', () => {
    expect(encryptMiniProgramData(input.sessionKey, input.iv, '')).toBe('qJ3AQxeKzsJ9mDC9BRN4YQ==');
  });

  it('a wrong session key is malformed, not a crash', () => {
    const out = decryptMiniProgramData(
      { ...input, sessionKey: Buffer.alloc(16, 1).toString('base64') },
      { appId: 'x' },
    );
    expect(out.ok).toBe(false);
  });
});
