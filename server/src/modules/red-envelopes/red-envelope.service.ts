/**
 * Red-envelope packs: creation (shares drawn and persisted with the pack before anyone can
 * grab), the buyer's open and grab (one Redis script each, the database never in the grab's
 * way), the grab's record and coupon (a job keyed by pack and buyer), reconciliation of Redis
 * with the database, expiry, and attribution of paid orders. docs/decisions/0025-red-envelopes.md.
 */
import { createHash } from 'node:crypto';
import {
  grabOutcomeMessage,
  largestShare,
  newId,
  redEnvelopeSharePath,
  redEnvelopeStateMessage,
  shareBenefit,
  splitRedEnvelope,
  type CreateRedEnvelopePackRequest,
  type EncryptedGroupInfo,
  type RedEnvelopeGrabResult,
  type RedEnvelopeGrabView,
  type RedEnvelopePack,
  type RedEnvelopeState,
  type RedEnvelopeThreshold,
  type RedEnvelopeView,
} from '@chatmall/shared';
import type { Queue } from 'bullmq';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { insertIgnore, isDuplicateKey } from '../../kernel/dialect';
import { NotFoundError, RateLimitedError, ValidationError } from '../../kernel/errors';
import type { Logger } from '../../kernel/logger';
import type { RateLimit } from '../../kernel/rate-limit';
import { bulkAdder } from '../../kernel/queues';
import { execute } from '../../kernel/sql';
import { noTx, withTx, type Ctx } from '../../kernel/tx';
import type { GroupPayload, MiniProgramApi } from '../../wechat/miniprogram/miniprogram';
import { recordAudit, SYSTEM_ACTOR } from '../auth/audit.service';
import type { StaffPrincipal } from '../auth/principal';
import {
  RedEnvelopeGrabEntity,
  RedEnvelopeOpenEntity,
  RedEnvelopeOrderEntity,
  RedEnvelopePackEntity,
  RedEnvelopeShareEntity,
} from './red-envelope.entity';
import {
  parseRecord,
  recordOf,
  type GrabRecord,
  type OpenAnswer,
  type OpenContext,
  type RedEnvelopePool,
} from './red-envelope.pool';
import type { BuyerPort, CouponPort, OrderPort } from './red-envelope.ports';

type CreateInput = z.output<typeof CreateRedEnvelopePackRequest>;
type OpenInput = { sharer: string | null; group: EncryptedGroupInfo | null };

/** A grab's job: the Redis record to write down, and where the buyer opened the card. */
export interface GrabJob {
  packId: string;
  buyerId: string;
  record: string;
  chat: OpenContext['chat'];
  groupId: string;
  sharer: string;
}

export const grabJobId = (packId: string, buyerId: string) => `grab-${packId}-${buyerId}`;

/** How a grab's record ended: written now, written before, or refused (its share went to another). */
export type PersistOutcome = 'RECORDED' | 'ALREADY_RECORDED' | 'SHARE_TAKEN';

const HOUR_MS = 3600_000;
const PACK_CACHE_MS = 10_000;
/** The page lists grabs from Redis for packs up to this size, else the latest from the database. */
const LIVE_LIST_MAX_SHARES = 1000;
const LIST_LIMIT = 100;

/** A short stable label for a group (WeChat's id stays on the server). */
export const groupKeyOf = (groupId: string) =>
  groupId ? `g${createHash('sha256').update(groupId).digest('hex').slice(0, 8)}` : null;
/** Placeholder names until buyer profiles exist: stable per buyer, nothing personal. */
export const nicknameOf = (buyerId: string) => `微信用户${buyerId.slice(-4).toUpperCase()}`;

function thresholdTerms(t: RedEnvelopeThreshold): string {
  switch (t.kind) {
    case 'none':
      return '无门槛 (no minimum spend)';
    case 'multiple':
      return `满券面额${t.multiple}倍可用 (on orders of ${t.multiple}× the amount)`;
    case 'fixed':
      return `满${(t.threshold / 100).toFixed(2).replace(/\.00$/, '')}元可用 (on orders of ¥${(t.threshold / 100).toFixed(2)}+)`;
  }
}

