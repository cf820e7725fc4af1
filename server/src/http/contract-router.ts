/**
 * Binds contract entries to handlers. Access is checked first (401 without a valid token,
 * 403 for the wrong kind of caller or role), then the request is validated against the
 * entry's zod schemas (400 with field paths), and the response is parsed through the
 * response schema, so a handler can neither accept nor leak anything off-contract.
 */
import type { Access, Endpoint, IsDownload } from '@chatmall/shared';
import type Koa from 'koa';
import Router from 'koa-router';
import type { z } from 'zod';
import { ForbiddenError, UnauthenticatedError, ValidationError } from '../kernel/errors';
import type { Ctx } from '../kernel/tx';
import { sendDownload, type DownloadBody } from './download';
import { jsonBodyOf } from './middleware/body';
import type { BoundStaffPrincipal, BuyerPrincipal, Principal, StaffPrincipal } from '../modules/auth/principal';

/** What the caller is, given the endpoint's access rule. */
type PrincipalFor<A extends Access> = A extends { kind: 'buyer' }
  ? BuyerPrincipal
  : A extends { kind: 'staff' }
    ? StaffPrincipal
    : A extends { kind: 'boundStaff' }
      ? BoundStaffPrincipal
      : Principal | null;

export interface HandlerInput<E extends Endpoint> {
  params: z.output<E['params']>;
  query: z.output<E['query']>;
  body: z.output<E['body']>;
  principal: PrincipalFor<E['access']>;
  /** The service context the handler passes first to every service call that writes. */
  ctx: Ctx;
  /** The Koa context, for the few handlers that need the raw request (uploads). */
  http: Koa.Context;
}

/** A JSON endpoint answers its response schema's input; a download endpoint a file to stream. */
export type Handler<E extends Endpoint> = (
  input: HandlerInput<E>,
) => Promise<IsDownload<E> extends true ? DownloadBody : z.input<E['response']>>;

/** Resolves a bearer token to a principal (null when absent, unknown or expired). */
export type Authenticate = (token: string) => Promise<Principal | null>;

/** The active staff member bound to a buyer's WeChat (null when none): `access.boundStaff` routes. */
export type ResolveBoundStaff = (buyer: BuyerPrincipal) => Promise<BoundStaffPrincipal | null>;

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

export function checkAccess(access: Access, principal: Principal | null): void {
  if (access.kind === 'public') return;
  if (!principal) throw new UnauthenticatedError();
  if ((access.kind === 'buyer' || access.kind === 'boundStaff') && principal.kind !== 'buyer')
    throw new ForbiddenError('This is for buyers signed in to the storefront.');
  if (access.kind === 'staff') {
    if (principal.kind !== 'staff') throw new ForbiddenError('This is for the shop’s staff.');
    if (!access.roles.includes(principal.role))
      throw new ForbiddenError(`This needs one of the roles: ${access.roles.join(', ')}.`);
  }
}

/**
 * `access.boundStaff`: after `checkAccess` (a buyer session), the staff member bound to that
 * WeChat, who must be active and hold one of the roles, exactly as in the console.
 */
export async function boundStaffFor(
  access: Extract<Access, { kind: 'boundStaff' }>,
  buyer: BuyerPrincipal,
  resolve: ResolveBoundStaff,
): Promise<BoundStaffPrincipal> {
  const staff = await resolve(buyer);
  if (!staff) throw new ForbiddenError('This WeChat is not bound to an active staff member.');
  if (!access.roles.includes(staff.role))
    throw new ForbiddenError(`This needs one of the roles: ${access.roles.join(', ')}.`);
  return staff;
}

export class ContractRouter {
  readonly router = new Router();
  readonly bound: Endpoint[] = [];

  constructor(
    private readonly authenticate: Authenticate = async () => null,
    private readonly resolveBoundStaff: ResolveBoundStaff = async () => null,
  ) {}

  handle<E extends Endpoint>(endpoint: E, handler: Handler<E>): void {
    this.bound.push(endpoint);
    const method = endpoint.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    this.router[method](endpoint.path, async (ctx: Koa.Context) => {
      const header = ctx.get('authorization');
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      const principal = token ? await this.authenticate(token) : null;
      if (token && !principal && endpoint.access.kind !== 'public')
        throw new UnauthenticatedError('The session has expired; sign in again.');
      checkAccess(endpoint.access, principal);
      const caller =
        endpoint.access.kind === 'boundStaff'
          ? await boundStaffFor(endpoint.access, principal as BuyerPrincipal, this.resolveBoundStaff)
          : principal;
      const params = parsePart<E['params']>(endpoint.params, ctx.params ?? {}, 'params');
      const query = parsePart<E['query']>(endpoint.query, { ...ctx.query }, 'query');
      // No body reads as `{}`; a JSON `null` body is a body, and the schema refuses it (400).
      const json = jsonBodyOf(ctx);
      const body = parsePart<E['body']>(endpoint.body, json === undefined ? {} : json, 'body');
      const result = await handler({
        params,
        query,
        body,
        principal: caller as PrincipalFor<E['access']>,
        ctx: { requestId: ctx.state.requestId as string | undefined },
        http: ctx,
      });
      if (endpoint.download) return sendDownload(ctx, endpoint.download, result as DownloadBody);
      ctx.status = 200;
      ctx.body = endpoint.response.parse(result);
    });
  }

  middleware(): Koa.Middleware {
    return this.router.routes() as unknown as Koa.Middleware;
  }
}
