/**
 * Coupons a buyer holds: issuing (one method for every source), the claim centre, the wallet,
 * and the checkout's side (the usable coupons to price with, the lock in the order's
 * transaction, consume on payment, release on close or cancel, restore on a full refund),
 * expiry and the day-before reminder. Every state change is a conditional update from the
 * expected state or an insert under a unique index (docs/decisions/0024-coupons.md).
 */
import {
  CouponBenefit,
  couponTitle,
  inCouponScope,
  newId,
  type BuyerCoupon,
  type ClaimableCoupon,
  type CouponSource,
  type CouponStatus,
  type UsableCoupon,
  type WalletTab,
} from '@chatmall/shared';
import { Brackets, In, type DataSource, type EntityManager } from 'typeorm';
import { insertIgnore, isDuplicateKey, lockForUpdate } from '../../kernel/dialect';
import { execute } from '../../kernel/sql';
import { withTx, type Ctx, type TxCtx } from '../../kernel/tx';
import { publish } from '../events';
import { CouponHoldingEntity } from './coupon-holding.entity';
import { CouponTemplateEntity } from './coupon-template.entity';
import { validityOf } from './coupon-template.service';
import { CouponEntity } from './coupon.entity';

const DAY_MS = 86_400_000;

export interface IssueRequest {
  templateId: string;
  buyerId: string;
  source: CouponSource;
  /**
   * The business key of what issues it, unique per source: a claim's `buyerId:requestKey`, a
   * red-envelope grab's `packId:buyerId`, a welcome gift's `templateId:buyerId`. Issuing again
   * with the same key returns the coupon issued the first time.
   */
  sourceRef: string;
  /** Terms other than the template's (a red-envelope share's amount); the template's when absent. */
  benefit?: CouponBenefit;
}

export type IssueRefusal = 'NO_SUCH_TEMPLATE' | 'NOT_ISSUING' | 'NOT_CLAIMABLE' | 'OUT_OF_STOCK' | 'LIMIT_REACHED';

export type IssueResult =
  { ok: true; coupon: BuyerCoupon; duplicate: boolean } | { ok: false; reason: IssueRefusal; message: string };

export const issueRefusalMessage: Record<IssueRefusal, string> = {
  NO_SUCH_TEMPLATE: 'There is no such coupon.',
  NOT_ISSUING: '该券已停止发放 (this coupon is no longer being given out)',
  NOT_CLAIMABLE: '该券不能自行领取 (this coupon cannot be claimed)',
  OUT_OF_STOCK: '已领完 (all gone)',
  LIMIT_REACHED: '已达领取上限 (you already hold as many as allowed)',
};

/** What checkout needs from coupons: the buyer's coupons to price with, and the lock. */
export interface CheckoutCoupons {
  /** The buyer's unused coupons (usable now or later), soonest to expire first. */
  usable(buyerId: string, now: Date): Promise<UsableCoupon[]>;
  /** Where one of the buyer's coupons stands as of `now`; null when it is not theirs. */
  stateOf(buyerId: string, couponId: string, now: Date): Promise<CouponStatus | null>;
  /**
   * Locks one of the buyer's usable, valid coupons for an order, in the order's transaction;
   * false when it is not (another order holds it, it was used, expired, or is not theirs).
   */
  lock(
    ctx: TxCtx,
    a: { couponId: string; buyerId: string; orderId: string; orderNo: string; now: Date },
  ): Promise<boolean>;
}

/** Displayed state: a coupon past its validity reads EXPIRED before the expiry job gets to it. */
function statusAt(c: CouponEntity, now: Date): CouponStatus {
  return c.status === 'USABLE' && c.validUntil <= now ? 'EXPIRED' : c.status;
}

function couponView(c: CouponEntity, now = new Date()): BuyerCoupon {
  return {
    id: c.id,
    templateId: c.templateId,
    title: c.title,
    benefit: c.benefit,
    benefitText: couponTitle(c.benefit),
    scope: c.scope,
    stacksWithMemberDiscount: Boolean(c.stacksWithMemberDiscount),
    validFrom: c.validFrom.toISOString(),
    validUntil: c.validUntil.toISOString(),
    status: statusAt(c, now),
    source: c.source,
    receivedAt: c.createdAt.toISOString(),
    orderId: c.orderId,
    usedAt: c.usedAt ? c.usedAt.toISOString() : null,
  };
}

