/**
 * Signing in: buyers with a mini-program login code, staff with username and password, and
 * trading refresh tokens. Throttled per account and client address (`sign-in-throttle.ts`)
 * when a throttle is given (the composition root always gives one).
 */
import { randomBytes } from 'node:crypto';
import { newId, type StaffRole } from '@chatmall/shared';
import type { DataSource } from 'typeorm';
import { NotFoundError, UnauthenticatedError } from '../../kernel/errors';
import { execute, insertIgnore } from '../../kernel/sql';
import type { Ctx } from '../../kernel/tx';
import { publish } from '../events';
import { recordAudit } from './audit.service';
import { BuyerEntity } from './buyer.entity';
import { hashPassword, verifyPassword } from './password';
import type { StaffPrincipal } from './principal';
import type { SessionService } from './session.service';
import type { SignInThrottle } from './sign-in-throttle';
import { StaffEntity } from './staff.entity';

let standIn: Promise<string> | undefined;
const standInHash = () => (standIn ??= hashPassword(randomBytes(16).toString('hex')));

/** A sign-in's context: the request's, plus the client address it came from (Koa's `ctx.ip`). */
export interface SignInCtx extends Ctx {
  readonly clientIp?: string;
}

/**
 * Turns a `wx.login` code into the buyer's identity (WeChat's code2Session). The session
 * key it also returns stays on the server, with whoever needs to decrypt the buyer's data.
 */
export interface LoginCodeExchanger {
  exchange(code: string): Promise<{ openid: string; unionid?: string | null }>;
}

export class LoginService {
  constructor(
    private readonly db: DataSource,
    private readonly sessions: SessionService,
    private readonly codes: LoginCodeExchanger,
    private readonly throttle?: SignInThrottle,
  ) {}

  async buyerLogin(ctx: SignInCtx, code: string) {
    await this.throttle?.buyerLogin(ctx.clientIp);
    const who = await this.codes.exchange(code);
    const repo = this.db.getRepository(BuyerEntity);
    // Insert-or-ignore under the unique openid index: two first logins racing make one
    // buyer, and only the one that inserted announces the new buyer.
    await this.db.transaction(async (tx) => {
      const id = newId('buyer');
      const added = await execute(
        tx,
        `${insertIgnore(tx)} INTO buyers (id, openid, unionid, nickname, last_login_at) VALUES (?, ?, ?, NULL, ?)`,
        [id, who.openid, who.unionid ?? null, new Date()],
      );
      if (added === 1) await publish(tx, 'buyer.registered', id, { buyerId: id });
    });
    await repo.update(
      { openid: who.openid },
      { lastLoginAt: new Date(), ...(who.unionid ? { unionid: who.unionid } : {}) },
    );
    const buyer = await repo.findOneByOrFail({ openid: who.openid });
    const tokens = await this.sessions.issue('buyer', buyer.id);
    return { ...tokens, buyer: { id: buyer.id, nickname: buyer.nickname, createdAt: buyer.createdAt.toISOString() } };
  }

  async staffLogin(ctx: SignInCtx, username: string, password: string) {
    const staff = await this.db.getRepository(StaffEntity).findOneBy({ username, active: true });
    // Counted against the account when it exists (however the username was spelled), else
    // against the name: locked accounts and unknown names answer alike.
    const attempt = await this.throttle?.staffAttempt(staff ? { staffId: staff.id } : { username }, ctx.clientIp);
    // Same answer for unknown user and wrong password: do not reveal which usernames exist.
    // (An unknown name is checked against a stand-in hash, so it takes as long to refuse.)
    if (!(await verifyPassword(password, staff?.passwordHash ?? (await standInHash()))) || !staff) {
      await attempt?.failed();
      throw new UnauthenticatedError('Wrong username or password.');
    }
    await attempt?.succeeded();
    const tokens = await this.sessions.issue('staff', staff.id);
    return {
      ...tokens,
      staff: { id: staff.id, username: staff.username, displayName: staff.displayName, role: staff.role },
    };
  }

  /** Trades a refresh token for new tokens (buyers and staff). */
  async refresh(ctx: SignInCtx, refreshToken: string) {
    await this.throttle?.refresh(ctx.clientIp);
    return this.sessions.refresh(ctx, refreshToken);
  }

  /** The owner lifts a staff member's sign-in lock (audited). */
  async unlockStaff(ctx: Ctx, actor: StaffPrincipal, staffId: string) {
    const staff = await this.db.getRepository(StaffEntity).findOneBy({ id: staffId });
    if (!staff) throw new NotFoundError('Staff member');
    await this.throttle?.unlockStaff(staff.id, staff.username);
    await recordAudit(ctx.tx ?? this.db.manager, actor, 'staff.unlock', 'staff', staff.id, {
      username: staff.username,
    });
    return { id: staff.id, username: staff.username, displayName: staff.displayName, role: staff.role };
  }

  async createStaff(input: {
    username: string;
    displayName: string;
    role: StaffRole;
    password: string;
  }): Promise<StaffEntity> {
    const entity = {
      id: newId('staff'),
      ...input,
      passwordHash: await hashPassword(input.password),
      openid: null,
      active: true,
    };
    delete (entity as { password?: string }).password;
    await this.db.getRepository(StaffEntity).insert(entity);
    return this.db.getRepository(StaffEntity).findOneByOrFail({ id: entity.id });
  }
}
