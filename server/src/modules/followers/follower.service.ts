/**
 * Followers of the official account: kept from the events WeChat pushes (subscribe,
 * unsubscribe, scan, messages), from a resumable full sync, and linked to buyers by unionid.
 * Each change is a domain event (`follower.*`) written in the same transaction. The inbox
 * keeps what followers wrote and what the shop answered; staff answer with a
 * customer-service message, which WeChat allows for 48 hours after the follower's last
 * interaction.
 */
import { randomBytes } from 'node:crypto';
import {
  touchpointOfScene,
  type Follower,
  type FollowerSyncStatus,
  type FollowerTag,
  type InboxMessage,
} from '@chatmall/shared';
import { In, LessThan, MoreThan, type DataSource, type EntityManager } from 'typeorm';
import { isDuplicateKey } from '../../kernel/db';
import { ConflictError, NotFoundError, ValidationError } from '../../kernel/errors';
import type { Logger } from '../../kernel/logger';
import { noTx, withTx } from '../../kernel/tx';
import { batchFollowerInfo, BATCHGET_MAX, deleteTag, renameTag, TAGGING_BATCH } from '../../wechat/api/followers';
import type { FollowerInfo, OfficialAccountApi } from '../../wechat/api/official-account';
import type { InboundMessage } from '../../wechat/oa/messages';
import { publish } from '../events';
import { FollowerEntity, FollowerSyncEntity, FollowerTagEntity, InboxMessageEntity } from './follower.entity';

/** WeChat allows customer-service messages for 48 hours after the follower's last interaction. */
export const REPLY_WINDOW_MS = 48 * 3600_000;
/** A running sync's hold on the cursor; a crashed process's hold runs out after this. */
const SYNC_LEASE_MS = 60_000;
const SYNC_ID = 'followers';

export interface BuyerLookup {
  /** The buyer whose mini-program login carried this unionid. */
  idByUnionid(unionid: string): Promise<string | null>;
  /** The same for many at once: unionid → buyer id, for those that are buyers. */
  idsByUnionid(unionids: string[]): Promise<Map<string, string>>;
  unionidOf(buyerId: string): Promise<string | null>;
}

const msgId = () => `msg_${Date.now().toString(36)}${randomBytes(8).toString('hex')}`;

/** A follower's message in the inbox's words. */
function describe(m: InboundMessage): { type: string; content: string } | null {
  const r = m as unknown as Record<string, unknown>;
  switch (m.msgType) {
    case 'text':
      return { type: 'text', content: String(r.content ?? '') };
    case 'image':
      return { type: 'image', content: `[图片 picture] ${String(r.picUrl ?? '')}` };
    case 'voice':
      return { type: 'voice', content: `[语音 voice] ${String(r.recognition ?? '')}`.trim() };
    case 'location':
      return { type: 'location', content: `[位置 location] ${String(r.label ?? '')}` };
    case 'link':
      return { type: 'link', content: `[链接 link] ${String(r.title ?? '')} ${String(r.url ?? '')}` };
    case 'event':
      return null;
    default:
      return { type: m.msgType, content: `[${m.msgType}]` };
  }
}

export class FollowerService {
  constructor(
    private readonly db: DataSource,
    private readonly deps: { oa: () => OfficialAccountApi; buyers: BuyerLookup; log: Logger },
  ) {}

  view(f: FollowerEntity, now = Date.now()): Follower {
    return {
      openid: f.openid,
      unionid: f.unionid,
      buyerId: f.buyerId,
      subscribed: f.subscribed,
      followedAt: f.followedAt?.toISOString() ?? null,
      unfollowedAt: f.unfollowedAt?.toISOString() ?? null,
      touchpointId: f.touchpointId,
      city: f.city,
      tagIds: f.tagIds,
      lastInteractionAt: f.lastInteractionAt?.toISOString() ?? null,
      canReply: f.subscribed && !!f.lastInteractionAt && now - f.lastInteractionAt.getTime() < REPLY_WINDOW_MS,
    };
  }

  async get(openid: string): Promise<FollowerEntity | null> {
    return this.db.getRepository(FollowerEntity).findOneBy({ openid });
  }

