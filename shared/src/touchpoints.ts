/**
 * Offline touchpoints (O2O): a store, table, counter or flyer with its scene QR code and
 * mini-program code, what each brought (scans, followers, first orders, GMV), and the
 * storefront's 门店 Stores page (stores nearest first).
 */
import { z } from 'zod';

export const TouchpointKind = z.enum(['store', 'table', 'counter', 'flyer']);
export type TouchpointKind = z.infer<typeof TouchpointKind>;

export const StoreDetails = z.object({
  address: z.string().trim().min(1).max(200),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  /** As shown to buyers, e.g. "10:00–22:00". */
  hours: z.string().trim().max(60).default(''),
  phone: z.string().trim().max(30).default(''),
});
export type StoreDetails = z.infer<typeof StoreDetails>;

export const TouchpointInput = z
  .object({
    kind: TouchpointKind,
    name: z.string().trim().min(1).max(40),
    /** permanent: QR_LIMIT_STR_SCENE; temporary: QR_STR_SCENE expiring after `expireDays` (≤ 30). */
    qr: z.enum(['permanent', 'temporary']).default('permanent'),
    expireDays: z.number().int().min(1).max(30).optional(),
    store: StoreDetails.optional(),
  })
  .superRefine((t, ctx) => {
    if (t.kind === 'store' && !t.store)
      ctx.addIssue({
        code: 'custom',
        path: ['store'],
        message: '门店需要地址和坐标 a store needs its address and coordinates',
      });
    if (t.qr === 'temporary' && !t.expireDays)
      ctx.addIssue({ code: 'custom', path: ['expireDays'], message: '临时二维码需要有效天数 1–30 days' });
  });
export type TouchpointInput = z.infer<typeof TouchpointInput>;

export const Touchpoint = z.object({
  id: z.string(),
  kind: TouchpointKind,
  name: z.string(),
  /** The scene string both codes carry. */
  scene: z.string(),
  qrTicket: z.string(),
  /** What the scene QR encodes (WeChat's `url`). */
  qrUrl: z.string(),
  qrExpiresAt: z.string().nullable(),
  store: StoreDetails.nullable(),
  createdAt: z.string(),
});
export type Touchpoint = z.infer<typeof Touchpoint>;

export const TouchpointTotals = z.object({
  scans: z.number().int(),
  newFollowers: z.number().int(),
  firstOrders: z.number().int(),
  /** Fen. */
  gmv: z.number().int(),
});
export const TouchpointWithStats = Touchpoint.extend({ stats: TouchpointTotals });
export const TouchpointList = z.object({ items: z.array(TouchpointWithStats) });

export const TouchpointStatsQuery = z.object({
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});
export const TouchpointStats = z.object({
  touchpointId: z.string(),
  totals: TouchpointTotals,
  /** One entry per China-time day in [from, to], zeros included (the chart's series). */
  days: z.array(TouchpointTotals.extend({ date: z.string() })),
});

export const NearbyStoresQuery = z.object({
  lat: z.coerce.number().min(-90).max(90),
  lng: z.coerce.number().min(-180).max(180),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export const NearbyStore = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  latitude: z.number(),
  longitude: z.number(),
  hours: z.string(),
  phone: z.string(),
  /** Great-circle distance from the asked point, in metres. */
  distanceM: z.number().int(),
});
export type NearbyStore = z.infer<typeof NearbyStore>;
export const NearbyStores = z.object({ items: z.array(NearbyStore) });

/** A touchpoint's id is also its codes' scene: `tp_` and 16 lowercase letters or digits. */
export const TOUCHPOINT_SCENE = /^tp_[0-9a-z]{16}$/;
/** The touchpoint a scanned scene belongs to, if it is one of ours. */
export function touchpointOfScene(scene: string | undefined | null): string | null {
  return scene && TOUCHPOINT_SCENE.test(scene) ? scene : null;
}
