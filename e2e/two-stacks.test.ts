/**
 * Two independent stacks on one machine, changing nothing but three ports:
 * `API_PORT=3301 SANDBOX_PORT=3401 REDIS_PORT=16401 npm start` beside another `npm start`.
 * The ports move every URL that follows from them (PUBLIC_BASE_URL, the notify URL, the
 * WeChat and WeChat Pay bases, REDIS_URL) and the data dir (SQLite file, images, sandbox
 * state and its WeChat Pay keys), so a buyer who logs in, orders and pays on the second
 * stack is PAID there and nothing reaches the first. Ctrl-C stops each stack, its private
 * Redis included, and leaves no process behind.
 *
 * Stack A stands in for a developer's default stack on ports of its own (3320/3420/16420),
 * so the test never meets the real one on 3000/3100/16379.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { alive, descendants } from './processes';
import { derivedKeys } from '@chatmall/config';

const root = path.resolve(__dirname, '..');
const A = { API_PORT: '3320', SANDBOX_PORT: '3420', REDIS_PORT: '16420' };
const B = { API_PORT: '3301', SANDBOX_PORT: '3401', REDIS_PORT: '16401' };
type Ports = typeof A;
const OWNER_PASSWORD = 'two stacks, one machine';

const apiUrl = (p: Ports) => `http://127.0.0.1:${p.API_PORT}`;
const sandboxUrl = (p: Ports) => `http://127.0.0.1:${p.SANDBOX_PORT}`;
const dataDir = (p: Ports) => path.join(root, `.data/stack-${p.API_PORT}`);
const redisFiles = (p: Ports) =>
  ['', '.log', '.pid'].map((ext) => path.join(root, `.data/services/redis-${p.REDIS_PORT}${ext}`));

const redisUp = (port: string) => {
  try {
    return execFileSync('redis-cli', ['-p', port, 'ping'], { encoding: 'utf8', stdio: 'pipe' }).trim() === 'PONG';
  } catch {
    return false;
  }
};

interface Stack {
  ports: Ports;
  proc: ChildProcess;
  output: () => string;
}

/** `npm start` with only the three ports changed: nothing derived is passed in. */
async function start(ports: Ports): Promise<Stack> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    CHATMALL_OWNER_PASSWORD: OWNER_PASSWORD,
    ...ports,
  };
  // The test driver exports DATABASE_URL/REDIS_URL for the test databases; a stack must derive its own.
  for (const key of [...derivedKeys, 'API_HOST', 'SANDBOX_HOST', 'REDIS_DB', 'SANDBOX_STATE_DIR']) delete env[key];
  // detached: its own process group, so a group SIGINT is exactly what a terminal's Ctrl-C sends.
  const proc = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: root,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (c) => (output += c));
  proc.stderr!.on('data', (c) => (output += c));
  const deadline = Date.now() + 300_000;
  while (!output.includes('Press Ctrl-C to stop.') && Date.now() < deadline && proc.exitCode === null) {
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!output.includes('Press Ctrl-C to stop.'))
    throw new Error(`stack on ${ports.API_PORT} did not start:\n${output}`);
  return { ports, proc, output: () => output };
}

/** Ctrl-C: the stack exits 0 and every process it started is gone. */
async function stop(stack: Stack): Promise<void> {
  const before = descendants(stack.proc.pid!);
  expect(before.length).toBeGreaterThanOrEqual(3); // sandbox, api, worker
  const exited = new Promise<number | null>((resolve) => stack.proc.once('exit', (code) => resolve(code)));
  process.kill(-stack.proc.pid!, 'SIGINT');
  expect(await exited).toBe(0);
  const goneBy = Date.now() + 10_000;
  while (before.some(alive) && Date.now() < goneBy) await new Promise((r) => setTimeout(r, 200));
  const left = before
    .filter(alive)
    .map((pid) => execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim());
  expect(left).toEqual([]);
  await expect(fetch(`${apiUrl(stack.ports)}/healthz`)).rejects.toThrow();
  await expect(fetch(`${sandboxUrl(stack.ports)}/healthz`)).rejects.toThrow();
}