  /**
   * The follower this buyer is, if any: linked already, or found by the buyer's unionid (a
   * buyer who signed in to the mini-program after following) and linked now.
   */
  async ofBuyer(buyerId: string): Promise<FollowerEntity | null> {
    const repo = this.db.getRepository(FollowerEntity);
    const linked = await repo.findOne({ where: { buyerId }, order: { followedAt: 'DESC' } });
    if (linked) return linked;
    const unionid = await this.deps.buyers.unionidOf(buyerId);
    if (!unionid) return null;
    return withTx(this.db, noTx, async ({ tx }) => {
      const f = await tx.getRepository(FollowerEntity).findOneBy({ unionid });
      if (!f) return null;
      if (f.buyerId) return f.buyerId === buyerId ? f : null;
      const done = await tx
        .createQueryBuilder()
        .update(FollowerEntity)
        .set({ buyerId, version: () => 'version + 1' })
        .where('openid = :openid AND buyer_id IS NULL', { openid: f.openid })
        .execute();
      if (!done.affected) return null;
      const linkedNow = await tx.getRepository(FollowerEntity).findOneByOrFail({ openid: f.openid });
      await this.publishUpdated(tx, linkedNow);
      return linkedNow;
    });
  }

  /**
   * What a push tells about its sender, recorded before any reply is chosen: a follow
   * (with the touchpoint of its scene), an unfollow, an interaction (opens the 48-hour
   * window), and a message for the inbox (once per MsgId). A follower we have not seen is
   * looked up on WeChat for their unionid, which links them to a buyer.
   */
  async record(m: InboundMessage): Promise<FollowerEntity> {
    const openid = m.fromUserName;
    const at = new Date(m.createTime * 1000);
    const event = m.msgType === 'event' ? (m as unknown as { event: string; scene?: string }) : null;
    let profile: (FollowerInfo & { city?: string }) | null = null;
    const known = await this.get(openid);
    if (!known?.unionid && event?.event !== 'unsubscribe') profile = await this.profile(openid);
    const buyerId = known?.buyerId ?? (profile?.unionid ? await this.deps.buyers.idByUnionid(profile.unionid) : null);

    return withTx(this.db, noTx, async ({ tx }) => {
      const repo = tx.getRepository(FollowerEntity);
      await this.ensureRow(tx, openid);
      const f = (await repo.findOneByOrFail({ openid }))!;
      const touchpointId = touchpointOfScene(event?.scene);
      if (profile?.unionid && !f.unionid) f.unionid = profile.unionid;
      if (buyerId && !f.buyerId) f.buyerId = buyerId;
      if (profile?.tagid_list) f.tagIds = profile.tagid_list;
      if (event?.event === 'unsubscribe') {
        f.subscribed = false;
        f.unfollowedAt = at;
        await publish(tx, 'follower.unfollowed', `${openid}:${at.toISOString()}`, { openid, at: at.toISOString() });
      } else {
        const follows = event?.event === 'subscribe' || !f.subscribed;
        if (follows && (event?.event === 'subscribe' || !f.followedAt)) {
          f.subscribed = true;
          f.followedAt = at;
          f.unfollowedAt = null;
          // A follow from a touchpoint's code is that touchpoint's follower (the latest follow wins).
          if (event?.event === 'subscribe') {
            f.touchpointId = touchpointId;
            f.touchpointAt = touchpointId ? at : null;
          }
          await publish(tx, 'follower.followed', `${openid}:${at.toISOString()}`, {
            openid,
            unionid: f.unionid,
            buyerId: f.buyerId,
            touchpointId: event?.event === 'subscribe' ? touchpointId : null,
            at: at.toISOString(),
          });
        }
        // A follower from elsewhere who scans a touchpoint's code is attributed to it from now.
        if (event?.event === 'SCAN' && touchpointId && !f.touchpointId) {
          f.touchpointId = touchpointId;
          f.touchpointAt = at;
        }
        f.subscribed = true;
        f.lastInteractionAt = at;
        await publish(
          tx,
          'follower.messaged',
          `${openid}:${m.createTime}:${event?.event ?? m.msgType}:${'msgId' in m ? String(m.msgId) : ''}`,
          {
            openid,
            at: at.toISOString(),
            ...(touchpointId ? { touchpointId } : {}),
          },
        );
      }
      f.version += 1;
      await repo.save(f);
      await this.publishUpdated(tx, f);
      const said = describe(m);
      if (said) {
        const msgKey = 'msgId' in m && m.msgId ? `in:${String(m.msgId)}` : `in:${openid}:${m.createTime}`;
        await tx
          .createQueryBuilder()
          .insert()
          .into(InboxMessageEntity)
          .values({
            id: msgId(),
            openid,
            direction: 'in',
            msgType: said.type,
            content: said.content,
            msgKey,
            staffId: null,
            at,
          })
          .orIgnore()
          .execute();
      }
      return f;
    });
  }

