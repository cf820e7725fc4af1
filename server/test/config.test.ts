import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSandbox } from '../../sandbox/src/app';
import { loadSandboxConfig } from '../../sandbox/src/config';
import type { PaySurface } from '../../sandbox/src/pay/surface';
import { ConfigError, loadConfig, redactUrl } from '../src/kernel/config';

function tempRoot(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chatmall-config-'));
  fs.mkdirSync(path.join(dir, 'config'));
  for (const [name, value] of Object.entries(files))
    fs.writeFileSync(path.join(dir, name), typeof value === 'string' ? value : JSON.stringify(value));
  return dir;
}

const repoDefaults = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../config/default.json'), 'utf8'));

describe('configuration', () => {
  it('layers default.json, <env>.json, .env and the environment, last wins', () => {
    const root = tempRoot({
      'config/default.json': repoDefaults,
      'config/development.json': { API_PORT: '4000', LOG_LEVEL: 'debug' },
      '.env': 'API_PORT=4100\n# comment\nAPI_HOST="0.0.0.0"\n',
    });
    const c = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'warn' }, root);
    expect(c.api.port).toBe(4100);
    expect(c.api.host).toBe('0.0.0.0');
    expect(c.logLevel).toBe('warn');
    // Relative to the root; under the port's own data dir, since API_PORT is not the default.
    expect(c.db.url).toBe(`sqlite:${path.join(root, '.data/stack-4100/chatmall.sqlite')}`);
  });

  it('stops with a message naming every bad key', () => {
    const root = tempRoot({ 'config/default.json': repoDefaults });
    let err: unknown;
    try {
      loadConfig({ API_PORT: 'eighty', REDIS_URL: 'http://nope', LOG_LEVEL: 'loud' }, root);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).toMatch(/API_PORT/);
    expect(message).toMatch(/REDIS_URL/);
    expect(message).toMatch(/LOG_LEVEL/);
  });

  it('names a missing key', () => {
    const { WECHATPAY_MCHID: _omit, ...rest } = repoDefaults;
    const root = tempRoot({ 'config/default.json': rest });
    expect(() => loadConfig({}, root)).toThrow(/WECHATPAY_MCHID/);
  });

  it('never prints a secret value, even when it is the bad one', () => {
    const root = tempRoot({ 'config/default.json': repoDefaults });
    const secret = 'postgres://admin:Sup3rS3cret@db.internal/shop';
    expect(() => loadConfig({ DATABASE_URL: secret }, root)).toThrow(/DATABASE_URL/);
    try {
      loadConfig({ DATABASE_URL: secret }, root);
    } catch (e) {
      expect((e as Error).message).not.toContain('Sup3rS3cret');
    }
    expect(redactUrl('mysql://shop:Sup3rS3cret@db:3306/shop')).toBe('mysql://shop:***@db:3306/shop');
  });

  it("reads dotenv lines with quotes, export and comments (Node's own parser)", () => {
    const root = tempRoot({
      'config/default.json': repoDefaults,
      '.env': 'export QUEUE_PREFIX=one\nWECHAT_OA_WELCOME="two words"\n# WECHAT_MP_SECRET=3\nWECHAT_OA_SECRET=\'x\'\n',
    });
    const c = loadConfig({ NODE_ENV: 'development' }, root);
    expect(c.queues.prefix).toBe('one');
    expect(c.wechat.oa.welcome).toBe('two words');
    expect(c.wechat.oa.secret).toBe('x');
    expect(c.wechat.miniProgram.secret).toBe(repoDefaults.WECHAT_MP_SECRET);
  });

  it('ignores .env under NODE_ENV=test and empty environment values', () => {
    const root = tempRoot({ 'config/default.json': repoDefaults, '.env': 'API_PORT=4100\n' });
    expect(loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'sqlite::memory:' }, root).api.port).toBe(3000);
    expect(loadConfig({ NODE_ENV: 'development', API_PORT: '' }, root).api.port).toBe(4100);
  });
});

