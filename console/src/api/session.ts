/**
 * The signed-in staff member's session: access + refresh tokens in localStorage, shared by
 * the tabs of one browser. A refresh token works once (reusing a rotated one revokes the whole
 * family on the server), so refreshing is single-flight in a tab and serialised across tabs
 * with a Web Lock; a tab that waited picks up the tokens the other tab got.
 */
import type { SessionTokens, StaffMember } from '@chatmall/shared';

export interface Session extends SessionTokens {
  staff: StaffMember;
}

/** Why there is no session: not signed in yet, signed out by hand, or it ended (the page is remembered unless by hand). */
export type SignedOutReason = 'none' | 'signed-out' | 'expired';

const KEY = 'chatmall.console.session';

let current: Session | null = read();
let reason: SignedOutReason = 'none';
const listeners = new Set<() => void>();

function read(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

function emit() {
  for (const l of listeners) l();
}

// Another tab signed in, refreshed or signed out.
window.addEventListener('storage', (e) => {
  if (e.key !== KEY) return;
  current = read();
  if (!current) reason = 'signed-out';
  emit();
});

export const session = {
  get: (): Session | null => current,
  reason: (): SignedOutReason => reason,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  set(next: Session) {
    current = next;
    localStorage.setItem(KEY, JSON.stringify(next));
    emit();
  },
  /** Tokens from a refresh: the staff member stays who they were. */
  renew(tokens: SessionTokens) {
    if (!current) return;
    session.set({ ...current, ...tokens });
  },
  clear(why: SignedOutReason) {
    current = null;
    reason = why;
    localStorage.removeItem(KEY);
    emit();
  },
  /** Re-reads storage (after waiting for another tab's refresh). */
  reload(): Session | null {
    current = read();
    return current;
  },
};

/** Refresh this long before the access token expires. */
export const REFRESH_AHEAD_MS = 60_000;

export function expiresSoon(s: Session, now = Date.now()): boolean {
  return Date.parse(s.accessExpiresAt) - now < REFRESH_AHEAD_MS;
}

/** Runs `fn` holding the cross-tab refresh lock where the browser has Web Locks. */
export async function withRefreshLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  if (!locks) return fn();
  return locks.request('chatmall-console-refresh', fn) as Promise<T>;
}
