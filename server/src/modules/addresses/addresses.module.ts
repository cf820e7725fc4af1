import type { AppModule, Kernel } from '../module';
import { addressRoutes } from './address.routes';
import { AddressService } from './address.service';

export function addressesModule(k: Kernel) {
  const addresses = new AddressService(k.db);
  return {
    name: 'addresses',
    services: { addresses },
    routes: (api) => addressRoutes(api, addresses),
  } satisfies AppModule;
}