  /** The shop's answer, kept in the conversation (automatic when staffId is null). */
  async recordOut(openid: string, msgType: string, content: string, staffId: string | null): Promise<InboxMessage> {
    const row: InboxMessageEntity = {
      id: msgId(),
      openid,
      direction: 'out',
      msgType,
      content,
      msgKey: null,
      staffId,
      at: new Date(),
    };
    await this.db.getRepository(InboxMessageEntity).insert(row);
    return inboxView(row);
  }

  /** A staff member's answer: a customer-service message, refused with the reason outside 48 h. */
  async reply(openid: string, text: string, staffId: string): Promise<InboxMessage> {
    const f = await this.get(openid);
    if (!f) throw new NotFoundError('Follower');
    const refuse = () => {
      throw new ConflictError(
        '超过 48 小时未互动，微信不允许发送客服消息 The follower has not written in 48 hours: WeChat refuses customer-service messages (45015)',
        [{ path: 'openid', message: 'outside the 48-hour window' }],
      );
    };
    if (!this.view(f).canReply) refuse();
    const sent = await this.deps.oa().sendText(openid, text);
    if (!sent.ok) {
      if (sent.error.errcode === 45015 || sent.error.errcode === 43004) refuse();
      if (sent.error.errcode === 45047)
        throw new ConflictError('客服消息条数已达上限 Too many customer-service messages in this window (45047)');
      throw new ConflictError(
        `微信拒绝了这条消息 WeChat refused the message (${sent.error.errcode ?? sent.error.kind})`,
      );
    }
    return this.recordOut(openid, 'text', text, staffId);
  }

  async conversation(openid: string, before: string | undefined, limit: number) {
    const where = before ? { openid, id: LessThan(before) } : { openid };
    const rows = await this.db
      .getRepository(InboxMessageEntity)
      .find({ where, order: { at: 'DESC', id: 'DESC' }, take: limit });
    const f = await this.get(openid);
    return { follower: f ? this.view(f) : null, messages: rows.map(inboxView) };
  }

  /** Followers who wrote, latest first: their last message and whether it is still unanswered. */
  async threads(limit: number) {
    const latest = (await this.db.query(
      `SELECT openid, MAX(at) AS last_at FROM oa_inbox_messages GROUP BY openid ORDER BY last_at DESC LIMIT ${Number(limit)}`,
    )) as { openid: string }[];
    const items = [];
    for (const { openid } of latest) {
      const last = await this.db
        .getRepository(InboxMessageEntity)
        .findOne({ where: { openid }, order: { at: 'DESC', id: 'DESC' } });
      const f = await this.get(openid);
      if (!last) continue;
      items.push({
        openid,
        last: inboxView(last),
        canReply: f ? this.view(f).canReply : false,
        unanswered: last.direction === 'in',
      });
    }
    return { items };
  }

  async list(q: { after?: string; limit: number; tagId?: number; subscribed?: 'true' | 'false' }) {
    const qb = this.db.getRepository(FollowerEntity).createQueryBuilder('f');
    if (q.subscribed) qb.andWhere('f.subscribed = :s', { s: q.subscribed === 'true' });
    const total = await qb.getCount();
    if (q.after) qb.andWhere('f.openid > :after', { after: q.after });
    // Tags are a JSON list: filter in memory on a bounded page.
    const rows = await qb
      .orderBy('f.openid', 'ASC')
      .take(q.tagId === undefined ? q.limit + 1 : 5000)
      .getMany();
    const matching = q.tagId === undefined ? rows : rows.filter((r) => r.tagIds.includes(q.tagId!));
    const page = matching.slice(0, q.limit);
    return {
      items: page.map((r) => this.view(r)),
      next: matching.length > q.limit ? page[page.length - 1].openid : null,
      total,
    };
  }

  // ---- full sync -------------------------------------------------------------------------

