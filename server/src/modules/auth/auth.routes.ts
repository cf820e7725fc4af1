import { contract } from '@chatmall/shared';
import type Koa from 'koa';
import type { DataSource } from 'typeorm';
import type { ContractRouter } from '../../http/contract-router';
import { NotFoundError } from '../../kernel/errors';
import { newestFirst } from '../../kernel/pagination';
import type { Ctx } from '../../kernel/tx';
import { AuditLogEntity } from './audit-log.entity';
import { BuyerEntity } from './buyer.entity';
import type { StaffService } from './staff.service';
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

export function staffRoutes(
  router: ContractRouter,
  deps: { db: DataSource; logins: LoginService; staff: StaffService },
): void {
  router.handle(contract.listStaff, async () => ({ items: await deps.staff.list() }));
  router.handle(contract.createStaff, async ({ principal, body, ctx }) => {
    const staff = await deps.staff.create(ctx, principal, body);
    return { id: staff.id, username: staff.username, displayName: staff.displayName, role: staff.role };
  });
  router.handle(contract.updateStaff, async ({ principal, params, body, ctx }) =>
    deps.staff.update(ctx, principal, params.id, body),
  );
  router.handle(contract.resetStaffPassword, async ({ principal, params, body, ctx }) =>
    deps.staff.resetPassword(ctx, principal, params.id, body.password),
  );
  router.handle(contract.changeOwnPassword, async ({ principal, body, ctx, http }) =>
    deps.staff.changeOwnPassword(signIn(ctx, http), principal, body.currentPassword, body.password),
  );
  router.handle(contract.unlockStaff, async ({ principal, params, ctx }) =>
    deps.logins.unlockStaff(ctx, principal, params.id),
  );
  router.handle(contract.listAudit, async ({ query }) => {
    const page = await newestFirst(deps.db.getRepository(AuditLogEntity).createQueryBuilder('a'), query);
    return { ...page, items: page.items.map((a) => ({ ...a, createdAt: a.createdAt.toISOString() })) };
  });
}
