import { withTx } from '../../kernel/tx';
import type { AppModule, Kernel } from '../module';
import type { OrderService } from '../orders/order.service';
import { payNotifyRoutes } from '../payments/pay-notify.routes';
import { phoneNumberOf } from '../../wechat/miniprogram/phone-number';
import { officialAccountApiFor } from '../followers/followers.module';
import { CardSyncService } from './card-sync';
import { MemberCheckoutService } from './checkout.service';
import { CounterService } from './counter.service';
import { membershipJobs, POINTS_EXPIRY_EVERY_MS, TOP_UP_RECONCILE_EVERY_MS } from './membership.jobs';
import { membershipRoutes } from './membership.routes';
import { MemberService } from './members.service';
import { PointsService } from './points.service';
import { ProgrammeService } from './programme.service';
import { TOP_UP_NOTIFY_PATH, WalletService } from './wallet.service';

/**
 * Membership (issue 15): the programme, members, the points and stored-value ledgers (the
 * only writer of their tables), top-ups with their own WeChat Pay notify path, the member code
 * and the counter; subscribers earn and take back points and move spend and levels as orders
 * are paid, completed and refunded.
 */
export function membershipModule(
  k: Kernel,
  deps: {
    orders: Pick<OrderService, 'factsByOrderNo' | 'factsById'>;
    openidOf(buyerId: string): Promise<string | null>;
    shopName(): Promise<string>;
    /** What an order's refunds have paid back so far (payments), for points earned on completion. */
    refundedTotal?(orderId: string): Promise<number>;
  },
) {
  const programme = new ProgrammeService(k.db);
  const oa = officialAccountApiFor(k);
  const cardSync = new CardSyncService({
    db: k.db,
    programme,
    oaClient: () => oa().client,
    queue: () => k.queue('membership'),
    redis: k.redis,
    shopName: deps.shopName,
    log: k.log,
  });
  /** After commit, each applied ledger entry: the card sync queues its job here. */
  const ledgerChanged = (memberId: string, entryId: string) => cardSync.entryApplied(memberId, entryId);
  const points = new PointsService(k.db, programme, ledgerChanged);
  const members = new MemberService(k.db, {
    programme,
    openidOf: deps.openidOf,
    phoneNumber: (code, openid) => phoneNumberOf(k.wechat.miniProgram.client, code, openid),
  });
  const wallet = new WalletService({
    db: k.db,
    programme,
    wechatPay: k.wechat.pay,
    openidOf: deps.openidOf,
    shopName: deps.shopName,
    log: k.log,
    changed: ledgerChanged,
  });
  const counter = new CounterService(k.db, { programme, points, wallet, changed: ledgerChanged });
  const checkout = new MemberCheckoutService(k.db, { programme, wallet, changed: ledgerChanged });
  const memberOf = async (buyerId: string) => members.byBuyer(buyerId);
  /** Points earn on money paid (WeChat Pay and balance), not on what points paid. */
  const paidInMoney = (order: { payable: number; parts: { pointsFen: number } }) =>
    order.payable - order.parts.pointsFen;

  return {
    name: 'membership',
    services: { membershipProgramme: programme, members, points, wallet, counter, cardSync, memberCheckout: checkout },
    routes: (api) => membershipRoutes(api, { programme, members, points, wallet, counter, cardSync }),
    systemRoutes(router) {
      payNotifyRoutes(
        router,
        {
          wechatPay: k.wechat.pay,
          handler: { handle: async (n) => void (await wallet.applyNotification({}, n)) },
        },
        TOP_UP_NOTIFY_PATH,
      );
    },
    jobs: [
      {
        queue: 'membership',
        concurrency: 4,
        processor: membershipJobs({ points, wallet, log: k.log, cardSync: (job) => cardSync.process(job) }),
        schedules: [
          { id: 'points-expiry', everyMs: POINTS_EXPIRY_EVERY_MS },
          { id: 'top-up-reconcile', everyMs: TOP_UP_RECONCILE_EVERY_MS },
        ],
      },
    ],
    subscribe(on) {
      on.on('order.placed', 'membership-card-sync', async ({ orderNo }) => checkout.placed(orderNo));
      on.on('order.closed', 'membership-restore', async ({ orderNo }) => void (await checkout.restore({}, orderNo)));
      on.on('order.cancelled', 'membership-restore', async ({ orderNo }) => void (await checkout.restore({}, orderNo)));
      on.on('order.paid', 'membership-paid', async ({ orderNo }) => {
        const order = await deps.orders.factsByOrderNo(orderNo);
        const m = order && (await memberOf(order.buyerId));
        if (!order || !m) return;
        const earnNow = (await programme.settings()).earning.when === 'paid';
        // One transaction: the points at the level the order was placed at, then the spend that may lift it.
        const earned = await withTx(k.db, {}, async (ctx) => {
          const e = earnNow
            ? await points.earnForOrder(ctx, { buyerId: order.buyerId, orderNo, amount: paidInMoney(order) })
            : null;
          await points.recordSpend(ctx, m.id, `paid:${orderNo}`, order.payable);
          return e;
        });
        if (earned) await ledgerChanged(m.id, earned.entryId);
      });
      on.on('order.completed', 'membership-completed', async ({ orderId, orderNo, buyerId }) => {
        if ((await programme.settings()).earning.when !== 'completed') return;
        const order = await deps.orders.factsByOrderNo(orderNo);
        if (!order) return;
        // Refunds before completion found no points to take back: the same share goes at once.
        const refunded = (await deps.refundedTotal?.(orderId)) ?? 0;
        const entries = await withTx(k.db, {}, async (ctx) => {
          const earned = await points.earnForOrder(ctx, { buyerId, orderNo, amount: paidInMoney(order) });
          const netted =
            refunded > 0
              ? await points.reverseForRefund(ctx, {
                  buyerId,
                  orderNo,
                  outRefundNo: `before-completion-${orderNo}`,
                  refundedTotal: refunded,
                  paidTotal: order.payable,
                })
              : null;
          return [earned?.entryId, netted?.entryId].filter((x): x is string => !!x);
        });
        const m = await memberOf(buyerId);
        if (m) for (const id of entries) await ledgerChanged(m.id, id);
      });
      on.on('refund.succeeded', 'membership-refund', async (r) => {
        const order = await deps.orders.factsById(r.orderId);
        const m = order && (await memberOf(order.buyerId));
        if (!order || !m) return;
        // One transaction: the refund's points and balance back, the spend and level down, the
        // order's earned points taken back in proportion.
        const entries = await withTx(k.db, {}, async (ctx) => {
          const back = r.parts
            ? await checkout.refund(ctx, {
                buyerId: order.buyerId,
                orderNo: r.orderNo,
                outRefundNo: r.outRefundNo,
                parts: r.parts,
              })
            : [];
          await points.recordSpend(ctx, m.id, `refund:${r.outRefundNo}`, -r.amount);
          const reversed = await points.reverseForRefund(ctx, {
            buyerId: order.buyerId,
            orderNo: r.orderNo,
            outRefundNo: r.outRefundNo,
            refundedTotal: r.refundedTotal,
            paidTotal: order.payable,
          });
          return reversed ? [...back, reversed.entryId] : back;
        });
        for (const id of entries) await ledgerChanged(m.id, id);
      });
    },
  } satisfies AppModule;
}
