/** What other modules may read about favourites: how many buyers favourited a product. */
import type { EntityManager } from 'typeorm';
import { FavouriteEntity } from './favourite.entity';

export async function countFavourites(em: EntityManager, productId: string): Promise<number> {
  return em.getRepository(FavouriteEntity).countBy({ productId });
}
