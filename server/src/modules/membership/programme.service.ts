/**
 * The membership programme the owner sets: one row per shop, read through a short cache (every
 * checkout and every earning reads it), saved with a version and an audit line.
 */
import { defaultPointsRule, type Programme, type ProgrammeSettings, type LevelView } from '@chatmall/shared';
import type { DataSource } from 'typeorm';
import { insertIgnore } from '../../kernel/dialect';
import { execute } from '../../kernel/sql';
import { withTx, type Ctx } from '../../kernel/tx';
import { recordAudit } from '../auth/audit.service';
import type { StaffPrincipal } from '../auth/principal';
import { MembershipProgrammeEntity } from './membership.entity';

export const PROGRAMME_ID = 'default';

/** What a shop shows before its owner saves a programme: off, with a typical three-level card. */
export const defaultProgramme: ProgrammeSettings = {
  enabled: false,
  levelBasis: 'spend',
  levels: [
    { name: '普通会员', threshold: 0, discountPercent: 0, pointsMultiplierPercent: 100, freeShipping: false },
    { name: '银卡', threshold: 50_000, discountPercent: 2, pointsMultiplierPercent: 120, freeShipping: false },
    { name: '金卡', threshold: 200_000, discountPercent: 5, pointsMultiplierPercent: 150, freeShipping: true },
  ],
  earning: { pointsPerYuan: 1, when: 'paid' },
  pointsRule: defaultPointsRule,
  expiry: { kind: 'end_of_next_year' },
  topUpTiers: [
    { pay: 10_000, bonus: 1_000 },
    { pay: 50_000, bonus: 8_000 },
  ],
};

const TTL_MS = 2_000;

export function levelView(settings: ProgrammeSettings, index: number): LevelView {
  const i = Math.min(Math.max(index, 0), settings.levels.length - 1);
  const l = settings.levels[i];
  return {
    index: i,
    name: l.name,
    discountPercent: l.discountPercent,
    pointsMultiplierPercent: l.pointsMultiplierPercent,
    freeShipping: l.freeShipping,
    threshold: l.threshold,
  };
}

/** The highest level whose threshold the measure reaches. */
export function levelFor(settings: ProgrammeSettings, spendTotal: number, growth: number): number {
  const measure = settings.levelBasis === 'spend' ? spendTotal : growth;
  let index = 0;
  settings.levels.forEach((l, i) => {
    if (measure >= l.threshold) index = i;
  });
  return index;
}

/**
 * When points earned at `at` expire under the rule: the end of the next calendar year in
 * China time (earned in 2026 → 2028-01-01 00:00 +08:00), or never.
 */
export function expiryFor(settings: ProgrammeSettings, at: Date): Date | null {
  if (settings.expiry.kind === 'never') return null;
  const chinaYear = new Date(at.getTime() + 8 * 3600_000).getUTCFullYear();
  return new Date(Date.UTC(chinaYear + 2, 0, 1) - 8 * 3600_000);
}

export class ProgrammeService {
  private cached: { at: number; row: MembershipProgrammeEntity | null } | null = null;

  constructor(private readonly db: DataSource) {}

  private async row(): Promise<MembershipProgrammeEntity | null> {
    if (this.cached && Date.now() - this.cached.at < TTL_MS) return this.cached.row;
    const row = await this.db.getRepository(MembershipProgrammeEntity).findOneBy({ id: PROGRAMME_ID });
    this.cached = { at: Date.now(), row };
    return row;
  }

  async settings(): Promise<ProgrammeSettings> {
    return (await this.row())?.settings ?? defaultProgramme;
  }

  async get(): Promise<Programme> {
    const row = await this.row();
    return {
      settings: row?.settings ?? defaultProgramme,
      version: row?.version ?? null,
      updatedAt: row?.updatedAt.toISOString() ?? null,
    };
  }

  async save(ctx: Ctx, actor: StaffPrincipal, settings: ProgrammeSettings): Promise<Programme> {
    await withTx(this.db, ctx, async ({ tx }) => {
      await execute(
        tx,
        `${insertIgnore(tx)} INTO membership_programmes (id, settings, version, card_id) VALUES (?, ?, 0, NULL)`,
        [PROGRAMME_ID, JSON.stringify(defaultProgramme)],
      );
      await execute(
        tx,
        'UPDATE membership_programmes SET settings = ?, version = version + 1, updated_at = ? WHERE id = ?',
        [JSON.stringify(settings), new Date(), PROGRAMME_ID],
      );
      await recordAudit(tx, actor, 'membership.programme.save', 'membership_programme', PROGRAMME_ID, {
        levels: settings.levels.map((l) => l.name),
        enabled: settings.enabled,
      });
    });
    this.cached = null;
    return this.get();
  }

  /** The shop's card class, once made. */
  async cardId(): Promise<string | null> {
    const row = await this.db.getRepository(MembershipProgrammeEntity).findOneBy({ id: PROGRAMME_ID });
    return row?.cardId ?? null;
  }

  /** Records the card class made for the shop; false when another process recorded one first. */
  async recordCardId(cardId: string): Promise<boolean> {
    await execute(
      this.db.manager,
      `${insertIgnore(this.db.manager)} INTO membership_programmes (id, settings, version, card_id) VALUES (?, ?, 0, NULL)`,
      [PROGRAMME_ID, JSON.stringify(defaultProgramme)],
    );
    const set = await execute(
      this.db.manager,
      'UPDATE membership_programmes SET card_id = ? WHERE id = ? AND card_id IS NULL',
      [cardId, PROGRAMME_ID],
    );
    this.cached = null;
    return set === 1;
  }
}