export function packView(p: RedEnvelopePackEntity): RedEnvelopePack {
  return {
    id: p.id,
    title: p.title,
    imageUrl: p.imageUrl,
    budget: p.budget,
    shares: p.shares,
    split: p.split,
    minimumShare: p.minimumShare,
    coupon: p.coupon,
    couponTemplateId: p.couponTemplateId,
    groupOnly: Boolean(p.groupOnly),
    newBuyersOnly: Boolean(p.newBuyersOnly),
    status: p.status,
    expiresAt: p.expiresAt.toISOString(),
    createdAt: p.createdAt.toISOString(),
    createdBy: p.createdBy,
    sharePath: redEnvelopeSharePath(p.id),
  };
}

/** Whole seconds: MySQL DATETIME rounds fractions. */
const wholeSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

export class RedEnvelopeService {
  private readonly packs = new Map<string, { pack: RedEnvelopePackEntity; at: number }>();
  /** Grab jobs of one event-loop turn go to Redis together (a burst's grabs share a round trip). */
  private readonly queueGrab: (job: GrabJob, opts: { jobId: string }) => Promise<void>;

  constructor(
    private readonly db: DataSource,
    private readonly pool: RedEnvelopePool,
    private readonly deps: CouponPort & {
      buyers: BuyerPort;
      orders: OrderPort;
      miniProgram: MiniProgramApi;
      /** Where grab jobs go (opened on first use). */
      queue: () => Queue;
      limits: { perBuyer: RateLimit; perIp: RateLimit };
      log: Logger;
    },
  ) {
    this.queueGrab = bulkAdder<GrabJob>(deps.queue, 'grab');
  }

  // ------------------------------------------------------------------ creating

  /**
   * Creates a pack in one transaction: its coupon template (the coupons module's, joining the
   * transaction: stock = shares, one per buyer, not claimable, published, its origin naming
   * the pack), the pack and every share (their sum is the budget), audited; then loads it
   * into Redis. Nothing is left behind when any insert fails. A failed load is repaired by
   * the first grab or the reconciliation, both of which load from the database.
   */
  async create(ctx: Ctx, actor: StaffPrincipal, input: CreateInput, now = new Date()): Promise<RedEnvelopePack> {
    const expiresAt = wholeSeconds(now.getTime() + input.expiresInHours * HOUR_MS);
    // A coupon that could not be used once grabbed is no coupon: its window must outlast the pack.
    if (input.coupon.validity.kind === 'window' && Date.parse(input.coupon.validity.until) <= expiresAt.getTime())
      throw new ValidationError([{ path: 'body.coupon.validity.until', message: 'must be after the pack expires' }]);
    const amounts = splitRedEnvelope({
      budget: input.budget,
      shares: input.shares,
      mode: input.split,
      minimumShare: input.minimumShare,
    });
    const total = amounts.reduce((a, b) => a + b, 0);
    if (total !== input.budget) throw new Error(`split of ${input.budget} fen came to ${total}`);

    const id = newId('redEnvelopePack', now.getTime());
    const pack: RedEnvelopePackEntity = Object.assign(new RedEnvelopePackEntity(), {
      id,
      title: input.title,
      imageUrl: input.imageUrl,
      budget: input.budget,
      shares: input.shares,
      split: input.split,
      minimumShare: input.minimumShare,
      coupon: input.coupon,
      couponTemplateId: '',
      groupOnly: input.groupOnly,
      newBuyersOnly: input.newBuyersOnly,
      status: 'ACTIVE' as const,
      expiresAt,
      createdBy: actor.staffId,
      returnedShares: 0,
      returnedAmount: 0,
      settledAt: null,
      createdAt: now,
      updatedAt: now,
    });
    await withTx(this.db, ctx, async (txCtx) => {
      const { tx } = txCtx;
      // The template is the coupons module's, written in this transaction and marked as the
      // pack's. Its benefit shows the largest share; each coupon is issued with its share's terms.
      const template = await this.deps.couponTemplates.create(
        txCtx,
        actor,
        {
          title: input.coupon.title,
          benefit: shareBenefit(input.coupon.threshold, largestShare(input.budget, input.shares, input.split)),
          scope: input.coupon.scope,
          validity: input.coupon.validity,
          totalStock: input.shares,
          perBuyerLimit: 1,
          stacksWithMemberDiscount: input.coupon.stacksWithMemberDiscount,
          claimable: false,
        },
        now,
        { origin: { kind: 'red_envelope', packId: id, packTitle: input.title }, publish: true },
      );
      pack.couponTemplateId = template.id;
      await tx.getRepository(RedEnvelopePackEntity).insert(pack);
      const rows = amounts.map((amount, shareIndex) => ({ packId: id, shareIndex, amount }));
      for (let i = 0; i < rows.length; i += 500)
        await tx.getRepository(RedEnvelopeShareEntity).insert(rows.slice(i, i + 500));
      await recordAudit(tx, actor, 'red_envelope.create', 'red_envelope_pack', id, {
        title: input.title,
        budget: input.budget,
        shares: input.shares,
        split: input.split,
        minimumShare: input.minimumShare,
        groupOnly: input.groupOnly,
        newBuyersOnly: input.newBuyersOnly,
        expiresAt: pack.expiresAt.toISOString(),
        couponTemplateId: template.id,
      });
    });
    if (!ctx.tx)
      await this.ensureLoaded(pack).catch((err: Error) =>
        this.deps.log.warn({ packId: id, err: err.message }, 'red envelope: not loaded into Redis yet'),
      );
    return packView(pack);
  }

