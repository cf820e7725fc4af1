/**
 * Members: joining (phone number through the mini-program's phone-number code), the member
 * centre's view, the console's list and detail. One member per buyer (unique index).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { newId, type Member, type MemberPage, type MyMembership, type ProgrammeSettings } from '@chatmall/shared';
import type { DataSource } from 'typeorm';
import { isDuplicateKey } from '../../kernel/dialect';
import { ConflictError, DependencyUnavailableError, NotFoundError, ValidationError } from '../../kernel/errors';
import type { Ctx } from '../../kernel/tx';
import { withTx } from '../../kernel/tx';
import type { PhoneInfo } from '../../wechat/miniprogram/phone-number';
import type { WechatResult } from '../../wechat/api/errors';
import { MemberEntity } from './membership.entity';
import { levelFor, levelView, type ProgrammeService } from './programme.service';

export const maskPhone = (phone: string) => (phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****');

export interface MemberDeps {
  programme: ProgrammeService;
  openidOf(buyerId: string): Promise<string | null>;
  phoneNumber(code: string, openid: string): Promise<WechatResult<PhoneInfo>>;
  /** Called after a member row is made (card activation is queued there). */
  joined?(member: MemberEntity): Promise<void>;
}

export function memberView(m: MemberEntity, settings: ProgrammeSettings, opts: { fullPhone?: boolean } = {}): Member {
  const level = levelView(settings, m.levelIndex);
  const next = settings.levels[level.index + 1];
  const measure = settings.levelBasis === 'spend' ? m.spendTotal : m.growth;
  return {
    id: m.id,
    memberNo: m.memberNo,
    buyerId: m.buyerId,
    phone: opts.fullPhone ? m.phone : maskPhone(m.phone),
    name: m.name,
    level,
    nextLevel: next
      ? { name: next.name, threshold: next.threshold, missing: Math.max(0, next.threshold - measure) }
      : null,
    levelBasis: settings.levelBasis,
    spendTotal: m.spendTotal,
    growth: m.growth,
    points: m.points,
    balance: { total: m.balancePrincipal + m.balanceBonus, principal: m.balancePrincipal, bonus: m.balanceBonus },
    joinedAt: m.joinedAt.toISOString(),
    card: { status: m.cardStatus },
  };
}

export class MemberService {
  constructor(
    private readonly db: DataSource,
    private readonly deps: MemberDeps,
  ) {}

  async byBuyer(buyerId: string): Promise<MemberEntity | null> {
    return this.db.getRepository(MemberEntity).findOneBy({ buyerId });
  }

  async byId(id: string): Promise<MemberEntity | null> {
    return this.db.getRepository(MemberEntity).findOneBy({ id });
  }

  async byMemberNo(memberNo: string): Promise<MemberEntity | null> {
    return this.db.getRepository(MemberEntity).findOneBy({ memberNo });
  }

  async mine(buyerId: string): Promise<MyMembership> {
    const settings = await this.deps.programme.settings();
    const m = await this.byBuyer(buyerId);
    return { member: m ? memberView(m, settings) : null, programmeEnabled: settings.enabled };
  }

  async view(id: string, opts: { fullPhone?: boolean } = {}): Promise<Member> {
    const m = await this.byId(id);
    if (!m) throw new NotFoundError('Member');
    return memberView(m, await this.deps.programme.settings(), opts);
  }

  /**
   * Joins the buyer: the phone number from the phone-number code (checked against the buyer's
   * openid), a member number, the first level. Joining twice answers the existing member.
   */
  async join(ctx: Ctx, buyerId: string, req: { phoneCode: string; name?: string }): Promise<Member> {
    const settings = await this.deps.programme.settings();
    const existing = await this.byBuyer(buyerId);
    if (existing) return memberView(existing, settings);
    if (!settings.enabled) throw new ConflictError('会员计划未开启 The shop runs no membership programme.');
    const openid = await this.deps.openidOf(buyerId);
    if (!openid) throw new NotFoundError('Buyer');
    const phone = await this.deps.phoneNumber(req.phoneCode, openid);
    if (!phone.ok) {
      if (phone.error.errcode === 40029 || phone.error.errcode === 40163 || phone.error.errcode === 40013)
        throw new ValidationError([
          { path: 'body.phoneCode', message: '手机号授权已失效，请重试 expired or already used' },
        ]);
      throw new DependencyUnavailableError('wechat');
    }
    const number =
      phone.value.countryCode && phone.value.countryCode !== '86'
        ? phone.value.phoneNumber
        : phone.value.purePhoneNumber;
    let made: MemberEntity | null = null;
    for (let attempt = 0; attempt < 5 && !made; attempt++) {
      const row: Partial<MemberEntity> = {
        id: newId('member'),
        buyerId,
        memberNo: String(randomInt(1_000_000_000, 9_999_999_999)),
        phone: number.slice(0, 24),
        name: req.name ?? null,
        levelIndex: levelFor(settings, 0, 0),
        codeSecret: randomBytes(32).toString('hex'),
        cardStatus: 'NONE',
      };
      try {
        await withTx(this.db, ctx, async ({ tx }) => void (await tx.getRepository(MemberEntity).insert(row)));
        made = await this.byBuyer(buyerId);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const raced = await this.byBuyer(buyerId);
        if (raced) return memberView(raced, settings); // a second tap joined first
        // else the member number was taken: draw another
      }
    }
    if (!made) throw new Error('could not draw a free member number');
    await this.deps.joined?.(made);
    return memberView(made, settings);
  }

  async list(q: { q?: string; level?: number; cursor?: string; limit: number }): Promise<MemberPage> {
    const settings = await this.deps.programme.settings();
    const qb = this.db
      .getRepository(MemberEntity)
      .createQueryBuilder('m')
      .orderBy('m.id', 'DESC')
      .take(q.limit + 1);
    if (q.cursor) qb.andWhere('m.id < :cursor', { cursor: q.cursor });
    if (q.level !== undefined) qb.andWhere('m.level_index = :level', { level: q.level });
    if (q.q) {
      const digits = q.q.replace(/\D/g, '');
      if (digits.length >= 4 && digits.length === q.q.replace(/\s/g, '').length)
        qb.andWhere('(m.phone LIKE :phone OR m.member_no = :no)', { phone: `%${digits}%`, no: digits });
      else qb.andWhere('m.name LIKE :name', { name: `%${q.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%` });
    }
    const rows = await qb.getMany();
    const items = rows.slice(0, q.limit).map((m) => memberView(m, settings));
    return { items, nextCursor: rows.length > q.limit ? rows[q.limit - 1].id : null };
  }
}
