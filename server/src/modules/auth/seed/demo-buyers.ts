/** The auth module's bulk path for demo history: buyers who signed in at the given times (no sessions). */
import type { DataSource } from 'typeorm';
import { withTx } from '../../../kernel/tx';
import { BuyerEntity } from '../buyer.entity';

export interface DemoBuyer {
  id: string;
  openid: string;
  nickname: string;
  createdAt: Date;
}

export async function insertDemoBuyers(db: DataSource, buyers: readonly DemoBuyer[], chunk = 300): Promise<void> {
  await withTx(db, {}, async ({ tx }) => {
    for (let i = 0; i < buyers.length; i += chunk)
      await tx
        .getRepository(BuyerEntity)
        .insert(buyers.slice(i, i + chunk).map((b) => ({ ...b, unionid: null, lastLoginAt: b.createdAt })));
  });
}