  // ------------------------------------------------------------------ Redis ⇄ database

  /** The pack (cached briefly: what the grab path reads never changes but its status). */
  async pack(id: string, fresh = false): Promise<RedEnvelopePackEntity> {
    const hit = this.packs.get(id);
    if (!fresh && hit && Date.now() - hit.at < PACK_CACHE_MS) return hit.pack;
    const pack = await this.db.getRepository(RedEnvelopePackEntity).findOneBy({ id });
    if (!pack) throw new NotFoundError('Red envelope');
    this.packs.set(id, { pack, at: Date.now() });
    if (this.packs.size > 1000) this.packs.delete(this.packs.keys().next().value as string);
    return pack;
  }

  /**
   * Loads the pack into Redis when Redis lacks it: the persisted shares minus the grabs the
   * database recorded, those grabs (so their buyers stay deduplicated), and the allowed groups
   * and members from the opens. True when this call loaded it.
   */
  async ensureLoaded(pack: RedEnvelopePackEntity, now = new Date()): Promise<boolean> {
    if (await this.pool.isLoaded(pack.id)) return false;
    const [shares, grabs, opens] = await Promise.all([
      this.db.getRepository(RedEnvelopeShareEntity).find({ where: { packId: pack.id }, order: { shareIndex: 'ASC' } }),
      this.db.getRepository(RedEnvelopeGrabEntity).findBy({ packId: pack.id }),
      this.db.getRepository(RedEnvelopeOpenEntity).findBy({ packId: pack.id, allowed: true }),
    ]);
    const taken = new Set(grabs.map((g) => g.shareIndex));
    // An ended pack is loaded closed and empty: only its grabs (the page, dedupe) matter.
    const closed = pack.status !== 'ACTIVE' || pack.expiresAt <= now;
    const loaded = await this.pool.load(pack.id, {
      groupOnly: Boolean(pack.groupOnly),
      expiresAt: pack.expiresAt,
      closed,
      pool: closed ? [] : shares.filter((s) => !taken.has(s.shareIndex)).map((s) => `${s.shareIndex}:${s.amount}`),
      grabs: grabs.map((g) => ({
        buyerId: g.buyerId,
        record: { index: g.shareIndex, amount: g.amount, grabbedAt: g.grabbedAt },
      })),
      groups: [...new Set(opens.filter((o) => o.groupId).map((o) => o.groupId))],
      members: [...new Set(opens.map((o) => o.buyerId))],
    });
    if (loaded)
      this.deps.log.info({ packId: pack.id, left: shares.length - taken.size }, 'red envelope loaded into Redis');
    return loaded;
  }