describe('one configuration for the server and the sandbox', () => {
  const key = 'aNewApiV3KeyFromDotEnv0000000032';

  it('a WECHATPAY_APIV3_KEY changed in .env reaches both the server and the sandbox', () => {
    expect(Buffer.byteLength(key)).toBe(32);
    expect(key).not.toBe(repoDefaults.WECHATPAY_APIV3_KEY);
    const root = tempRoot({ 'config/default.json': repoDefaults, '.env': `WECHATPAY_APIV3_KEY=${key}\n` });
    const env = { NODE_ENV: 'development' };
    expect(loadConfig(env, root).wechatPay.apiV3Key).toBe(key);
    const sandboxConfig = loadSandboxConfig(env, root);
    expect(sandboxConfig.merchant.apiV3Key).toBe(key);
    // …and the sandbox built from that configuration encrypts its notifications with it.
    const sandbox = createSandbox({ ...sandboxConfig, stateDir: path.join(root, 'sandbox'), logLevel: 'silent' });
    const pay = sandbox.surfaces.find((s): s is PaySurface => 'merchant' in s);
    expect(pay?.merchant.apiV3Key).toBe(key);
    void sandbox.close();
  });

  it('ports drive the URLs that follow from them, on both sides', () => {
    const root = tempRoot({ 'config/default.json': repoDefaults });
    const env = { NODE_ENV: 'development', API_PORT: '3301', SANDBOX_PORT: '3401', REDIS_PORT: '16401' };
    const c = loadConfig(env, root);
    expect(c.api.publicBaseUrl).toBe('http://127.0.0.1:3301');
    expect(c.wechatPay.notifyUrl).toBe('http://127.0.0.1:3301/api/pay/notify');
    expect(c.wechat.apiBase).toBe('http://127.0.0.1:3401');
    expect(c.wechatPay.apiBase).toBe('http://127.0.0.1:3401');
    expect(c.redis.url).toBe('redis://127.0.0.1:16401/0');
    const s = loadSandboxConfig(env, root);
    expect(s.port).toBe(3401);
    expect(s.selfBaseUrl).toBe('http://127.0.0.1:3401');
    expect(s.merchantBaseUrl).toBe('http://127.0.0.1:3301');

    // The defaults, for comparison; a wildcard API_HOST is reached on loopback.
    const d = loadConfig({ NODE_ENV: 'development', API_HOST: '0.0.0.0' }, root);
    expect(d.api.publicBaseUrl).toBe('http://127.0.0.1:3000');
    expect(d.wechatPay.notifyUrl).toBe('http://127.0.0.1:3000/api/pay/notify');
    expect(d.wechat.apiBase).toBe('http://127.0.0.1:3100');
    expect(d.redis.url).toBe('redis://127.0.0.1:16379/0');
  });

  it('tests keep Redis db 1 on whatever port REDIS_PORT names', () => {
    const root = path.resolve(__dirname, '../..');
    expect(loadConfig({ NODE_ENV: 'test', REDIS_PORT: '16401' }, root).redis.url).toBe('redis://127.0.0.1:16401/1');
  });

  it('an explicit value wins over the port, from any layer', () => {
    const root = tempRoot({
      'config/default.json': repoDefaults,
      '.env': 'PUBLIC_BASE_URL=https://shop.example.com/\nWECHAT_API_BASE=https://api.weixin.qq.com\n',
    });
    const env = { NODE_ENV: 'development', API_PORT: '3301', SANDBOX_PORT: '3401', REDIS_PORT: '16401' };
    const c = loadConfig(env, root);
    expect(c.api.publicBaseUrl).toBe('https://shop.example.com');
    expect(c.wechatPay.notifyUrl).toBe('https://shop.example.com/api/pay/notify'); // follows the explicit base
    expect(c.wechat.apiBase).toBe('https://api.weixin.qq.com');
    expect(c.wechatPay.apiBase).toBe('http://127.0.0.1:3401'); // not set: still the port's
    expect(loadSandboxConfig(env, root).merchantBaseUrl).toBe('https://shop.example.com');

    const e = loadConfig({ ...env, PUBLIC_BASE_URL: 'http://10.0.0.5:8080', REDIS_URL: 'redis://cache:6379/2' }, root);
    expect(e.api.publicBaseUrl).toBe('http://10.0.0.5:8080');
    expect(e.redis.url).toBe('redis://cache:6379/2');
  });

  it('a second stack on another API port keeps its database, images and sandbox state apart', () => {
    const root = tempRoot({ 'config/default.json': repoDefaults });
    const first = loadConfig({ NODE_ENV: 'development' }, root);
    expect(first.db.url).toBe(`sqlite:${path.join(root, '.data/chatmall.sqlite')}`);
    expect(first.mediaDir).toBe(path.join(root, '.data/media'));
    expect(first.wechatPay.merchantPrivateKey).toBe(`file:${path.join(root, '.data/sandbox/pay/merchant-key.pem')}`);
    expect(loadSandboxConfig({ NODE_ENV: 'development' }, root).stateDir).toBe(path.join(root, '.data/sandbox'));

    const env = { NODE_ENV: 'development', API_PORT: '3301' };
    const second = loadConfig(env, root);
    const dir = path.join(root, '.data/stack-3301');
    expect(second.db.url).toBe(`sqlite:${dir}/chatmall.sqlite`);
    expect(second.mediaDir).toBe(`${dir}/media`);
    expect(second.wechatPay.merchantSerial).toBe(`file:${dir}/sandbox/pay/merchant-serial.txt`);
    expect(second.wechatPay.merchantPrivateKey).toBe(`file:${dir}/sandbox/pay/merchant-key.pem`);
    expect(second.wechatPay.publicKeyId).toBe(`file:${dir}/sandbox/pay/wechatpay-public-key-id.txt`);
    expect(second.wechatPay.publicKey).toBe(`file:${dir}/sandbox/pay/wechatpay-public-key.pem`);
    expect(loadSandboxConfig(env, root).stateDir).toBe(`${dir}/sandbox`);

    // DATA_DIR moves them all; each one can still be set on its own.
    const moved = loadConfig({ ...env, DATA_DIR: '/srv/chatmall', MEDIA_DIR: '/var/media' }, root);
    expect(moved.db.url).toBe('sqlite:/srv/chatmall/chatmall.sqlite');
    expect(moved.mediaDir).toBe('/var/media');
    expect(moved.wechatPay.publicKey).toBe('file:/srv/chatmall/sandbox/pay/wechatpay-public-key.pem');
  });
});
