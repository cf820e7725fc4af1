/**
 * Coupon templates as the marketer manages them: create (a draft), edit, publish, stop
 * issuing, list, get. Every change is audited in its own transaction. Edits apply to coupons
 * issued afterwards; the stock may not go below what has already been issued (a conditional
 * update, so a claim racing the edit cannot slip past it).
 */
import {
  couponTitle,
  newId,
  type CouponTemplate,
  type CouponTemplateInput,
  type CouponTemplatePatch,
  type CouponTemplateStatus,
  type CouponValidity,
} from '@chatmall/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { ConflictError, NotFoundError } from '../../kernel/errors';
import { execute } from '../../kernel/sql';
import { withTx, type Ctx } from '../../kernel/tx';
import { recordAudit } from '../auth/audit.service';
import type { StaffPrincipal } from '../auth/principal';
import { CouponTemplateEntity } from './coupon-template.entity';

type Input = z.output<typeof CouponTemplateInput>;
type Patch = z.output<typeof CouponTemplatePatch>;

export function validityOf(t: CouponTemplateEntity): CouponValidity {
  return t.validityKind === 'days'
    ? { kind: 'days', days: t.validDays ?? 1 }
    : { kind: 'window', from: (t.validFrom as Date).toISOString(), until: (t.validUntil as Date).toISOString() };
}

function validityColumns(v: CouponValidity): Partial<CouponTemplateEntity> {
  return v.kind === 'days'
    ? { validityKind: 'days', validDays: v.days, validFrom: null, validUntil: null }
    : { validityKind: 'window', validDays: null, validFrom: new Date(v.from), validUntil: new Date(v.until) };
}

export function templateView(t: CouponTemplateEntity): CouponTemplate {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: t.id,
    title: t.title,
    benefit: t.benefit,
    benefitText: couponTitle(t.benefit),
    scope: t.scope,
    validity: validityOf(t),
    totalStock: t.totalStock,
    perBuyerLimit: t.perBuyerLimit,
    stacksWithMemberDiscount: Boolean(t.stacksWithMemberDiscount),
    claimable: Boolean(t.claimable),
    status: t.status,
    issued: t.issued,
    used: t.used,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    publishedAt: iso(t.publishedAt),
    stoppedAt: iso(t.stoppedAt),
  };
}

/** Which statuses may move to which: publish a draft or a stopped template, stop a published one. */
const moves: Record<'publish' | 'stop', { from: CouponTemplateStatus[]; to: CouponTemplateStatus }> = {
  publish: { from: ['DRAFT', 'STOPPED'], to: 'PUBLISHED' },
  stop: { from: ['PUBLISHED'], to: 'STOPPED' },
};

export class CouponTemplateService {
  constructor(private readonly db: DataSource) {}

  async create(ctx: Ctx, actor: StaffPrincipal, input: Input, now = new Date()): Promise<CouponTemplate> {
    const id = newId('couponTemplate');
    await withTx(this.db, ctx, async ({ tx }) => {
      await tx.getRepository(CouponTemplateEntity).insert({
        id,
        title: input.title,
        benefit: input.benefit,
        scope: input.scope,
        ...validityColumns(input.validity),
        totalStock: input.totalStock,
        issued: 0,
        used: 0,
        perBuyerLimit: input.perBuyerLimit,
        stacksWithMemberDiscount: input.stacksWithMemberDiscount,
        claimable: input.claimable,
        status: 'DRAFT',
        publishedAt: null,
        stoppedAt: null,
        createdAt: now,
        updatedAt: now,
      });
      await recordAudit(tx, actor, 'coupon_template.create', 'coupon_template', id, { ...input });
    });
    return this.get(id);
  }

