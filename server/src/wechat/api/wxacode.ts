/**
 * `POST /wxa/getwxacodeunlimit` (WECHAT-MARKETING.md §5): success is the image bytes, failure
 * a JSON error with HTTP 200, told apart by the MIME type only (the error's Content-Type
 * carries a parameter: `application/json; encoding=utf-8`). The body must be a JSON string.
 */
import type { WechatClient } from './client';
import { tokenErrorCodes, wechatError, type WechatResult } from './errors';

export interface UnlimitedCodeRequest {
  /** ≤ 32 visible characters of [0-9A-Za-z!#$&'()*+,/:;=?@-._~]; no `%`. */
  scene: string;
  /** No leading `/`, no query; the home page when absent. */
  page?: string;
  /** false lets an unreleased page through (trial and develop versions). */
  checkPath?: boolean;
  envVersion?: 'release' | 'trial' | 'develop';
  /** 280..1280 px. */
  width?: number;
}

export async function unlimitedCode(
  client: WechatClient,
  baseUrl: string,
  req: UnlimitedCodeRequest,
  fetchImpl: typeof fetch = fetch,
): Promise<WechatResult<{ contentType: string; bytes: Buffer }>> {
  for (let attempt = 0; ; attempt++) {
    const token = await client.tokens.current();
    if (!token.ok) return token;
    const url = `${baseUrl.replace(/\/$/, '')}/wxa/getwxacodeunlimit?access_token=${encodeURIComponent(token.value)}`;
    let res: Response;
    try {
      res = await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          scene: req.scene,
          page: req.page,
          check_path: req.checkPath ?? true,
          env_version: req.envVersion ?? 'release',
          width: req.width ?? 430,
        }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      return { ok: false, error: wechatError(null, `getwxacodeunlimit: ${(err as Error).name}`) };
    }
    const bytes = Buffer.from(await res.arrayBuffer());
    const mime = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (mime.startsWith('image/')) return { ok: true, value: { contentType: mime, bytes } };
    let json: { errcode?: number; errmsg?: string };
    try {
      json = JSON.parse(bytes.toString('utf8')) as typeof json;
    } catch {
      return { ok: false, error: wechatError(null, 'getwxacodeunlimit: answer is neither an image nor JSON') };
    }
    const errcode = typeof json.errcode === 'number' ? json.errcode : -1;
    if (attempt === 0 && tokenErrorCodes.has(errcode)) {
      await client.tokens.invalidate(token.value);
      continue;
    }
    return { ok: false, error: wechatError(errcode, String(json.errmsg ?? '')) };
  }
}
