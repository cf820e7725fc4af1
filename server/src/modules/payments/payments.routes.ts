import { contract } from '@chatmall/shared';
import type { ContractRouter } from '../../http/contract-router';
import type { PaymentService } from './payment.service';
import type { RefundService } from './refund.service';
import type { PaymentReports } from './payment-reports';

export function paymentRoutes(router: ContractRouter, payments: PaymentService): void {
  router.handle(contract.payOrder, async ({ principal, params }) => payments.payForOrder(principal.buyerId, params.id));
}

export function refundRoutes(router: ContractRouter, refunds: RefundService): void {
  router.handle(contract.requestRefund, async ({ ctx, principal, params, body }) =>
    refunds.request(ctx, principal.buyerId, params.id, body),
  );
  router.handle(contract.withdrawRefund, async ({ ctx, principal, params }) =>
    refunds.withdraw(ctx, principal.buyerId, params.id, params.refundId),
  );
  router.handle(contract.listMyRefunds, async ({ principal, query }) => refunds.listMine(principal.buyerId, query));
  router.handle(contract.listOrderRefunds, async ({ principal, params }) => ({
    items: await refunds.listForOrder(principal.buyerId, params.id),
  }));
  router.handle(contract.adminListRefunds, async ({ query }) => ({ items: await refunds.list(query.status) }));
  router.handle(contract.approveRefund, async ({ ctx, principal, params, body }) =>
    refunds.approve(ctx, principal, params.id, body.restock),
  );
  router.handle(contract.rejectRefund, async ({ ctx, principal, params, body }) =>
    refunds.reject(ctx, principal, params.id, body.reason),
  );
}

export function paymentReportRoutes(router: ContractRouter, reports: PaymentReports): void {
  router.handle(contract.adminOrderMoney, async ({ params }) => reports.orderMoney(params.id));
  router.handle(contract.adminNotificationLog, async ({ query }) =>
    reports.notificationLog(query.outcome, query.limit),
  );
  router.handle(contract.adminReconciliation, async ({ query }) => reports.reconciliation(query.date));
}
