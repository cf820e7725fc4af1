/**
 * Campaigns: drafts, preview and test send, schedule and owner approval, pause / resume /
 * cancel, and the fan-out. The fan-out streams the audience page by page (keyset on openid),
 * writes one recipient row per (campaign, openid) under the primary key, and sends each page as
 * one BullMQ job; a recipient moves PENDING → SENT → DELIVERED (or FAILED / SKIPPED
 * with a reason) by conditional updates only. docs/decisions/0035-campaign-fan-out.md.
 */
import { randomBytes } from 'node:crypto';
import type {
  Campaign,
  CampaignCounts,
  CampaignFunnel,
  CampaignInput,
  CampaignPauseReason,
  CampaignPreview,
  CampaignStatus,
  RecipientStatus,
} from '@chatmall/shared';
import type { Queue } from 'bullmq';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { insertIgnore } from '../../kernel/dialect';
import { ConflictError, NotFoundError } from '../../kernel/errors';
import type { Logger } from '../../kernel/logger';
import { managerOf, withTx, type Ctx } from '../../kernel/tx';
import type { CampaignSendApi } from '../../wechat/api/campaign-sends';
import type { WechatError, WechatResult } from '../../wechat/api/errors';
import type { AudienceService } from '../audience/audience.service';
import {
  CampaignClickEntity,
  CampaignEntity,
  CampaignMassMonthEntity,
  CampaignOrderEntity,
  CampaignReceiptEntity,
  CampaignRecipientEntity,
} from './campaign.entity';
import { chinaMonth, inQuietHours, keepsQuietHours, quietHoursEnd, type QuietHours } from './quiet-hours';
import type { RateGate } from './rate-gate';

/**
 * A recipient waiting for its send: PENDING from its insert until its outcome is written.
 * SENDING is no longer written (a claim before each send cost a row write per recipient); rows
 * a run before that change left SENDING are waiting too.
 */
const WAITING: RecipientStatus[] = ['PENDING', 'SENDING'];

/** Recipients per page of the audience, and so per send job. */
export const PAGE = 500;
/** Sends in flight at once within one job. */
const IN_FLIGHT = 32;
/**
 * Outcomes are written every this many sends of a page: the progress bar moves a few times a
 * second, and a crash repeats at most this many sends (WeChat drops the repeats by client_msg_id).
 */
const FLUSH_EVERY = 100;
const ATTRIBUTION_MS = 7 * 86_400_000;
const WINDOW_48H = 48 * 3_600_000;

export interface CampaignDeps {
  db: DataSource;
  log: Logger;
  audience: AudienceService;
  send: CampaignSendApi;
  gate: RateGate;
  queue: () => Queue;
  miniProgramAppId: string;
  approvalAbove: number;
  quotaRetryMs: number;
  quietHours: QuietHours;
  now?: () => Date;
}

export type Staff = { staffId: string; role: string };

/** What one send came to. */
type Outcome =
  | { kind: 'sent'; msgId: string }
  | { kind: 'skipped' | 'failed'; reason: string }
  | { kind: 'retry'; error: WechatError }
  | { kind: 'quota' };

const skipReasons: Record<number, string> = {
  40003: 'INVALID_OPENID',
  43004: 'NOT_FOLLOWING',
  43101: 'NO_CONSENT',
  45015: 'OUTSIDE_48H_WINDOW',
};

/** BullMQ ids cannot hold `:`; openids and our ids never do, but say so where they are joined. */
const jobId = (...parts: (string | number)[]) => parts.join('-').replace(/:/g, '_');

export function trackedPage(page: string, campaignId: string): string {
  return `${page}${page.includes('?') ? '&' : '?'}cmp=${campaignId}`;
}

export class CampaignService {
  private readonly now: () => Date;

  constructor(private readonly d: CampaignDeps) {
    this.now = d.now ?? (() => new Date());
  }

  private get db() {
    return this.d.db;
  }

  // ---- the console ---------------------------------------------------------------------------

  async create(ctx: Ctx, staff: Staff, input: CampaignInput): Promise<Campaign> {
    const now = this.now();
    await this.d.audience.count(input.audience); // an unknown segment is the caller's error, now
    const row: CampaignEntity = {
      id: `cmp_${now.getTime().toString(36)}${randomBytes(5).toString('hex')}`,
      name: input.name,
      channel: input.content.channel,
      content: input.content,
      audience: input.audience,
      status: 'DRAFT',
      pauseReason: null,
      resumeAt: null,
      scheduledAt: null,
      approvalNeeded: false,
      approvedBy: null,
      planCursor: null,
      planned: false,
      round: 0,
      finalCounts: null,
      createdBy: staff.staffId,
      startedAt: null,
      finishedAt: null,
      createdAt: now,
    };
    await managerOf(this.db, ctx).getRepository(CampaignEntity).insert(row);
    return this.get(row.id);
  }

