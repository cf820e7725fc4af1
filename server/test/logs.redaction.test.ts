/**
 * Logs carry no personal data: a database error on a write that carries a buyer's phone and
 * address, or a staff member's password hash, is logged by kind, table and code only — by
 * the API (through HTTP, as it runs), by the worker's logger (the same factory, as its job
 * failures are logged) and by the sandbox's logger.
 */
import { Writable } from 'node:stream';
import { createLogger } from '../src/kernel/logger';
import { createSandboxLogger } from '../../sandbox/src/log';
import { startStack, type TestStack } from './support/harness';
import { api, makeBuyer, makeStaff } from './support/people';

const PHONE = '13912345678';
const STREET = '幸福路 77 号 7 栋';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.text += chunk.toString('utf8');
    done();
  }
}

const apiLog = new Capture();
let stack: TestStack;
let buyer: Awaited<ReturnType<typeof makeBuyer>>;
let owner: Awaited<ReturnType<typeof makeStaff>>;

// Injected failures on the real database: these inserts always fail, after the values are bound.
const failInserts = ['addresses', 'staff'];
beforeAll(async () => {
  stack = await startStack({ logDestination: apiLog });
  buyer = await makeBuyer(stack.db, 'logged');
  owner = await makeStaff(stack.db, 'owner');
  for (const table of failInserts)
    await stack.db.query(
      `CREATE TRIGGER fail_${table}_insert BEFORE INSERT ON ${table} FOR EACH ROW
       SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected failure'`,
    );
}, 60_000);
afterAll(async () => {
  for (const table of failInserts) await stack?.db.query(`DROP TRIGGER IF EXISTS fail_${table}_insert`);
  await stack?.close();
});

function expectClean(text: string) {
  expect(text).not.toContain(PHONE);
  expect(text).not.toContain(STREET);
  expect(text).not.toMatch(/scrypt\$/);
  expect(text).not.toMatch(/\b(?:at|rt)_[\w-]{20,}/);
}

it('the API logs a failed address insert without the phone or the address, and a failed staff insert without the hash', async () => {
  const added = await api(stack.baseUrl, 'POST', '/api/addresses', buyer.auth, {
    recipient: '李四',
    phone: PHONE,
    province: '浙江省',
    city: '杭州市',
    district: '西湖区',
    detail: STREET,
  });
  expect(added.status).toBe(500);
  expect(JSON.stringify(added.body)).not.toContain(PHONE);
  const staff = await api(stack.baseUrl, 'POST', '/api/admin/staff', owner.auth, {
    username: 'logged_clerk',
    displayName: '店员',
    role: 'clerk',
    password: 'correct horse battery',
  });
  expect(staff.status).toBe(500);

  const lines = apiLog.text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, any>);
  const failures = lines.filter((l) => l.msg === 'unexpected error');
  expect(failures).toHaveLength(2);
  // What is left is what an engineer needs: the statement's kind and table, the code, the request.
  expect(failures.map((l) => l.err.statement).sort()).toEqual(['INSERT addresses', 'INSERT staff']);
  for (const l of failures)
    expect(l).toMatchObject({ requestId: expect.any(String), err: { code: 'ER_SIGNAL_EXCEPTION' } });
  expectClean(apiLog.text);
  expect(apiLog.text).not.toContain('correct horse battery');
});

it('the worker’s logger and the sandbox’s logger keep the same error out of their lines', async () => {
  // The very error the failed insert raised, with the SQL and the bound values on it.
  const err = await stack.db
    .query(
      'INSERT INTO addresses (id, buyer_id, recipient, phone, province, city, district, detail, is_default) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ['addr_logtest', 'byr_logtest', '李四', PHONE, '浙江省', '杭州市', '西湖区', STREET, 1],
    )
    .catch((e: unknown) => e as Error & { parameters?: unknown[] });
  expect(err.parameters).toContain(PHONE); // the error does carry them

  const workerLog = new Capture();
  const worker = createLogger('info', 'worker', workerLog);
  // As main/jobs.ts logs a failed job, and the outbox relay a failed pass.
  worker.warn({ job: 'close-unpaid', id: 'j1', err }, 'job failed');
  worker.warn({ err }, 'outbox relay failed; retrying');
  worker.info({ note: `paid by ${PHONE}`, token: 'at_abcdefghijklmnopqrstuvwxyz0123456789' }, 'a careless line');
  expectClean(workerLog.text);
  expect(workerLog.text).toContain('INSERT addresses');

  const sandboxLog = new Capture();
  const sandbox = createSandboxLogger('info', sandboxLog);
  sandbox.warn({ err: new Error(`push to ${PHONE} failed`), phone: PHONE }, 'push failed');
  expectClean(sandboxLog.text);
  expect(sandboxLog.text).toContain('push failed');
});
