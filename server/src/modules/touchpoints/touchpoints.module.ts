import { contract } from '@chatmall/shared';
import type { OfficialAccountApi } from '../../wechat/api/official-account';
import type { AutoReplyService } from '../auto-replies/auto-reply.service';
import type { AppModule, Kernel } from '../module';
import { TouchpointService, type AttributionPorts } from './touchpoint.service';

/** The orders module's service as attribution needs it. */
export function paidOrdersPort(orders: {
  factsByOrderNo(orderNo: string): Promise<{ id: string; buyerId: string; payable: number } | null>;
  get(where: { id: string }): Promise<{ paidAt: string | null }>;
  firstPaidSince(buyerId: string, since: Date): Promise<string | null>;
}): AttributionPorts['paidOrder'] {
  return async (orderNo) => {
    const facts = await orders.factsByOrderNo(orderNo);
    if (!facts) return null;
    const o = await orders.get({ id: facts.id });
    if (!o.paidAt) return null;
    return { buyerId: facts.buyerId, payable: facts.payable, paidAt: new Date(o.paidAt) };
  };
}

/**
 * Offline touchpoints and what they bring: the only writer of touchpoints, touchpoint_days and
 * touchpoint_first_orders. A touchpoint's welcome is kept by the auto-replies module.
 */
export function touchpointsModule(
  k: Kernel,
  deps: {
    oa: () => OfficialAccountApi;
    shopName: () => Promise<string>;
    orders: Parameters<typeof paidOrdersPort>[0];
    followers: { ofBuyer(buyerId: string): Promise<{ touchpointId: string | null; touchpointAt: Date | null } | null> };
    welcomes: Pick<AutoReplyService, 'welcomeOf' | 'setWelcome'>;
  },
) {
  const touchpoints = new TouchpointService(k.db, {
    oa: deps.oa,
    miniProgram: k.wechat.miniProgram,
    apiBase: k.config.wechat.apiBase,
    shopName: deps.shopName,
    ports: {
      paidOrder: paidOrdersPort(deps.orders),
      firstPaidSince: (buyerId, since) => deps.orders.firstPaidSince(buyerId, since),
      followerOfBuyer: (id) => deps.followers.ofBuyer(id),
    },
    log: k.log,
  });
  return {
    name: 'touchpoints',
    services: { touchpoints },
    routes(api) {
      api.handle(contract.listTouchpoints, async ({ query }) => touchpoints.list(query.kind));
      api.handle(contract.createTouchpoint, async ({ body }) => touchpoints.create(body));
      api.handle(contract.getTouchpoint, async ({ params }) => {
        const t = await touchpoints.get(params.id);
        const { items } = await touchpoints.list(t.kind);
        return items.find((i) => i.id === t.id)!;
      });
      api.handle(contract.touchpointStats, async ({ params, query }) =>
        touchpoints.stats(params.id, query.from, query.to),
      );
      api.handle(contract.touchpointQrPng, async ({ params }) => touchpoints.qrPngFile(params.id));
      api.handle(contract.touchpointPdf, async ({ params }) => touchpoints.pdfFile(params.id));
      api.handle(contract.touchpointWxacode, async ({ params, query }) =>
        touchpoints.wxacodeFile(params.id, query.page),
      );
      api.handle(contract.getTouchpointWelcome, async ({ params }) => {
        await touchpoints.get(params.id);
        return deps.welcomes.welcomeOf(params.id);
      });
      api.handle(contract.setTouchpointWelcome, async ({ params, body }) => {
        await touchpoints.get(params.id);
        return deps.welcomes.setWelcome(params.id, body);
      });
      api.handle(contract.nearbyStores, async ({ query }) => touchpoints.nearby(query.lat, query.lng, query.limit));
    },
    subscribe(on) {
      on.on('follower.messaged', 'touchpoint-scans', async (e) => {
        if (e.touchpointId) await touchpoints.count(e.touchpointId, new Date(e.at), 'scans');
      });
      on.on('follower.followed', 'touchpoint-new-followers', async (e) => {
        if (e.touchpointId) await touchpoints.count(e.touchpointId, new Date(e.at), 'new_followers');
      });
      on.on('order.paid', 'touchpoint-first-order', async ({ orderNo }) => {
        await touchpoints.attributeOrder(orderNo);
      });
      on.on('touchpoint.first_order', 'touchpoint-first-order-stats', async (e) => {
        const [row] = await touchpoints
          .firstOrders(e.touchpointId)
          .then((rows) => rows.filter((r) => r.orderNo === e.orderNo));
        await touchpoints.count(e.touchpointId, row?.paidAt ?? new Date(), 'first_orders', 1, e.amount);
      });
    },
  } satisfies AppModule;
}
