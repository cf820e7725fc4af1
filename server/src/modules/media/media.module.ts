import { LocalDiskStorage, type MediaStorage } from '../../kernel/storage';
import type { AppModule, Kernel } from '../module';
import { BuyerMediaService } from './buyer-media.service';
import { mediaRoutes } from './media.routes';

/** Image uploads (served at /media/ by the HTTP app): staff's catalog images and buyers' own photos. */
export function mediaModule(k: Kernel, opts: { storage?: MediaStorage } = {}) {
  const storage = opts.storage ?? new LocalDiskStorage(k.config.mediaDir);
  const buyerMedia = new BuyerMediaService(k.db, storage);
  return {
    name: 'media',
    services: { buyerMedia },
    routes: (api) => mediaRoutes(api, { db: k.db, storage, buyerMedia }),
  } satisfies AppModule;
}
