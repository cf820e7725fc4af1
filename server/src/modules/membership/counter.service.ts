/**
 * The clerk's counter: a scanned member code, then an offline purchase (amount → points and
 * growth) or a payment from the balance. The till's request id is the business key: a retry
 * answers the sale already recorded (even though its code is used by then); a new sale uses
 * the code up in its own transaction, so a code works once.
 */
import { MEMBER_CODE_REFUSALS, newId, type CounterMember, type CounterResult } from '@chatmall/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { isDuplicateKey } from '../../kernel/dialect';
import { ValidationError } from '../../kernel/errors';
import { withTx, type Ctx } from '../../kernel/tx';
import type { StaffPrincipal } from '../auth/principal';
import { lockMember } from './ledgers';
import { checkMemberCode, makeMemberCode, parseMemberCode, type CodeVerdict } from './member-code';
import { MemberCodeUseEntity, MemberEntity, PointsEntryEntity, WalletEntryEntity } from './membership.entity';
import { maskPhone } from './members.service';
import type { LedgerListener, PointsService } from './points.service';
import { levelView, type ProgrammeService } from './programme.service';
import type { WalletService } from './wallet.service';

const refuse = (why: Exclude<CodeVerdict, 'OK'> | 'USED') =>
  new ValidationError([{ path: 'body.code', message: MEMBER_CODE_REFUSALS[why] }]);

export class CounterService {
  constructor(
    private readonly db: DataSource,
    private readonly deps: {
      programme: ProgrammeService;
      points: PointsService;
      wallet: WalletService;
      changed?: LedgerListener;
    },
  ) {}

  /** A fresh code for the member centre. */
  async codeFor(buyerId: string, now = Date.now()) {
    const m = await this.db.getRepository(MemberEntity).findOneBy({ buyerId });
    if (!m) return null;
    return makeMemberCode(m, now);
  }

  private async counterView(m: MemberEntity): Promise<CounterMember> {
    const settings = await this.deps.programme.settings();
    return {
      memberId: m.id,
      memberNo: m.memberNo,
      name: m.name,
      phone: maskPhone(m.phone),
      level: levelView(settings, m.levelIndex).name,
      points: m.points,
      balance: m.balancePrincipal + m.balanceBonus,
    };
  }

  /** The member a code names, if the code is genuine and fresh; does not use it up. */
  private async memberOfCode(code: string, now: number): Promise<{ m: MemberEntity; step: string }> {
    const parsed = parseMemberCode(code, now);
    if (!parsed) throw refuse('FORGED');
    const m = await this.db.getRepository(MemberEntity).findOneBy({ memberNo: parsed.memberNo });
    if (!m) throw refuse('FORGED');
    const verdict = checkMemberCode(parsed, m, now);
    if (verdict !== 'OK') throw refuse(verdict);
    return { m, step: `${parsed.step}:${parsed.nonce}` };
  }

  async lookup(code: string, now = Date.now()): Promise<CounterMember> {
    const { m, step } = await this.memberOfCode(code, now);
    const used = await this.db.getRepository(MemberCodeUseEntity).existsBy({ memberId: m.id, step });
    if (used) throw refuse('USED');
    return this.counterView(m);
  }

  private async useCode(tx: EntityManager, memberId: string, step: string, staffId: string) {
    try {
      await tx
        .getRepository(MemberCodeUseEntity)
        .insert({ id: newId('walletEntry').replace(/^wle_/, 'mcu_'), memberId, step, staffId });
    } catch (err) {
      if (isDuplicateKey(err)) throw refuse('USED');
      throw err;
    }
  }

  /** A sale at the counter: points (and growth, and so the level) for the amount, once per request id. */
  async purchase(
    ctx: Ctx,
    staff: StaffPrincipal,
    req: { code: string; amount: number; requestId: string },
    now = Date.now(),
  ): Promise<CounterResult> {
    const key = `${staff.staffId}:${req.requestId}`;
    const replay = await this.db.getRepository(PointsEntryEntity).findOneBy({ sourceKey: `offline:${key}` });
    if (replay) return this.replayed(replay.memberId, replay.delta, 0);
    const { m, step } = await this.memberOfCode(req.code, now);
    const applied = await withTx(this.db, ctx, async ({ tx }) => {
      const locked = await lockMember(tx, m.id);
      const a = await this.deps.points.earnAtCounter(tx, locked, req.amount, key, new Date(now));
      if (!a) return null; // the same sale raced in: its answer is the replay below
      await this.useCode(tx, m.id, step, staff.staffId);
      await this.deps.points.recordSpend({ tx }, m.id, `offline:${key}`, req.amount);
      return a;
    });
    if (!applied) {
      const e = await this.db.getRepository(PointsEntryEntity).findOneByOrFail({ sourceKey: `offline:${key}` });
      return this.replayed(e.memberId, e.delta, 0);
    }
    await this.deps.changed?.(m.id, applied.entryId);
    const fresh = await this.db.getRepository(MemberEntity).findOneByOrFail({ id: m.id });
    return { member: await this.counterView(fresh), pointsEarned: applied.delta, paid: 0, replayed: false };
  }

  /** A payment from the member's balance at the counter, once per request id. */
  async payment(
    ctx: Ctx,
    staff: StaffPrincipal,
    req: { code: string; amount: number; requestId: string },
    now = Date.now(),
  ): Promise<CounterResult> {
    const key = `counter:${staff.staffId}:${req.requestId}`;
    const replay = await this.db.getRepository(WalletEntryEntity).findOneBy({ sourceKey: key });
    if (replay) return this.replayed(replay.memberId, 0, -(replay.principal + replay.bonus));
    const { m, step } = await this.memberOfCode(req.code, now);
    const applied = await withTx(this.db, ctx, async ({ tx }) => {
      const a = await this.deps.wallet.spendIn(tx, m.id, req.amount, {
        kind: 'COUNTER_PAYMENT',
        sourceKey: key,
        record: `到店消费 ¥${(req.amount / 100).toFixed(2)}`,
        ref: req.requestId,
      });
      if (!a) return null;
      await this.useCode(tx, m.id, step, staff.staffId);
      return a;
    });
    if (!applied) {
      const e = await this.db.getRepository(WalletEntryEntity).findOneByOrFail({ sourceKey: key });
      return this.replayed(e.memberId, 0, -(e.principal + e.bonus));
    }
    await this.deps.changed?.(m.id, applied.entryId);
    const fresh = await this.db.getRepository(MemberEntity).findOneByOrFail({ id: m.id });
    return { member: await this.counterView(fresh), pointsEarned: 0, paid: req.amount, replayed: false };
  }

  private async replayed(memberId: string, points: number, paid: number): Promise<CounterResult> {
    const m = await this.db.getRepository(MemberEntity).findOneByOrFail({ id: memberId });
    return { member: await this.counterView(m), pointsEarned: points, paid, replayed: true };
  }
}