  // ------------------------------------------------------------------ the buyer's side

  /** The chat the card was opened in, decrypted with the buyer's own session key. */
  private async openContext(buyerId: string, req: OpenInput): Promise<OpenContext> {
    const sharer = req.sharer && req.sharer !== buyerId ? req.sharer : '';
    if (!req.group) return { chat: 'none', groupId: '', sharer };
    const openid = await this.deps.buyers.openidOf(buyerId);
    if (!openid) throw new ValidationError([{ path: 'body.group', message: 'no WeChat session for this buyer' }]);
    const out = await this.deps.miniProgram.decryptFor<GroupPayload>(openid, req.group);
    if (!out.ok) {
      const why = {
        'no-session': 'no WeChat session: sign in again (wx.login) and reopen the card',
        malformed: 'could not be decrypted with this buyer’s session key',
        'wrong-appid': 'is not from this mini-program',
        stale: 'is too old: reopen the card',
      }[out.reason];
      throw new ValidationError([{ path: 'body.group', message: why }]);
    }
    return { ...chatOf(out.data), sharer };
  }

  private async limit(buyerId: string, ip: string): Promise<void> {
    const [byBuyer, byIp] = await Promise.all([
      this.deps.limits.perBuyer.consume(buyerId),
      this.deps.limits.perIp.consume(ip),
    ]);
    const refused = [byBuyer, byIp].filter((o) => !o.ok) as { retryAfterSeconds: number }[];
    if (refused.length)
      throw new RateLimitedError(
        '抢得太快了，请稍后再试 (too many grabs; try again shortly)',
        Math.max(...refused.map((r) => r.retryAfterSeconds)),
      );
  }

  private async openAnswer(pack: RedEnvelopePackEntity, buyerId: string, at: OpenContext): Promise<OpenAnswer> {
    const first = await this.pool.open(pack.id, buyerId, at);
    if (first.kind !== 'NOT_LOADED') return first;
    await this.ensureLoaded(pack);
    const again = await this.pool.open(pack.id, buyerId, at);
    if (again.kind === 'NOT_LOADED') throw new Error('red envelope could not be loaded into Redis');
    return again;
  }

  /**
   * The grab: rate limits, the new-buyer check (the orders module), then one script does
   * dedupe, expiry, group rule, pop and record. Answers at once; the record and the coupon
   * follow in a job keyed by pack and buyer (and the reconciliation replays it if it is lost).
   */
  async grab(buyerId: string, ip: string, packId: string, req: OpenInput): Promise<RedEnvelopeGrabResult> {
    await this.limit(buyerId, ip);
    const pack = await this.pack(packId);
    const at = await this.openContext(buyerId, req);
    if (pack.newBuyersOnly && (await this.deps.orders.hasPaidOrder(buyerId))) {
      const mine = await this.pool.mine(pack.id, buyerId);
      return mine ? answer('ALREADY_GRABBED', mine.amount) : answer('NOT_NEW_BUYER');
    }
    let out = await this.pool.grab(pack.id, buyerId, at);
    if (out.kind === 'NOT_LOADED') {
      await this.ensureLoaded(pack);
      out = await this.pool.grab(pack.id, buyerId, at);
      if (out.kind === 'NOT_LOADED') throw new Error('red envelope could not be loaded into Redis');
    }
    if (out.kind === 'GRABBED') {
      const job: GrabJob = { packId, buyerId, record: recordOf(out.grab), ...at };
      try {
        await this.queueGrab(job, { jobId: grabJobId(packId, buyerId) });
      } catch (err) {
        // Redis took the grab; the reconciliation finds it in rp:{id}:grabs and records it.
        this.deps.log.warn({ packId, err: (err as Error).message }, 'red envelope: grab job not queued');
      }
    }
    if (out.kind === 'GRABBED' || out.kind === 'ALREADY_GRABBED') return answer(out.kind, out.grab.amount);
    return answer(out.kind);
  }

