/**
 * Whether WeChat's API and WeChat Pay's API answer at their configured base URLs, for
 * /readyz. Neither is needed to browse the shop, so a base URL that does not answer makes the
 * API degraded (named in /readyz with a warning), never unready. Any HTTP answer counts as
 * answering (a bare base URL may well say 404); only a refused connection, a DNS failure or
 * no answer within the timeout does not. Answers are cached for a few seconds and one probe
 * runs at a time, so /readyz stays cheap however often it is polled; a change is logged once,
 * with the URL.
 */
import type { Logger } from '../../kernel/logger';

export interface Upstream {
  name: 'wechat' | 'wechatPay';
  url: string;
}

export interface UpstreamStatus extends Upstream {
  status: 'ok' | 'unreachable';
  /** Why it is unreachable (the connection error, or the timeout). */
  error?: string;
}

export interface UpstreamProbeOptions {
  timeoutMs?: number;
  cacheMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

export function upstreamProbe(upstreams: Upstream[], log: Logger, opts: UpstreamProbeOptions = {}) {
  const timeoutMs = opts.timeoutMs ?? 1500;
  const cacheMs = opts.cacheMs ?? 5000;
  const doFetch = opts.fetch ?? fetch;
  const now = opts.now ?? Date.now;
  let cached: { at: number; result: UpstreamStatus[] } | undefined;
  let inFlight: Promise<UpstreamStatus[]> | undefined;
  const last = new Map<string, UpstreamStatus['status']>();

  async function probeOne(u: Upstream): Promise<UpstreamStatus> {
    try {
      const res = await doFetch(u.url, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      await res.body?.cancel().catch(() => undefined);
      return { ...u, status: 'ok' };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const error =
        e.name === 'TimeoutError' || e.name === 'AbortError'
          ? `no answer within ${timeoutMs} ms`
          : (e.cause?.code ?? e.cause?.message ?? e.message);
      return { ...u, status: 'unreachable', error };
    }
  }

  function logChanges(result: UpstreamStatus[]): void {
    for (const r of result) {
      const before = last.get(r.name);
      last.set(r.name, r.status);
      if (before === r.status || (before === undefined && r.status === 'ok')) continue;
      if (r.status === 'unreachable')
        log.warn(
          { upstream: r.name, url: r.url, err: r.error },
          `${r.name === 'wechat' ? 'WeChat API' : 'WeChat Pay API'} at ${r.url} does not answer; sign-in and payment are degraded`,
        );
      else
        log.info(
          { upstream: r.name, url: r.url },
          `${r.name === 'wechat' ? 'WeChat API' : 'WeChat Pay API'} answers again`,
        );
    }
  }

  return {
    /** Each upstream's status, at most `cacheMs` old. */
    async check(): Promise<UpstreamStatus[]> {
      if (cached && now() - cached.at < cacheMs) return cached.result;
      inFlight ??= Promise.all(upstreams.map(probeOne))
        .then((result) => {
          cached = { at: now(), result };
          logChanges(result);
          return result;
        })
        .finally(() => {
          inFlight = undefined;
        });
      return inFlight;
    },
  };
}

export type UpstreamProbe = ReturnType<typeof upstreamProbe>;
