/**
 * Buyers' WeChat session keys: kept in the database encrypted (AES-256-GCM, the key never in
 * clear in the column), with Redis as a cache — a flushed Redis still decrypts group
 * payloads; a key rotation reads rows sealed under the previous key and re-encrypts on the
 * next write; the encryption key is checked by configuration (production refuses the
 * development default).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/kernel/config';
import { BuyerSessionKeyEntity } from '../src/modules/auth/buyer-session-key.entity';
import { SessionKeyCipher } from '../src/modules/auth/session-key-cipher';
import { DbSessionKeys } from '../src/modules/auth/session-key.store';
import { encryptMiniProgramData } from '../src/wechat/crypto/miniprogram-crypt';
import { cachedSessionKeys } from '../src/wechat/miniprogram/session-keys';
import { memoryStore, type KeyValueStore } from '../src/wechat/store';
import { startSandbox, type RunningSandbox } from './support/sandbox';
import { startStack, testConfig, type TestStack } from './support/harness';
import { api } from './support/people';

let sandbox: RunningSandbox;
let stack: TestStack;

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({ seed: false, config: testConfig({ WECHAT_API_BASE: sandbox.url }) });
}, 60_000);
afterAll(async () => {
  await stack?.close();
  await sandbox?.close();
});

/** The session key the sandbox (playing WeChat) issued to this user at their last wx.login. */
async function sandboxSessionKey(openid: string): Promise<string> {
  // The sandbox writes its state file shortly after each change (50 ms); let it.
  await new Promise((r) => setTimeout(r, 150));
  const file = path.join(sandbox.stateDir, 'mini-program.json');
  for (let i = 0; i < 40; i++) {
    if (fs.existsSync(file)) {
      const key = JSON.parse(fs.readFileSync(file, 'utf8')).sessionKeys?.[openid];
      if (key) return key as string;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the sandbox did not record a session key');
}

async function signIn(openid: string) {
  const code = (await api(sandbox.url, 'POST', `/sandbox/mp/users/${openid}/login`, {}, {})).body.code;
  const res = await api(stack.baseUrl, 'POST', '/api/auth/login', {}, { code });
  expect(res.status).toBe(200);
  return res.body;
}

const K1 = Buffer.alloc(32, 1).toString('base64');
const K2 = Buffer.alloc(32, 2).toString('base64');

describe('session keys at rest', () => {
  it('are stored encrypted: the column never holds the key in clear, in any spelling', async () => {
    const openid = 'oSessionKey0001';
    await signIn(openid);
    const sessionKey = await sandboxSessionKey(openid);
    const row = await stack.db.getRepository(BuyerSessionKeyEntity).findOneByOrFail({ openid });
    expect(row.appId).toBe(stack.config.wechat.miniProgram.appId);
    const raw = Buffer.from(sessionKey, 'base64');
    const stored = JSON.stringify(row);
    for (const spelling of [sessionKey, raw.toString('hex'), raw.toString('base64url'), raw.toString('latin1')])
      expect(stored).not.toContain(spelling);
    expect(Buffer.from(row.ciphertext, 'base64').includes(raw)).toBe(false);
    expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 2 * 86400_000);
  });

  it('decrypt a group payload after Redis lost them (flushed): the database answers', async () => {
    const openid = 'oSessionKey0002';
    await signIn(openid);
    await stack.redis.flushdb();
    const share = await api(
      sandbox.url,
      'POST',
      `/sandbox/mp/users/${openid}/group-share`,
      {},
      { groupId: 'tGroupKeys0001' },
    );
    expect(share.status).toBe(200);
    const mp = stack.app.kernel.wechat.miniProgram;
    const group = await mp.groupOf(openid, { iv: share.body.iv, encryptedData: share.body.encryptedData });
    expect(group).toEqual({ ok: true, data: { groupId: 'tGroupKeys0001' } });
    // …and the cache is filled again from the database.
    expect(await stack.redis.get(`wx:mp:${stack.config.wechat.miniProgram.appId}:session-key:${openid}`)).toBe(
      await sandboxSessionKey(openid),
    );
  });

  it('a new sign-in replaces the row with the new key', async () => {
    const openid = 'oSessionKey0003';
    await signIn(openid);
    const first = await sandboxSessionKey(openid);
    await signIn(openid);
    const second = await sandboxSessionKey(openid);
    expect(second).not.toBe(first);
    await stack.redis.flushdb();
    const store = new DbSessionKeys(
      stack.db,
      stack.config.wechat.miniProgram.appId,
      new SessionKeyCipher(stack.config.sessionKeyEncryption),
    );
    expect((await store.get(openid))?.sessionKey).toBe(second);
    expect(await stack.db.getRepository(BuyerSessionKeyEntity).countBy({ openid })).toBe(1);
  });

  it('rotation: the previous key still reads old rows; the next write uses the new key', async () => {
    const appId = 'wxrotation00000001';
    const before = new DbSessionKeys(stack.db, appId, new SessionKeyCipher({ key: K1 }));
    const expiresAt = new Date(Date.now() + 3600_000);
    await before.put('oRotated0001', 'AAAAAAAAAAAAAAAAAAAAAA==', expiresAt);
    const oldRow = await stack.db
      .getRepository(BuyerSessionKeyEntity)
      .findOneByOrFail({ appId, openid: 'oRotated0001' });

    const rotated = new SessionKeyCipher({ key: K2, previousKey: K1 });
    const after = new DbSessionKeys(stack.db, appId, rotated);
    expect((await after.get('oRotated0001'))?.sessionKey).toBe('AAAAAAAAAAAAAAAAAAAAAA==');
    // Without the previous key the old row no longer opens (the buyer signs in again).
    expect(await new DbSessionKeys(stack.db, appId, new SessionKeyCipher({ key: K2 })).get('oRotated0001')).toBeNull();

    await after.put('oRotated0001', 'BBBBBBBBBBBBBBBBBBBBBB==', expiresAt);
    const newRow = await stack.db
      .getRepository(BuyerSessionKeyEntity)
      .findOneByOrFail({ appId, openid: 'oRotated0001' });
    expect(newRow.keyId).toBe(rotated.currentKeyId);
    expect(newRow.keyId).not.toBe(oldRow.keyId);
    expect(
      (await new DbSessionKeys(stack.db, appId, new SessionKeyCipher({ key: K2 })).get('oRotated0001'))?.sessionKey,
    ).toBe('BBBBBBBBBBBBBBBBBBBBBB==');
  });

  it('a sealed value moved onto another buyer’s row does not open; expired rows are not used', async () => {
    const appId = 'wxrotation00000002';
    const store = new DbSessionKeys(stack.db, appId, new SessionKeyCipher({ key: K1 }));
    const later = new Date(Date.now() + 3600_000);
    await store.put('oVictim0001', 'CCCCCCCCCCCCCCCCCCCCCC==', later);
    await store.put('oThief00001', 'DDDDDDDDDDDDDDDDDDDDDD==', later);
    const repo = stack.db.getRepository(BuyerSessionKeyEntity);
    const victim = await repo.findOneByOrFail({ appId, openid: 'oVictim0001' });
    await repo.update({ appId, openid: 'oThief00001' }, { ciphertext: victim.ciphertext });
    expect(await store.get('oThief00001')).toBeNull();
    await store.put('oExpired001', 'EEEEEEEEEEEEEEEEEEEEEE==', new Date(Date.now() - 1000));
    expect(await store.get('oExpired001')).toBeNull();
  });
});

describe('the cache in front of the database', () => {
  it('a failing cache is reported once, ignored, and reported again only after it recovered', async () => {
    const durable = new Map<string, { sessionKey: string; expiresAt: Date }>();
    let down = true;
    const memory = memoryStore();
    const flaky: KeyValueStore = {
      ...memory,
      get: (k) => (down ? Promise.reject(new Error("Stream isn't writeable")) : memory.get(k)),
      put: (k, v, t) => (down ? Promise.reject(new Error("Stream isn't writeable")) : memory.put(k, v, t)),
    };
    const events: string[] = [];
    const keys = cachedSessionKeys({
      appId: 'wxcache00000000001',
      cache: flaky,
      durable: {
        get: async (openid) => durable.get(openid) ?? null,
        put: async (openid, sessionKey, expiresAt) => void durable.set(openid, { sessionKey, expiresAt }),
      },
      onCacheDown: () => events.push('down'),
      onCacheUp: () => events.push('up'),
    });
    await keys.put('o1', 'FFFFFFFFFFFFFFFFFFFFFF==', 60_000);
    expect(await keys.get('o1')).toBe('FFFFFFFFFFFFFFFFFFFFFF==');
    expect(await keys.get('o1')).toBe('FFFFFFFFFFFFFFFFFFFFFF==');
    expect(events).toEqual(['down']);
    down = false;
    expect(await keys.get('o1')).toBe('FFFFFFFFFFFFFFFFFFFFFF==');
    expect(events).toEqual(['down', 'up']);
    expect(await memory.get('wx:mp:wxcache00000000001:session-key:o1')).toBe('FFFFFFFFFFFFFFFFFFFFFF==');
  });

  it('a payload encrypted with the buyer’s session key decrypts through the store', async () => {
    const openid = 'oSessionKey0004';
    await signIn(openid);
    const sessionKey = await sandboxSessionKey(openid);
    await stack.redis.flushdb();
    const iv = Buffer.alloc(16, 7).toString('base64');
    const watermark = { appid: stack.config.wechat.miniProgram.appId, timestamp: Math.floor(Date.now() / 1000) };
    const encryptedData = encryptMiniProgramData(
      sessionKey,
      iv,
      JSON.stringify({ openGId: 'tGroupOld0001', watermark }),
    );
    expect(await stack.app.kernel.wechat.miniProgram.groupOf(openid, { iv, encryptedData })).toEqual({
      ok: true,
      data: { groupId: 'tGroupOld0001' },
    });
  });
});

describe('configuration of the encryption key', () => {
  const root = path.resolve(__dirname, '../..');

  it('refuses a malformed key without quoting it, and the development default in production', () => {
    const bad = 'not-a-real-key-but-a-secret-value';
    expect(() => loadConfig({ NODE_ENV: 'test', SESSION_KEY_ENCRYPTION_KEY: bad }, root)).toThrow(
      /SESSION_KEY_ENCRYPTION_KEY: must be 32 random bytes in base64/,
    );
    try {
      loadConfig({ NODE_ENV: 'test', SESSION_KEY_PREVIOUS_ENCRYPTION_KEY: bad }, root);
      throw new Error('accepted');
    } catch (e) {
      expect((e as Error).message).toMatch(/SESSION_KEY_PREVIOUS_ENCRYPTION_KEY/);
      expect((e as Error).message).not.toContain(bad);
    }
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'chatmall-keys-'));
    fs.mkdirSync(path.join(tmp, 'config'));
    fs.copyFileSync(path.join(root, 'config/default.json'), path.join(tmp, 'config/default.json'));
    expect(() => loadConfig({ NODE_ENV: 'production' }, tmp)).toThrow(
      /SESSION_KEY_ENCRYPTION_KEY: is the development default/,
    );
    const own = loadConfig(
      { NODE_ENV: 'production', SESSION_KEY_ENCRYPTION_KEY: K2, SESSION_KEY_PREVIOUS_ENCRYPTION_KEY: K1 },
      tmp,
    );
    expect(own.sessionKeyEncryption).toEqual({ key: K2, previousKey: K1 });
    expect(loadConfig({ NODE_ENV: 'test' }, root).sessionKeyEncryption.previousKey).toBeUndefined();
  });
});
