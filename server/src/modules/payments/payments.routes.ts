import { contract } from '@chatmall/shared';
import type { ContractRouter } from '../../http/contract-router';
import type { PaymentService } from './payment.service';

export function paymentRoutes(router: ContractRouter, payments: PaymentService): void {
  router.handle(contract.payOrder, async ({ principal, params }) => payments.payForOrder(principal.buyerId, params.id));
}
