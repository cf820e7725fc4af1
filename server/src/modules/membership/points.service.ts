/**
 * The points ledger's causes: an order earns (on pay or on completion, per the programme),
 * its refunds take back their share, staff adjust (reason and actor, audited), lots expire.
 * Spend and growth (which decide the level) move with paid and refunded orders. Every cause
 * has its business key, so a redelivered event or a retried request changes nothing.
 */
import { newId, type PointsEntry, type PointsPage } from '@chatmall/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { insertIgnore } from '../../kernel/dialect';
import { NotFoundError } from '../../kernel/errors';
import { execute } from '../../kernel/sql';
import { withTx, type Ctx } from '../../kernel/tx';
import { recordAudit } from '../auth/audit.service';
import type { StaffPrincipal } from '../auth/principal';
import { publish } from '../events';
import { applyPoints, dueLots, InsufficientPointsError, lockMember, type AppliedPoints } from './ledgers';
import { MemberEntity, PointsEntryEntity } from './membership.entity';
import { expiryFor, levelFor, type ProgrammeService } from './programme.service';

/** Points an amount earns: whole yuan × the rate × the level's multiplier, rounded down. */
export function pointsFor(amountFen: number, pointsPerYuan: number, multiplierPercent: number): number {
  return Math.floor((Math.floor(amountFen / 100) * pointsPerYuan * multiplierPercent) / 100);
}

export const pointsEntryView = (e: PointsEntryEntity): PointsEntry => ({
  id: e.id,
  kind: e.kind as PointsEntry['kind'],
  delta: e.delta,
  balanceAfter: e.balanceAfter,
  record: e.record,
  orderNo: e.orderNo,
  actorId: e.actorId,
  reason: e.reason,
  createdAt: e.createdAt.toISOString(),
});

/** Told after commit about each applied ledger entry (the card sync queues its job here). */
export type LedgerListener = (memberId: string, entryId: string) => Promise<void>;

export class PointsService {
  constructor(
    private readonly db: DataSource,
    private readonly programme: ProgrammeService,
    private readonly changed: LedgerListener = async () => undefined,
  ) {}

  private async memberOfBuyer(buyerId: string): Promise<MemberEntity | null> {
    return this.db.getRepository(MemberEntity).findOneBy({ buyerId });
  }

  /** Notifies the listener after the transaction this ran in has committed (own transactions only). */
  private async after(ctx: Ctx, memberId: string, applied: AppliedPoints | null): Promise<void> {
    if (applied && !ctx.tx) await this.changed(memberId, applied.entryId);
  }

  /** An order's points, once per order (`earn:<orderNo>`), at the member's level when earned. */
  async earnForOrder(ctx: Ctx, o: { buyerId: string; orderNo: string; amount: number }, now = new Date()) {
    const member = await this.memberOfBuyer(o.buyerId);
    if (!member) return null;
    const settings = await this.programme.settings();
    const applied = await withTx(this.db, ctx, async ({ tx }) => {
      const m = await lockMember(tx, member.id);
      const level = settings.levels[Math.min(m.levelIndex, settings.levels.length - 1)];
      const points = pointsFor(o.amount, settings.earning.pointsPerYuan, level.pointsMultiplierPercent);
      return applyPoints(tx, m.id, {
        kind: 'EARN',
        delta: points,
        sourceKey: `earn:${o.orderNo}`,
        record: `订单获得积分 ${o.orderNo}`,
        orderNo: o.orderNo,
        expiresAt: expiryFor(settings, now),
      });
    });
    await this.after(ctx, member.id, applied);
    return applied;
  }

  /**
   * A refund takes back the order's points in proportion to the money refunded so far
   * (cumulative, so rounding never drifts: a full refund takes back exactly what was earned),
   * from the order's own lot first; never below zero (points already spent stay spent).
   */
  async reverseForRefund(
    ctx: Ctx,
    r: { buyerId: string; orderNo: string; outRefundNo: string; refundedTotal: number; paidTotal: number },
  ) {
    const member = await this.memberOfBuyer(r.buyerId);
    if (!member) return null;
    const applied = await withTx(this.db, ctx, async ({ tx }) => {
      const m = await lockMember(tx, member.id);
      const earn = await tx.getRepository(PointsEntryEntity).findOneBy({ sourceKey: `earn:${r.orderNo}` });
      const earned = earn?.delta ?? 0;
      const [{ taken }] = (await tx.query(
        "SELECT COALESCE(SUM(-delta), 0) AS taken FROM points_entries WHERE order_no = ? AND kind = 'REVERSE'",
        [r.orderNo],
      )) as { taken: number }[];
      const target =
        r.refundedTotal >= r.paidTotal || r.paidTotal === 0
          ? earned
          : Math.floor((earned * r.refundedTotal) / r.paidTotal);
      const take = Math.max(0, Math.min(target - Number(taken), m.points));
      return applyPoints(tx, m.id, {
        kind: 'REVERSE',
        delta: -take,
        sourceKey: `reverse:${r.outRefundNo}`,
        record: `退款扣回积分 ${r.orderNo}`,
        orderNo: r.orderNo,
        lotFirst: earn?.id,
      });
    });
    await this.after(ctx, member.id, applied);
    return applied;
  }

