/**
 * The audience: a read model of followers kept from events (follower.*, order.*, refunds,
 * member levels), and segments that select over it. Campaigns stream their recipients from
 * here page by page (keyset on openid), never loading an audience whole.
 * docs/decisions/0037-audience-read-model.md.
 */
import { randomBytes } from 'node:crypto';
import type { CampaignAudience, Segment, SegmentCondition, SegmentInput, SegmentRules } from '@chatmall/shared';
import {
  Brackets,
  type DataSource,
  type EntityManager,
  type ObjectLiteral,
  type SelectQueryBuilder,
  type WhereExpressionBuilder,
} from 'typeorm';
import { NotFoundError, ValidationError } from '../../kernel/errors';
import { managerOf, withTx, type Ctx } from '../../kernel/tx';
import {
  AudienceBuyerEntity,
  AudienceConsentEntity,
  AudienceFollowerEntity,
  AudienceFollowerTagEntity,
  AudienceOrderEntity,
  AudienceSegmentEntity,
} from './audience.entity';

const DAY = 86_400_000;

/** What follower.updated carries: the follower's whole mirrored state. */
export interface FollowerState {
  openid: string;
  unionid: string | null;
  buyerId: string | null;
  city: string | null;
  tagIds: number[];
  followedAt: string | null;
}

export class AudienceService {
  constructor(
    private readonly db: DataSource,
    private readonly now: () => Date = () => new Date(),
  ) {}

  // ---- fed by events -------------------------------------------------------------------------

  /** follower.updated (and the bulk seeding of tests and the bench): the row and its tags overwritten. */
  async applyFollowers(ctx: Ctx, states: FollowerState[]): Promise<void> {
    if (!states.length) return;
    await withTx(this.db, ctx, async ({ tx }) => {
      await tx.getRepository(AudienceFollowerEntity).upsert(
        states.map((s) => ({
          openid: s.openid,
          unionid: s.unionid,
          buyerId: s.buyerId,
          city: s.city,
          following: s.followedAt !== null,
          followedAt: s.followedAt ? new Date(s.followedAt) : null,
        })),
        ['openid'],
      );
      const openids = states.map((s) => s.openid);
      await tx
        .createQueryBuilder()
        .delete()
        .from(AudienceFollowerTagEntity)
        .where('openid IN (:...openids)', { openids })
        .execute();
      const tags = states.flatMap((s) => [...new Set(s.tagIds)].map((tagId) => ({ openid: s.openid, tagId })));
      for (let i = 0; i < tags.length; i += 500)
        await tx
          .createQueryBuilder()
          .insert()
          .into(AudienceFollowerTagEntity)
          .values(tags.slice(i, i + 500))
          .orIgnore()
          .execute();
    });
  }

  /** follower.followed: following from `at`, through a touchpoint when one is named. */
  async followed(
    ctx: Ctx,
    e: { openid: string; unionid: string | null; buyerId: string | null; touchpointId: string | null; at: string },
  ): Promise<void> {
    await withTx(this.db, ctx, async ({ tx }) => {
      await this.ensureRow(tx, e.openid);
      await tx
        .createQueryBuilder()
        .update(AudienceFollowerEntity)
        .set({
          following: true,
          followedAt: new Date(e.at),
          ...(e.unionid ? { unionid: e.unionid } : {}),
          ...(e.buyerId ? { buyerId: e.buyerId } : {}),
          ...(e.touchpointId ? { touchpointId: e.touchpointId } : {}),
        })
        .where('openid = :openid', { openid: e.openid })
        .execute();
    });
  }

  async unfollowed(ctx: Ctx, e: { openid: string }): Promise<void> {
    await managerOf(this.db, ctx)
      .createQueryBuilder()
      .update(AudienceFollowerEntity)
      .set({ following: false, followedAt: null })
      .where('openid = :openid', { openid: e.openid })
      .execute();
  }

  /** follower.messaged: the 48-hour window starts again (never moved back by a late event). */
  async messaged(ctx: Ctx, e: { openid: string; at: string }): Promise<void> {
    await withTx(this.db, ctx, async ({ tx }) => {
      await this.ensureRow(tx, e.openid);
      await tx
        .createQueryBuilder()
        .update(AudienceFollowerEntity)
        .set({ lastMessageAt: new Date(e.at) })
        .where('openid = :openid AND (last_message_at IS NULL OR last_message_at < :at)', {
          openid: e.openid,
          at: new Date(e.at),
        })
        .execute();
    });
  }

  /** member.level_changed: the level a segment can select on (buyer's followers). */
  async levelChanged(ctx: Ctx, e: { buyerId: string; level: string | null }): Promise<void> {
    await managerOf(this.db, ctx)
      .createQueryBuilder()
      .update(AudienceFollowerEntity)
      .set({ memberLevel: e.level })
      .where('buyer_id = :buyerId', { buyerId: e.buyerId })
      .execute();
  }

