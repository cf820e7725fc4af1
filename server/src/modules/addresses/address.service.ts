/** A buyer's delivery addresses. A buyer only ever sees and changes their own (404 otherwise). */
import { newId, type Address, type AddressInput } from '@chatmall/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { NotFoundError, ValidationError } from '../../kernel/errors';
import { AddressEntity } from './address.entity';

export const MAX_ADDRESSES = 20;

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

  async add(buyerId: string, input: Required<AddressInput>): Promise<Address> {
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(AddressEntity);
      const count = await repo.countBy({ buyerId });
      if (count >= MAX_ADDRESSES)
        throw new ValidationError([{ path: 'body', message: `at most ${MAX_ADDRESSES} addresses` }]);
      // The first address is the default; a new default demotes the old one.
      const isDefault = input.isDefault || count === 0;
      if (isDefault) await repo.update({ buyerId }, { isDefault: false });
      const entity = { id: newId('address'), buyerId, ...input, isDefault };
      await repo.insert(entity);
      return toDto(await repo.findOneByOrFail({ id: entity.id }));
    });
  }

  async update(buyerId: string, id: string, patch: Partial<AddressInput>): Promise<Address> {
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(AddressEntity);
      const existing = await repo.findOneBy({ id, buyerId });
      if (!existing) throw new NotFoundError('Address');
      if (patch.isDefault) await repo.update({ buyerId }, { isDefault: false });
      await repo.update({ id, buyerId }, patch);
      return toDto(await repo.findOneByOrFail({ id }));
    });
  }

  async remove(buyerId: string, id: string): Promise<Address[]> {
    const result = await this.db.getRepository(AddressEntity).delete({ id, buyerId });
    if (!result.affected) throw new NotFoundError('Address');
    return this.list(buyerId);
  }
}