  async update(ctx: Ctx, id: string, input: CampaignInput): Promise<Campaign> {
    await this.d.audience.count(input.audience);
    const r = await managerOf(this.db, ctx)
      .getRepository(CampaignEntity)
      .update(
        { id, status: In(['DRAFT', 'AWAITING_APPROVAL']) },
        {
          name: input.name,
          channel: input.content.channel,
          content: input.content,
          audience: input.audience,
          status: 'DRAFT',
          approvalNeeded: false,
        },
      );
    if (!r.affected) await this.conflict(id, 'Only a draft can be edited. 只有草稿可以修改。');
    return this.get(id);
  }

  async list(): Promise<Campaign[]> {
    const rows = await this.db.getRepository(CampaignEntity).find({ order: { createdAt: 'DESC' }, take: 100 });
    return Promise.all(rows.map((r) => this.toDto(r)));
  }

  async get(id: string): Promise<Campaign> {
    return this.toDto(await this.row(id));
  }

  async preview(id: string): Promise<CampaignPreview> {
    const c = await this.row(id);
    const recipients = await this.d.audience.count(c.audience);
    const content = c.content;
    const lines =
      content.channel === 'template' || content.channel === 'subscribe'
        ? Object.entries(content.fields)
            .filter(([k]) => k !== 'first' && k !== 'remark')
            .map(([k, v]) => `${k}: ${v.slice(0, 20)}`)
        : [content.text];
    const page = 'page' in content && content.page ? trackedPage(content.page, c.id) : null;
    return {
      channel: c.channel,
      title: content.channel === 'template' || content.channel === 'subscribe' ? content.templateId : c.name,
      lines,
      page,
      recipients,
      quietHours: keepsQuietHours(c.channel) && inQuietHours(this.now(), this.d.quietHours),
      approvalNeeded: recipients > this.d.approvalAbove,
    };
  }

  /** One message to a staff member's openid, now; not a recipient of the campaign. */
  async testSend(id: string, openid: string) {
    const c = await this.row(id);
    const outcome = await this.sendOne(c, openid, true);
    if (outcome.kind === 'sent') return { ok: true, errcode: null, reason: null };
    if (outcome.kind === 'quota') return { ok: false, errcode: 45009, reason: 'DAILY_QUOTA' };
    if (outcome.kind === 'retry') return { ok: false, errcode: outcome.error.errcode, reason: outcome.error.kind };
    return { ok: false, errcode: null, reason: outcome.reason };
  }

  /**
   * Send now or at `at`. A marketer's campaign to more followers than the threshold waits for
   * the owner (AWAITING_APPROVAL); an owner's goes at once.
   */
  async schedule(ctx: Ctx, staff: Staff, id: string, at?: string): Promise<Campaign> {
    const c = await this.row(id);
    const recipients = await this.d.audience.count(c.audience);
    const needsApproval = recipients > this.d.approvalAbove;
    const approved = !needsApproval || staff.role === 'owner';
    const when = at ? new Date(at) : this.now();
    const r = await managerOf(this.db, ctx)
      .getRepository(CampaignEntity)
      .update(
        { id, status: 'DRAFT' },
        {
          status: approved ? 'SCHEDULED' : 'AWAITING_APPROVAL',
          scheduledAt: when,
          approvalNeeded: needsApproval,
          approvedBy: needsApproval && approved ? staff.staffId : null,
        },
      );
    if (!r.affected) await this.conflict(id, 'Only a draft can be scheduled. 只有草稿可以排期。');
    if (approved) await this.enqueueStart(id, when, c.channel);
    return this.get(id);
  }

  async approve(ctx: Ctx, staff: Staff, id: string): Promise<Campaign> {
    const r = await managerOf(this.db, ctx)
      .getRepository(CampaignEntity)
      .update({ id, status: 'AWAITING_APPROVAL' }, { status: 'SCHEDULED', approvedBy: staff.staffId });
    if (!r.affected) await this.conflict(id, 'This campaign is not waiting for approval. 该推送不在待审批状态。');
    const c = await this.row(id);
    await this.enqueueStart(id, c.scheduledAt ?? this.now(), c.channel);
    return this.get(id);
  }

  async pause(ctx: Ctx, id: string): Promise<Campaign> {
    const r = await managerOf(this.db, ctx)
      .getRepository(CampaignEntity)
      .update({ id, status: In(['SENDING', 'SCHEDULED']) }, { status: 'PAUSED', pauseReason: 'STAFF', resumeAt: null });
    if (!r.affected)
      await this.conflict(id, 'Only a scheduled or sending campaign can be paused. 只能暂停已排期或发送中的推送。');
    return this.get(id);
  }

  async resume(ctx: Ctx, id: string): Promise<Campaign> {
    if (!(await this.resumePaused(ctx, id, null)))
      await this.conflict(id, 'Only a paused campaign can be resumed. 只能继续已暂停的推送。');
    return this.get(id);
  }