/** Whole seconds: MySQL DATETIME rounds fractions, which could move a validity edge. */
const wholeSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

/** The validity of a coupon received at `now` from this template. */
function validityFrom(t: CouponTemplateEntity, now: Date): { validFrom: Date; validUntil: Date } {
  if (t.validityKind === 'days') {
    const from = wholeSeconds(now.getTime());
    return { validFrom: from, validUntil: new Date(from.getTime() + (t.validDays ?? 1) * DAY_MS) };
  }
  return { validFrom: t.validFrom as Date, validUntil: t.validUntil as Date };
}

/** A template that can issue at `now`: published, and (for a fixed window) not over. */
function issuing(t: CouponTemplateEntity, now: Date): boolean {
  return t.status === 'PUBLISHED' && !(t.validityKind === 'window' && (t.validUntil as Date) <= now);
}

export class CouponService implements CheckoutCoupons {
  constructor(private readonly db: DataSource) {}

  // ------------------------------------------------------------------ issuing

  /**
   * Issues one coupon of a template to a buyer, for any source, exactly once per
   * (source, sourceRef): the template's stock by `issued < total_stock`, the buyer's limit by
   * `received < per_buyer_limit` on their holding row, and the coupon row under the unique
   * (source, source_ref) index, all in one transaction (the caller's, when the context has one).
   * Expected refusals are returned, not thrown, and change nothing.
   */
  async issue(ctx: Ctx, req: IssueRequest, now = new Date()): Promise<IssueResult> {
    const benefit = req.benefit === undefined ? undefined : CouponBenefit.parse(req.benefit);
    try {
      return await withTx(this.db, ctx, (tx) => this.issueIn(tx, { ...req, benefit }, now));
    } catch (err) {
      // The same key issued by a racing transaction that committed first: that coupon stands.
      if (!ctx.tx && isDuplicateKey(err)) {
        const winner = await this.bySourceRef(this.db.manager, req.source, req.sourceRef);
        if (winner && winner.buyerId === req.buyerId) return { ok: true, coupon: couponView(winner), duplicate: true };
      }
      throw err;
    }
  }