  async syncStatus(): Promise<FollowerSyncStatus> {
    const s = await this.db.getRepository(FollowerSyncEntity).findOneBy({ id: SYNC_ID });
    return {
      status: s?.status ?? 'IDLE',
      nextOpenid: s?.nextOpenid ?? null,
      fetched: s?.fetched ?? 0,
      total: s?.total ?? null,
      startedAt: s?.startedAt?.toISOString() ?? null,
      finishedAt: s?.finishedAt?.toISOString() ?? null,
      error: s?.error ?? null,
    };
  }

  /**
   * Takes the cursor (one sync at a time, by a conditional update on its lease) and runs
   * pages until the list ends or `maxPages` pages are done. A new sync starts over from the
   * first page; a FAILED or crashed one (its lease passed) continues from its cursor.
   * Returns false when another sync holds the cursor.
   */
  async runSync(opts: { maxPages?: number } = {}): Promise<boolean> {
    const repo = this.db.getRepository(FollowerSyncEntity);
    await repo.createQueryBuilder().insert().values({ id: SYNC_ID, status: 'IDLE', fetched: 0 }).orIgnore().execute();
    const now = new Date();
    const took = await repo
      .createQueryBuilder()
      .update()
      .set({ leaseUntil: new Date(now.getTime() + SYNC_LEASE_MS) })
      .where('id = :id AND (lease_until IS NULL OR lease_until < :now)', { id: SYNC_ID, now })
      .execute();
    if (!took.affected) return false;
    const s = (await repo.findOneBy({ id: SYNC_ID }))!;
    if (s.status !== 'FAILED' && s.status !== 'RUNNING') {
      Object.assign(s, {
        status: 'RUNNING',
        nextOpenid: null,
        fetched: 0,
        total: null,
        startedAt: now,
        finishedAt: null,
      });
    }
    s.status = 'RUNNING';
    s.error = null;
    await repo.save(s);
    try {
      await this.syncTags();
      for (let pages = 0; opts.maxPages === undefined || pages < opts.maxPages; pages++) {
        const page = await this.deps.oa().followerPage(s.nextOpenid ?? undefined);
        if (!page.ok) throw new Error(`user/get: ${page.error.errcode ?? page.error.kind}`);
        const ids = page.value.data?.openid ?? [];
        for (let i = 0; i < ids.length; i += BATCHGET_MAX) await this.syncBatch(ids.slice(i, i + BATCHGET_MAX));
        // The cursor moves only after the whole page is in: a crash re-reads this page (upserts).
        s.fetched += ids.length;
        s.total = page.value.total;
        s.nextOpenid = page.value.next_openid || s.nextOpenid;
        const done = ids.length === 0 || s.fetched >= page.value.total;
        if (done) Object.assign(s, { status: 'DONE', finishedAt: new Date() });
        s.leaseUntil = done ? null : new Date(Date.now() + SYNC_LEASE_MS);
        await repo.save(s);
        if (done) return true;
      }
      s.leaseUntil = null;
      await repo.save(s);
      return true;
    } catch (err) {
      Object.assign(s, { status: 'FAILED', error: String((err as Error).message).slice(0, 200), leaseUntil: null });
      await repo.save(s);
      this.deps.log.warn({ err: (err as Error).message }, 'follower sync stopped; it resumes from its cursor');
      return true;
    }
  }

