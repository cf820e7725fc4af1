/**
 * Files from the API (contract entries with `download`, e.g. the orders CSV export): fetched
 * with the staff session like any call (refreshed ahead of expiry, once more after a 401) and
 * saved under the server's file name. The bytes are kept as they came, so the CSV's BOM that
 * makes Excel read UTF-8 survives.
 */
import {
  ApiError,
  contract,
  ErrorCode,
  fillPath,
  Problem,
  queryString,
  type Contract,
  type EndpointName,
  type RequestOf,
} from '@chatmall/shared';
import { refreshSession } from './client';
import { expiresSoon, session } from './session';

type DownloadName = { [K in EndpointName]: Contract[K] extends { download: object } ? K : never }[EndpointName];

function bearer(): Record<string, string> {
  const s = session.get();
  return s ? { authorization: `Bearer ${s.accessToken}` } : {};
}

/** `attachment; filename="a.csv"; filename*=UTF-8''%E8%AE%A2.csv` → the UTF-8 name if given. */
export function filenameOf(disposition: string | null, fallback: string): string {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '')?.[1];
  if (star) return decodeURIComponent(star);
  return /filename="([^"]+)"/i.exec(disposition ?? '')?.[1] ?? fallback;
}

export async function download<K extends DownloadName>(name: K, req: RequestOf<Contract[K]>): Promise<string> {
  const ep = contract[name];
  const r = req as { params?: Record<string, unknown>; query?: Record<string, unknown> };
  const url = fillPath(ep.path, r.params) + queryString(r.query);
  const s = session.get();
  if (s && expiresSoon(s)) await refreshSession().catch(() => false);
  const get = () => fetch(url, { headers: { accept: ep.download.contentType, ...bearer() } });
  let res = await get();
  if (res.status === 401) {
    if (await refreshSession().catch(() => false)) res = await get();
    if (res.status === 401) session.clear('expired');
  }
  if (!res.ok) {
    const problem = Problem.safeParse(await res.json().catch(() => null));
    if (problem.success)
      throw new ApiError(res.status, problem.data.code, problem.data.message, problem.data.fields ?? []);
    throw new ApiError(res.status, ErrorCode.INTERNAL, `HTTP ${res.status}`);
  }
  const blob = await res.blob();
  const filename = filenameOf(res.headers.get('content-disposition'), `${name}.${ep.download.extension}`);
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 30_000);
  return filename;
}
