/**
 * The storefront build's environment as pure functions: CHATMALL_API_BASE → the base every
 * request is built on, WECHAT_MP_APPID → the appid in dist/weapp/project.config.json. The real
 * weapp build (scripts/test.mjs, with CHATMALL_API_BASE=https://shop.example.com/) is checked
 * by miniapp/test/weapp/*.test.ts; a refused build is run for real once below (it stops while
 * Taro reads its configuration, before any compiling).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { BuildConfigError, resolveApiBase, resolveAppId } from '../config/build-env';

const dev = 'http://127.0.0.1:3000';
const weapp = (value: string | undefined, production = true) =>
  resolveApiBase({ platform: 'weapp', value, production, devDefault: dev });

describe('CHATMALL_API_BASE', () => {
  it('drops a trailing slash, so requests go to https://shop.example.com/api/…', () => {
    expect(weapp('https://shop.example.com/')).toBe('https://shop.example.com');
    expect(weapp('https://shop.example.com')).toBe('https://shop.example.com');
    expect(weapp('  https://shop.example.com//  ')).toBe('https://shop.example.com');
    expect(`${weapp('https://shop.example.com/')}/api/products`).toBe('https://shop.example.com/api/products');
    // A path prefix (the API behind a reverse proxy) is kept, without its trailing slash.
    expect(weapp('https://shop.example.com/mall/')).toBe('https://shop.example.com/mall');
    expect(weapp('https://SHOP.example.com:8443/')).toBe('https://shop.example.com:8443');
  });

  it('refuses an empty value for weapp, in any build', () => {
    for (const production of [true, false]) {
      expect(() => weapp('', production)).toThrow(BuildConfigError);
      expect(() => weapp('   ', production)).toThrow(/CHATMALL_API_BASE is empty/);
    }
  });

  it('refuses anything but https:// in a release weapp build, naming the variable', () => {
    expect(() => weapp('http://shop.example.com')).toThrow(/CHATMALL_API_BASE must start with https:\/\//);
    expect(() => weapp('http://127.0.0.1:3000/')).toThrow(BuildConfigError);
    expect(() => weapp('ftp://shop.example.com')).toThrow(/CHATMALL_API_BASE/);
    expect(() => weapp('shop.example.com')).toThrow(/CHATMALL_API_BASE is not a URL/);
    expect(() => weapp('https://shop.example.com/?x=1')).toThrow(/CHATMALL_API_BASE/);
    expect(() => weapp('https://user:pw@shop.example.com')).toThrow(/CHATMALL_API_BASE/);
  });

  it('refuses a forgotten value in a release weapp build instead of shipping 127.0.0.1', () => {
    expect(() => weapp(undefined)).toThrow(/CHATMALL_API_BASE is not set/);
  });

  it('lets a development weapp build talk to the local API', () => {
    expect(weapp(undefined, false)).toBe(dev);
    expect(weapp('http://127.0.0.1:3301/', false)).toBe('http://127.0.0.1:3301');
  });

  it('keeps H5 on the same origin by default', () => {
    const h5 = (value: string | undefined) =>
      resolveApiBase({ platform: 'h5', value, production: true, devDefault: dev });
    expect(h5(undefined)).toBe('');
    expect(h5('')).toBe('');
    expect(h5('http://127.0.0.1:3000/')).toBe('http://127.0.0.1:3000');
  });
});

describe('WECHAT_MP_APPID', () => {
  it('is the appid written into dist/weapp/project.config.json', () => {
    expect(resolveAppId('wx0123456789abcdef', 'touristappid')).toBe('wx0123456789abcdef');
    expect(resolveAppId(undefined, 'touristappid')).toBe('touristappid');
    expect(resolveAppId(' ', 'touristappid')).toBe('touristappid');
    expect(() => resolveAppId('my-shop', 'touristappid')).toThrow(/WECHAT_MP_APPID/);
  });
});

describe('npm run build:weapp', () => {
  const build = (env: Record<string, string | undefined>) => {
    const merged: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', ...env };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete merged[k];
    return spawnSync('npm', ['run', '--silent', 'build:weapp', '-w', '@chatmall/miniapp'], {
      cwd: path.resolve(__dirname, '../..'),
      env: merged,
      encoding: 'utf8',
      timeout: 120_000,
    });
  };

  it.each([
    ['http://', 'http://shop.example.com', /CHATMALL_API_BASE must start with https:\/\//],
    ['empty', '', /CHATMALL_API_BASE is empty/],
  ])(
    'a release build with an %s base fails with one line naming CHATMALL_API_BASE',
    (_, value, message) => {
      const r = build({ CHATMALL_API_BASE: value });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    },
    120_000,
  );
});