  /** order.placed: which buyer an order number belongs to (order.paid carries only the number). */
  async orderPlaced(ctx: Ctx, e: { orderNo: string; buyerId: string }): Promise<void> {
    await managerOf(this.db, ctx)
      .createQueryBuilder()
      .insert()
      .into(AudienceOrderEntity)
      .values({ orderNo: e.orderNo, buyerId: e.buyerId, amount: 0, paid: false, paidAt: null, refunded: 0 })
      .orIgnore()
      .execute();
  }

  /**
   * order.paid: the order counts once towards its buyer's total and last order date (paid
   * flips under a condition). An order whose order.placed has not been applied yet is an error,
   * so the event is delivered again later.
   */
  async orderPaid(ctx: Ctx, e: { orderNo: string; amount: number }): Promise<void> {
    await withTx(this.db, ctx, async ({ tx }) => {
      const at = this.now();
      const flipped = await tx
        .createQueryBuilder()
        .update(AudienceOrderEntity)
        .set({ paid: true, amount: e.amount, paidAt: at })
        .where('order_no = :no AND paid = :unpaid', { no: e.orderNo, unpaid: false })
        .execute();
      const order = await tx.getRepository(AudienceOrderEntity).findOneBy({ orderNo: e.orderNo });
      if (!order) throw new Error(`order ${e.orderNo} not yet known to the audience (order.placed pending)`);
      if (!flipped.affected) return;
      await this.addSpend(tx, order.buyerId, e.amount, at);
    });
  }

  /** refund.succeeded: the refunded amount comes off the buyer's total, once per refund. */
  async refunded(ctx: Ctx, e: { orderNo: string; amount: number; refundedTotal: number }): Promise<void> {
    await withTx(this.db, ctx, async ({ tx }) => {
      const moved = await tx
        .createQueryBuilder()
        .update(AudienceOrderEntity)
        .set({ refunded: e.refundedTotal })
        .where('order_no = :no AND refunded = :before AND paid = :paid', {
          no: e.orderNo,
          before: e.refundedTotal - e.amount,
          paid: true,
        })
        .execute();
      if (!moved.affected) return;
      const order = await tx.getRepository(AudienceOrderEntity).findOneByOrFail({ orderNo: e.orderNo });
      await this.addSpend(tx, order.buyerId, -e.amount, null);
    });
  }

  /** The buyer of an order the audience has seen, and when it was paid. */
  async orderOf(orderNo: string): Promise<{ buyerId: string; paidAt: Date | null } | null> {
    const o = await this.db.getRepository(AudienceOrderEntity).findOneBy({ orderNo });
    return o ? { buyerId: o.buyerId, paidAt: o.paidAt } : null;
  }

  /** The openid(s) on the official account of a buyer. */
  async openidsOfBuyer(buyerId: string): Promise<string[]> {
    const rows = await this.db.getRepository(AudienceFollowerEntity).findBy({ buyerId });
    return rows.map((r) => r.openid);
  }

  /** The follower's last message, for the 48-hour window (null when never seen). */
  async lastMessageAt(openid: string): Promise<Date | null> {
    const f = await this.db.getRepository(AudienceFollowerEntity).findOneBy({ openid });
    return f?.lastMessageAt ?? null;
  }

  /** A subscribe-message consent accepted (one more send of that template to this user). */
  async consentGranted(ctx: Ctx, openid: string, templateId: string): Promise<void> {
    await withTx(this.db, ctx, async ({ tx }) => {
      await tx
        .createQueryBuilder()
        .insert()
        .into(AudienceConsentEntity)
        .values({ openid, templateId, remaining: 0 })
        .orIgnore()
        .execute();
      await tx
        .createQueryBuilder()
        .update(AudienceConsentEntity)
        .set({ remaining: () => 'remaining + 1' })
        .where('openid = :openid AND template_id = :templateId', { openid, templateId })
        .execute();
    });
  }

  /** A consent used by a send (or found spent by WeChat's 43101): one fewer, never below 0. */
  async consentUsed(ctx: Ctx, openid: string, templateId: string, spentAll = false): Promise<void> {
    await managerOf(this.db, ctx)
      .createQueryBuilder()
      .update(AudienceConsentEntity)
      .set({ remaining: spentAll ? 0 : () => 'remaining - 1' })
      .where('openid = :openid AND template_id = :templateId AND remaining > 0', { openid, templateId })
      .execute();
  }

  // ---- audiences and segments ----------------------------------------------------------------

