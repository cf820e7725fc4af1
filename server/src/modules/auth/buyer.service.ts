/** Buyers as other modules may know them: their WeChat identity, read through here only. */
import { And, In, LessThan, MoreThan, MoreThanOrEqual, type DataSource } from 'typeorm';
import { BuyerEntity } from './buyer.entity';

export class BuyerService {
  constructor(private readonly db: DataSource) {}

  /** The buyer's openid in our mini-program (WeChat Pay's payer, subscribe messages' recipient). */
  async openidOf(buyerId: string): Promise<string | null> {
    return (await this.db.getRepository(BuyerEntity).findOneBy({ id: buyerId }))?.openid ?? null;
  }

  /** The buyer whose mini-program login carried this unionid (the same person as a follower). */
  async idByUnionid(unionid: string): Promise<string | null> {
    return (await this.db.getRepository(BuyerEntity).findOneBy({ unionid }))?.id ?? null;
  }

  async unionidOf(buyerId: string): Promise<string | null> {
    return (await this.db.getRepository(BuyerEntity).findOneBy({ id: buyerId }))?.unionid ?? null;
  }

  async idsByUnionid(unionids: string[]): Promise<Map<string, string>> {
    const rows = await this.db.getRepository(BuyerEntity).findBy({ unionid: In(unionids) });
    return new Map(rows.map((b) => [b.unionid!, b.id]));
  }

  /** When the buyer first signed in (the dashboard's new buyers). */
  async registeredAt(buyerId: string): Promise<Date | null> {
    return (await this.db.getRepository(BuyerEntity).findOneBy({ id: buyerId }))?.createdAt ?? null;
  }

  /** Buyers who first signed in within [from, to), a batch in id order after `after`. */
  async registeredBetween(
    from: Date,
    to: Date,
    after: string | null,
    limit: number,
  ): Promise<{ id: string; createdAt: Date }[]> {
    const rows = await this.db.getRepository(BuyerEntity).find({
      select: { id: true, createdAt: true },
      where: { createdAt: And(MoreThanOrEqual(from), LessThan(to)), ...(after ? { id: MoreThan(after) } : {}) },
      order: { id: 'ASC' },
      take: limit,
    });
    return rows.map((b) => ({ id: b.id, createdAt: b.createdAt }));
  }
}
