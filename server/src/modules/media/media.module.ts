import { LocalDiskStorage, type MediaStorage } from '../../kernel/storage';
import type { AppModule, Kernel } from '../module';
import { mediaRoutes } from './media.routes';

/** Image uploads (served at /media/ by the HTTP app). */
export function mediaModule(k: Kernel, opts: { storage?: MediaStorage } = {}): AppModule {
  const storage = opts.storage ?? new LocalDiskStorage(k.config.mediaDir);
  return { name: 'media', services: {}, routes: (api) => mediaRoutes(api, { db: k.db, storage }) };
}
