/**
 * Mini-program codes: `POST /wxa/getwxacodeunlimit` (WECHAT-MARKETING.md §5). Success is the
 * image bytes; a failure is WeChat's JSON error with HTTP 200 and
 * `Content-Type: application/json; encoding=utf-8`, so clients must tell them apart by the
 * MIME type. The image is a real, scannable code (a QR code here, where WeChat draws its round
 * sun code) holding the page and its URL-encoded scene, so a test or the console can read it.
 * Scene QR codes of the official account (`qrcode/create`, `showqrcode`) live in oa.surface.ts.
 */
import { randomUUID } from 'node:crypto';
import type Koa from 'koa';
import type Router from 'koa-router';
import zlib from 'node:zlib';
import QRCode from 'qrcode';
import type { SandboxContext, Surface } from '../surface';
import { errmsgs, platformFor, readBody, WechatFault } from '../platform/platform';

Object.assign(errmsgs, {
  40129: 'invalid scene',
  40169: 'invalid length for scene, or the data is not json string',
  41030: 'invalid page',
  85096: 'not allow include scancode_time field',
});

/** Characters WeChat allows in a scene: no `%`, so Chinese cannot be URL-encoded into it. */
const SCENE_CHARS = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]*$/;
const ENV_VERSIONS = ['release', 'trial', 'develop'];
/** WeChat allows 5,000 calls a minute (45009 beyond). */
export const WXACODE_PER_MINUTE = 5000;

/** The errcode WeChat answers for these arguments, or null when a code is drawn. */
export function wxacodeFault(b: Record<string, unknown>): number | null {
  if (b.scancode_time !== undefined) return 85096;
  if (typeof b.scene !== 'string') return 40169;
  if (b.scene.length === 0 || b.scene.length > 32) return 40169;
  if (!SCENE_CHARS.test(b.scene)) return 40129;
  if (b.env_version !== undefined && !ENV_VERSIONS.includes(String(b.env_version))) return 40097;
  if (b.page !== undefined) {
    const page = String(b.page);
    if (page.startsWith('/') || page.includes('?') || page.length > 1024) return 41030;
  }
  return null;
}

/** What the code holds: the page and the scene as the mini-program receives it (URL-encoded). */
export function wxacodeContent(scene: string, page: string | undefined): string {
  return `${page || 'pages/index/index'}?scene=${encodeURIComponent(scene)}`;
}

/** A black-on-white 8-bit grayscale PNG of the QR modules, `widthPx` square, at least a 4-module quiet zone. */
export function qrPng(text: string, widthPx: number): Buffer {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const scale = Math.max(1, Math.floor(widthPx / (modules.size + 8)));
  const side = Math.max(widthPx, (modules.size + 8) * scale);
  const offset = Math.floor((side - modules.size * scale) / 2);
  const raw = Buffer.alloc((1 + side) * side, 255);
  for (let y = 0; y < side; y++) {
    raw[y * (1 + side)] = 0; // filter: None
    const my = Math.floor((y - offset) / scale);
    if (y < offset || my >= modules.size) continue;
    for (let mx = 0; mx < modules.size; mx++) {
      const at = y * (1 + side) + 1 + offset + mx * scale;
      if (modules.get(my, mx)) raw.fill(0, at, at + scale);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(zlib.crc32(body) >>> 0, 8 + data.length);
    return out;
  };
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function qrcodesSurface(ctx: SandboxContext): Surface {
  const p = platformFor(ctx);
  const app = p.apps.mp;
  const minute = { at: 0, used: 0 };
  return {
    name: 'wxacode',
    mount(router: Router) {
      router.post('/wxa/getwxacodeunlimit', async (c: Koa.Context) => {
        const fail = (errcode: number) => {
          c.status = 200;
          c.set('content-type', 'application/json; encoding=utf-8');
          c.body = JSON.stringify({
            errcode,
            errmsg: `${errmsgs[errcode] ?? 'error'} rid: ${randomUUID().slice(0, 8)}`,
          });
        };
        try {
          if (p.appOfToken(c.query.access_token as string | undefined) !== app.appId) throw new WechatFault(48001);
          const b = await readBody(c);
          if (!c.is('application/json') && !c.is('text/plain')) throw new WechatFault(40169);
          const fault = wxacodeFault(b);
          if (fault) throw new WechatFault(fault);
          const now = Math.floor(Date.now() / 60_000);
          if (minute.at !== now) Object.assign(minute, { at: now, used: 0 });
          if (++minute.used > WXACODE_PER_MINUTE) throw new WechatFault(45009);
          const width = Math.min(1280, Math.max(280, Number(b.width ?? 430) || 430));
          const png = qrPng(wxacodeContent(String(b.scene), b.page as string | undefined), width);
          c.status = 200;
          c.type = 'image/png';
          c.body = png;
        } catch (err) {
          if (!(err instanceof WechatFault)) throw err;
          fail(err.errcode);
        }
      });
    },
  };
}
