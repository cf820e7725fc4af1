/**
 * The console's numbers for packs: funded, grabbed (recorded, and answered but not yet
 * recorded), used, returned, left, orders and GMV, the share links (sharer → group) with what
 * each brought, and the share tree (who brought whom). Read from the module's own tables and
 * Redis' live count; a buyer is attributed to the share they first opened the pack through.
 */
import {
  PACK_DETAIL_GRABS_MAX,
  type RedEnvelopePackDetail,
  type RedEnvelopePackGrab,
  type RedEnvelopePackPage,
  type RedEnvelopePackStats,
  type RedEnvelopePackStatus,
} from '@chatmall/shared';
import type { DataSource } from 'typeorm';
import {
  RedEnvelopeGrabEntity,
  RedEnvelopeOpenEntity,
  RedEnvelopeOrderEntity,
  RedEnvelopePackEntity,
} from './red-envelope.entity';
import type { RedEnvelopePool } from './red-envelope.pool';
import { groupKeyOf, nicknameOf, packView } from './red-envelope.service';

const ORIGIN = 'origin';

export class RedEnvelopeStats {
  constructor(
    private readonly db: DataSource,
    private readonly pool: RedEnvelopePool,
  ) {}

  async list(q: { status?: RedEnvelopePackStatus; cursor?: string; limit: number }): Promise<RedEnvelopePackPage> {
    const qb = this.db
      .getRepository(RedEnvelopePackEntity)
      .createQueryBuilder('p')
      .orderBy('p.id', 'DESC')
      .take(q.limit + 1);
    if (q.status) qb.andWhere('p.status = :status', { status: q.status });
    if (q.cursor) qb.andWhere('p.id < :cursor', { cursor: q.cursor });
    const rows = await qb.getMany();
    const page = rows.slice(0, q.limit);
    const ids = page.map((p) => p.id);
    const grabbed = new Map<string, { count: number; amount: number }>();
    const orders = new Map<string, { count: number; gmv: number }>();
    if (ids.length) {
      for (const r of await this.db
        .getRepository(RedEnvelopeGrabEntity)
        .createQueryBuilder('g')
        .select('g.pack_id', 'packId')
        .addSelect('COUNT(*)', 'n')
        .addSelect('COALESCE(SUM(g.amount), 0)', 'amount')
        .where('g.pack_id IN (:...ids)', { ids })
        .groupBy('g.pack_id')
        .getRawMany<{ packId: string; n: string; amount: string }>())
        grabbed.set(r.packId, { count: Number(r.n), amount: Number(r.amount) });
      for (const r of await this.db
        .getRepository(RedEnvelopeOrderEntity)
        .createQueryBuilder('o')
        .select('o.pack_id', 'packId')
        .addSelect('COUNT(*)', 'n')
        .addSelect('COALESCE(SUM(o.gmv), 0)', 'gmv')
        .where('o.pack_id IN (:...ids)', { ids })
        .groupBy('o.pack_id')
        .getRawMany<{ packId: string; n: string; gmv: string }>())
        orders.set(r.packId, { count: Number(r.n), gmv: Number(r.gmv) });
    }
    return {
      items: page.map((p) => ({
        ...packView(p),
        grabbed: grabbed.get(p.id) ?? { count: 0, amount: 0 },
        orders: orders.get(p.id)?.count ?? 0,
        gmv: orders.get(p.id)?.gmv ?? 0,
      })),
      nextCursor: rows.length > q.limit ? page[page.length - 1].id : null,
    };
  }

  async detail(id: string, pack: RedEnvelopePackEntity): Promise<RedEnvelopePackDetail> {
    return { pack: packView(pack), ...(await this.stats(pack, id)) };
  }

