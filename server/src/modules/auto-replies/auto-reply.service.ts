/**
 * What the official account answers by itself: keyword rules (exact, contains, regular
 * expression; by priority), the welcome for new followers (the shop's, or the touchpoint's
 * they scanned, optionally with a coupon), and a default reply. It runs inside WeChat's
 * 5-second rule: the endpoint answers `success` at its deadline and a reply that comes later
 * goes out as a customer-service message (wechat/oa/endpoint.ts).
 */
import { randomBytes } from 'node:crypto';
import { touchpointOfScene, type AutoReplyContent, type KeywordRule } from '@chatmall/shared';
import type { z } from 'zod';
import type { DataSource } from 'typeorm';
import type { KeywordRuleInput, WelcomeInput } from '@chatmall/shared';
import { NotFoundError, ValidationError } from '../../kernel/errors';
import type { Logger } from '../../kernel/logger';
import { noTx, type Ctx } from '../../kernel/tx';
import type { OfficialAccountApi } from '../../wechat/api/official-account';
import type { InboundMessage } from '../../wechat/oa/messages';
import type { Reply } from '../../wechat/oa/replies';
import type { IssueRequest, IssueResult } from '../coupons/coupon.service';
import { KeywordRuleEntity, ReplySettingEntity } from './auto-reply.entity';

/** What the auto-replies need of the followers module (through its service). */
export interface FollowerPort {
  record(m: InboundMessage): Promise<{ openid: string; buyerId: string | null; touchpointId: string | null }>;
  recordOut(openid: string, msgType: string, content: string, staffId: string | null): Promise<unknown>;
}
/** The coupons module's issue(), for welcome coupons. */
export interface CouponIssuePort {
  issue(ctx: Ctx, req: IssueRequest): Promise<IssueResult>;
}

export interface WelcomeSetting {
  reply: AutoReplyContent;
  couponTemplateId: string | null;
}

/** Events that are the follower acting (they open the customer-service window). */
const USER_EVENTS = new Set(['subscribe', 'unsubscribe', 'SCAN', 'CLICK', 'VIEW', 'LOCATION', 'view_miniprogram']);
const ruleId = () => `arr_${Date.now().toString(36)}${randomBytes(6).toString('hex')}`;
const welcomeKey = (touchpointId: string | null) => `welcome:${touchpointId ?? 'shop'}`;

/** Does a rule match this text? Case-insensitive; `contains` and `regex` anywhere in it. */
export function ruleMatches(rule: Pick<KeywordRule, 'match' | 'pattern'>, text: string): boolean {
  const t = text.trim();
  switch (rule.match) {
    case 'exact':
      return t.toLowerCase() === rule.pattern.trim().toLowerCase();
    case 'contains':
      return t.toLowerCase().includes(rule.pattern.toLowerCase());
    case 'regex':
      try {
        return new RegExp(rule.pattern, 'iu').test(t);
      } catch {
        return false;
      }
  }
}

