/**
 * Binds contract entries to handlers. Requests are validated against the entry's zod
 * schemas (400 with field paths on failure) and responses are parsed through the
 * response schema, so a handler can neither accept nor leak anything off-contract.
 */
import type { Endpoint } from '@chatmall/shared';
import type Koa from 'koa';
import Router from 'koa-router';
import type { z } from 'zod';
import { ValidationError } from '../kernel/errors';

export interface HandlerInput<E extends Endpoint> {
  params: z.output<E['params']>;
  query: z.output<E['query']>;
  body: z.output<E['body']>;
  ctx: Koa.Context;
}

export type Handler<E extends Endpoint> = (input: HandlerInput<E>) => Promise<z.input<E['response']>>;

function parsePart<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data as z.output<S>;
  throw new ValidationError(
    result.error.issues.map((issue) => ({
      path: [where, ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  );
}

export class ContractRouter {
  readonly router = new Router();
  readonly bound: Endpoint[] = [];

  handle<E extends Endpoint>(endpoint: E, handler: Handler<E>): void {
    this.bound.push(endpoint);
    const method = endpoint.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    this.router[method](endpoint.path, async (ctx: Koa.Context) => {
      const params = parsePart<E['params']>(endpoint.params, ctx.params ?? {}, 'params');
      const query = parsePart<E['query']>(endpoint.query, { ...ctx.query }, 'query');
      const body = parsePart<E['body']>(endpoint.body, (ctx.request as { body?: unknown }).body ?? {}, 'body');
      const result = await handler({ params, query, body, ctx });
      ctx.status = 200;
      ctx.body = endpoint.response.parse(result);
    });
  }

  middleware(): Koa.Middleware {
    return this.router.routes() as unknown as Koa.Middleware;
  }
}