  /** The page opened from a card: the group rule applied, the open recorded for attribution. */
  async open(buyerId: string, packId: string, req: OpenInput, now = new Date()): Promise<RedEnvelopeView> {
    const pack = await this.pack(packId);
    const at = await this.openContext(buyerId, req);
    if (at.sharer && !(await this.deps.buyers.openidOf(at.sharer)))
      throw new ValidationError([{ path: 'body.sharer', message: 'is not a buyer' }]);
    const out = await this.openAnswer(pack, buyerId, at);
    const state = out.kind as RedEnvelopeState;
    const allowed = Boolean(pack.groupOnly) && state !== 'GROUP_ONLY' && state !== 'NOT_FROM_GROUP';
    await this.recordOpen(this.db.manager, pack.id, buyerId, at, allowed, now);
    let shown = state;
    if (state === 'CAN_GRAB' && pack.newBuyersOnly && (await this.deps.orders.hasPaidOrder(buyerId)))
      shown = 'NOT_NEW_BUYER';
    return this.view(buyerId, pack.id, shown);
  }

  private async recordOpen(
    em: EntityManager,
    packId: string,
    buyerId: string,
    at: OpenContext,
    allowed: boolean,
    now: Date,
  ): Promise<void> {
    await execute(
      em,
      `${insertIgnore(em)} INTO red_envelope_opens (pack_id, buyer_id, group_id, chat, sharer_id, allowed, opened_at)` +
        ' VALUES (?, ?, ?, ?, ?, ?, ?)',
      [packId, buyerId, at.groupId, at.chat, at.sharer || null, allowed, wholeSeconds(now.getTime())],
    );
    // The group may have become allowed since this buyer first opened from it.
    if (allowed)
      await execute(
        em,
        'UPDATE red_envelope_opens SET allowed = ? WHERE pack_id = ? AND buyer_id = ? AND group_id = ? AND allowed = ?',
        [true, packId, buyerId, at.groupId, false],
      );
  }

