/** Every TypeORM entity, registered once for the DataSource. */
import { CategoryEntity } from './catalog/category.entity';
import { ProductEntity } from './catalog/product.entity';
import { SkuEntity } from './catalog/sku.entity';

export const entities = [CategoryEntity, ProductEntity, SkuEntity];
