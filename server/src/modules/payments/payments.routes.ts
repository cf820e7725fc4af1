import { contract } from '@chatmall/shared';
import type { ContractRouter } from '../../http/contract-router';
import type { PaymentService } from './payment.service';
import type { RefundService } from './refund.service';
import type { PaymentReports } from './payment-reports';

export function paymentRoutes(router: ContractRouter, payments: PaymentService): void {
  router.handle(contract.payOrder, async ({ principal, params }) => payments.payForOrder(principal.buyerId, params.id));
}

export function refundRoutes(router: ContractRouter, refunds: RefundService): void {
  router.handle(contract.requestRefund, async ({ principal, params, body }) =>
    refunds.request(principal.buyerId, params.id, body.amount, body.reason),
  );
  router.handle(contract.listOrderRefunds, async ({ principal, params }) => ({
    items: await refunds.listForOrder(principal.buyerId, params.id),
  }));
  router.handle(contract.adminListRefunds, async ({ query }) => ({ items: await refunds.list(query.status) }));
  router.handle(contract.approveRefund, async ({ principal, params, body }) =>
    refunds.approve(principal, params.id, body.restock),
  );
  router.handle(contract.rejectRefund, async ({ principal, params, body }) =>
    refunds.reject(principal, params.id, body.reason),
  );
}

export function paymentReportRoutes(router: ContractRouter, reports: PaymentReports): void {
  router.handle(contract.adminOrderMoney, async ({ params }) => reports.orderMoney(params.id));
  router.handle(contract.adminNotificationLog, async ({ query }) =>
    reports.notificationLog(query.outcome, query.limit),
  );
  router.handle(contract.adminReconciliation, async ({ query }) => reports.reconciliation(query.date));
}