  /** Stops for good: recipients not yet sent are skipped (CANCELLED). */
  async cancel(ctx: Ctx, id: string): Promise<Campaign> {
    const r = await managerOf(this.db, ctx)
      .getRepository(CampaignEntity)
      .update(
        { id, status: In(['DRAFT', 'AWAITING_APPROVAL', 'SCHEDULED', 'SENDING', 'PAUSED']) },
        { status: 'CANCELLED', finishedAt: this.now() },
      );
    if (!r.affected) await this.conflict(id, 'A finished campaign cannot be cancelled. 已完成的推送不能取消。');
    await this.db
      .getRepository(CampaignRecipientEntity)
      .update({ campaignId: id, status: 'PENDING' }, { status: 'SKIPPED', reason: 'CANCELLED' });
    return this.get(id);
  }

  async funnel(id: string): Promise<CampaignFunnel> {
    const c = await this.row(id);
    const counts = await this.counts(c.id);
    const [clicks] = (await this.db.query(
      'SELECT COUNT(DISTINCT buyer_id) AS n FROM campaign_clicks WHERE campaign_id = ?',
      [id],
    )) as { n: number | string }[];
    const [orders] = (await this.db.query(
      'SELECT COUNT(*) AS n, COALESCE(SUM(amount - refunded), 0) AS gmv FROM campaign_orders WHERE campaign_id = ?',
      [id],
    )) as { n: number | string; gmv: number | string }[];
    return {
      targeted: counts.targeted,
      // Accepted by WeChat: still in transit, delivered, or reported undeliverable by its receipt.
      sent: counts.sent + counts.delivered + (counts.reasons.USER_BLOCKED ?? 0) + (counts.reasons.SYSTEM_FAILED ?? 0),
      delivered: counts.delivered,
      clicked: Number(clicks.n),
      ordered: Number(orders.n),
      gmv: Number(orders.gmv),
    };
  }

  /** The buyer opened the campaign's tracked link. */
  async click(buyerId: string, campaignId: string): Promise<boolean> {
    const exists = await this.db.getRepository(CampaignEntity).existsBy({ id: campaignId });
    if (!exists) throw new NotFoundError('Campaign');
    const now = this.now();
    await this.db.getRepository(CampaignClickEntity).insert({
      id: `clk_${now.getTime().toString(36)}${randomBytes(5).toString('hex')}`,
      campaignId,
      buyerId,
      clickedAt: now,
    });
    return true;
  }

  /** order.paid: the order goes to the campaign whose link the buyer last opened within 7 days. */
  async attribute(ctx: Ctx, e: { orderNo: string; amount: number }): Promise<void> {
    const order = await this.d.audience.orderOf(e.orderNo);
    if (!order) throw new Error(`order ${e.orderNo} not yet known (order.placed pending)`);
    const paidAt = order.paidAt ?? this.now();
    const click = await this.db
      .getRepository(CampaignClickEntity)
      .createQueryBuilder('c')
      .where('c.buyer_id = :buyer AND c.clicked_at >= :since AND c.clicked_at <= :paid', {
        buyer: order.buyerId,
        since: new Date(paidAt.getTime() - ATTRIBUTION_MS),
        paid: paidAt,
      })
      .orderBy('c.clicked_at', 'DESC')
      .getOne();
    if (!click) return;
    await managerOf(this.db, ctx)
      .createQueryBuilder()
      .insert()
      .into(CampaignOrderEntity)
      .values({
        orderNo: e.orderNo,
        campaignId: click.campaignId,
        buyerId: order.buyerId,
        amount: e.amount,
        refunded: 0,
        paidAt,
      })
      .orIgnore()
      .execute();
  }

  /** refund.succeeded: the attributed order's GMV shrinks by what went back (the total so far). */
  async refunded(ctx: Ctx, e: { orderNo: string; refundedTotal: number }): Promise<void> {
    await managerOf(this.db, ctx)
      .createQueryBuilder()
      .update(CampaignOrderEntity)
      .set({ refunded: e.refundedTotal })
      .where('order_no = :no AND refunded < :total', { no: e.orderNo, total: e.refundedTotal })
      .execute();
  }

  /**
   * A delivery receipt (TEMPLATESENDJOBFINISH for one follower; MASSSENDJOBFINISH for a job,
   * openid `*`): kept, then applied to the recipients it names that are SENT.
   */
  async receipt(msgId: string, openid: string, status: string): Promise<void> {
    await this.db
      .createQueryBuilder()
      .insert()
      .into(CampaignReceiptEntity)
      .values({ msgId, openid, status, receivedAt: this.now() })
      .orIgnore()
      .execute();
    await this.applyReceipts(this.db.manager, openid === '*' ? { msgId } : { msgId, openid });
  }

  // ---- the fan-out (worker jobs) -------------------------------------------------------------

