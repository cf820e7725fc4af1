import type { AppModule, Kernel } from '../module';
import { favouriteRoutes } from './favourite.routes';
import { FavouriteService } from './favourite.service';

export function favouritesModule(k: Kernel) {
  const favourites = new FavouriteService(k.db);
  return {
    name: 'favourites',
    services: { favourites },
    routes: (api) => favouriteRoutes(api, favourites),
  } satisfies AppModule;
}
