/** Buyers as other modules may know them: their WeChat identity, read through here only. */
import type { DataSource } from 'typeorm';
import { BuyerEntity } from './buyer.entity';

export class BuyerService {
  constructor(private readonly db: DataSource) {}

  /** The buyer's openid in our mini-program (WeChat Pay's payer, subscribe messages' recipient). */
  async openidOf(buyerId: string): Promise<string | null> {
    return (await this.db.getRepository(BuyerEntity).findOneBy({ id: buyerId }))?.openid ?? null;
  }
}
