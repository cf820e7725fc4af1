import { contract } from '@chatmall/shared';
import type Koa from 'koa';
import type { DataSource } from 'typeorm';
import type { ContractRouter } from '../../http/contract-router';
import { ConflictError, NotFoundError } from '../../kernel/errors';
import { newestFirst } from '../../kernel/pagination';
import type { Ctx } from '../../kernel/tx';
import { AuditLogEntity } from './audit-log.entity';
import { recordAudit } from './audit.service';
import { BuyerEntity } from './buyer.entity';
import { StaffEntity } from './staff.entity';
import type { LoginService, SignInCtx } from './login.service';

/** The sign-in context: the request's, plus the client address (behind a proxy in production: `app.proxy`). */
const signIn = (ctx: Ctx, http: Koa.Context): SignInCtx => ({ ...ctx, clientIp: http.ip });

export function authRoutes(router: ContractRouter, deps: { db: DataSource; logins: LoginService }): void {
  router.handle(contract.buyerLogin, async ({ body, ctx, http }) =>
    deps.logins.buyerLogin(signIn(ctx, http), body.code),
  );
  router.handle(contract.refreshSession, async ({ body, ctx, http }) =>
    deps.logins.refresh(signIn(ctx, http), body.refreshToken),
  );
  router.handle(contract.staffLogin, async ({ body, ctx, http }) =>
    deps.logins.staffLogin(signIn(ctx, http), body.username, body.password),
  );
  router.handle(contract.me, async ({ principal }) => {
    const b = await deps.db.getRepository(BuyerEntity).findOneBy({ id: principal.buyerId });
    if (!b) throw new NotFoundError('Buyer');
    return { id: b.id, nickname: b.nickname, createdAt: b.createdAt.toISOString() };
  });
}

export function staffRoutes(router: ContractRouter, deps: { db: DataSource; logins: LoginService }): void {
  router.handle(contract.createStaff, async ({ principal, body }) => {
    const exists = await deps.db.getRepository(StaffEntity).existsBy({ username: body.username });
    if (exists)
      throw new ConflictError('That username is taken.', [{ path: 'body.username', message: 'is already taken' }]);
    const staff = await deps.logins.createStaff(body);
    await recordAudit(deps.db.manager, principal, 'staff.create', 'staff', staff.id, {
      username: staff.username,
      role: staff.role,
    });
    return { id: staff.id, username: staff.username, displayName: staff.displayName, role: staff.role };
  });
  router.handle(contract.unlockStaff, async ({ principal, params, ctx }) =>
    deps.logins.unlockStaff(ctx, principal, params.id),
  );
  router.handle(contract.listAudit, async ({ query }) => {
    const page = await newestFirst(deps.db.getRepository(AuditLogEntity).createQueryBuilder('a'), query);
    return { ...page, items: page.items.map((a) => ({ ...a, createdAt: a.createdAt.toISOString() })) };
  });
}
