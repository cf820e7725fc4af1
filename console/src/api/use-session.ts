import { useSyncExternalStore } from 'react';
import { session } from './session';

/** The signed-in staff member's session (null when signed out); re-renders on change, in any tab. */
export function useSession() {
  return useSyncExternalStore(session.subscribe, session.get);
}
