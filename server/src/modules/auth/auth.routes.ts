import { contract } from '@chatmall/shared';
import type { DataSource } from 'typeorm';
import type { ContractRouter } from '../../http/contract-router';
import { ConflictError, NotFoundError } from '../../kernel/errors';
import { newestFirst } from '../../kernel/pagination';
import { AuditLogEntity } from './audit-log.entity';
import { recordAudit } from './audit.service';
import { BuyerEntity } from './buyer.entity';
import { StaffEntity } from './staff.entity';
import type { LoginService } from './login.service';
import type { SessionService } from './session.service';

export function authRoutes(
  router: ContractRouter,
  deps: { db: DataSource; logins: LoginService; sessions: SessionService },
): void {
  router.handle(contract.buyerLogin, async ({ body }) => deps.logins.buyerLogin(body.code));
  router.handle(contract.refreshSession, async ({ body }) => deps.sessions.refresh(body.refreshToken));
  router.handle(contract.staffLogin, async ({ body }) => deps.logins.staffLogin(body.username, body.password));
  router.handle(contract.me, async ({ principal }) => {
    const b = await deps.db.getRepository(BuyerEntity).findOneBy({ id: principal.buyerId });
    if (!b) throw new NotFoundError('Buyer');
    return { id: b.id, nickname: b.nickname, createdAt: b.createdAt.toISOString() };
  });
}

export function staffRoutes(router: ContractRouter, deps: { db: DataSource; logins: LoginService }): void {
  router.handle(contract.createStaff, async ({ principal, body }) => {
    const exists = await deps.db.getRepository(StaffEntity).existsBy({ username: body.username });
    if (exists) throw new ConflictError('That username is taken.');
    const staff = await deps.logins.createStaff(body);
    await recordAudit(deps.db.manager, principal, 'staff.create', 'staff', staff.id, {
      username: staff.username,
      role: staff.role,
    });
    return { id: staff.id, username: staff.username, displayName: staff.displayName, role: staff.role };
  });
  router.handle(contract.listAudit, async ({ query }) => {
    const page = await newestFirst(deps.db.getRepository(AuditLogEntity).createQueryBuilder('a'), query);
    return { ...page, items: page.items.map((a) => ({ ...a, createdAt: a.createdAt.toISOString() })) };
  });
}