  /** Job `plan`: a due campaign starts; its audience becomes recipient rows and send jobs, page by page. */
  async plan(campaignId: string): Promise<void> {
    const now = this.now();
    await this.db
      .getRepository(CampaignEntity)
      .update({ id: campaignId, status: 'SCHEDULED' }, { status: 'SENDING', startedAt: now });
    let c = await this.row(campaignId);
    if (c.status !== 'SENDING') return;
    if (keepsQuietHours(c.channel) && inQuietHours(now, this.d.quietHours)) {
      await this.pauseFor(campaignId, 'QUIET_HOURS', quietHoursEnd(now, this.d.quietHours));
      return;
    }
    while (!c.planned) {
      const openids = await this.d.audience.page(c.audience, c.planCursor, PAGE);
      if (openids.length) {
        // Plain multi-row inserts: the query builder's per-value work was a large part of a
        // million-recipient plan. A page planned again adds nobody twice (the primary key).
        for (let i = 0; i < openids.length; i += 250) {
          const part = openids.slice(i, i + 250);
          await this.db.query(
            `${insertIgnore(this.db.manager)} INTO campaign_recipients (campaign_id, openid, status) VALUES ${part
              .map(() => "(?, ?, 'PENDING')")
              .join(', ')}`,
            part.flatMap((openid) => [campaignId, openid]),
          );
        }
        await this.enqueueSend(c, openids[0], openids[openids.length - 1]);
      }
      const last = openids.at(-1) ?? c.planCursor;
      await this.db
        .getRepository(CampaignEntity)
        .update({ id: campaignId }, { planCursor: last, planned: openids.length < PAGE });
      c = await this.row(campaignId);
      if (c.status !== 'SENDING') return; // paused or cancelled: a resume dispatches again
    }
    await this.finishIfDone(campaignId);
  }

  /** Job `dispatch`: after a resume, every recipient still waiting gets a send job of this round. */
  async dispatch(campaignId: string): Promise<void> {
    const c = await this.row(campaignId);
    if (c.status !== 'SENDING') return;
    let after = '';
    for (;;) {
      const rows = await this.db
        .getRepository(CampaignRecipientEntity)
        .createQueryBuilder('r')
        .select('r.openid', 'openid')
        .where('r.campaign_id = :id AND r.status IN (:...waiting) AND r.openid > :after', {
          id: campaignId,
          waiting: WAITING,
          after,
        })
        .orderBy('r.openid', 'ASC')
        .limit(PAGE)
        .getRawMany<{ openid: string }>();
      if (!rows.length) break;
      await this.enqueueSend(c, rows[0].openid, rows[rows.length - 1].openid);
      after = rows[rows.length - 1].openid;
    }
    if (!c.planned) await this.plan(campaignId);
    else await this.finishIfDone(campaignId);
  }

  /**
   * Job `sweep` (repeating): closes the gaps a crash can leave. When no campaign job waits or
   * runs, a SENDING campaign with recipients still waiting is dispatched again (a page whose
   * job was lost), one with none left finishes, and a pause whose time has passed resumes.
   */
  async sweep(): Promise<void> {
    const counts = await this.d.queue().getJobCounts('active', 'waiting', 'prioritized');
    // The sweep itself is the one active job when nothing else runs.
    const idle = (counts.active ?? 0) <= 1 && !counts.waiting && !counts.prioritized;
    const now = this.now();
    for (const c of await this.db.getRepository(CampaignEntity).findBy({ status: In(['SENDING', 'PAUSED']) })) {
      if (c.status === 'PAUSED') {
        if (c.pauseReason !== 'STAFF' && c.resumeAt && c.resumeAt <= now) await this.resumeDue(c.id);
        continue;
      }
      if (!idle) continue;
      const waiting = await this.anyWaiting(c.id);
      if (!waiting && c.planned) {
        await this.finishIfDone(c.id);
        continue;
      }
      this.d.log.warn({ campaignId: c.id }, 'campaign had waiting recipients and no job: dispatched again');
      await this.db.getRepository(CampaignEntity).update({ id: c.id, status: 'SENDING' }, { round: () => 'round + 1' });
      const next = await this.row(c.id);
      await this.d.queue().add('dispatch', { campaignId: c.id }, { jobId: jobId('dispatch', c.id, next.round) });
    }
  }

  /** Job `resume`: a campaign paused for the quota or quiet hours continues by itself. */
  async resumeDue(campaignId: string): Promise<void> {
    const c = await this.row(campaignId);
    if (c.status !== 'PAUSED' || c.pauseReason === 'STAFF') return;
    await this.resumePaused({}, campaignId, c.pauseReason);
  }

