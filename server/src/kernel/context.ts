/** Per-request context carried through async calls: the request id and a child logger. */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from './logger';

export interface RequestContext {
  requestId: string;
  log: Logger;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

export function currentRequest(): RequestContext | undefined {
  return requestContext.getStore();
}