  /**
   * One batchget of up to 100 in one transaction: new followers inserted together, changed
   * ones updated, each change published (`follower.followed` for a follow we had not seen,
   * `follower.updated` always). Re-reading a batch changes nothing (no event either).
   */
  private async syncBatch(openids: string[]): Promise<void> {
    const got = await batchFollowerInfo(this.deps.oa().client, openids);
    if (!got.ok) throw new Error(`user/info/batchget: ${got.error.errcode ?? got.error.kind}`);
    const users = got.value.user_info_list;
    const unionids = users.map((u) => u.unionid).filter((u): u is string => !!u);
    const buyers = unionids.length ? await this.deps.buyers.idsByUnionid(unionids) : new Map<string, string>();
    await withTx(this.db, noTx, async ({ tx }) => {
      const repo = tx.getRepository(FollowerEntity);
      const existing = new Map(
        (await repo.findBy({ openid: In(users.map((u) => u.openid)) })).map((f) => [f.openid, f] as const),
      );
      const fresh: FollowerEntity[] = [];
      const changed: FollowerEntity[] = [];
      const followed: FollowerEntity[] = [];
      for (const u of users) {
        const old = existing.get(u.openid);
        const f =
          old ??
          repo.create({
            openid: u.openid,
            tagIds: [],
            subscribed: false,
            version: 0,
            unionid: null,
            buyerId: null,
            city: null,
            followedAt: null,
            unfollowedAt: null,
            touchpointId: null,
            lastInteractionAt: null,
          });
        const before = old ? JSON.stringify(this.view(f, 0)) : '';
        const wasFollowing = f.subscribed && !!f.followedAt;
        f.subscribed = u.subscribe === 1;
        if (u.subscribe === 1) {
          f.followedAt ??= u.subscribe_time ? new Date(u.subscribe_time * 1000) : new Date();
          f.unionid = u.unionid ?? f.unionid;
          f.buyerId ??= (u.unionid && buyers.get(u.unionid)) || null;
          f.tagIds = u.tagid_list ?? f.tagIds;
          f.city = u.city || f.city;
        }
        if (old && JSON.stringify(this.view(f, 0)) === before) continue;
        f.version += 1;
        (old ? changed : fresh).push(f);
        if (!wasFollowing && f.subscribed) followed.push(f);
      }
      if (fresh.length) await repo.createQueryBuilder().insert().values(fresh).orIgnore().execute();
      for (const f of changed) await repo.save(f);
      for (const f of followed)
        await publish(tx, 'follower.followed', `${f.openid}:${f.followedAt!.toISOString()}`, {
          openid: f.openid,
          unionid: f.unionid,
          buyerId: f.buyerId,
          touchpointId: null,
          at: f.followedAt!.toISOString(),
        });
      for (const f of [...fresh, ...changed]) await this.publishUpdated(tx, f);
    });
  }

  // ---- tags ------------------------------------------------------------------------------

  async tags(): Promise<FollowerTag[]> {
    await this.syncTags();
    return (await this.db.getRepository(FollowerTagEntity).find({ order: { id: 'ASC' } })).map((t) => ({ ...t }));
  }

  /** The mirror takes WeChat's list (names, counts); tags gone there go here too. */
  async syncTags(): Promise<void> {
    const got = await this.deps.oa().listTags();
    if (!got.ok) throw new Error(`tags/get: ${got.error.errcode ?? got.error.kind}`);
    const repo = this.db.getRepository(FollowerTagEntity);
    await repo.save(got.value.tags.map((t) => ({ id: t.id, name: t.name, count: t.count })));
    const ids = got.value.tags.map((t) => t.id);
    if (ids.length) await repo.createQueryBuilder().delete().where('id NOT IN (:...ids)', { ids }).execute();
  }

  async createTag(name: string): Promise<FollowerTag> {
    const got = await this.deps.oa().createTag(name);
    if (!got.ok) throw tagError(got.error.errcode);
    const tag = { id: got.value.tag.id, name: got.value.tag.name, count: 0 };
    await this.db.getRepository(FollowerTagEntity).save(tag);
    return tag;
  }

  async renameTag(id: number, name: string): Promise<FollowerTag> {
    const got = await renameTag(this.deps.oa().client, id, name);
    if (!got.ok) throw tagError(got.error.errcode);
    const repo = this.db.getRepository(FollowerTagEntity);
    const t = (await repo.findOneBy({ id })) ?? { id, name, count: 0 };
    t.name = name;
    await repo.save(t);
    return { ...t };
  }

  /** Deletes the tag on WeChat, then from the mirror and from every follower carrying it. */
  async deleteTag(id: number): Promise<{ deleted: boolean; untagged: number }> {
    const got = await deleteTag(this.deps.oa().client, id);
    if (!got.ok) throw tagError(got.error.errcode);
    await this.db.getRepository(FollowerTagEntity).delete({ id });
    let untagged = 0;
    // tag_ids is JSON text: narrow by text, then check the list itself.
    for (let after = ''; ;) {
      const rows = await this.db
        .getRepository(FollowerEntity)
        .createQueryBuilder('f')
        .where('f.openid > :after AND f.tag_ids LIKE :like', { after, like: `%${id}%` })
        .orderBy('f.openid', 'ASC')
        .take(500)
        .getMany();
      if (!rows.length) break;
      after = rows[rows.length - 1].openid;
      await withTx(this.db, noTx, async ({ tx }) => {
        for (const f of rows) {
          if (!f.tagIds.includes(id)) continue;
          f.tagIds = f.tagIds.filter((t) => t !== id);
          f.version += 1;
          untagged++;
          await tx.getRepository(FollowerEntity).save(f);
          await this.publishUpdated(tx, f);
        }
      });
    }
    return { deleted: true, untagged };
  }