  /** Points a clerk's counter sale earns; the caller holds the member's lock in its transaction. */
  async earnAtCounter(tx: EntityManager, m: MemberEntity, amount: number, requestKey: string, now = new Date()) {
    const settings = await this.programme.settings();
    const level = settings.levels[Math.min(m.levelIndex, settings.levels.length - 1)];
    return applyPoints(tx, m.id, {
      kind: 'OFFLINE',
      delta: pointsFor(amount, settings.earning.pointsPerYuan, level.pointsMultiplierPercent),
      sourceKey: `offline:${requestKey}`,
      record: '到店消费获得积分',
      expiresAt: expiryFor(settings, now),
    });
  }

  /** Staff add or take points with a reason; audited in the same transaction. */
  async adjust(
    ctx: Ctx,
    actor: StaffPrincipal,
    memberId: string,
    req: { delta: number; reason: string; requestKey: string },
    now = new Date(),
  ): Promise<PointsEntry> {
    const settings = await this.programme.settings();
    const sourceKey = `adjust:${actor.staffId}:${req.requestKey}`;
    const applied = await withTx(this.db, ctx, async ({ tx }) => {
      await lockMember(tx, memberId);
      try {
        const a = await applyPoints(tx, memberId, {
          kind: 'ADJUST',
          delta: req.delta,
          sourceKey,
          record: req.delta > 0 ? '商家赠送积分' : '商家扣减积分',
          actorId: actor.staffId,
          reason: req.reason,
          expiresAt: expiryFor(settings, now),
        });
        if (a)
          await recordAudit(tx, actor, 'membership.points.adjust', 'member', memberId, {
            delta: req.delta,
            reason: req.reason,
            entryId: a.entryId,
          });
        return a;
      } catch (err) {
        if (err instanceof InsufficientPointsError) throw new InsufficientPointsError('body.delta');
        throw err;
      }
    });
    await this.after(ctx, memberId, applied);
    const entry = await this.db.getRepository(PointsEntryEntity).findOneBy({ sourceKey });
    if (!entry) throw new NotFoundError('Points entry');
    return pointsEntryView(entry);
  }

  /**
   * Expires every lot whose time has passed, each in its own transaction (`expire:<lotId>`):
   * a second run finds nothing left to expire and changes nothing. Answers the points expired.
   */
  async expire(now = new Date(), batch = 200): Promise<number> {
    let total = 0;
    for (;;) {
      const due = await dueLots(this.db.manager, now, batch);
      if (!due.length) return total;
      for (const lot of due) {
        const applied = await withTx(this.db, {}, async ({ tx }) => {
          await lockMember(tx, lot.memberId);
          const [row] = (await tx.query('SELECT remaining FROM points_lots WHERE id = ?', [lot.id])) as {
            remaining: number;
          }[];
          const remaining = Number(row?.remaining ?? 0);
          if (remaining <= 0) return null;
          return applyPoints(tx, lot.memberId, {
            kind: 'EXPIRE',
            delta: -remaining,
            sourceKey: `expire:${lot.id}`,
            record: '积分过期',
            lotFirst: lot.id,
          });
        });
        if (applied) {
          total += -applied.delta;
          await this.changed(lot.memberId, applied.entryId);
        }
      }
      if (due.length < batch) return total;
    }
  }

  async history(memberId: string, q: { cursor?: string; limit: number }): Promise<PointsPage> {
    const qb = this.db
      .getRepository(PointsEntryEntity)
      .createQueryBuilder('e')
      .where('e.member_id = :memberId', { memberId })
      .orderBy('e.id', 'DESC')
      .take(q.limit + 1);
    if (q.cursor) qb.andWhere('e.id < :cursor', { cursor: q.cursor });
    const rows = await qb.getMany();
    return {
      items: rows.slice(0, q.limit).map(pointsEntryView),
      nextCursor: rows.length > q.limit ? rows[q.limit - 1].id : null,
    };
  }

  /**
   * Moves a member's spend and growth (growth: 1 per whole yuan) once per cause and re-decides
   * the level; a change of level is `member.level_changed` in the same transaction.
   */
  async recordSpend(ctx: Ctx, memberId: string, sourceKey: string, spend: number): Promise<boolean> {
    const settings = await this.programme.settings();
    return withTx(this.db, ctx, async ({ tx }) => {
      const m = await lockMember(tx, memberId);
      const growth = spend >= 0 ? Math.floor(spend / 100) : -Math.floor(-spend / 100);
      // Never below zero (a refund of an order paid before the member joined).
      const newSpend = Math.max(0, m.spendTotal + spend);
      const newGrowth = Math.max(0, m.growth + growth);
      const level = levelFor(settings, newSpend, newGrowth);
      const entryId = newId('pointsEntry').replace(/^pte_/, 'grw_');
      const inserted = await execute(
        tx,
        `${insertIgnore(tx)} INTO member_growth_entries (id, member_id, source_key, spend, growth, level_after) VALUES (?, ?, ?, ?, ?, ?)`,
        [entryId, memberId, sourceKey, newSpend - m.spendTotal, newGrowth - m.growth, level],
      );
      if (!inserted) return false;
      await execute(tx, 'UPDATE members SET spend_total = ?, growth = ?, level_index = ? WHERE id = ?', [
        newSpend,
        newGrowth,
        level,
        memberId,
      ]);
      if (level !== m.levelIndex) {
        const name = (i: number) => settings.levels[Math.min(i, settings.levels.length - 1)].name;
        await publish(tx, 'member.level_changed', `${memberId}:${entryId}`, {
          memberId,
          buyerId: m.buyerId,
          from: m.levelIndex,
          to: level,
          fromName: name(m.levelIndex),
          toName: name(level),
          direction: level > m.levelIndex ? 'up' : 'down',
        });
      }
      return true;
    });
  }
}
