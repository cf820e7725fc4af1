/**
 * The owner manages the shop's staff: list, add, change role, disable/enable, reset a
 * password. Rules that hold however requests interleave:
 *
 * - The owner cannot disable or demote themself, and the shop never ends without an enabled
 *   owner: a change locks every enabled owner's row (and the member's) in id order before it
 *   decides, so two owners demoting each other take turns and the second finds itself the
 *   last owner (`server/test/staff.admin.test.ts`, the concurrency case).
 * - Disabling, a role change and a password reset end the member's sessions in the same
 *   transaction: their access and refresh tokens stop working at once.
 * - Every change is audited in its transaction; the audit row never holds a password.
 *
 * `docs/decisions/0027-staff-management.md`.
 */
import { newId, type StaffAccount, type StaffRole, type StaffUpdate } from '@chatmall/shared';
import type { DataSource } from 'typeorm';
import { lockForUpdate } from '../../kernel/dialect';
import { ConflictError, NotFoundError, ValidationError } from '../../kernel/errors';
import { updateWhere } from '../../kernel/sql';
import { withTx, type Ctx } from '../../kernel/tx';
import { recordAudit } from './audit.service';
import { hashPassword, verifyPassword } from './password';
import type { StaffPrincipal } from './principal';
import { SessionEntity } from './session.entity';
import type { SessionService } from './session.service';
import type { SignInThrottle } from './sign-in-throttle';
import { StaffEntity } from './staff.entity';

const LAST_OWNER = 'The shop must keep at least one enabled owner.';

export class StaffService {
  constructor(
    private readonly db: DataSource,
    private readonly sessions: SessionService,
    private readonly throttle?: SignInThrottle,
  ) {}

  /** Every staff account, owners first, then by name. */
  async list(): Promise<StaffAccount[]> {
    const rows = await this.db.getRepository(StaffEntity).find({ order: { createdAt: 'ASC', id: 'ASC' } });
    const order: Record<StaffRole, number> = { owner: 0, marketer: 1, clerk: 2 };
    rows.sort((a, b) => order[a.role] - order[b.role]);
    return Promise.all(rows.map((s) => this.account(s)));
  }

  /** Adds a member; a taken username (also when two adds race) is a 409 naming `body.username`. */
  async create(
    ctx: Ctx,
    actor: StaffPrincipal,
    input: { username: string; displayName: string; role: StaffRole; password: string },
  ): Promise<StaffEntity> {
    const passwordHash = await hashPassword(input.password);
    return withTx(this.db, ctx, async (tx) => {
      const repo = tx.tx.getRepository(StaffEntity);
      const id = newId('staff');
      // The unique index decides (no read-then-insert): its violation maps to 409 on the field.
      await repo.insert({
        id,
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        passwordHash,
        openid: null,
        active: true,
      });
      await recordAudit(tx.tx, actor, 'staff.create', 'staff', id, { username: input.username, role: input.role });
      return repo.findOneByOrFail({ id });
    });
  }

  /** Changes exactly the fields named: the role, and whether the member is disabled. */
  async update(ctx: Ctx, actor: StaffPrincipal, staffId: string, patch: StaffUpdate): Promise<StaffAccount> {
    if (staffId === actor.staffId) {
      if (patch.disabled === true)
        throw new ConflictError('You cannot disable yourself.', [
          { path: 'body.disabled', message: 'cannot disable your own account' },
        ]);
      if (patch.role !== undefined && patch.role !== 'owner')
        throw new ConflictError('You cannot change your own role.', [
          { path: 'body.role', message: 'cannot demote your own account' },
        ]);
    }
    const now = new Date();
    const saved = await withTx(this.db, ctx, async (tx) => {
      // Every enabled owner and the member, locked in id order: whoever comes second decides
      // on what the first committed.
      const locked = await lockForUpdate(
        tx.tx
          .getRepository(StaffEntity)
          .createQueryBuilder('s')
          .where('(s.role = :owner AND s.active = :on) OR s.id = :id', { owner: 'owner', on: 1, id: staffId })
          .orderBy('s.id', 'ASC'),
      ).getMany();
      const before = locked.find((s) => s.id === staffId);
      if (!before) throw new NotFoundError('Staff member');
      const role = patch.role ?? before.role;
      const active = patch.disabled === undefined ? before.active : !patch.disabled;
      const ownersLeft = locked.filter((s) => (s.id === staffId ? role === 'owner' && active : s.role === 'owner'));
      if (ownersLeft.length === 0) {
        throw new ConflictError(LAST_OWNER, [
          {
            path: patch.role !== undefined && patch.role !== 'owner' ? 'body.role' : 'body.disabled',
            message: LAST_OWNER,
          },
        ]);
      }
      if (role === before.role && active === before.active) return before;
      const changed = await updateWhere(
        tx.tx,
        StaffEntity,
        { role, active },
        { id: staffId, role: before.role, active: before.active },
      );
      if (changed !== 1) throw new ConflictError('The staff member changed meanwhile; reload and try again.');
      // A role change or disabling: no token issued before it keeps working.
      if (role !== before.role || !active) await this.sessions.revokeSubject(tx, 'staff', staffId, now);
      if (role !== before.role)
        await recordAudit(tx.tx, actor, 'staff.role', 'staff', staffId, {
          username: before.username,
          from: before.role,
          to: role,
        });
      if (active !== before.active)
        await recordAudit(tx.tx, actor, active ? 'staff.enable' : 'staff.disable', 'staff', staffId, {
          username: before.username,
        });
      return { ...before, role, active } as StaffEntity;
    });
    return this.account(saved);
  }