  private async stats(
    pack: RedEnvelopePackEntity,
    packId: string,
  ): Promise<{ stats: RedEnvelopePackStats; grabs: RedEnvelopePackGrab[] }> {
    const [grabs, opens, orders] = await Promise.all([
      this.db.getRepository(RedEnvelopeGrabEntity).findBy({ packId }),
      this.db.getRepository(RedEnvelopeOpenEntity).find({ where: { packId }, order: { openedAt: 'ASC' } }),
      this.db.getRepository(RedEnvelopeOrderEntity).findBy({ packId }),
    ]);
    const active = pack.status === 'ACTIVE';
    const live = active ? await this.pool.grabs(packId).catch(() => new Map()) : new Map();
    const recorded = new Set(grabs.map((g) => g.buyerId));
    let pendingGrabs = 0;
    let pendingAmount = 0;
    for (const [buyer, r] of live as Map<string, { amount: number }>)
      if (!recorded.has(buyer)) {
        pendingGrabs++;
        pendingAmount += r.amount;
      }
    const grabbedAmount = grabs.reduce((n, g) => n + g.amount, 0);

    // First touch: the earliest open of each buyer says who brought them, from which group.
    const firstOpen = new Map<string, RedEnvelopeOpenEntity>();
    for (const o of opens) if (!firstOpen.has(o.buyerId)) firstOpen.set(o.buyerId, o);
    const grabOf = new Map(grabs.map((g) => [g.buyerId, g]));
    const ordersOf = new Map<string, { n: number; gmv: number }>();
    for (const o of orders) {
      const m = ordersOf.get(o.buyerId) ?? { n: 0, gmv: 0 };
      m.n++;
      m.gmv += o.gmv;
      ordersOf.set(o.buyerId, m);
    }

    type Link = RedEnvelopePackStats['links'][number];
    const links = new Map<string, Link>();
    const buyers = new Set([...firstOpen.keys(), ...grabOf.keys()]);
    for (const buyerId of buyers) {
      const o = firstOpen.get(buyerId);
      const sharerId = o?.sharerId ?? null;
      const groupKey = o ? groupKeyOf(o.groupId) : null;
      const key = `${sharerId ?? ''}|${groupKey ?? ''}`;
      const link = links.get(key) ?? {
        sharerId,
        sharerName: sharerId ? nicknameOf(sharerId) : null,
        groupKey,
        opens: 0,
        grabs: 0,
        grabbedAmount: 0,
        orders: 0,
        gmv: 0,
        firstOpenedAt: (o?.openedAt ?? grabOf.get(buyerId)?.grabbedAt ?? new Date()).toISOString(),
      };
      if (o) link.opens++;
      const g = grabOf.get(buyerId);
      if (g) {
        link.grabs++;
        link.grabbedAmount += g.amount;
      }
      const ord = ordersOf.get(buyerId);
      if (ord) {
        link.orders += ord.n;
        link.gmv += ord.gmv;
      }
      links.set(key, link);
    }

    // The tree: every buyer under whoever brought them; sharers who never opened it themselves
    // (the marketer's own phone, a forwarded card) hang under the origin.
    type Node = RedEnvelopePackStats['tree'][number];
    const nodes = new Map<string, Node>();
    nodes.set(ORIGIN, {
      id: ORIGIN,
      name: '店铺 Shop',
      parentId: null,
      groupKey: null,
      grabbed: null,
      orders: 0,
      gmv: 0,
      brought: 0,
    });
    const nodeOf = (buyerId: string): Node => {
      let n = nodes.get(buyerId);
      if (!n) {
        const o = firstOpen.get(buyerId);
        n = {
          id: buyerId,
          name: nicknameOf(buyerId),
          parentId: o?.sharerId && o.sharerId !== buyerId ? o.sharerId : ORIGIN,
          groupKey: o ? groupKeyOf(o.groupId) : null,
          grabbed: grabOf.get(buyerId)?.amount ?? null,
          orders: ordersOf.get(buyerId)?.n ?? 0,
          gmv: ordersOf.get(buyerId)?.gmv ?? 0,
          brought: 0,
        };
        nodes.set(buyerId, n);
      }
      return n;
    };
    for (const b of buyers) nodeOf(b);
    for (const n of [...nodes.values()]) if (n.parentId && n.parentId !== ORIGIN) nodeOf(n.parentId);
    for (const n of nodes.values()) if (n.parentId) nodes.get(n.parentId)!.brought++;

    const usedCount = orders.length;
    const listed = grabList(grabs, (buyerId) => firstOpen.get(buyerId)?.sharerId ?? null);
    const returned = { count: pack.returnedShares, amount: pack.returnedAmount };
    const grabbedCount = grabs.length;
    const stats: RedEnvelopePackStats = {
      funded: { count: pack.shares, amount: pack.budget },
      grabbed: { count: grabbedCount, amount: grabbedAmount },
      pendingGrabs,
      used: { count: usedCount, amount: orders.reduce((n, o) => n + o.discount, 0) },
      returned,
      left: active
        ? {
            count: Math.max(0, pack.shares - grabbedCount - pendingGrabs),
            amount: Math.max(0, pack.budget - grabbedAmount - pendingAmount),
          }
        : { count: 0, amount: 0 },
      orders: usedCount,
      gmv: orders.reduce((n, o) => n + o.gmv, 0),
      links: [...links.values()].sort((a, b) => a.firstOpenedAt.localeCompare(b.firstOpenedAt)),
      tree: [...nodes.values()],
    };
    return { stats, grabs: listed };
  }
}

/**
 * The recorded grabs as the console lists them: newest first (the latest PACK_DETAIL_GRABS_MAX),
 * the luckiest marked — the largest amount of all the pack's grabs; of equal amounts the earliest
 * grab, and within one second (the column's precision) the lower share index, which the pool
 * dealt first.
 */
export function grabList(
  grabs: readonly RedEnvelopeGrabEntity[],
  sharerOf: (buyerId: string) => string | null,
): RedEnvelopePackGrab[] {
  const earlier = (a: RedEnvelopeGrabEntity, b: RedEnvelopeGrabEntity) =>
    a.grabbedAt.getTime() - b.grabbedAt.getTime() || a.shareIndex - b.shareIndex;
  let best: RedEnvelopeGrabEntity | null = null;
  for (const g of grabs)
    if (!best || g.amount > best.amount || (g.amount === best.amount && earlier(g, best) < 0)) best = g;
  return [...grabs]
    .sort((a, b) => earlier(b, a))
    .slice(0, PACK_DETAIL_GRABS_MAX)
    .map((g) => ({
      buyerId: g.buyerId,
      nickname: nicknameOf(g.buyerId),
      amount: g.amount,
      grabbedAt: g.grabbedAt.toISOString(),
      sharerId: sharerOf(g.buyerId),
      luckiest: g === best,
    }));
}