  /** One page of an audience's openids after `after`, in openid order (keyset paging). */
  async page(audience: CampaignAudience, after: string | null, limit: number): Promise<string[]> {
    const rules = await this.rulesOf(audience);
    const tag = drivingTag(rules);
    // With a tag every follower must have, the page walks that tag's index (tag_id, openid) in
    // openid order and stops at the limit. Driven from the followers, MariaDB joins the tag's
    // every row and sorts them for each page: a 1,000,000-follower campaign's plan grew with
    // the square of its size.
    const qb = tag === null ? this.base(rules) : this.base(withoutTag(rules, tag), tag);
    const key = tag === null ? 'f.openid' : 't.openid';
    if (after !== null) qb.andWhere(`${key} > :after`, { after });
    const rows = await qb.select(key, 'openid').orderBy(key, 'ASC').limit(limit).getRawMany<{ openid: string }>();
    return rows.map((r) => r.openid);
  }

  async count(audience: CampaignAudience): Promise<number> {
    return (await this.select(audience)).getCount();
  }

  async countRules(rules: SegmentRules): Promise<number> {
    return this.base(rules).getCount();
  }

  async listSegments(): Promise<Segment[]> {
    const rows = await this.db.getRepository(AudienceSegmentEntity).find({ order: { createdAt: 'DESC' } });
    return Promise.all(rows.map((r) => this.toSegment(r)));
  }

  async getSegment(id: string): Promise<Segment> {
    const row = await this.db.getRepository(AudienceSegmentEntity).findOneBy({ id });
    if (!row) throw new NotFoundError('Segment');
    return this.toSegment(row);
  }

  async createSegment(ctx: Ctx, staffId: string, input: SegmentInput): Promise<Segment> {
    const now = this.now();
    const row: AudienceSegmentEntity = {
      id: `seg_${now.getTime().toString(36)}${randomBytes(5).toString('hex')}`,
      name: input.name,
      rules: input.rules,
      createdBy: staffId,
      createdAt: now,
      updatedAt: now,
    };
    await managerOf(this.db, ctx).getRepository(AudienceSegmentEntity).insert(row);
    return this.toSegment(row);
  }

  async updateSegment(ctx: Ctx, id: string, input: SegmentInput): Promise<Segment> {
    const r = await managerOf(this.db, ctx)
      .getRepository(AudienceSegmentEntity)
      .update({ id }, { name: input.name, rules: input.rules, updatedAt: this.now() });
    if (!r.affected) throw new NotFoundError('Segment');
    return this.getSegment(id);
  }

