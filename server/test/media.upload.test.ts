/**
 * Image uploads: the raw body is the image, its bytes must match the declared type, SVG
 * and other types are refused, and an oversize body is refused while it is read. A
 * refused upload stores nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AuditLogEntity } from '../src/modules/auth/audit-log.entity';
import { startStack, type TestStack } from './support/harness';
import { makeStaff } from './support/people';

let stack: TestStack;
let marketer: { id: string; auth: { authorization: string } };

beforeAll(async () => {
  stack = await startStack();
  fs.rmSync(path.join(stack.config.mediaDir, 'uploads'), { recursive: true, force: true });
  marketer = await makeStaff(stack.db, 'marketer');
}, 60_000);
afterAll(async () => stack?.close());

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex'),
  Buffer.from(`chatmall test ${Date.now()}`),
]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF test')]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([4, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

async function upload(bytes: Buffer, contentType: string, auth = marketer.auth) {
  const res = await fetch(`${stack.baseUrl}/api/admin/media`, {
    method: 'POST',
    headers: { ...auth, 'content-type': contentType },
    body: bytes,
  });
  return { status: res.status, body: (await res.json()) as any };
}

function storedFiles(): string[] {
  const dir = path.join(stack.config.mediaDir, 'uploads');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

it('stores a PNG and serves it back at the answered URL; the upload is audited', async () => {
  const res = await upload(PNG, 'image/png');
  expect(res.status).toBe(200);
  expect(res.body.url).toMatch(/^\/media\/uploads\/[0-9a-f]{2}\/[0-9a-f]{32}\.png$/);
  const served = await fetch(stack.baseUrl + res.body.url);
  expect(served.headers.get('content-type')).toBe('image/png');
  expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
  // The same bytes again: the same URL, stored once.
  expect((await upload(PNG, 'image/png')).body.url).toBe(res.body.url);
  const entries = await stack.db.getRepository(AuditLogEntity).findBy({ action: 'media.upload' });
  expect(entries[0]).toMatchObject({ actorId: marketer.id, detail: { url: res.body.url, type: 'image/png' } });
});

it.each([
  ['image/jpeg', JPEG, 'jpg'],
  ['image/gif', GIF, 'gif'],
  ['image/webp', WEBP, 'webp'],
])('accepts %s', async (type, bytes, ext) => {
  const res = await upload(bytes, type);
  expect(res.status).toBe(200);
  expect(res.body.url.endsWith(`.${ext}`)).toBe(true);
});

describe('refused uploads store nothing', () => {
  let before: string[];
  beforeEach(() => {
    before = storedFiles();
  });
  afterEach(() => {
    expect(storedFiles()).toEqual(before);
  });

  it('an image over MEDIA_MAX_UPLOAD_BYTES answers 413 naming body', async () => {
    const limit = stack.config.mediaMaxUploadBytes;
    const big = Buffer.concat([PNG, Buffer.alloc(limit + 1 - PNG.length)]);
    const res = await upload(big, 'image/png');
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(res.body.fields).toEqual([{ path: 'body', message: `must be at most ${limit} bytes` }]);
  });

  it('an image just under the limit is not refused for its size (the 1 MB JSON limit does not apply)', async () => {
    const ok = Buffer.concat([PNG, Buffer.alloc(stack.config.mediaMaxUploadBytes - PNG.length)]);
    const res = await upload(ok, 'image/png');
    expect(res.status).toBe(200);
    before = storedFiles(); // this one is meant to be stored
  });

  it.each([
    ['PNG bytes declared as image/jpeg', PNG, 'image/jpeg', 'body'],
    ['JPEG bytes declared as image/png', JPEG, 'image/png', 'body'],
    ['a text file declared as image/png', Buffer.from('hello, not an image'), 'image/png', 'body'],
    ['an SVG (it can carry scripts)', SVG, 'image/svg+xml', 'headers.content-type'],
    ['a text file', Buffer.from('hello'), 'text/plain', 'headers.content-type'],
    ['JSON', Buffer.from('{"url":"x"}'), 'application/json', 'headers.content-type'],
    ['an empty PNG', Buffer.alloc(0), 'image/png', 'body'],
  ])('%s answers 400 naming %s', async (_what, bytes, type, field) => {
    const res = await upload(bytes, type);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.fields.map((f: { path: string }) => f.path)).toEqual([field]);
  });

  it('a clerk may not upload (403)', async () => {
    const clerk = await makeStaff(stack.db, 'clerk');
    expect((await upload(PNG, 'image/png', clerk.auth)).status).toBe(403);
  });
});
