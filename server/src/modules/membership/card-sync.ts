/**
 * The WeChat member card kept in step with the ledgers (WECHAT-PROTOCOL.md §5,
 * WECHAT-MARKETING.md §8). The card class is made once per shop (`card/create`, its id kept on
 * the programme row). A member takes the card with `wx.addCard` (cardExt `outer_str` = their
 * member number), WeChat pushes `user_get_card`, we record the code and activate it with the
 * current points and balance. Every ledger entry then queues one sync job, id `card-sync-<entry>`,
 * that sends the member's absolute points and balance (`bonus` / `balance`, never deltas) with the
 * entry's record text: a retry after a WeChat error, or jobs run out of order, cannot apply a
 * change twice or leave an older value. WeChat errors throw, and BullMQ retries with backoff.
 */
import type { Job, Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { Logger } from '../../kernel/logger';
import type { Redis } from '../../kernel/redis';
import { execute } from '../../kernel/sql';
import type { WechatClient } from '../../wechat/api/client';
import { cardExtFor } from '../../wechat/cards/card-ext';
import { MemberCardApi } from '../../wechat/cards/member-cards';
import type { MessageHandlers } from '../../wechat/oa/handlers';
import type { CardEvent } from '../../wechat/oa/messages';
import { MemberEntity, PointsEntryEntity, WalletEntryEntity } from './membership.entity';
import { levelView, type ProgrammeService } from './programme.service';

export interface CardSyncJob {
  memberId: string;
  entryId?: string;
}

export class CardSyncService {
  private cards: MemberCardApi | undefined;

  constructor(
    private readonly deps: {
      db: DataSource;
      programme: ProgrammeService;
      /** The official account's API client: cards belong to the OA's AppId. */
      oaClient: () => WechatClient;
      queue: () => Queue;
      /** Makes the one-time card/create one process's job. */
      redis: Pick<Redis, 'set' | 'del' | 'get'>;
      shopName: () => Promise<string>;
      log: Logger;
    },
  ) {}

  private get api(): MemberCardApi {
    this.cards ??= new MemberCardApi(this.deps.oaClient());
    return this.cards;
  }

  /**
   * The shop's card class, made on first need by one process at a time (a Redis lock; the
   * others wait for the id it records). Should the lock lapse mid-way, the first id recorded
   * stays the shop's (a conditional update).
   */
  async cardClass(): Promise<string> {
    const existing = await this.deps.programme.cardId();
    if (existing) return existing;
    const lock = 'membership:{card-class}:lock';
    if (!(await this.deps.redis.set(lock, '1', 'PX', 30_000, 'NX'))) {
      for (let i = 0; i < 50; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const made = await this.deps.programme.cardId();
        if (made) return made;
      }
      throw new Error('the member card class is being created by another process');
    }
    try {
      return await this.createCardClass();
    } finally {
      await this.deps.redis.del(lock);
    }
  }

  private async createCardClass(): Promise<string> {
    const settings = await this.deps.programme.settings();
    const brand = (await this.deps.shopName()).slice(0, 12);
    const made = await this.api.create({
      brandName: brand,
      title: '会员卡',
      logoUrl: 'https://mmbiz.qpic.cn/chatmall/logo.png',
      color: 'Color010',
      notice: '出示会员码享会员权益',
      description: settings.levels
        .map((l) => `${l.name}${l.discountPercent ? ` ${100 - l.discountPercent}折` : ''}`)
        .join('，'),
      prerogative: '积分抵现、储值赠送、会员折扣',
      quantity: 100_000_000,
      supplyBonus: true,
      supplyBalance: true,
      customFields: [{ name: '等级' }],
    });
    if (!made.ok) throw new Error(`card/create failed: ${made.error.errcode ?? made.error.kind}`);
    await this.deps.programme.recordCardId(made.value.card_id);
    return (await this.deps.programme.cardId()) ?? made.value.card_id;
  }

  /** After commit: one job per ledger entry (its id from the entry, so a repeat queues nothing). */
  async entryApplied(memberId: string, entryId: string): Promise<void> {
    try {
      const m = await this.deps.db.getRepository(MemberEntity).findOneBy({ id: memberId });
      if (!m || m.cardStatus !== 'ACTIVE') return; // activation sends the values then current
      await this.deps.queue().add('card-sync', { memberId, entryId } satisfies CardSyncJob, {
        jobId: `card-sync-${entryId}`,
      });
    } catch (err) {
      // The change is committed; the card catches up with the member's next change.
      this.deps.log.warn({ err: (err as Error).message, entryId }, 'member card sync not queued');
    }
  }

  /**
   * What the mini-program's `wx.addCard` needs: the shop's card and a signed cardExt whose
   * outer_str is the member's number (echoed in user_get_card, so the card finds its member).
   */
  async addCardParams(
    buyerId: string,
  ): Promise<{ cardId: string; cardExt: string; outerStr: string; status: MemberEntity['cardStatus'] } | null> {
    const m = await this.deps.db.getRepository(MemberEntity).findOneBy({ buyerId });
    if (!m) return null;
    const cardId = await this.cardClass();
    const { cardExt } = cardExtFor({ apiTicket: await this.apiTicket(), cardId, outerStr: m.memberNo });
    return { cardId, cardExt, outerStr: m.memberNo, status: m.cardStatus };
  }

  /** The card api_ticket, shared by every process through Redis until 5 minutes before it lapses. */
  private async apiTicket(): Promise<string> {
    const key = 'membership:{card-ticket}';
    const cached = await this.deps.redis.get(key);
    if (cached) return cached;
    const got = await this.api.apiTicket();
    if (!got.ok) throw new Error(`card api_ticket failed: ${got.error.errcode ?? got.error.kind}`);
    const ttl = Math.max(60, (got.value.expires_in ?? 7200) - 300);
    await this.deps.redis.set(key, got.value.ticket, 'EX', ttl);
    return got.value.ticket;
  }

  /** The OA endpoint's card events: take, fill in the activation form, delete. */
  register(handlers: MessageHandlers): void {
    handlers.onEvent('user_get_card', async (e) => void (await this.onTaken(e as CardEvent)));
    handlers.onEvent('submit_membercard_user_info', async (e) => void (await this.onTaken(e as CardEvent)));
    handlers.onEvent('user_del_card', async (e) => void (await this.onDeleted(e as CardEvent)));
  }

  private async isOurs(cardId: string): Promise<boolean> {
    return (await this.deps.programme.cardId()) === cardId;
  }

  /** The member a card event is about: by the card's code, else by `OuterStr` (their member number). */
  private async memberOf(e: CardEvent): Promise<MemberEntity | null> {
    const repo = this.deps.db.getRepository(MemberEntity);
    if (e.userCardCode) {
      const byCode = await repo.findOneBy({ cardCode: e.userCardCode });
      if (byCode) return byCode;
    }
    return e.outerStr && /^\d{10}$/.test(e.outerStr) ? repo.findOneBy({ memberNo: e.outerStr }) : null;
  }

  /** Records the member's card code and queues its activation (job id: member and code). */
  async onTaken(e: CardEvent): Promise<boolean> {
    if (!e.userCardCode || !(await this.isOurs(e.cardId))) return false;
    const m = await this.memberOf(e);
    if (!m) {
      this.deps.log.warn({ event: e.event }, 'a member card was taken by someone who is not a member');
      return false;
    }
    await execute(
      this.deps.db.manager,
      "UPDATE members SET card_code = ?, card_status = 'NONE' WHERE id = ? AND (card_code IS NULL OR card_code <> ?)",
      [e.userCardCode, m.id, e.userCardCode],
    );
    await this.deps.queue().add('card-activate', { memberId: m.id } satisfies CardSyncJob, {
      jobId: `card-activate-${m.id}-${e.userCardCode}`,
    });
    return true;
  }

  async onDeleted(e: CardEvent): Promise<boolean> {
    if (!e.userCardCode || !(await this.isOurs(e.cardId))) return false;
    const changed = await execute(
      this.deps.db.manager,
      "UPDATE members SET card_status = 'REMOVED' WHERE card_code = ?",
      [e.userCardCode],
    );
    return changed > 0;
  }

  /** The worker's side: activation, and the sync of one entry. */
  async process(job: Job<CardSyncJob>): Promise<unknown> {
    const m = await this.deps.db.getRepository(MemberEntity).findOneBy({ id: job.data.memberId });
    if (!m || !m.cardCode) return { skipped: 'no card' };
    const cardId = await this.cardClass();
    const settings = await this.deps.programme.settings();
    const level = levelView(settings, m.levelIndex).name.slice(0, 4);
    const balance = m.balancePrincipal + m.balanceBonus;
    if (job.name === 'card-activate') {
      const r = await this.api.activate({
        cardId,
        code: m.cardCode,
        membershipNumber: m.memberNo,
        initBonus: m.points,
        initBalanceFen: balance,
        initCustomFields: { 1: level },
      });
      if (!r.ok) throw new Error(`card activate failed: ${r.error.errcode ?? r.error.kind}`);
      await execute(this.deps.db.manager, "UPDATE members SET card_status = 'ACTIVE' WHERE id = ? AND card_code = ?", [
        m.id,
        m.cardCode,
      ]);
      // Changes made while it was activating: one more sync brings the card to the latest values.
      await this.deps.queue().add('card-sync', { memberId: m.id } satisfies CardSyncJob, {
        jobId: `card-sync-activated-${m.id}-${m.cardCode}`,
      });
      return { activated: true };
    }
    if (m.cardStatus !== 'ACTIVE') return { skipped: m.cardStatus };
    const record = await this.recordOf(job.data.entryId);
    const r = await this.api.updateHolder({
      cardId,
      code: m.cardCode,
      points: { setTo: m.points },
      balanceFen: { setTo: balance },
      customFields: { 1: level },
      reason: record ?? '会员信息更新',
    });
    if (!r.ok) throw new Error(`card updateuser failed: ${r.error.errcode ?? r.error.kind}`);
    return { bonus: r.value.result_bonus, balance: r.value.result_balance };
  }

  private async recordOf(entryId: string | undefined): Promise<string | null> {
    if (!entryId) return null;
    const p = await this.deps.db.getRepository(PointsEntryEntity).findOneBy({ id: entryId });
    if (p) return p.record;
    const w = await this.deps.db.getRepository(WalletEntryEntity).findOneBy({ id: entryId });
    return w?.record ?? null;
  }
}
