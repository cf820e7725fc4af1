/**
 * One endpoint of the contract and the `endpoint()` builder every domain's table uses. Kept apart
 * from the table (contract.ts) so a domain can declare its endpoints in a file of its own
 * (`*.endpoints.ts`) that the table spreads in, without an import cycle.
 */
import { z } from 'zod';
import { access, type Access } from './auth';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type { Access };

export interface Endpoint<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
  A extends Access = Access,
> {
  method: HttpMethod;
  /** Koa-router style path; `:name` segments are filled from `params`. */
  path: string;
  summary: string;
  access: A;
  params: P;
  query: Q;
  body: B;
  response: R;
  /**
   * Set when the answer is a file rather than JSON (a CSV export): the server streams it with
   * this content type as an attachment, and a client receives it as text (`response`).
   */
  download?: Download;
}

/** A file answer: its content type and the extension of the name it is saved under. */
export interface Download {
  contentType: string;
  extension: string;
}

/** True for endpoints whose answer is a streamed file (`download` set). */
export type IsDownload<E> = E extends { download: Download } ? true : false;

const Empty = z.object({});

export function endpoint<
  P extends z.ZodType = typeof Empty,
  Q extends z.ZodType = typeof Empty,
  B extends z.ZodType = typeof Empty,
  R extends z.ZodType = z.ZodType,
  A extends Access = typeof access.public,
  D extends Download | undefined = undefined,
>(e: {
  method: HttpMethod;
  path: string;
  summary: string;
  access?: A;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  download?: D;
}): Endpoint<P, Q, B, R, A> & { download: D } {
  return {
    access: access.public,
    params: Empty as unknown as P,
    query: Empty as unknown as Q,
    body: Empty as unknown as B,
    download: undefined,
    ...e,
  } as Endpoint<P, Q, B, R, A> & { download: D };
}