  private async toSegment(r: AudienceSegmentEntity): Promise<Segment> {
    return {
      id: r.id,
      name: r.name,
      rules: r.rules,
      count: await this.countRules(r.rules),
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  }

  private async select(audience: CampaignAudience): Promise<SelectQueryBuilder<ObjectLiteral>> {
    return this.base(await this.rulesOf(audience));
  }

  private async rulesOf(audience: CampaignAudience): Promise<SegmentRules> {
    switch (audience.kind) {
      case 'all':
        return { combine: 'and', conditions: [] };
      case 'tag':
        return { combine: 'and', conditions: [{ field: 'tag', op: 'any', tagIds: [audience.tagId] }] };
      case 'segment': {
        const seg = await this.db.getRepository(AudienceSegmentEntity).findOneBy({ id: audience.segmentId });
        if (!seg) throw new ValidationError([{ path: 'audience.segmentId', message: 'no such segment' }]);
        return seg.rules;
      }
    }
  }

  /**
   * Followers (following now) matching the rules; with `tag`, only those holding it, read from
   * the tag's rows (`t`) first.
   */
  private base(rules: SegmentRules, tag?: number): SelectQueryBuilder<ObjectLiteral> {
    const from =
      tag === undefined
        ? this.db.getRepository(AudienceFollowerEntity).createQueryBuilder('f')
        : this.db
            .createQueryBuilder()
            .from(AudienceFollowerTagEntity, 't')
            // MariaDB otherwise reads the tag's rows from the first and filters (a "ref"), not
            // from the cursor (a "range"): each page would cost the whole tag again.
            .useIndex('idx_audience_follower_tags_tag')
            .innerJoin(AudienceFollowerEntity, 'f', 'f.openid = t.openid')
            .where('t.tag_id = :drivingTag', { drivingTag: tag });
    const qb = from
      .leftJoin(AudienceBuyerEntity, 'b', 'b.buyer_id = f.buyer_id')
      .andWhere('f.following = :following', { following: true });
    let n = 0;
    const param = () => `p${n++}`;
    const group = (w: WhereExpressionBuilder, r: SegmentRules) => {
      r.conditions.forEach((c, i) => {
        const add = (fn: (w2: WhereExpressionBuilder) => void) => {
          const b = new Brackets(fn);
          if (i === 0 || r.combine === 'and') w.andWhere(b);
          else w.orWhere(b);
        };
        if ('combine' in c) add((w2) => group(w2, c));
        else add((w2) => this.condition(w2, c, param));
      });
      if (!r.conditions.length) w.andWhere('1 = 1');
    };
    qb.andWhere(new Brackets((w) => group(w, rules)));
    return qb;
  }

  private condition(w: WhereExpressionBuilder, c: SegmentCondition, param: () => string): void {
    const p = param();
    const since = (days: number) => new Date(this.now().getTime() - days * DAY);
    switch (c.field) {
      case 'tag': {
        const sub = `SELECT 1 FROM audience_follower_tags t WHERE t.openid = f.openid AND t.tag_id IN (:...${p})`;
        w.where(`${c.op === 'any' ? '' : 'NOT '}EXISTS (${sub})`, { [p]: c.tagIds });
        return;
      }
      case 'memberLevel':
        return void (c.op === 'in'
          ? w.where(`f.member_level IN (:...${p})`, { [p]: c.levels })
          : w.where(`(f.member_level IS NULL OR f.member_level NOT IN (:...${p}))`, { [p]: c.levels }));
      case 'lastOrder':
        return void (c.op === 'withinDays'
          ? w.where(`b.last_order_at >= :${p}`, { [p]: since(c.days) })
          : w.where(`(b.last_order_at IS NULL OR b.last_order_at < :${p})`, { [p]: since(c.days) }));
      case 'totalSpend':
        return void w.where(`COALESCE(b.total_spend, 0) ${c.op === 'atLeast' ? '>=' : '<'} :${p}`, { [p]: c.amount });
      case 'city':
        return void (c.op === 'in'
          ? w.where(`f.city IN (:...${p})`, { [p]: c.cities })
          : w.where(`(f.city IS NULL OR f.city NOT IN (:...${p}))`, { [p]: c.cities }));
      case 'touchpoint':
        return void (c.op === 'in'
          ? w.where(`f.touchpoint_id IN (:...${p})`, { [p]: c.touchpointIds })
          : w.where(`(f.touchpoint_id IS NULL OR f.touchpoint_id NOT IN (:...${p}))`, { [p]: c.touchpointIds }));
      case 'followedAt':
        return void (c.op === 'withinDays'
          ? w.where(`f.followed_at >= :${p}`, { [p]: since(c.days) })
          : w.where(`f.followed_at < :${p}`, { [p]: since(c.days) }));
      case 'subscribeConsent':
        return void w.where(
          `EXISTS (SELECT 1 FROM audience_consents c WHERE c.openid = f.openid AND c.template_id = :${p} AND c.remaining > 0)`,
          { [p]: c.templateId },
        );
    }
  }

  private async ensureRow(tx: EntityManager, openid: string): Promise<void> {
    await tx
      .createQueryBuilder()
      .insert()
      .into(AudienceFollowerEntity)
      .values({ openid, following: false })
      .orIgnore()
      .execute();
  }

  private async addSpend(tx: EntityManager, buyerId: string, amount: number, at: Date | null) {
    await tx
      .createQueryBuilder()
      .insert()
      .into(AudienceBuyerEntity)
      .values({ buyerId, totalSpend: 0, lastOrderAt: null })
      .orIgnore()
      .execute();
    const qb = tx
      .createQueryBuilder()
      .update(AudienceBuyerEntity)
      .set({
        totalSpend: () => `total_spend + ${Math.trunc(amount)}`,
        ...(at
          ? {
              lastOrderAt: () =>
                'CASE WHEN last_order_at IS NULL OR last_order_at < :at THEN :at ELSE last_order_at END',
            }
          : {}),
      })
      .where('buyer_id = :buyerId', { buyerId });
    if (at) qb.setParameter('at', at);
    await qb.execute();
  }
}

/**
 * A tag every matching follower must have: a positive tag condition naming one tag, alone or
 * in a top-level "and". Null when the rules have none.
 */
export function drivingTag(rules: SegmentRules): number | null {
  if (rules.combine !== 'and' && rules.conditions.length > 1) return null;
  for (const c of rules.conditions)
    if (!('combine' in c) && c.field === 'tag' && c.op === 'any' && c.tagIds.length === 1) return c.tagIds[0];
  return null;
}

/** The rules less the driving tag's condition (the walk over its rows already holds it). */
function withoutTag(rules: SegmentRules, tag: number): SegmentRules {
  const i = rules.conditions.findIndex(
    (c) => !('combine' in c) && c.field === 'tag' && c.op === 'any' && c.tagIds.length === 1 && c.tagIds[0] === tag,
  );
  return { combine: 'and', conditions: rules.conditions.filter((_, j) => j !== i) };
}