  private async issueIn({ tx }: TxCtx, req: IssueRequest, now: Date): Promise<IssueResult> {
    const refuse = (reason: IssueRefusal): IssueResult => ({ ok: false, reason, message: issueRefusalMessage[reason] });
    const existing = await this.bySourceRef(tx, req.source, req.sourceRef);
    if (existing) return this.sameIssue(existing, req);

    const template = await tx.getRepository(CouponTemplateEntity).findOneBy({ id: req.templateId });
    if (!template) return refuse('NO_SUCH_TEMPLATE');
    if (!issuing(template, now)) return refuse('NOT_ISSUING');
    if (req.source === 'claim' && !template.claimable) return refuse('NOT_CLAIMABLE');

    // The template row first: every issue of one template queues here, so the holding row
    // below is never contended by two transactions at once (no lock-upgrade deadlocks).
    const took = await execute(
      tx,
      "UPDATE coupon_templates SET issued = issued + 1 WHERE id = ? AND status = 'PUBLISHED' AND issued < total_stock",
      [template.id],
    );
    if (!took) {
      // A racing retry of the same key may have committed meanwhile: a locking read sees it.
      const raced = await this.bySourceRef(tx, req.source, req.sourceRef, true);
      if (raced) return this.sameIssue(raced, req);
      const fresh = await tx.getRepository(CouponTemplateEntity).findOneBy({ id: template.id });
      return refuse(fresh?.status === 'PUBLISHED' ? 'OUT_OF_STOCK' : 'NOT_ISSUING');
    }
    await execute(tx, `${insertIgnore(tx)} INTO coupon_holdings (template_id, buyer_id, received) VALUES (?, ?, 0)`, [
      template.id,
      req.buyerId,
    ]);
    const held = await execute(
      tx,
      'UPDATE coupon_holdings SET received = received + 1 WHERE template_id = ? AND buyer_id = ? AND received < ?',
      [template.id, req.buyerId, template.perBuyerLimit],
    );
    if (!held) {
      // Give the stock back (still under the template row's lock, so exact), then say why.
      await execute(tx, 'UPDATE coupon_templates SET issued = issued - 1 WHERE id = ?', [template.id]);
      const raced = await this.bySourceRef(tx, req.source, req.sourceRef, true);
      if (raced) return this.sameIssue(raced, req);
      return refuse('LIMIT_REACHED');
    }

    const coupon: CouponEntity = Object.assign(new CouponEntity(), {
      id: newId('coupon'),
      templateId: template.id,
      buyerId: req.buyerId,
      source: req.source,
      sourceRef: req.sourceRef,
      title: template.title,
      benefit: req.benefit ?? template.benefit,
      scope: template.scope,
      stacksWithMemberDiscount: Boolean(template.stacksWithMemberDiscount),
      ...validityFrom(template, now),
      status: 'USABLE' as const,
      orderId: null,
      orderNo: null,
      lockedAt: null,
      usedAt: null,
      expiredAt: null,
      remindedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    // Under the unique (source, source_ref) index: a racing duplicate fails here and rolls back.
    await tx.getRepository(CouponEntity).insert(coupon);
    return { ok: true, coupon: couponView(coupon, now), duplicate: false };
  }

  private sameIssue(existing: CouponEntity, req: IssueRequest): IssueResult {
    // A key reused for another buyer or template is a caller's bug, never a coupon for the wrong person.
    if (existing.buyerId !== req.buyerId || existing.templateId !== req.templateId)
      throw new Error(`coupon source key ${req.source} reused for a different issue`);
    return { ok: true, coupon: couponView(existing), duplicate: true };
  }

  private async bySourceRef(
    em: EntityManager,
    source: CouponSource,
    sourceRef: string,
    locking = false,
  ): Promise<CouponEntity | null> {
    const qb = em
      .getRepository(CouponEntity)
      .createQueryBuilder('c')
      .where('c.source = :source AND c.source_ref = :sourceRef', { source, sourceRef });
    return (locking ? lockForUpdate(qb) : qb).getOne();
  }

  // ------------------------------------------------------------------ buyer side

  /** A claim from the claim centre or a product page: idempotent on the buyer's request key. */
  claim(ctx: Ctx, buyerId: string, templateId: string, requestKey: string, now = new Date()): Promise<IssueResult> {
    return this.issue(ctx, { templateId, buyerId, source: 'claim', sourceRef: `${buyerId}:${requestKey}` }, now);
  }

  /** How many coupons of a template the buyer has received. */
  async received(buyerId: string, templateId: string): Promise<number> {
    const h = await this.db.getRepository(CouponHoldingEntity).findOneBy({ templateId, buyerId });
    return h?.received ?? 0;
  }

  /** Published claimable templates that can still issue, with the buyer's count of each. */
  async claimable(
    buyerId: string,
    filter: { productId: string; categoryId: string | null } | null = null,
    now = new Date(),
  ): Promise<ClaimableCoupon[]> {
    const templates = (
      await this.db
        .getRepository(CouponTemplateEntity)
        .find({ where: { status: 'PUBLISHED', claimable: true }, order: { id: 'DESC' }, take: 200 })
    ).filter((t) => issuing(t, now) && t.issued < t.totalStock && (!filter || inCouponScope(t.scope, filter)));
    const holdings = templates.length
      ? await this.db.getRepository(CouponHoldingEntity).findBy({ buyerId, templateId: In(templates.map((t) => t.id)) })
      : [];
    const held = new Map(holdings.map((h) => [h.templateId, h.received]));
    return templates.map((t) => {
      const claimed = held.get(t.id) ?? 0;
      const left = t.totalStock - t.issued;
      return {
        templateId: t.id,
        title: t.title,
        benefit: t.benefit,
        benefitText: couponTitle(t.benefit),
        scope: t.scope,
        validity: validityOf(t),
        stacksWithMemberDiscount: Boolean(t.stacksWithMemberDiscount),
        claimed,
        perBuyerLimit: t.perBuyerLimit,
        left,
        canClaim: claimed < t.perBuyerLimit && left > 0,
      };
    });
  }

  /** One of the buyer's coupons; another buyer's is null (the route answers 404). */
  async mine(buyerId: string, id: string, now = new Date()): Promise<BuyerCoupon | null> {
    const c = await this.db.getRepository(CouponEntity).findOneBy({ id, buyerId });
    return c ? couponView(c, now) : null;
  }

  /**
   * The wallet, one tab a page at a time: usable (and locked by an unpaid order) soonest to
   * expire first; used and expired most recent first. Keyset paging on (valid_until, id).
   */
  async wallet(
    buyerId: string,
    q: { tab: WalletTab; cursor?: string; limit: number },
    now = new Date(),
  ): Promise<{ items: BuyerCoupon[]; nextCursor: string | null; counts: Record<WalletTab, number> }> {
    const repo = this.db.getRepository(CouponEntity);
    const inTab = (tab: WalletTab) =>
      new Brackets((w) => {
        if (tab === 'used') w.where("c.status = 'USED'");
        else if (tab === 'usable')
          w.where("(c.status = 'USABLE' AND c.valid_until > :now) OR c.status = 'LOCKED'", { now });
        else w.where("c.status = 'EXPIRED' OR (c.status = 'USABLE' AND c.valid_until <= :now)", { now });
      });
    const asc = q.tab === 'usable';
    const qb = repo
      .createQueryBuilder('c')
      .where('c.buyer_id = :buyerId', { buyerId })
      .andWhere(inTab(q.tab))
      .orderBy('c.valid_until', asc ? 'ASC' : 'DESC')
      .addOrderBy('c.id', asc ? 'ASC' : 'DESC')
      .take(q.limit + 1);
    if (q.cursor) {
      const [at, id] = q.cursor.split('|');
      const until = new Date(at);
      if (id && !Number.isNaN(until.getTime()))
        qb.andWhere(
          asc
            ? '(c.valid_until > :until OR (c.valid_until = :until AND c.id > :id))'
            : '(c.valid_until < :until OR (c.valid_until = :until AND c.id < :id))',
          { until, id },
        );
    }
    const rows = await qb.getMany();
    const items = rows.slice(0, q.limit);
    const last = items[items.length - 1];
    const count = (tab: WalletTab) =>
      repo.createQueryBuilder('c').where('c.buyer_id = :buyerId', { buyerId }).andWhere(inTab(tab)).getCount();
    const [usable, used, expired] = await Promise.all([count('usable'), count('used'), count('expired')]);
    return {
      items: items.map((c) => couponView(c, now)),
      nextCursor: rows.length > q.limit ? `${last.validUntil.toISOString()}|${last.id}` : null,
      counts: { usable, used, expired },
    };
  }

  // ------------------------------------------------------------------ checkout

  async usable(buyerId: string, now: Date): Promise<UsableCoupon[]> {
    const rows = await this.db
      .getRepository(CouponEntity)
      .createQueryBuilder('c')
      .where("c.buyer_id = :buyerId AND c.status = 'USABLE' AND c.valid_until > :now", { buyerId, now })
      .orderBy('c.valid_until', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .take(200)
      .getMany();
    return rows.map((c) => ({
      id: c.id,
      benefit: c.benefit,
      scope: c.scope,
      stacksWithMemberDiscount: Boolean(c.stacksWithMemberDiscount),
      validFrom: c.validFrom.toISOString(),
      validUntil: c.validUntil.toISOString(),
    }));
  }

  async stateOf(buyerId: string, couponId: string, now: Date): Promise<CouponStatus | null> {
    const c = await this.db.getRepository(CouponEntity).findOneBy({ id: couponId, buyerId });
    return c ? statusAt(c, now) : null;
  }

  async lock(
    { tx }: TxCtx,
    a: { couponId: string; buyerId: string; orderId: string; orderNo: string; now: Date },
  ): Promise<boolean> {
    const changed = await execute(
      tx,
      "UPDATE coupons SET status = 'LOCKED', order_id = ?, order_no = ?, locked_at = ?, updated_at = ?" +
        " WHERE id = ? AND buyer_id = ? AND status = 'USABLE' AND valid_from <= ? AND valid_until > ?",
      [a.orderId, a.orderNo, a.now, a.now, a.couponId, a.buyerId, a.now, a.now],
    );
    return changed === 1;
  }

  /** `order.paid`: the order's locked coupon is used (once, however often the event comes). */
  async consume(ctx: Ctx, orderNo: string, now = new Date()): Promise<boolean> {
    const c = await this.db.getRepository(CouponEntity).findOneBy({ orderNo });
    if (!c) return false;
    return withTx(this.db, ctx, async ({ tx }) => {
      const changed = await execute(
        tx,
        "UPDATE coupons SET status = 'USED', used_at = ?, updated_at = ? WHERE id = ? AND order_no = ? AND status = 'LOCKED'",
        [now, now, c.id, orderNo],
      );
      if (changed) await execute(tx, 'UPDATE coupon_templates SET used = used + 1 WHERE id = ?', [c.templateId]);
      return changed === 1;
    });
  }

  /** `order.closed` / `order.cancelled`: the unpaid order's coupon is the buyer's to use again. */
  async release(ctx: Ctx, orderId: string, now = new Date()): Promise<boolean> {
    return withTx(this.db, ctx, async ({ tx }) => {
      const changed = await execute(
        tx,
        "UPDATE coupons SET status = 'USABLE', order_id = NULL, order_no = NULL, locked_at = NULL, updated_at = ?" +
          " WHERE order_id = ? AND status = 'LOCKED'",
        [now, orderId],
      );
      return changed > 0;
    });
  }

  /**
   * A fully refunded order gives its coupon back while it is still valid (the shop's setting
   * decides whether to ask). A coupon still LOCKED (its `order.paid` effect has not run yet)
   * comes back too; that effect then finds nothing locked for the order and does nothing.
   */
  async restore(ctx: Ctx, orderId: string, now = new Date()): Promise<boolean> {
    const c = await this.db.getRepository(CouponEntity).findOneBy({ orderId });
    if (!c) return false;
    return withTx(this.db, ctx, async ({ tx }) => {
      const back = (from: CouponStatus) =>
        execute(
          tx,
          "UPDATE coupons SET status = 'USABLE', order_id = NULL, order_no = NULL, locked_at = NULL, used_at = NULL," +
            ' updated_at = ? WHERE id = ? AND order_id = ? AND status = ? AND valid_until > ?',
          [now, c.id, orderId, from, now],
        );
      if (await back('USED')) {
        await execute(tx, 'UPDATE coupon_templates SET used = used - 1 WHERE id = ? AND used > 0', [c.templateId]);
        return true;
      }
      return (await back('LOCKED')) === 1;
    });
  }

  // ------------------------------------------------------------------ expiry

  /** Marks coupons past their validity EXPIRED, a batch at a time; resolves to how many. */
  async expire(now = new Date(), batch = 500): Promise<number> {
    let total = 0;
    for (;;) {
      const due = await this.db
        .getRepository(CouponEntity)
        .createQueryBuilder('c')
        .select('c.id', 'id')
        .where("c.status = 'USABLE' AND c.valid_until <= :now", { now })
        .limit(batch)
        .getRawMany<{ id: string }>();
      if (!due.length) return total;
      const ids = due.map((d) => d.id);
      // The condition is repeated: a coupon locked by an order meanwhile is left alone.
      total += await execute(
        this.db.manager,
        `UPDATE coupons SET status = 'EXPIRED', expired_at = ?, updated_at = ? WHERE id IN (${ids
          .map(() => '?')
          .join(', ')}) AND status = 'USABLE' AND valid_until <= ?`,
        [now, now, ...ids, now],
      );
      if (due.length < batch) return total;
    }
  }

  /**
   * Publishes `coupon.expiring` once per usable coupon within a day of its end: the mark
   * (`reminded_at IS NULL` → now) and the event commit together, so a repeat finds it marked.
   */
  async remindExpiring(now = new Date(), batch = 200): Promise<number> {
    let total = 0;
    for (;;) {
      const due = await this.db
        .getRepository(CouponEntity)
        .createQueryBuilder('c')
        .where("c.status = 'USABLE' AND c.reminded_at IS NULL AND c.valid_until > :now AND c.valid_until <= :soon", {
          now,
          soon: new Date(now.getTime() + DAY_MS),
        })
        .orderBy('c.valid_until', 'ASC')
        .take(batch)
        .getMany();
      if (!due.length) return total;
      total += await withTx(this.db, {}, async ({ tx }) => {
        let n = 0;
        for (const c of due) {
          const marked = await execute(tx, 'UPDATE coupons SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL', [
            now,
            c.id,
          ]);
          if (!marked) continue;
          await publish(tx, 'coupon.expiring', c.id, {
            couponId: c.id,
            buyerId: c.buyerId,
            templateId: c.templateId,
            title: c.title,
            benefitText: couponTitle(c.benefit),
            validUntil: c.validUntil.toISOString(),
          });
          n++;
        }
        return n;
      });
      if (due.length < batch) return total;
    }
  }
}