  async update(ctx: Ctx, actor: StaffPrincipal, id: string, patch: Patch): Promise<CouponTemplate> {
    const set: Partial<CouponTemplateEntity> = {};
    if (patch.title !== undefined) set.title = patch.title;
    if (patch.benefit !== undefined) set.benefit = patch.benefit;
    if (patch.scope !== undefined) set.scope = patch.scope;
    if (patch.validity !== undefined) Object.assign(set, validityColumns(patch.validity));
    if (patch.totalStock !== undefined) set.totalStock = patch.totalStock;
    if (patch.perBuyerLimit !== undefined) set.perBuyerLimit = patch.perBuyerLimit;
    if (patch.stacksWithMemberDiscount !== undefined) set.stacksWithMemberDiscount = patch.stacksWithMemberDiscount;
    if (patch.claimable !== undefined) set.claimable = patch.claimable;
    await withTx(this.db, ctx, async ({ tx }) => {
      const before = await this.find(tx, id);
      if (!Object.keys(set).length) return;
      const repo = tx.getRepository(CouponTemplateEntity);
      const qb = repo
        .createQueryBuilder()
        .update()
        .set({ ...set, updatedAt: new Date() })
        .where('id = :id', { id });
      // Never below what is already issued: checked by the update itself.
      if (set.totalStock !== undefined) qb.andWhere('issued <= :stock', { stock: set.totalStock });
      const res = await qb.execute();
      if (!res.affected) {
        const now = await this.find(tx, id);
        throw new ConflictError(`${now.issued} coupons are already issued; the stock cannot be lower.`, [
          { path: 'body.totalStock', message: `must be at least ${now.issued} (already issued)` },
        ]);
      }
      const detail: Record<string, unknown> = {};
      for (const k of Object.keys(patch) as (keyof Patch)[])
        if (patch[k] !== undefined) detail[k] = { from: templateView(before)[k], to: patch[k] };
      await recordAudit(tx, actor, 'coupon_template.update', 'coupon_template', id, detail);
    });
    return this.get(id);
  }

  publish(ctx: Ctx, actor: StaffPrincipal, id: string, now = new Date()): Promise<CouponTemplate> {
    return this.move(ctx, actor, id, 'publish', now);
  }

  stop(ctx: Ctx, actor: StaffPrincipal, id: string, now = new Date()): Promise<CouponTemplate> {
    return this.move(ctx, actor, id, 'stop', now);
  }

  private async move(
    ctx: Ctx,
    actor: StaffPrincipal,
    id: string,
    what: 'publish' | 'stop',
    now: Date,
  ): Promise<CouponTemplate> {
    const { from, to } = moves[what];
    await withTx(this.db, ctx, async ({ tx }) => {
      const at = what === 'publish' ? 'published_at' : 'stopped_at';
      const changed = await execute(
        tx,
        `UPDATE coupon_templates SET status = ?, ${at} = ?, updated_at = ? WHERE id = ? AND status IN (${from
          .map(() => '?')
          .join(', ')})`,
        [to, now, now, id, ...from],
      );
      if (!changed) {
        const t = await this.find(tx, id);
        // Asking again for the state it is in is a no-op, not an error (a double click).
        if (t.status === to) return;
        throw new ConflictError(`A ${t.status.toLowerCase()} coupon template cannot be ${what}ed.`);
      }
      await recordAudit(tx, actor, `coupon_template.${what}`, 'coupon_template', id, {});
    });
    return this.get(id);
  }

  async get(id: string): Promise<CouponTemplate> {
    return templateView(await this.find(this.db.manager, id));
  }

  async list(q: {
    status?: CouponTemplateStatus;
    cursor?: string;
    limit: number;
  }): Promise<{ items: CouponTemplate[]; nextCursor: string | null }> {
    const qb = this.db
      .getRepository(CouponTemplateEntity)
      .createQueryBuilder('t')
      .orderBy('t.id', 'DESC')
      .take(q.limit + 1);
    if (q.status) qb.andWhere('t.status = :status', { status: q.status });
    if (q.cursor) qb.andWhere('t.id < :cursor', { cursor: q.cursor });
    const rows = await qb.getMany();
    const items = rows.slice(0, q.limit);
    return {
      items: items.map(templateView),
      nextCursor: rows.length > q.limit ? items[items.length - 1].id : null,
    };
  }

  private async find(em: EntityManager, id: string): Promise<CouponTemplateEntity> {
    const t = await em.getRepository(CouponTemplateEntity).findOneBy({ id });
    if (!t) throw new NotFoundError('Coupon template');
    return t;
  }
}
