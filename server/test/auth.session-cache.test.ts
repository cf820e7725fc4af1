/**
 * Verified access tokens are kept in the API process for SESSION_CACHE_TTL_MS (the request
 * path asks the database once per token, not once per request), and a revoked session is still
 * refused: at once when it is revoked in this process (a staff member disabled), within
 * SESSION_CACHE_TTL_MS when it is revoked elsewhere (another API process); never past the
 * token's own expiry; the cache holds a bounded number of tokens and never an unverified one.
 */
import { createHash } from 'node:crypto';
import { newId } from '@chatmall/shared';
import { BuyerEntity } from '../src/modules/auth/buyer.entity';
import { ACCESS_TTL_MS, SESSION_CACHE_TTL_MS, SessionService } from '../src/modules/auth/session.service';
import { startStack, type TestStack } from './support/harness';
import { api, makeStaff } from './support/people';

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack({ seed: false });
}, 60_000);
afterAll(async () => stack?.close());

async function buyerId(): Promise<string> {
  const id = newId('buyer');
  await stack.db
    .getRepository(BuyerEntity)
    .insert({ id, openid: `o_cache_${id.slice(-10)}`, unionid: null, nickname: 'cache', lastLoginAt: new Date() });
  return id;
}
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
/** Another process revoking the session: straight in the database, this process not told. */
const revokeElsewhere = (token: string) =>
  stack.db.query('UPDATE sessions SET revoked_at = ? WHERE access_hash = ?', [new Date(), hashOf(token)]);

describe('the verified-token cache', () => {
  it('asks the database once for a token used again within the TTL, and again after it', async () => {
    const sessions = new SessionService(stack.db);
    const id = await buyerId();
    const t0 = new Date();
    const { accessToken } = await sessions.issue('buyer', id, t0);
    const queries = jest.spyOn(stack.db, 'query');
    try {
      expect(await sessions.resolve(accessToken, t0)).toMatchObject({ kind: 'buyer', buyerId: id });
      expect(queries).toHaveBeenCalledTimes(1);
      expect(await sessions.resolve(accessToken, new Date(t0.getTime() + SESSION_CACHE_TTL_MS - 1))).toMatchObject({
        buyerId: id,
      });
      expect(queries).toHaveBeenCalledTimes(1);
      expect(await sessions.resolve(accessToken, new Date(t0.getTime() + SESSION_CACHE_TTL_MS))).toMatchObject({
        buyerId: id,
      });
      expect(queries).toHaveBeenCalledTimes(2);
      // Unknown tokens are never kept: each asks.
      expect(await sessions.resolve('at_not-a-token', t0)).toBeNull();
      expect(await sessions.resolve('at_not-a-token', t0)).toBeNull();
      expect(queries).toHaveBeenCalledTimes(4);
    } finally {
      queries.mockRestore();
    }
  });

  it('a session revoked in another process is refused within SESSION_CACHE_TTL_MS (clock)', async () => {
    const sessions = new SessionService(stack.db);
    const t0 = new Date();
    const { accessToken } = await sessions.issue('buyer', await buyerId(), t0);
    expect(await sessions.resolve(accessToken, t0)).not.toBeNull();
    await revokeElsewhere(accessToken);
    // Inside the documented window this process may still answer from its cache …
    expect(await sessions.resolve(accessToken, new Date(t0.getTime() + 1000))).not.toBeNull();
    // … and from the TTL on it is refused.
    expect(await sessions.resolve(accessToken, new Date(t0.getTime() + SESSION_CACHE_TTL_MS))).toBeNull();
    expect(await sessions.resolve(accessToken, new Date(t0.getTime() + 1000))).toBeNull();
  });

  it('a session revoked in another process is refused over HTTP within SESSION_CACHE_TTL_MS (real time)', async () => {
    const other = new SessionService(stack.db);
    const id = await buyerId();
    const { accessToken } = await other.issue('buyer', id);
    const auth = { authorization: `Bearer ${accessToken}` };
    expect((await api(stack.baseUrl, 'GET', '/api/me', auth)).status).toBe(200);
    const revokedAt = Date.now();
    await other.revokeSubject({}, 'buyer', id);
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < SESSION_CACHE_TTL_MS + 2000) {
      status = (await api(stack.baseUrl, 'GET', '/api/me', auth)).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThanOrEqual(SESSION_CACHE_TTL_MS + 500);
  }, 20_000);

  it('a staff member disabled through this process is refused on the very next request', async () => {
    const owner = await makeStaff(stack.db, 'owner');
    const clerk = await makeStaff(stack.db, 'clerk');
    const orders = () => api(stack.baseUrl, 'GET', '/api/admin/orders', clerk.auth);
    expect((await orders()).status).toBe(200);
    expect((await orders()).status).toBe(200); // now cached
    const off = await api(stack.baseUrl, 'PATCH', `/api/admin/staff/${clerk.id}`, owner.auth, { disabled: true });
    expect(off.status).toBe(200);
    expect((await orders()).status).toBe(401);
  });

  it('never answers past the access token’s own expiry', async () => {
    const sessions = new SessionService(stack.db);
    const t0 = new Date();
    const { accessToken } = await sessions.issue('buyer', await buyerId(), t0);
    const nearEnd = new Date(t0.getTime() + ACCESS_TTL_MS - 1000);
    expect(await sessions.resolve(accessToken, nearEnd)).not.toBeNull();
    expect(await sessions.resolve(accessToken, new Date(t0.getTime() + ACCESS_TTL_MS))).toBeNull();
  });

  it('holds at most its bound: the oldest token is asked again', async () => {
    const sessions = new SessionService(stack.db, undefined, { ttlMs: 60_000, max: 3 });
    const id = await buyerId();
    const tokens = [];
    for (let i = 0; i < 4; i++) tokens.push((await sessions.issue('buyer', id)).accessToken);
    for (const t of tokens) expect(await sessions.resolve(t)).not.toBeNull();
    const queries = jest.spyOn(stack.db, 'query');
    try {
      for (const t of tokens.slice(1)) await sessions.resolve(t);
      expect(queries).toHaveBeenCalledTimes(0);
      await sessions.resolve(tokens[0]);
      expect(queries).toHaveBeenCalledTimes(1);
    } finally {
      queries.mockRestore();
    }
  });
});