  /** Tags (or untags) followers on WeChat 50 at a time, then in the mirror. */
  async setTag(id: number, openids: string[], add: boolean): Promise<{ changed: number; batches: number }> {
    const unique = [...new Set(openids)];
    let batches = 0;
    let changed = 0;
    for (let i = 0; i < unique.length; i += TAGGING_BATCH) {
      const chunk = unique.slice(i, i + TAGGING_BATCH);
      const oa = this.deps.oa();
      const got = add ? await oa.tagFollowers(id, chunk) : await oa.untagFollowers(id, chunk);
      if (!got.ok) throw tagError(got.error.errcode, changed);
      batches++;
      await withTx(this.db, noTx, async ({ tx }) => {
        const rows = await tx.getRepository(FollowerEntity).findBy({ openid: In(chunk) });
        for (const f of rows) {
          const has = f.tagIds.includes(id);
          if (has === add) continue;
          f.tagIds = add ? [...f.tagIds, id] : f.tagIds.filter((t) => t !== id);
          f.version += 1;
          changed++;
          await tx.getRepository(FollowerEntity).save(f);
          await this.publishUpdated(tx, f);
        }
      });
    }
    return { changed, batches };
  }

  // ---- internals -------------------------------------------------------------------------

  private async profile(openid: string): Promise<(FollowerInfo & { city?: string }) | null> {
    const got = await this.deps.oa().followerInfo(openid);
    if (!got.ok) {
      this.deps.log.warn({ errcode: got.error.errcode }, 'follower profile not read');
      return null;
    }
    return got.value.subscribe === 1 ? got.value : null;
  }

  private async ensureRow(tx: EntityManager, openid: string): Promise<void> {
    try {
      await tx
        .createQueryBuilder()
        .insert()
        .into(FollowerEntity)
        .values({ openid, tagIds: [], subscribed: false, version: 0 })
        .orIgnore()
        .execute();
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  private async publishUpdated(tx: EntityManager, f: FollowerEntity): Promise<void> {
    await publish(tx, 'follower.updated', `${f.openid}:${f.version}`, {
      openid: f.openid,
      unionid: f.unionid,
      buyerId: f.buyerId,
      city: f.city,
      tagIds: f.tagIds,
      followedAt: f.subscribed ? (f.followedAt?.toISOString() ?? null) : null,
    });
  }

  /** Followers who follow now, in openid order after `after` (for the read models). */
  async following(after: string | null, limit: number): Promise<FollowerEntity[]> {
    return this.db.getRepository(FollowerEntity).find({
      where: { subscribed: true, ...(after ? { openid: MoreThan(after) } : {}) },
      order: { openid: 'ASC' },
      take: limit,
    });
  }
}

function inboxView(r: InboxMessageEntity): InboxMessage {
  return {
    id: r.id,
    openid: r.openid,
    direction: r.direction,
    msgType: r.msgType,
    content: r.content,
    staffId: r.staffId,
    at: r.at.toISOString(),
  };
}

function tagError(errcode: number | null, done = 0): Error {
  const reasons: Record<number, [string, string]> = {
    45157: ['name', '标签名无效或已存在 The tag name is empty or taken'],
    45158: ['name', '标签名最长 30 字节 The tag name is longer than 30 bytes'],
    45056: ['name', '标签已达 100 个上限 The account has 100 tags already'],
    45058: ['id', '系统标签不可修改 System tags cannot be changed'],
    45059: ['openids', '有粉丝的标签已达 20 个上限 A follower already carries 20 tags'],
    45159: ['id', '标签不存在 No such tag'],
    40003: ['openids', '有无效的 openid An openid is not a follower of this account'],
  };
  const r = errcode === null ? undefined : reasons[errcode];
  if (r) {
    const suffix = done ? `（已处理 ${done} done before）` : '';
    return new ValidationError([{ path: r[0], message: `${r[1]} (${errcode})${suffix}` }]);
  }
  return new ConflictError(`微信拒绝了标签操作 WeChat refused the tag change (${errcode ?? 'network'})`);
}
