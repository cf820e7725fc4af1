import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, parseDotenv, redactUrl } from '../src/kernel/config';

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
    expect(c.db.url).toBe(`sqlite:${path.join(root, '.data/chatmall.sqlite')}`);
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
    const { PUBLIC_BASE_URL: _omit, ...rest } = repoDefaults;
    const root = tempRoot({ 'config/default.json': rest });
    expect(() => loadConfig({}, root)).toThrow(/PUBLIC_BASE_URL/);
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

  it('reads dotenv lines with quotes, export and comments', () => {
    expect(parseDotenv('export A=1\nB="two words"\n# C=3\nD=\'x\'')).toEqual({ A: '1', B: 'two words', D: 'x' });
  });
});
