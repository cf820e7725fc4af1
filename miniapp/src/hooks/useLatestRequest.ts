import { useRef } from 'react';

export interface LatestRequest {
  /** Starts a request that supersedes every earlier one; the returned check says whether it still counts. */
  supersede(): () => boolean;
  /** Continues the latest request (the next page of the same list) without superseding it. */
  join(): () => boolean;
}

/**
 * Only the latest request may write its answer: one started earlier that finishes later
 * (a slow network, a quick switch of category or tab) is dropped instead of overwriting
 * what the buyer is looking at now. The returned object is the same on every render.
 */
export function useLatestRequest(): LatestRequest {
  const seq = useRef(0);
  const latest = useRef<LatestRequest | null>(null);
  latest.current ??= {
    supersede() {
      const mine = ++seq.current;
      return () => mine === seq.current;
    },
    join() {
      const mine = seq.current;
      return () => mine === seq.current;
    },
  };
  return latest.current;
}