  /**
   * The page: counts, everyone's grabs (Redis' live record while the pack is in Redis, else the
   * database's), the buyer's own grab and coupon. `state` is the open's; without one (a refresh)
   * it is read without applying the group rule.
   */
  async view(buyerId: string, packId: string, state?: RedEnvelopeState, now = new Date()): Promise<RedEnvelopeView> {
    const pack = await this.pack(packId, true);
    const live = pack.status === 'ACTIVE' && (await this.pool.isLoaded(pack.id));
    let grabs: { buyerId: string; record: GrabRecord }[];
    let grabbedCount: number;
    let grabbedAmount: number;
    if (live && pack.shares <= LIVE_LIST_MAX_SHARES) {
      grabs = [...(await this.pool.grabs(pack.id))].map(([b, record]) => ({ buyerId: b, record }));
      grabbedCount = grabs.length;
      grabbedAmount = grabs.reduce((n, g) => n + g.record.amount, 0);
    } else {
      const repo = this.db.getRepository(RedEnvelopeGrabEntity);
      const [rows, totals] = await Promise.all([
        repo.find({ where: { packId }, order: { grabbedAt: 'DESC' }, take: LIST_LIMIT }),
        repo
          .createQueryBuilder('g')
          .select('COUNT(*)', 'n')
          .addSelect('COALESCE(SUM(g.amount), 0)', 'amount')
          .where('g.pack_id = :packId', { packId })
          .getRawOne<{ n: string; amount: string }>(),
      ]);
      grabs = rows.map((g) => ({
        buyerId: g.buyerId,
        record: { index: g.shareIndex, amount: g.amount, grabbedAt: g.grabbedAt },
      }));
      grabbedCount = Number(totals?.n ?? 0);
      grabbedAmount = Number(totals?.amount ?? 0);
    }
    grabs.sort((a, b) => b.record.grabbedAt.getTime() - a.record.grabbedAt.getTime());
    const best = grabs.reduce<(typeof grabs)[number] | null>(
      (m, g) =>
        !m ||
        g.record.amount > m.record.amount ||
        (g.record.amount === m.record.amount && g.record.grabbedAt < m.record.grabbedAt)
          ? g
          : m,
      null,
    );
    const expired = pack.status !== 'ACTIVE' || pack.expiresAt <= now;
    const allGone = grabbedCount >= pack.shares;

    const mineLive =
      grabs.find((g) => g.buyerId === buyerId)?.record ?? (live ? await this.pool.mine(pack.id, buyerId) : null);
    const mineRow = await this.db.getRepository(RedEnvelopeGrabEntity).findOneBy({ packId, buyerId });
    const mineRecord =
      mineLive ??
      (mineRow ? { index: mineRow.shareIndex, amount: mineRow.amount, grabbedAt: mineRow.grabbedAt } : null);
    const coupon = mineRow?.couponId ? await this.deps.coupons.mine(buyerId, mineRow.couponId) : null;

    let shown: RedEnvelopeState =
      state ?? (mineRecord ? 'ALREADY_GRABBED' : expired ? 'EXPIRED' : allGone ? 'ALL_GONE' : 'CAN_GRAB');
    if (mineRecord) shown = 'ALREADY_GRABBED';

    const list: RedEnvelopeGrabView[] = grabs.slice(0, LIST_LIMIT).map((g) => ({
      nickname: nicknameOf(g.buyerId),
      avatarUrl: null,
      amount: g.record.amount,
      grabbedAt: g.record.grabbedAt.toISOString(),
      luckiest: g === best,
      isMe: g.buyerId === buyerId,
    }));
    return {
      id: pack.id,
      title: pack.title,
      imageUrl: pack.imageUrl,
      couponTitle: pack.coupon.title,
      couponTerms: thresholdTerms(pack.coupon.threshold),
      budget: pack.budget,
      shares: pack.shares,
      grabbedCount,
      grabbedAmount,
      groupOnly: Boolean(pack.groupOnly),
      newBuyersOnly: Boolean(pack.newBuyersOnly),
      expiresAt: pack.expiresAt.toISOString(),
      state: shown,
      message: redEnvelopeStateMessage[shown],
      mine: mineRecord ? { amount: mineRecord.amount, grabbedAt: mineRecord.grabbedAt.toISOString(), coupon } : null,
      grabs: list,
      luckiestFinal: expired || allGone,
      sharePath: redEnvelopeSharePath(pack.id, buyerId),
    };
  }

  // ------------------------------------------------------------------ the record and the coupon

  /**
   * Writes down one grab Redis accepted and issues its coupon, in one transaction: the grab row
   * under its unique (pack, buyer) and (pack, share) indexes, the coupon under the coupons'
   * unique (source, source_ref = packId:buyerId). Run by the grab's job and by the
   * reconciliation; however often it runs, one row and one coupon.
   */
  async persistGrab(job: GrabJob, now = new Date()): Promise<PersistOutcome> {
    const pack = await this.pack(job.packId);
    const record = parseRecord(job.record);
    const { packId, buyerId } = job;
    try {
      await withTx(this.db, noTx, async (ctx) => {
        const { tx } = ctx;
        if (job.chat !== 'none' || job.sharer)
          await this.recordOpen(
            tx,
            packId,
            buyerId,
            { chat: job.chat, groupId: job.groupId, sharer: job.sharer },
            Boolean(pack.groupOnly),
            record.grabbedAt,
          );
        await tx.getRepository(RedEnvelopeGrabEntity).insert({
          packId,
          buyerId,
          shareIndex: record.index,
          amount: record.amount,
          grabbedAt: record.grabbedAt,
          couponId: null,
          issueRefusal: null,
          createdAt: now,
        });
        const issued = await this.deps.coupons.issue(ctx, {
          templateId: pack.couponTemplateId,
          buyerId,
          source: 'red_envelope',
          sourceRef: `${packId}:${buyerId}`,
          benefit: shareBenefit(pack.coupon.threshold, record.amount),
        });
        if (!issued.ok)
          this.deps.log.error({ packId, reason: issued.reason }, 'red envelope: the coupon template refused a grab');
        await execute(
          tx,
          'UPDATE red_envelope_grabs SET coupon_id = ?, issue_refusal = ? WHERE pack_id = ? AND buyer_id = ?',
          [issued.ok ? issued.coupon.id : null, issued.ok ? null : issued.reason, packId, buyerId],
        );
      });
      return 'RECORDED';
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const mine = await this.db.getRepository(RedEnvelopeGrabEntity).findOneBy({ packId, buyerId });
      if (mine) return 'ALREADY_RECORDED';
      // The share is recorded for another buyer: Redis lost this grab's record (a flush before
      // its job ran) and dealt the share again. The first record stands; this buyer may grab again.
      await this.pool.forget(packId, buyerId, record);
      this.deps.log.warn(
        { packId, shareIndex: record.index },
        'red envelope: share already recorded for another buyer',
      );
      return 'SHARE_TAKEN';
    }
  }