export class AutoReplyService {
  private rulesCache: { at: number; rules: KeywordRuleEntity[] } | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly deps: {
      followers: FollowerPort;
      coupons: CouponIssuePort;
      oa: () => OfficialAccountApi;
      /** The configured welcome (WECHAT_OA_WELCOME with the shop's name) when none is set here. */
      fallbackWelcome: () => Promise<string>;
      log: Logger;
    },
  ) {}

  // ---- the push path ---------------------------------------------------------------------

  /** The answer to a push: records the follower first, then welcome / rule / default. */
  async answer(m: InboundMessage): Promise<Reply | undefined> {
    // Receipts (TEMPLATESENDJOBFINISH, card events…) are not the follower talking.
    if (m.msgType === 'event' && !USER_EVENTS.has((m as unknown as { event: string }).event)) return undefined;
    const follower = await this.deps.followers.record(m);
    if (m.msgType === 'event') {
      const event = (m as unknown as { event: string }).event;
      if (event !== 'subscribe' && event !== 'SCAN') return undefined;
      // A follower scanning a touchpoint's code gets that touchpoint's welcome (they are at
      // the table now); a scan of any other code is left to other handlers.
      const scanned = touchpointOfScene((m as unknown as { scene?: string }).scene);
      if (event === 'SCAN' && !scanned) return undefined;
      return this.welcome(follower, event === 'subscribe' ? follower.touchpointId : scanned);
    }
    if (m.msgType !== 'text') return this.out(m.fromUserName, await this.setting<AutoReplyContent>('default'));
    const text = String((m as unknown as { content?: string }).content ?? '');
    const rule = (await this.rules()).find((r) => r.enabled && ruleMatches(r, text));
    return this.out(m.fromUserName, rule ? rule.reply : await this.setting<AutoReplyContent>('default'));
  }

  private async welcome(
    follower: { openid: string; buyerId: string | null },
    touchpointId: string | null,
  ): Promise<Reply | undefined> {
    const own = touchpointId ? await this.setting<WelcomeSetting>(welcomeKey(touchpointId)) : null;
    const w = own ?? (await this.setting<WelcomeSetting>(welcomeKey(null)));
    const content: AutoReplyContent = w?.reply ?? { type: 'text', text: await this.deps.fallbackWelcome() };
    let extra = '';
    if (w?.couponTemplateId && follower.buyerId) {
      const issued = await this.deps.coupons.issue(noTx, {
        templateId: w.couponTemplateId,
        buyerId: follower.buyerId,
        source: 'welcome',
        // One welcome gift of a template per buyer, however often they follow again.
        sourceRef: `${w.couponTemplateId}:${follower.buyerId}`,
      });
      if (issued.ok && !issued.duplicate)
        extra = `\n🎁 已送您一张优惠券「${issued.coupon.title}」，在小程序“我的优惠券”里查看。`;
      else if (!issued.ok) this.deps.log.info({ reason: issued.reason }, 'welcome coupon not issued');
    }
    const reply: AutoReplyContent =
      content.type === 'text' && extra ? { ...content, text: content.text + extra } : content;
    return this.out(follower.openid, reply);
  }

  /** The reply as WeChat takes it, kept in the inbox; a mini-program card goes as a customer-service message. */
  private async out(openid: string, content: AutoReplyContent | null): Promise<Reply | undefined> {
    if (!content) return undefined;
    switch (content.type) {
      case 'text':
        await this.deps.followers.recordOut(openid, 'text', content.text, null);
        return { type: 'text', content: content.text };
      case 'image':
        await this.deps.followers.recordOut(openid, 'image', `[图片 image] ${content.mediaId}`, null);
        return { type: 'image', mediaId: content.mediaId };
      case 'news':
        await this.deps.followers.recordOut(openid, 'news', content.articles.map((a) => a.title).join(' / '), null);
        return {
          type: 'news',
          articles: content.articles.map((a) => ({
            title: a.title,
            description: a.description,
            picUrl: a.picUrl,
            url: a.url,
          })),
        };
      case 'miniprogram': {
        // Passive replies cannot carry a mini-program card (WeChat's reply types): send it.
        const sent = await this.deps.oa().sendCustomerMessage({
          touser: openid,
          msgtype: 'miniprogrampage',
          miniprogrampage: {
            title: content.title,
            appid: this.deps.oa().client.appId,
            pagepath: content.pagePath,
            thumb_media_id: content.thumbMediaId,
          },
        });
        if (sent.ok)
          await this.deps.followers.recordOut(
            openid,
            'miniprogrampage',
            `[小程序 mini program] ${content.title}`,
            null,
          );
        else this.deps.log.warn({ errcode: sent.error.errcode }, 'mini-program card not sent');
        return undefined;
      }
    }
  }

  // ---- console ---------------------------------------------------------------------------

  private async rules(): Promise<KeywordRuleEntity[]> {
    // Read at most once a second: a burst of messages does not each read the table.
    if (this.rulesCache && Date.now() - this.rulesCache.at < 1000) return this.rulesCache.rules;
    const rules = await this.db
      .getRepository(KeywordRuleEntity)
      .find({ order: { priority: 'DESC', createdAt: 'ASC', id: 'ASC' } });
    this.rulesCache = { at: Date.now(), rules };
    return rules;
  }

  async listRules(): Promise<{ items: KeywordRule[] }> {
    this.rulesCache = null;
    return { items: (await this.rules()).map(ruleView) };
  }

  async createRule(input: z.output<typeof KeywordRuleInput>): Promise<KeywordRule> {
    const row = this.db.getRepository(KeywordRuleEntity).create({ id: ruleId(), ...input });
    await this.db.getRepository(KeywordRuleEntity).insert(row);
    this.rulesCache = null;
    return ruleView((await this.db.getRepository(KeywordRuleEntity).findOneByOrFail({ id: row.id }))!);
  }

  async updateRule(id: string, input: z.output<typeof KeywordRuleInput>): Promise<KeywordRule> {
    const repo = this.db.getRepository(KeywordRuleEntity);
    const done = await repo.update({ id }, input);
    if (!done.affected) throw new NotFoundError('Keyword rule');
    this.rulesCache = null;
    return ruleView((await repo.findOneByOrFail({ id }))!);
  }

  async deleteRule(id: string): Promise<{ deleted: boolean }> {
    const done = await this.db.getRepository(KeywordRuleEntity).delete({ id });
    this.rulesCache = null;
    return { deleted: !!done.affected };
  }

  async setting<T>(name: string): Promise<T | null> {
    const row = await this.db.getRepository(ReplySettingEntity).findOneBy({ name });
    return row ? (row.value as T) : null;
  }

  async put(name: string, value: unknown): Promise<Date> {
    await this.db.getRepository(ReplySettingEntity).save({ name, value });
    return (await this.db.getRepository(ReplySettingEntity).findOneByOrFail({ name })).updatedAt;
  }

  async setWelcome(touchpointId: string | null, input: z.output<typeof WelcomeInput>) {
    if (input.reply.type === 'miniprogram' && input.couponTemplateId)
      throw new ValidationError([
        { path: 'reply', message: '带优惠券的欢迎语需为文字 a welcome with a coupon is text' },
      ]);
    const at = await this.put(welcomeKey(touchpointId), input);
    return { ...input, touchpointId, updatedAt: at.toISOString() };
  }

  async welcomeOf(touchpointId: string | null) {
    const row = await this.db.getRepository(ReplySettingEntity).findOneBy({ name: welcomeKey(touchpointId) });
    if (!row) return null;
    const w = row.value as WelcomeSetting;
    return { ...w, touchpointId, updatedAt: row.updatedAt.toISOString() };
  }

  async settings() {
    return { welcome: await this.welcomeOf(null), defaultReply: await this.setting<AutoReplyContent>('default') };
  }
}

function ruleView(r: KeywordRuleEntity): KeywordRule {
  return {
    id: r.id,
    name: r.name,
    match: r.match,
    pattern: r.pattern,
    priority: r.priority,
    reply: r.reply,
    enabled: r.enabled,
    createdAt: r.createdAt.toISOString(),
  };
}
