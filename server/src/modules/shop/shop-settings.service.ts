/**
 * The shop's settings (name, logo, service phone, shipping rule), read through one service.
 * Reads go through a short in-process cache: the Pay description, the checkout and the
 * storefront's start-up ask often, the answer changes rarely. A change through `update`
 * clears this process's cache at once; other processes see it when their cache expires.
 */
import { defaultShippingRule, type ShopProfile, type ShopSettings, type ShopSettingsPatch } from '@chatmall/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { insertIgnore, lockForUpdate } from '../../kernel/dialect';
import { ForbiddenError } from '../../kernel/errors';
import { execute } from '../../kernel/sql';
import { withTx, type Ctx } from '../../kernel/tx';
import { recordAudit } from '../auth/audit.service';
import type { StaffPrincipal } from '../auth/principal';
import { ShopSettingsEntity } from './shop-settings.entity';

/** Single-shop today: every setting lives in this one row. */
export const SHOP_ID = 'default';

/** What a shop without a settings row shows (a fresh install before its owner sets anything). */
export const fallbackShop: Omit<ShopSettings, 'updatedAt'> = {
  name: '我的小店',
  nameEn: 'My Shop',
  logo: null,
  servicePhone: null,
  shipping: defaultShippingRule,
  restoreCouponOnFullRefund: true,
};

const DEFAULT_TTL_MS = 5_000;

export interface ShopSettingsOptions {
  /** How long a read is reused; 0 reads the database every time. */
  ttlMs?: number;
  /** The clock, for tests. */
  now?: () => number;
}

const view = (row: ShopSettingsEntity): ShopSettings => ({
  name: row.name,
  nameEn: row.nameEn,
  logo: row.logo,
  servicePhone: row.servicePhone,
  shipping: { flatFee: row.shippingFlatFee, freeOver: row.shippingFreeOver },
  restoreCouponOnFullRefund: Boolean(row.restoreCouponOnFullRefund),
  updatedAt: row.updatedAt.toISOString(),
});

/** The columns a patch changes, named by entity property; fields not named stay out. */
function columnsOf(patch: z.output<typeof ShopSettingsPatch>): Partial<ShopSettingsEntity> {
  const set: Partial<ShopSettingsEntity> = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.nameEn !== undefined) set.nameEn = patch.nameEn;
  if (patch.logo !== undefined) set.logo = patch.logo;
  if (patch.servicePhone !== undefined) set.servicePhone = patch.servicePhone;
  if (patch.shipping?.flatFee !== undefined) set.shippingFlatFee = patch.shipping.flatFee;
  if (patch.shipping?.freeOver !== undefined) set.shippingFreeOver = patch.shipping.freeOver;
  if (patch.restoreCouponOnFullRefund !== undefined) set.restoreCouponOnFullRefund = patch.restoreCouponOnFullRefund;
  return set;
}

export class ShopSettingsService {
  private cached: { value: Promise<ShopSettings>; until: number } | null = null;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly db: DataSource,
    options: ShopSettingsOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  /** The settings, at most `ttlMs` old. Callers that read together share one query. */
  async get(): Promise<ShopSettings> {
    const at = this.now();
    if (this.cached && at < this.cached.until) return this.cached.value;
    const entry = { value: this.read(this.db.manager), until: at + this.ttlMs };
    this.cached = entry;
    // A failed read is not remembered: the next caller asks the database again.
    entry.value.catch(() => {
      if (this.cached === entry) this.cached = null;
    });
    return entry.value;
  }

  /** What buyers see: the settings without bookkeeping. */
  async profile(): Promise<ShopProfile> {
    const { updatedAt: _, restoreCouponOnFullRefund: __, ...profile } = await this.get();
    return profile;
  }

  /** Forget the cached read (a change made elsewhere in this process, tests). */
  invalidate(): void {
    this.cached = null;
  }

  /**
   * Changes exactly the fields the patch names, with an audit entry in the same transaction.
   * Owner only. A patch that changes nothing writes nothing.
   */
  async update(ctx: Ctx, actor: StaffPrincipal, patch: z.output<typeof ShopSettingsPatch>): Promise<ShopSettings> {
    if (actor.role !== 'owner') throw new ForbiddenError('Only the shop’s owner may change the shop settings.');
    const set = columnsOf(patch);
    const result = await withTx(this.db, ctx, async ({ tx }) => {
      const before = await this.lockRow(tx);
      const changed = Object.entries(set).filter(([k, v]) => before[k as keyof ShopSettingsEntity] !== v);
      if (changed.length === 0) return view(before);
      const detail: Record<string, unknown> = {};
      for (const [k, to] of changed) detail[k] = { from: before[k as keyof ShopSettingsEntity], to };
      // updatedAt given explicitly: TypeORM's own CURRENT_TIMESTAMP would drop the milliseconds.
      await tx
        .getRepository(ShopSettingsEntity)
        .update({ id: SHOP_ID }, { ...Object.fromEntries(changed), updatedAt: new Date() });
      await recordAudit(tx, actor, 'shop.settings', 'shop_settings', SHOP_ID, detail);
      return this.read(tx);
    });
    // Cleared after the write committed (or joined the caller's transaction): the next read is fresh.
    this.invalidate();
    return result;
  }

  private async read(em: EntityManager): Promise<ShopSettings> {
    const row = await em.getRepository(ShopSettingsEntity).findOneBy({ id: SHOP_ID });
    return row ? view(row) : { ...fallbackShop, updatedAt: new Date(0).toISOString() };
  }

  /**
   * The row, locked, so two owners' changes queue up and each audit entry's `from` is what it
   * replaced. A shop without a row gets the fallback row first (only then: an `INSERT IGNORE`
   * on an existing row would take a shared lock that two updates could deadlock on).
   */
  private async lockRow(tx: EntityManager): Promise<ShopSettingsEntity> {
    const locked = () =>
      lockForUpdate(
        tx.getRepository(ShopSettingsEntity).createQueryBuilder('s').where('s.id = :id', { id: SHOP_ID }),
      ).getOne();
    const row = await locked();
    if (row) return row;
    await insertIfAbsent(tx, fallbackShop);
    return (await locked())!;
  }
}

/** One `INSERT IGNORE` of the settings row: a row already there (an owner's settings) wins. */
type InitialSettings = Omit<ShopSettings, 'updatedAt' | 'restoreCouponOnFullRefund'> &
  Partial<Pick<ShopSettings, 'restoreCouponOnFullRefund'>>;

async function insertIfAbsent(em: EntityManager, s: InitialSettings): Promise<boolean> {
  const inserted = await execute(
    em,
    `${insertIgnore(em)} INTO shop_settings` +
      ' (id, name, name_en, logo, service_phone, shipping_flat_fee, shipping_free_over, restore_coupon_on_full_refund)' +
      ' VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [
      SHOP_ID,
      s.name,
      s.nameEn,
      s.logo,
      s.servicePhone,
      s.shipping.flatFee,
      s.shipping.freeOver,
      (s.restoreCouponOnFullRefund ?? true) ? 1 : 0,
    ],
  );
  return inserted > 0;
}

/**
 * Writes the shop's first settings row unless one exists (the demo seed, a setup script).
 * Never overwrites what an owner has set. Resolves to whether it wrote the row.
 */
export function seedShopSettings(db: DataSource, initial: InitialSettings): Promise<boolean> {
  return insertIfAbsent(db.manager, initial);
}