  /**
   * Compares Redis with the database for every active pack: a pack Redis lost is loaded again
   * from the database; grabs Redis accepted that the database lacks (their job lost or not yet
   * run, older than `minAgeMs`) are recorded now; an expired pack is settled.
   */
  async reconcile(now = new Date(), minAgeMs = 5000): Promise<{ loaded: number; replayed: number; settled: number }> {
    const active = await this.db.getRepository(RedEnvelopePackEntity).findBy({ status: 'ACTIVE' });
    let loaded = 0;
    let replayed = 0;
    let settled = 0;
    for (const pack of active) {
      if (pack.expiresAt <= now) {
        if (await this.settle(pack.id, now)) settled++;
        continue;
      }
      if (await this.ensureLoaded(pack, now)) loaded++;
      replayed += await this.replay(pack.id, now.getTime() - minAgeMs);
      await this.restoreRecorded(pack);
    }
    return { loaded, replayed, settled };
  }

  /**
   * Grabs the database recorded that Redis does not know of (a job that was already running
   * when Redis lost the pack wrote its grab after the pool was rebuilt without it) go back
   * into Redis' record, so their buyers stay deduplicated, and their shares out of the pool.
   */
  private async restoreRecorded(pack: RedEnvelopePackEntity): Promise<void> {
    const [inRedis, recorded] = await Promise.all([
      this.pool.grabs(pack.id),
      this.db.getRepository(RedEnvelopeGrabEntity).findBy({ packId: pack.id }),
    ]);
    const unknown = recorded.filter((g) => !inRedis.has(g.buyerId));
    if (!unknown.length) return;
    const n = await this.pool.restore(
      pack.id,
      unknown.map((g) => ({
        buyerId: g.buyerId,
        record: { index: g.shareIndex, amount: g.amount, grabbedAt: g.grabbedAt },
      })),
    );
    this.deps.log.warn(
      { packId: pack.id, restored: unknown.length, outOfPool: n },
      'red envelope: recorded grabs put back into Redis',
    );
  }

  /** Records every grab in Redis' record of the pack (accepted before `before` ms) that the database lacks. */
  private async replay(packId: string, before = Number.POSITIVE_INFINITY): Promise<number> {
    const inRedis = await this.pool.grabs(packId);
    if (!inRedis.size) return 0;
    const recorded = new Set(
      (await this.db.getRepository(RedEnvelopeGrabEntity).find({ select: { buyerId: true }, where: { packId } })).map(
        (g) => g.buyerId,
      ),
    );
    let n = 0;
    for (const [buyerId, record] of inRedis) {
      if (recorded.has(buyerId) || record.grabbedAt.getTime() > before) continue;
      const out = await this.persistGrab({
        packId,
        buyerId,
        record: recordOf(record),
        chat: 'none',
        groupId: '',
        sharer: '',
      });
      if (out === 'RECORDED') n++;
    }
    if (n) this.deps.log.warn({ packId, replayed: n }, 'red envelope: grabs replayed from Redis');
    return n;
  }

