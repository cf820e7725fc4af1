/** A buyer's delivery addresses. A buyer only ever sees and changes their own (404 otherwise). */
import { newId, type Address, type AddressInput, type AddressPatch } from '@chatmall/shared';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import { withTx, type Ctx } from '../../kernel/tx';
import { NotFoundError, ValidationError } from '../../kernel/errors';
import { AddressEntity } from './address.entity';

export const MAX_ADDRESSES = 20;

/** Clears the default flag on the buyer's other addresses, by primary key (record locks only). */
async function demote(
  tx: EntityManager,
  buyerId: string,
  existing: readonly Pick<AddressEntity, 'id' | 'isDefault'>[],
  except: string,
): Promise<void> {
  const ids = existing.filter((a) => a.isDefault && a.id !== except).map((a) => a.id);
  if (ids.length) await tx.getRepository(AddressEntity).update({ id: In(ids), buyerId }, { isDefault: false });
}

const toDto = (a: AddressEntity): Address => ({
  id: a.id,
  recipient: a.recipient,
  phone: a.phone,
  province: a.province,
  city: a.city,
  district: a.district,
  detail: a.detail,
  isDefault: a.isDefault,
});

export async function findBuyerAddress(em: EntityManager, buyerId: string, id: string): Promise<AddressEntity | null> {
  return em.getRepository(AddressEntity).findOneBy({ id, buyerId });
}

export class AddressService {
  constructor(private readonly db: DataSource) {}

  async list(buyerId: string): Promise<Address[]> {
    const rows = await this.db
      .getRepository(AddressEntity)
      .find({ where: { buyerId }, order: { isDefault: 'DESC', createdAt: 'DESC', id: 'DESC' } });
    return rows.map(toDto);
  }

  /**
   * Adds an address; the first one is the default, and a new default demotes the old one.
   * No statement here touches rows that do not exist: an UPDATE over a buyer's empty range
   * takes a gap lock that another new buyer's INSERT waits on, and two of those deadlock.
   */
  async add(ctx: Ctx, buyerId: string, input: z.output<typeof AddressInput>): Promise<Address> {
    return withTx(this.db, ctx, async ({ tx }) => {
      const repo = tx.getRepository(AddressEntity);
      const existing = await repo.find({ select: { id: true, isDefault: true }, where: { buyerId } });
      if (existing.length >= MAX_ADDRESSES)
        throw new ValidationError([{ path: 'body', message: `at most ${MAX_ADDRESSES} addresses` }]);
      const isDefault = input.isDefault || existing.length === 0;
      const id = newId('address');
      if (isDefault) await demote(tx, buyerId, existing, id);
      await repo.insert({ id, buyerId, ...input, isDefault });
      return toDto(await repo.findOneByOrFail({ id }));
    });
  }

  /** Changes exactly the fields named; making one address the default demotes the old one. */
  async update(ctx: Ctx, buyerId: string, id: string, patch: z.output<typeof AddressPatch>): Promise<Address> {
    return withTx(this.db, ctx, async ({ tx }) => {
      const repo = tx.getRepository(AddressEntity);
      const existing = await repo.find({ select: { id: true, isDefault: true }, where: { buyerId } });
      const current = existing.find((a) => a.id === id);
      if (!current) throw new NotFoundError('Address');
      if (patch.isDefault === false && current.isDefault)
        throw new ValidationError([
          { path: 'body.isDefault', message: 'choose another address as the default instead' },
        ]);
      if (patch.isDefault && !current.isDefault) await demote(tx, buyerId, existing, id);
      const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      if (Object.keys(set).length) await repo.update({ id, buyerId }, set);
      return toDto(await repo.findOneByOrFail({ id }));
    });
  }

  async remove(buyerId: string, id: string): Promise<Address[]> {
    const result = await this.db.getRepository(AddressEntity).delete({ id, buyerId });
    if (!result.affected) throw new NotFoundError('Address');
    return this.list(buyerId);
  }
}