  /**
   * The owner sets the member's new password (the rule of `StaffPassword`), rather than the
   * server generating a temporary one: staff have no e-mail or SMS on file and no self-service
   * password change yet, so a "temporary" password could not be made to expire on first use
   * and would simply become their password; in a shop the owner hands it over in person, as
   * when adding the member (the console offers a strong random one to copy). The reply never
   * carries it. It ends the member's sessions and lifts a sign-in lock (a locked-out clerk is
   * the usual reason for a reset).
   */
  async resetPassword(ctx: Ctx, actor: StaffPrincipal, staffId: string, password: string): Promise<StaffAccount> {
    const passwordHash = await hashPassword(password);
    const now = new Date();
    const staff = await withTx(this.db, ctx, async (tx) => {
      const row = await lockForUpdate(
        tx.tx.getRepository(StaffEntity).createQueryBuilder('s').where('s.id = :id', { id: staffId }),
      ).getOne();
      if (!row) throw new NotFoundError('Staff member');
      await updateWhere(tx.tx, StaffEntity, { passwordHash }, { id: staffId });
      await this.sessions.revokeSubject(tx, 'staff', staffId, now);
      await recordAudit(tx.tx, actor, 'staff.password', 'staff', staffId, { username: row.username });
      return { ...row, passwordHash };
    });
    await this.throttle?.unlockStaff(staff.id, staff.username);
    return this.account(staff);
  }

  /**
   * A member changes their own password. The current one must match: a wrong one counts toward
   * the account's sign-in lock like a wrong sign-in (so a borrowed session cannot guess it), and
   * changes nothing. The update is conditional on the hash that was checked, so of two changes
   * racing only one applies. The member's other sign-ins end; the one that changed it stays.
   */
  async changeOwnPassword(
    ctx: Ctx & { clientIp?: string },
    actor: StaffPrincipal,
    currentPassword: string,
    password: string,
  ): Promise<{ ok: true; signedOutElsewhere: number }> {
    const row = await this.db.getRepository(StaffEntity).findOneBy({ id: actor.staffId, active: true });
    if (!row) throw new NotFoundError('Staff member');
    const attempt = await this.throttle?.staffAttempt({ staffId: row.id }, ctx.clientIp);
    if (!(await verifyPassword(currentPassword, row.passwordHash))) {
      await attempt?.failed();
      throw new ValidationError([
        { path: 'body.currentPassword', message: '当前密码不正确 (the current password is wrong)' },
      ]);
    }
    await attempt?.succeeded();
    if (password === currentPassword)
      throw new ValidationError([
        { path: 'body.password', message: '新密码不能与当前密码相同 (choose a password other than the current one)' },
      ]);
    const passwordHash = await hashPassword(password);
    const keep = await this.sessions.familyOf(actor.sessionId);
    const signedOutElsewhere = await withTx(this.db, ctx, async (tx) => {
      const changed = await updateWhere(tx.tx, StaffEntity, { passwordHash }, { id: row.id, passwordHash: row.passwordHash });
      if (changed === 0)
        throw new ValidationError([
          { path: 'body.currentPassword', message: '密码刚被修改过，请重新输入 (the password was just changed; enter it again)' },
        ]);
      const n = await this.sessions.revokeSubject(tx, 'staff', row.id, new Date(), keep ?? undefined);
      await recordAudit(tx.tx, actor, 'staff.password.change', 'staff', row.id, { username: row.username });
      return n;
    });
    return { ok: true, signedOutElsewhere };
  }

  private async account(s: StaffEntity): Promise<StaffAccount> {
    const [lockedUntil, lastSignIn] = await Promise.all([
      this.throttle?.staffLockedUntil(s.id, s.username) ?? null,
      // A sign-in starts a session family: its first session's id is the family's.
      this.db
        .getRepository(SessionEntity)
        .createQueryBuilder('x')
        .where('x.subjectKind = :kind AND x.subjectId = :id AND x.id = x.familyId', { kind: 'staff', id: s.id })
        .orderBy('x.createdAt', 'DESC')
        .getOne(),
    ]);
    return {
      id: s.id,
      username: s.username,
      displayName: s.displayName,
      role: s.role,
      disabled: !s.active,
      lockedUntil: lockedUntil?.toISOString() ?? null,
      lastSignInAt: lastSignIn?.createdAt.toISOString() ?? null,
      wechatBound: s.openid !== null,
      createdAt: s.createdAt.toISOString(),
    };
  }
}
