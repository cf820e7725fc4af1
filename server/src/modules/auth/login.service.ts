/** Signing in: buyers with a mini-program login code, staff with username and password. */
import { newId, type StaffRole } from '@chatmall/shared';
import type { DataSource } from 'typeorm';
import { UnauthenticatedError } from '../../kernel/errors';
import { execute, insertIgnore } from '../../kernel/sql';
import { publish } from '../events';
import { BuyerEntity } from './buyer.entity';
import { hashPassword, verifyPassword } from './password';
import type { SessionService } from './session.service';
import { StaffEntity } from './staff.entity';

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
  ) {}

  async buyerLogin(code: string) {
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

  async staffLogin(username: string, password: string) {
    const staff = await this.db.getRepository(StaffEntity).findOneBy({ username, active: true });
    // Same answer for unknown user and wrong password: do not reveal which usernames exist.
    if (!staff || !(await verifyPassword(password, staff.passwordHash)))
      throw new UnauthenticatedError('Wrong username or password.');
    const tokens = await this.sessions.issue('staff', staff.id);
    return {
      ...tokens,
      staff: { id: staff.id, username: staff.username, displayName: staff.displayName, role: staff.role },
    };
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
