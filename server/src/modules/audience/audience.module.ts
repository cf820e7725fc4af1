import type { AppModule, Kernel } from '../module';
import { AudienceService } from './audience.service';

/**
 * The audience: a read model of followers fed by events (follower.*, order.placed / paid,
 * refund.succeeded), the segments over it, and the keyset pages campaigns stream from.
 * Modules never read another module's tables: everything here arrives as an event.
 */
export function audienceModule(k: Kernel) {
  const audience = new AudienceService(k.db);
  return {
    name: 'audience',
    services: { audience },
    subscribe(on) {
      on.on('follower.followed', 'audience-followed', async (e) => {
        await audience.followed({}, e);
      });
      on.on('follower.unfollowed', 'audience-unfollowed', async (e) => {
        await audience.unfollowed({}, e);
      });
      on.on('follower.updated', 'audience-follower', async (e) => {
        await audience.applyFollowers({}, [e]);
      });
      on.on('follower.messaged', 'audience-messaged', async (e) => {
        await audience.messaged({}, e);
      });
      on.on('member.level_changed', 'audience-member-level', async ({ buyerId, toName }) => {
        await audience.levelChanged({}, { buyerId, level: toName });
      });
      on.on('order.placed', 'audience-order-placed', async ({ orderNo, buyerId }) => {
        await audience.orderPlaced({}, { orderNo, buyerId });
      });
      on.on('order.paid', 'audience-order-paid', async (e) => {
        await audience.orderPaid({}, e);
      });
      on.on('refund.succeeded', 'audience-refunded', async (e) => {
        await audience.refunded({}, e);
      });
    },
  } satisfies AppModule;
}