  /**
   * Expiry: grabs stop (the pack is closed in Redis), every grab Redis accepted is recorded,
   * and the shares nobody grabbed are returned: the pack moves ACTIVE → EXPIRED once, with the
   * returned count and amount. True when this call settled it.
   */
  async settle(packId: string, now = new Date()): Promise<boolean> {
    const pack = await this.pack(packId, true);
    if (pack.status !== 'ACTIVE' || pack.expiresAt > now) return false;
    await this.pool.close(packId);
    await this.replay(packId);
    const settled = await withTx(this.db, noTx, async (txCtx) => {
      const { tx } = txCtx;
      const totals = await tx
        .getRepository(RedEnvelopeGrabEntity)
        .createQueryBuilder('g')
        .select('COUNT(*)', 'n')
        .addSelect('COALESCE(SUM(g.amount), 0)', 'amount')
        .where('g.pack_id = :packId', { packId })
        .getRawOne<{ n: string; amount: string }>();
      const n = await execute(
        tx,
        "UPDATE red_envelope_packs SET status = 'EXPIRED', returned_shares = ?, returned_amount = ?, settled_at = ?," +
          " updated_at = ? WHERE id = ? AND status = 'ACTIVE'",
        [
          pack.shares - Number(totals?.n ?? 0),
          pack.budget - Number(totals?.amount ?? 0),
          wholeSeconds(now.getTime()),
          now,
          packId,
        ],
      );
      // The pack's template issues nothing more (audited as the system, with the settlement).
      if (n === 1) await this.deps.couponTemplates.stop(txCtx, SYSTEM_ACTOR, pack.couponTemplateId);
      return n;
    });
    this.packs.delete(packId);
    if (settled) this.deps.log.info({ packId }, 'red envelope expired: unclaimed shares returned');
    return settled === 1;
  }

  // ------------------------------------------------------------------ attribution

  /** `order.paid`: an order that used one of a pack's coupons counts for that pack (once per order). */
  async attributeOrder(orderNo: string): Promise<boolean> {
    const paid = await this.deps.orders.paidOrder(orderNo);
    if (!paid?.couponId) return false;
    const grab = await this.db.getRepository(RedEnvelopeGrabEntity).findOneBy({ couponId: paid.couponId });
    if (!grab) return false;
    const em = this.db.manager;
    const n = await execute(
      em,
      `${insertIgnore(em)} INTO red_envelope_orders (order_no, pack_id, buyer_id, coupon_id, discount, gmv, paid_at)` +
        ' VALUES (?, ?, ?, ?, ?, ?, ?)',
      [
        orderNo,
        grab.packId,
        paid.buyerId,
        paid.couponId,
        paid.discount,
        paid.payable,
        wholeSeconds(paid.paidAt.getTime()),
      ],
    );
    return n === 1;
  }

  /** For tests and the console: the orders attributed to a pack. */
  ordersOf(packId: string): Promise<RedEnvelopeOrderEntity[]> {
    return this.db.getRepository(RedEnvelopeOrderEntity).findBy({ packId });
  }
}

function answer(outcome: RedEnvelopeGrabResult['outcome'], amount: number | null = null): RedEnvelopeGrabResult {
  return { outcome, amount, message: grabOutcomeMessage[outcome] };
}

/**
 * The chat of a decrypted group payload. getShareInfo's `openGId` comes only from a group;
 * getGroupEnterInfo's `chat_type` says 3/4 (WeChat group, WeCom interconnected group) or
 * 1/2 (single chats, which carry no group id).
 */
export function chatOf(data: GroupPayload): { chat: OpenContext['chat']; groupId: string } {
  const chatType = Number(data.chat_type ?? data.chatType ?? NaN);
  const groupId = typeof (data.openGId ?? data.opengid) === 'string' ? String(data.openGId ?? data.opengid) : '';
  if (chatType === 1 || chatType === 2) return { chat: 'single', groupId: '' };
  if (groupId && (Number.isNaN(chatType) || chatType === 3 || chatType === 4)) return { chat: 'group', groupId };
  throw new ValidationError([{ path: 'body.group', message: 'names no group chat' }]);
}
