/**
 * File answers (`download` set on the contract entry, e.g. the CSV export): the handler
 * returns a file name and the body as an async iterable, and it is streamed to the client
 * as an attachment, so a large file is never whole in memory. Access and request validation
 * happen before, exactly as for JSON endpoints.
 */
import { Readable } from 'node:stream';
import type { Download } from '@chatmall/shared';
import type Koa from 'koa';

export interface DownloadBody {
  /** Without the extension (the contract's `download.extension` is added). ASCII or not: both headers are set. */
  filename: string;
  body: AsyncIterable<string | Buffer>;
}

export function sendDownload(ctx: Koa.Context, download: Download, file: DownloadBody): void {
  const name = `${file.filename}.${download.extension}`;
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  ctx.status = 200;
  ctx.type = download.contentType;
  ctx.set('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`);
  // Exports carry the shop's business: never kept by a proxy or the browser's cache.
  ctx.set('Cache-Control', 'no-store');
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.body = Readable.from(file.body);
}