  /**
   * Job `send`: the recipients of one page (openids `from`..`to`) still waiting. `final`: BullMQ
   * will not try this job again, so a WeChat that stays unreachable fails the rest.
   */
  async sendPage(campaignId: string, from: string, to: string, final: boolean): Promise<void> {
    const c = await this.row(campaignId);
    if (c.status !== 'SENDING') return;
    const now = this.now();
    if (keepsQuietHours(c.channel) && inQuietHours(now, this.d.quietHours)) {
      await this.pauseFor(campaignId, 'QUIET_HOURS', quietHoursEnd(now, this.d.quietHours));
      return;
    }
    const repo = this.db.getRepository(CampaignRecipientEntity);
    const range = { id: campaignId, from, to };
    // The page's waiting recipients, read, not claimed: a row stays PENDING until its outcome is
    // written (one write per recipient after the insert). A page that runs again after a crash
    // sends its PENDING rows again with the same client_msg_id (mass: clientmsgid), which WeChat
    // de-duplicates, so the follower still gets one message. SENDING is what an older run left.
    const waiting = (
      await this.waitingInPage(range)
        .select('r.openid', 'openid')
        .orderBy('r.openid', 'ASC')
        .getRawMany<{ openid: string }>()
    ).map((r) => r.openid);
    if (!waiting.length) return void (await this.finishIfDone(campaignId));

    const outcomes =
      c.channel === 'mass' ? await this.massPage(c, waiting, from) : await this.eachPage(c, waiting, final);
    await this.record(campaignId, outcomes, final);
    const quota = [...outcomes.values()].some((o) => o?.kind === 'quota');
    if (quota) await this.pauseFor(campaignId, 'DAILY_QUOTA', new Date(this.now().getTime() + this.d.quotaRetryMs));
    // Sends that met a 5xx, a timeout or "busy" are still waiting: the job runs again with backoff.
    const still = await this.db.getRepository(CampaignEntity).findOneBy({ id: campaignId });
    if (still?.status === 'CANCELLED') {
      // Cancelled while this page ran: what it had not sent is skipped, like the rest.
      await repo.update({ campaignId, status: In(WAITING) }, { status: 'SKIPPED', reason: 'CANCELLED' });
      return;
    }
    if (!final && still?.status === 'SENDING') {
      const retry = await this.waitingInPage(range).getCount();
      if (retry)
        throw Object.assign(new Error(`${retry} sends to retry (WeChat unreachable or busy)`), { retry: true });
    }
    await this.finishIfDone(campaignId);
  }

  // ---- internals -----------------------------------------------------------------------------

