import { contract } from '@chatmall/shared';
import type { ContractRouter } from '../../http/contract-router';
import type { AddressService } from './address.service';

/** The buyer's delivery addresses. */
export function addressRoutes(router: ContractRouter, addresses: AddressService): void {
  router.handle(contract.listAddresses, async ({ principal }) => ({ items: await addresses.list(principal.buyerId) }));
  router.handle(contract.addAddress, async ({ ctx, principal, body }) => addresses.add(ctx, principal.buyerId, body));
  router.handle(contract.updateAddress, async ({ ctx, principal, params, body }) =>
    addresses.update(ctx, principal.buyerId, params.id, body),
  );
  router.handle(contract.removeAddress, async ({ principal, params }) => ({
    items: await addresses.remove(principal.buyerId, params.id),
  }));
}
