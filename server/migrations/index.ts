/** Every migration, in order. New migrations are appended here. */
import { Catalog1763769600000 } from './1763769600000-catalog';

export const migrations = [Catalog1763769600000];
