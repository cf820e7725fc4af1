/** chatmall's database: every module's entities and every migration, on the configured database. */
import type { DataSource } from 'typeorm';
import { migrations } from '../../migrations';
import type { Config } from '../kernel/config';
import { createDataSource as openDataSource, type Schema } from '../kernel/db';
import { entities } from '../modules/entities';

export const schema: Schema = { entities, migrations };

export function createDataSource(config: Pick<Config, 'db'>): DataSource {
  return openDataSource(config, schema);
}
