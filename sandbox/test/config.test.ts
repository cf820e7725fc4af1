/**
 * The sandbox reads its apps, merchant, address and state dir from the loader the server
 * uses: `.env` and the environment reach it, and a missing value is named, never guessed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSandboxConfig, SandboxConfigError } from '../src/config';
import { loadApps } from '../src/platform/apps';

const repoDefaults = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../config/default.json'), 'utf8'));

function tempRoot(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-config-'));
  fs.mkdirSync(path.join(dir, 'config'));
  for (const [name, value] of Object.entries(files))
    fs.writeFileSync(path.join(dir, name), typeof value === 'string' ? value : JSON.stringify(value));
  return dir;
}

describe('sandbox configuration', () => {
  it('reads .env like the server: apps, merchant, host, port, state dir, time scale, log level', () => {
    const root = tempRoot({
      'config/default.json': repoDefaults,
      '.env': [
        'WECHAT_OA_APPID=wx0123456789abcdef',
        'WECHAT_OA_ORIGINAL_ID=gh_0123456789ab',
        'WECHAT_MP_SECRET=anotherSecret',
        'WECHATPAY_MCHID=1230000109',
        'WECHATPAY_APIV3_KEY=aNewApiV3KeyFromDotEnv0000000032',
        'SANDBOX_HOST=0.0.0.0',
        'SANDBOX_PORT=3401',
        'SANDBOX_STATE_DIR=/var/tmp/sb',
        'SANDBOX_TIME_SCALE=50',
        'LOG_LEVEL=debug',
      ].join('\n'),
    });
    const c = loadSandboxConfig({ NODE_ENV: 'development' }, root);
    expect(c.apps.oa).toMatchObject({ appId: 'wx0123456789abcdef', originalId: 'gh_0123456789ab' });
    expect(c.apps.mp.secret).toBe('anotherSecret');
    expect(c.merchant).toEqual({
      mchid: '1230000109',
      appid: repoDefaults.WECHATPAY_APPID,
      apiV3Key: 'aNewApiV3KeyFromDotEnv0000000032',
    });
    expect(c).toMatchObject({
      host: '0.0.0.0',
      port: 3401,
      selfBaseUrl: 'http://127.0.0.1:3401',
      merchantBaseUrl: 'http://127.0.0.1:3000',
      stateDir: '/var/tmp/sb',
      timeScale: 50,
      logLevel: 'debug',
    });
    expect(loadApps({ NODE_ENV: 'development' }, root)).toEqual(c.apps);
    // The environment still wins over .env.
    expect(loadSandboxConfig({ NODE_ENV: 'development', SANDBOX_PORT: '3500' }, root).port).toBe(3500);
  });

  it('names a missing or bad value instead of falling back to one of its own, never printing a secret', () => {
    const { WECHAT_OA_ORIGINAL_ID: _omit, ...rest } = repoDefaults;
    const root = tempRoot({ 'config/default.json': rest });
    expect(() => loadSandboxConfig({ NODE_ENV: 'development' }, root)).toThrow(SandboxConfigError);
    expect(() => loadSandboxConfig({ NODE_ENV: 'development' }, root)).toThrow(/WECHAT_OA_ORIGINAL_ID/);
    const secret = 'short-secret-key';
    let message = '';
    try {
      loadSandboxConfig(
        { NODE_ENV: 'development', WECHATPAY_APIV3_KEY: secret },
        tempRoot({ 'config/default.json': repoDefaults }),
      );
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('WECHATPAY_APIV3_KEY: must be exactly 32 bytes');
    expect(message).not.toContain(secret);
  });
});
