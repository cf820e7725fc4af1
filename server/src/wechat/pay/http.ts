/**
 * The one seam between the Pay client and the network: an injected function, so tests and
 * the sandbox need no mocking library, and production can add timeouts or a proxy.
 */
import type { HeaderBag } from './verify';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  /** Exactly the bytes to send (and that were signed). */
  body?: string;
}

export interface HttpResponse {
  status: number;
  /** Lower-case header names. */
  headers: HeaderBag;
  /** Raw bytes as received: response signatures are verified on these. */
  body: Buffer;
}

export type HttpFunction = (req: HttpRequest) => Promise<HttpResponse>;

export function fetchHttp(timeoutMs = 10_000): HttpFunction {
  return async (req) => {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const headers: HeaderBag = {};
    res.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
    return { status: res.status, headers, body: Buffer.from(await res.arrayBuffer()) };
  };
}