async function call(base: string, method: string, p: string, token?: string, body?: unknown) {
  const res = await fetch(base + p, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Every order a stack has, as its owner sees them in the console (GET /api/admin/orders). */
async function ordersIn(ports: Ports): Promise<{ orderNo: string; status: string }[]> {
  // The seed wrote the owner's password beside this stack's database (ours, unless the dir was there before).
  const note = path.join(dataDir(ports), 'owner-password.txt');
  const password = fs.existsSync(note) ? fs.readFileSync(note, 'utf8').trim() : OWNER_PASSWORD;
  const login = await call(apiUrl(ports), 'POST', '/api/admin/login', undefined, { username: 'owner', password });
  expect([login.status, login.status === 200 ? null : login.body]).toEqual([200, null]);
  const out: { orderNo: string; status: string }[] = [];
  let cursor: string | null = null;
  do {
    const q: string = `/api/admin/orders?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await call(apiUrl(ports), 'GET', q, login.body.accessToken);
    expect(page.status).toBe(200);
    for (const o of page.body.items) out.push({ orderNo: o.orderNo, status: o.status });
    cursor = page.body.nextCursor;
  } while (cursor);
  return out;
}

describe('two stacks side by side', () => {
  const stacks: Stack[] = [];
  // Only what this test creates is removed afterwards: never a developer's .data.
  const ours = [A, B].flatMap((p) => [dataDir(p), ...redisFiles(p)]).filter((f) => !fs.existsSync(f));
  const redisWasUp = { default: redisUp('16379') };

  afterAll(async () => {
    // npm start runs each server in a process group of its own: kill the whole tree, not only its group.
    for (const s of stacks) {
      if (!s.proc.pid || !alive(s.proc.pid)) continue;
      const tree = [s.proc.pid, ...descendants(s.proc.pid)];
      for (const pid of tree) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    // A killed stack cannot stop its Redis: do it by port, as `npm start` would have.
    for (const p of [A, B]) {
      if (redisUp(p.REDIS_PORT))
        execFileSync('bash', ['scripts/services.sh', 'down', 'redis'], { cwd: root, env: { ...process.env, ...p } });
    }
    for (const f of ours) fs.rmSync(f, { recursive: true, force: true });
  });

  it('API_PORT/SANDBOX_PORT/REDIS_PORT make a second stack: its buyer pays there, nothing reaches the first', async () => {
    // Free before we start (else this would be testing someone else's stack).
    for (const p of [A, B]) {
      for (const port of [p.API_PORT, p.SANDBOX_PORT])
        await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
      expect(redisUp(p.REDIS_PORT)).toBe(false);
    }
    // One after the other: the first may build the H5 storefront, which both then serve.
    const a = await start(A);
    stacks.push(a);
    const b = await start(B);
    stacks.push(b);
    expect(b.output()).toContain(`Storefront (H5)   ${apiUrl(B)}/`);
    expect(b.output()).toContain(`Sandbox console   ${sandboxUrl(B)}/`);
    expect(b.output()).toContain(`Data              .data/stack-${B.API_PORT}/`);
    // Each has its own private Redis on its own port.
    expect(redisUp(A.REDIS_PORT)).toBe(true);
    expect(redisUp(B.REDIS_PORT)).toBe(true);

    // Each keeps its database in its own data dir.
    for (const p of [A, B]) expect(fs.existsSync(path.join(dataDir(p), 'chatmall.sqlite'))).toBe(true);
    const aOrdersBefore = await ordersIn(A).catch((err: unknown) => {
      // What stack A said is the only clue to a failure here: show its last lines.
      console.log(`stack A's output (last lines):\n${a.output().slice(-8000)}`);
      throw err;
    });
    const aNotificationsBefore = (await call(sandboxUrl(A), 'GET', '/sandbox/pay/notifications')).body as unknown[];

    // The buyer on B: wx.login through B's sandbox, then B's API exchanges the code with it.
    const openid = `o_twostacks_${Date.now()}`;
    const login = await call(sandboxUrl(B), 'POST', `/sandbox/mp/users/${openid}/login`);
    expect(login.status).toBe(200);
    const session = await call(apiUrl(B), 'POST', '/api/auth/login', undefined, { code: login.body.code });
    expect(session.status).toBe(200);
    const token = session.body.accessToken as string;

    const address = await call(apiUrl(B), 'POST', '/api/addresses', token, {
      recipient: '林小茶',
      phone: '13800138000',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: '龙井路 18 号',
      isDefault: true,
    });
    expect(address.status).toBe(200);
    const products = await call(apiUrl(B), 'GET', '/api/products');
    const product = await call(apiUrl(B), 'GET', `/api/products/${products.body.items[0].id}`);
    const order = await call(apiUrl(B), 'POST', '/api/orders', token, {
      clientKey: `two-stacks-${Date.now()}`,
      items: [{ skuId: product.body.skus[0].id, quantity: 1 }],
      addressId: address.body.id,
    });
    expect(order.status).toBe(200);
    const { id, orderNo } = order.body as { id: string; orderNo: string };

    // Prepay on B's WeChat Pay (B's sandbox), pay there; B's notification marks it PAID.
    const pay = await call(apiUrl(B), 'POST', `/api/orders/${id}/pay`, token);
    expect(pay.status).toBe(200);
    expect(pay.body.cashierUrl).toContain(`${sandboxUrl(B)}/sandbox/pay/cashier?prepay_id=${pay.body.prepayId}`);
    expect((await call(sandboxUrl(B), 'POST', `/sandbox/pay/prepay/${pay.body.prepayId}/pay`)).status).toBe(200);
    let status = '';
    for (const until = Date.now() + 30_000; status !== 'PAID' && Date.now() < until;) {
      await new Promise((r) => setTimeout(r, 250));
      status = (await call(apiUrl(B), 'GET', `/api/orders/${id}`, token)).body.status;
    }
    expect(status).toBe('PAID');
    expect(await ordersIn(B)).toContainEqual({ orderNo, status: 'PAID' });
    const deliveries = (await call(sandboxUrl(B), 'GET', '/sandbox/pay/notifications')).body as { notifyUrl: string }[];
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.every((d) => d.notifyUrl === `${apiUrl(B)}/api/pay/notify`)).toBe(true);
    // The WeChat Pay keys B's API signs with are the ones B's sandbox wrote, in B's own data dir.
    expect(fs.existsSync(path.join(dataDir(B), 'sandbox/pay/merchant-key.pem'))).toBe(true);

    // Nothing reached A: no order in its database, no payment or notification in its sandbox.
    const aOrdersAfter = await ordersIn(A);
    expect(aOrdersAfter).toEqual(aOrdersBefore);
    expect(aOrdersAfter.map((o) => o.orderNo)).not.toContain(orderNo);
    expect((await call(sandboxUrl(A), 'GET', `/sandbox/pay/orders/${orderNo}`)).status).toBe(404);
    expect((await call(sandboxUrl(A), 'GET', '/sandbox/pay/notifications')).body).toEqual(aNotificationsBefore);

    // Ctrl-C on B stops B and its Redis; A keeps serving.
    await stop(b);
    expect(redisUp(B.REDIS_PORT)).toBe(false);
    expect((await fetch(`${apiUrl(A)}/healthz`)).status).toBe(200);
    expect(redisUp(A.REDIS_PORT)).toBe(true);
    await stop(a);
    expect(redisUp(A.REDIS_PORT)).toBe(false);
    // The default private Redis (the tests' one) is untouched either way.
    expect(redisUp('16379')).toBe(redisWasUp.default);
  }, 600_000);
});
