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
  type CouponTemplateOrigin,
  type CouponTemplatePatch,
  type CouponTemplateStatus,
  type CouponValidity,
} from '@chatmall/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { ConflictError, NotFoundError } from '../../kernel/errors';
import { execute } from '../../kernel/sql';
import { withTx, type Ctx } from '../../kernel/tx';
import { recordAudit, type SystemActor } from '../auth/audit.service';
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
    origin: t.origin ?? null,
  };
}

/** Who may change a template: staff through the coupon routes, or the shop itself (a pack's expiry). */
export type TemplateActor = StaffPrincipal | SystemActor;

/** Why staff may not change a template that belongs to something else (a red-envelope pack). */
export function foreignTemplateRefusal(origin: CouponTemplateOrigin): ConflictError | null {
  if (!origin) return null;
  return new ConflictError(
    `这是红包「${origin.packTitle}」的券，请在红包里修改 (this coupon belongs to red envelope “${origin.packTitle}”; it changes with the pack)`,
  );
}

/** Staff change only the templates they made; the system may change any. */
function mayChange(actor: TemplateActor, t: CouponTemplateEntity): void {
  if (actor.kind === 'system') return;
  const refusal = foreignTemplateRefusal(t.origin ?? null);
  if (refusal) throw refusal;
}

/** Which statuses may move to which: publish a draft or a stopped template, stop a published one. */
const moves: Record<'publish' | 'stop', { from: CouponTemplateStatus[]; to: CouponTemplateStatus }> = {
  publish: { from: ['DRAFT', 'STOPPED'], to: 'PUBLISHED' },
  stop: { from: ['PUBLISHED'], to: 'STOPPED' },
};

export class CouponTemplateService {
  constructor(private readonly db: DataSource) {}

  /**
   * A new template: a draft, or (`opts.publish`) published at once. `opts.origin` makes it
   * another module's (a red-envelope pack's, created in the pack's transaction: pass its ctx).
   * Read back through the same transaction, so it works joined to the caller's.
   */
  async create(
    ctx: Ctx,
    actor: StaffPrincipal,
    input: Input,
    now = new Date(),
    opts: { origin?: CouponTemplateOrigin; publish?: boolean } = {},
  ): Promise<CouponTemplate> {
    const id = newId('couponTemplate');
    const publish = Boolean(opts.publish);
    return withTx(this.db, ctx, async ({ tx }) => {
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
        status: publish ? 'PUBLISHED' : 'DRAFT',
        publishedAt: publish ? now : null,
        stoppedAt: null,
        origin: opts.origin ?? null,
        createdAt: now,
        updatedAt: now,
      });
      await recordAudit(tx, actor, 'coupon_template.create', 'coupon_template', id, {
        ...input,
        ...(opts.origin ? { origin: opts.origin } : {}),
      });
      if (publish) await recordAudit(tx, actor, 'coupon_template.publish', 'coupon_template', id, {});
      return templateView(await this.find(tx, id));
    });
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
      mayChange(actor, before);
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

  publish(ctx: Ctx, actor: TemplateActor, id: string, now = new Date()): Promise<CouponTemplate> {
    return this.move(ctx, actor, id, 'publish', now);
  }

  /** Stops issuing. Staff stop their own templates; the system (a pack's expiry) stops a pack's. */
  stop(ctx: Ctx, actor: TemplateActor, id: string, now = new Date()): Promise<CouponTemplate> {
    return this.move(ctx, actor, id, 'stop', now);
  }

  /** Refuses staff acting on a template that is not theirs to change (409 naming its pack). */
  async assertStaffMayChange(id: string): Promise<void> {
    const refusal = foreignTemplateRefusal((await this.find(this.db.manager, id)).origin ?? null);
    if (refusal) throw refusal;
  }

  private async move(
    ctx: Ctx,
    actor: TemplateActor,
    id: string,
    what: 'publish' | 'stop',
    now: Date,
  ): Promise<CouponTemplate> {
    const { from, to } = moves[what];
    return withTx(this.db, ctx, async ({ tx }) => {
      mayChange(actor, await this.find(tx, id));
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
        if (t.status === to) return templateView(t);
        throw new ConflictError(`A ${t.status.toLowerCase()} coupon template cannot be ${what}ed.`);
      }
      await recordAudit(tx, actor, `coupon_template.${what}`, 'coupon_template', id, {});
      return templateView(await this.find(tx, id));
    });
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