  /**
   * Template, subscribe and customer-service sends: one call per recipient, at the global
   * rate. Outcomes are written every FLUSH_EVERY sends (the progress bar moves), and the
   * campaign's status is read then too: a pause or cancel stops the page within a moment.
   */
  private async eachPage(c: CampaignEntity, openids: string[], final: boolean): Promise<Map<string, Outcome | null>> {
    const out = new Map<string, Outcome | null>(openids.map((o) => [o, null]));
    const done = new Map<string, Outcome>();
    let stop = false;
    let next = 0;
    let flushing: Promise<void> = Promise.resolve();
    const flush = () => {
      const part = new Map(done);
      done.clear();
      for (const k of part.keys()) out.delete(k);
      flushing = flushing.then(async () => {
        await this.record(c.id, part, final);
        if ((await this.liveStatus(c.id)) !== 'SENDING') stop = true;
      });
      return flushing;
    };
    const stillSending = async () => {
      if (!stop && (await this.liveStatus(c.id)) !== 'SENDING') stop = true;
      return !stop;
    };
    const worker = async () => {
      while (!stop && next < openids.length) {
        await this.d.gate.take();
        if (!(await stillSending()) || next >= openids.length) break;
        const openid = openids[next++];
        const o = await this.sendOne(c, openid, false);
        if (o.kind === 'quota') {
          stop = true; // the rest of the page waits for the quota
          out.set(openid, o);
        } else done.set(openid, o);
        if (done.size >= FLUSH_EVERY) await flush();
      }
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, openids.length) }, worker));
    await flush();
    await flushing;
    // What is left: not attempted (null, back to PENDING) or the quota (also back to PENDING).
    return out;
  }

  /**
   * A mass page: each follower's monthly count is taken first (at most 4 a month, counted once
   * per recipient even if the page runs again); those at 4 are skipped before any WeChat call;
   * the rest go in one openid-list mass send whose clientmsgid makes a repeat harmless.
   */
  private async massPage(c: CampaignEntity, openids: string[], from: string): Promise<Map<string, Outcome | null>> {
    const out = new Map<string, Outcome | null>();
    const month = chinaMonth(this.now());
    const eligible: string[] = [];
    for (const openid of openids) {
      const ok = await withTx(this.db, {}, async ({ tx }) => {
        const first = await tx
          .createQueryBuilder()
          .update(CampaignRecipientEntity)
          .set({ counted: true })
          .where('campaign_id = :id AND openid = :openid AND counted = :no', { id: c.id, openid, no: false })
          .execute();
        if (!first.affected) return true; // counted by an earlier run of this page
        await tx
          .createQueryBuilder()
          .insert()
          .into(CampaignMassMonthEntity)
          .values({ openid, month, received: 0 })
          .orIgnore()
          .execute();
        const taken = await tx
          .createQueryBuilder()
          .update(CampaignMassMonthEntity)
          .set({ received: () => 'received + 1' })
          .where('openid = :openid AND month = :month AND received < 4', { openid, month })
          .execute();
        return !!taken.affected;
      });
      if (ok) eligible.push(openid);
      else out.set(openid, { kind: 'skipped', reason: 'MONTHLY_MASS_LIMIT' });
    }
    if (!eligible.length) return out;
    const content = c.content.channel === 'mass' ? { text: c.content.text } : { text: '' };
    await this.d.gate.take();
    // WeChat's list send takes 2..10,000 openids; a lone follower gets the same message as a preview.
    const result =
      eligible.length >= 2
        ? await this.d.send.sendMassToOpenids(eligible, content, jobId(c.id, from))
        : await this.d.send.previewMass(eligible[0], content);
    const o = this.outcome(result.ok ? { ok: true, value: { msgid: result.value.msgId } } : result);
    for (const openid of eligible) out.set(openid, o);
    return out;
  }

  private async sendOne(c: CampaignEntity, openid: string, test: boolean): Promise<Outcome> {
    const content = c.content;
    const page = 'page' in content && content.page ? trackedPage(content.page, c.id) : undefined;
    switch (content.channel) {
      case 'template':
        return this.outcome(
          await this.d.send.sendTemplate({
            touser: openid,
            templateId: content.templateId,
            data: content.fields,
            miniprogram: page ? { appid: this.d.miniProgramAppId, pagepath: page } : undefined,
            // WeChat sends one message per openid + client_msg_id within 10 minutes.
            clientMsgId: test ? undefined : jobId(c.id, openid),
          }),
        );
      case 'subscribe': {
        const r = this.outcome(
          await this.d.send.sendSubscribe({
            touser: openid,
            templateId: content.templateId,
            data: content.fields,
            page,
          }),
        );
        if (!test && r.kind === 'sent') await this.d.audience.consentUsed({}, openid, content.templateId);
        if (!test && r.kind === 'skipped' && r.reason === 'NO_CONSENT')
          await this.d.audience.consentUsed({}, openid, content.templateId, true);
        return r;
      }
      case 'custom': {
        // Known to be outside the 48 hours: refused here, before WeChat is asked.
        const last = await this.d.audience.lastMessageAt(openid);
        if (!test && last && this.now().getTime() - last.getTime() > WINDOW_48H)
          return { kind: 'skipped', reason: 'OUTSIDE_48H_WINDOW' };
        const text = page ? `${content.text}\n${page}` : content.text;
        const r = await this.d.send.sendCustom(openid, { text });
        return this.outcome(r.ok ? { ok: true, value: { msgid: '' } } : r);
      }
      case 'mass': {
        const r = await this.d.send.previewMass(openid, { text: content.text });
        return this.outcome(r.ok ? { ok: true, value: { msgid: r.value.msgId } } : r);
      }
    }
  }

  private outcome(r: WechatResult<{ msgid: string }>): Outcome {
    if (r.ok) return { kind: 'sent', msgId: r.value.msgid };
    const code = r.error.errcode;
    if (code === 45009) return { kind: 'quota' };
    if (code === null || code === -1) return { kind: 'retry', error: r.error };
    const skip = skipReasons[code];
    return skip ? { kind: 'skipped', reason: skip } : { kind: 'failed', reason: `WECHAT_${code}` };
  }

  /** Writes a page's outcomes, a few statements per page (not per recipient). */
  private async record(campaignId: string, outcomes: Map<string, Outcome | null>, final: boolean): Promise<void> {
    const sent: [string, string][] = [];
    const ended = new Map<string, { status: RecipientStatus; reason: string }[]>();
    const back: string[] = [];
    for (const [openid, o] of outcomes) {
      if (!o || o.kind === 'quota') back.push(openid);
      else if (o.kind === 'sent') sent.push([openid, o.msgId]);
      else if (o.kind === 'retry') {
        if (final) ended.set(openid, [{ status: 'FAILED', reason: 'WECHAT_UNREACHABLE' }]);
      } else ended.set(openid, [{ status: o.kind === 'skipped' ? 'SKIPPED' : 'FAILED', reason: o.reason }]);
    }
    const repo = this.db.getRepository(CampaignRecipientEntity);
    const at = this.now();
    for (let i = 0; i < sent.length; i += 250) {
      const part = sent.slice(i, i + 250);
      const params: unknown[] = [];
      const cases = part.map(([openid, msgId]) => {
        params.push(openid, msgId);
        return 'WHEN ? THEN ?';
      });
      await this.db.query(
        `UPDATE campaign_recipients SET status = 'SENT', msg_id = CASE openid ${cases.join(' ')} END, sent_at = ?,
         attempts = attempts + 1 WHERE campaign_id = ? AND status IN (${WAITING.map(() => '?').join(', ')})
         AND openid IN (${part.map(() => '?').join(', ')})`,
        [...params, at, campaignId, ...WAITING, ...part.map(([openid]) => openid)],
      );
    }
    const groups = new Map<string, string[]>();
    for (const [openid, [e]] of ended) {
      const k = `${e.status}|${e.reason}`;
      groups.set(k, [...(groups.get(k) ?? []), openid]);
    }
    for (const [k, openids] of groups) {
      const [status, reason] = k.split('|') as [RecipientStatus, string];
      await repo.update(
        { campaignId, openid: In(openids), status: In(WAITING) },
        { status, reason: reason.slice(0, 24), attempts: () => 'attempts + 1' },
      );
    }
    // Not attempted (a stop, the quota): they wait as PENDING (a row an older run left SENDING too).
    if (back.length) await repo.update({ campaignId, openid: In(back), status: 'SENDING' }, { status: 'PENDING' });
    // Receipts usually come seconds after the send: one look for any first, the three updates
    // only when there is one. (A receipt stored after this look finds these rows already SENT:
    // `receipt()` stores, then applies.)
    const msgIds = sent.map(([, m]) => m).filter(Boolean);
    if (msgIds.length && (await this.anyReceipt(msgIds)))
      await this.applyReceipts(this.db.manager, { campaignId, openids: sent.map(([o]) => o) });
  }

  private async anyReceipt(msgIds: string[]): Promise<boolean> {
    const rows = (await this.db.query(
      `SELECT 1 AS one FROM campaign_receipts WHERE msg_id IN (${msgIds.map(() => '?').join(', ')}) LIMIT 1`,
      msgIds,
    )) as unknown[];
    return rows.length > 0;
  }

  /** Receipts that came before (or with) the send's record: SENT recipients they name move on. */
  private async applyReceipts(
    m: EntityManager,
    where: { msgId: string; openid?: string } | { campaignId: string; openids: string[] },
  ): Promise<void> {
    const filter =
      'campaignId' in where
        ? {
            sql: `campaign_id = ? AND openid IN (${where.openids.map(() => '?').join(', ')})`,
            params: [where.campaignId, ...where.openids],
          }
        : where.openid
          ? { sql: 'msg_id = ? AND openid = ?', params: [where.msgId, where.openid] }
          : { sql: 'msg_id = ?', params: [where.msgId] };
    const match = (status: string) =>
      `EXISTS (SELECT 1 FROM campaign_receipts x WHERE x.msg_id = campaign_recipients.msg_id
        AND (x.openid = campaign_recipients.openid OR x.openid = '*') AND ${status})`;
    await m.query(
      `UPDATE campaign_recipients SET status = 'DELIVERED' WHERE status = 'SENT' AND msg_id <> '' AND ${filter.sql}
       AND ${match("x.status IN ('success', 'send success')")}`,
      filter.params,
    );
    await m.query(
      `UPDATE campaign_recipients SET status = 'FAILED', reason = 'USER_BLOCKED' WHERE status = 'SENT' AND msg_id <> ''
       AND ${filter.sql} AND ${match("x.status = 'failed:user block'")}`,
      filter.params,
    );
    await m.query(
      `UPDATE campaign_recipients SET status = 'FAILED', reason = 'SYSTEM_FAILED' WHERE status = 'SENT' AND msg_id <> ''
       AND ${filter.sql} AND ${match("x.status NOT IN ('success', 'send success', 'failed:user block')")}`,
      filter.params,
    );
  }

  /**
   * A campaign's status as the pages of this process see it: read at most every 250 ms per
   * campaign, whatever the number of pages sending it, so a pause or cancel stops them within a
   * moment without a read per send or per flush.
   */
  private readonly statuses = new Map<string, { status: string | null; at: number; read?: Promise<string | null> }>();
  private async liveStatus(campaignId: string): Promise<string | null> {
    const hit = this.statuses.get(campaignId);
    if (hit && Date.now() - hit.at < 250) return hit.read ?? hit.status;
    if (this.statuses.size > 1000) this.statuses.clear();
    const entry: { status: string | null; at: number; read?: Promise<string | null> } = {
      status: hit?.status ?? null,
      at: Date.now(),
    };
    entry.read = (
      this.db.query('SELECT status FROM campaigns WHERE id = ?', [campaignId]) as Promise<{ status: string }[]>
    ).then(
      (rows) => {
        entry.status = rows[0]?.status ?? null;
        entry.read = undefined;
        return entry.status;
      },
      (err: unknown) => {
        this.statuses.delete(campaignId);
        throw err;
      },
    );
    this.statuses.set(campaignId, entry);
    return entry.read;
  }

  /** The recipients of one page (openids `from`..`to`) still waiting for their send. */
  private waitingInPage(range: { id: string; from: string; to: string }) {
    return this.db
      .getRepository(CampaignRecipientEntity)
      .createQueryBuilder('r')
      .where('r.campaign_id = :id AND r.openid >= :from AND r.openid <= :to AND r.status IN (:...waiting)', {
        ...range,
        waiting: WAITING,
      });
  }

  /**
   * Whether any recipient still waits, through the status index. Left to itself MariaDB walks
   * the primary key from the campaign's first openid, past every row already sent: asked after
   * every page, that grew with the square of the campaign (7,400 rows read per look at 30,000).
   */
  private async anyWaiting(campaignId: string): Promise<boolean> {
    const row = await this.db
      .getRepository(CampaignRecipientEntity)
      .createQueryBuilder('r')
      .useIndex('idx_campaign_recipients_status')
      .select('r.openid', 'openid')
      .where('r.campaign_id = :campaignId AND r.status IN (:...waiting)', { campaignId, waiting: WAITING })
      .limit(1)
      .getRawOne<{ openid: string }>();
    return row !== undefined;
  }

  /** SENDING → DONE once every recipient row exists and none waits. */
  private async finishIfDone(campaignId: string): Promise<void> {
    const c = await this.row(campaignId);
    if (c.status !== 'SENDING' || !c.planned) return;
    if (await this.anyWaiting(campaignId)) return;
    const counts = await this.counts(campaignId);
    await this.db
      .getRepository(CampaignEntity)
      .update({ id: campaignId, status: 'SENDING' }, { status: 'DONE', finishedAt: this.now(), finalCounts: counts });
  }

  private async pauseFor(campaignId: string, reason: CampaignPauseReason, until: Date): Promise<void> {
    const r = await this.db
      .getRepository(CampaignEntity)
      .update({ id: campaignId, status: 'SENDING' }, { status: 'PAUSED', pauseReason: reason, resumeAt: until });
    if (!r.affected) return;
    this.d.log.info({ campaignId, reason, until }, 'campaign paused');
    await this.d
      .queue()
      .add(
        'resume',
        { campaignId },
        { jobId: jobId('resume', campaignId, until.getTime()), delay: Math.max(0, until.getTime() - Date.now()) },
      );
  }

  /** PAUSED → SENDING (for this pause reason, or any when null); a new round dispatches the waiting recipients. */
  private async resumePaused(ctx: Ctx, id: string, reason: CampaignPauseReason | null): Promise<boolean> {
    const r = await managerOf(this.db, ctx)
      .getRepository(CampaignEntity)
      .update(
        { id, status: 'PAUSED', ...(reason ? { pauseReason: reason } : {}) },
        { status: 'SENDING', pauseReason: null, resumeAt: null, round: () => 'round + 1' },
      );
    if (!r.affected) return false;
    const c = await this.row(id);
    // A campaign paused before it started has no startedAt: its plan job will start it.
    if (!c.startedAt) {
      await this.db.getRepository(CampaignEntity).update({ id, status: 'SENDING' }, { status: 'SCHEDULED' });
      await this.enqueueStart(id, c.scheduledAt ?? this.now(), c.channel, c.round);
      return true;
    }
    await this.d.queue().add('dispatch', { campaignId: id }, { jobId: jobId('dispatch', id, c.round) });
    return true;
  }

  private async enqueueStart(id: string, at: Date, channel: CampaignEntity['channel'], round = 0): Promise<void> {
    const start = keepsQuietHours(channel) ? quietHoursEnd(at, this.d.quietHours) : at;
    await this.d
      .queue()
      .add(
        'plan',
        { campaignId: id },
        { jobId: jobId('plan', id, round), delay: Math.max(0, start.getTime() - Date.now()) },
      );
  }

  private async enqueueSend(c: CampaignEntity, from: string, to: string): Promise<void> {
    await this.d.queue().add('send', { campaignId: c.id, from, to }, { jobId: jobId('send', c.id, c.round, from) });
  }

  private async counts(campaignId: string): Promise<CampaignCounts> {
    const rows = (await this.db.query(
      `SELECT status, reason, COUNT(*) AS n FROM campaign_recipients WHERE campaign_id = ? GROUP BY status, reason`,
      [campaignId],
    )) as { status: RecipientStatus; reason: string | null; n: number | string }[];
    const counts: CampaignCounts = {
      targeted: 0,
      pending: 0,
      sent: 0,
      delivered: 0,
      failed: 0,
      skipped: 0,
      reasons: {},
    };
    for (const r of rows) {
      const n = Number(r.n);
      counts.targeted += n;
      if (WAITING.includes(r.status)) counts.pending += n;
      else if (r.status === 'SENT') counts.sent += n;
      else if (r.status === 'DELIVERED') counts.delivered += n;
      else if (r.status === 'FAILED') counts.failed += n;
      else counts.skipped += n;
      if (r.reason) counts.reasons[r.reason] = (counts.reasons[r.reason] ?? 0) + n;
    }
    return counts;
  }

  private async row(id: string): Promise<CampaignEntity> {
    const c = await this.db.getRepository(CampaignEntity).findOneBy({ id });
    if (!c) throw new NotFoundError('Campaign');
    return c;
  }

  private async conflict(id: string, message: string): Promise<never> {
    await this.row(id); // 404 for an unknown id
    throw new ConflictError(message);
  }

  private async toDto(c: CampaignEntity): Promise<Campaign> {
    return {
      id: c.id,
      name: c.name,
      content: c.content,
      audience: c.audience,
      status: c.status as CampaignStatus,
      pauseReason: c.pauseReason,
      resumeAt: c.resumeAt?.toISOString() ?? null,
      scheduledAt: c.scheduledAt?.toISOString() ?? null,
      approvalNeeded: c.approvalNeeded,
      approvedBy: c.approvedBy,
      counts: await this.counts(c.id),
      startedAt: c.startedAt?.toISOString() ?? null,
      finishedAt: c.finishedAt?.toISOString() ?? null,
      createdAt: c.createdAt.toISOString(),
    };
  }
}
