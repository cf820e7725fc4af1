/**
 * Offline touchpoints (a store, table, counter or flyer): each gets a scene QR of the official
 * account (permanent QR_LIMIT_STR_SCENE, or temporary QR_STR_SCENE up to 30 days) and a
 * mini-program code with the same scene, both rendered locally as printable files. What a
 * touchpoint brings is counted from events, once each: scans and new followers from
 * `follower.*`, first orders from `order.paid` (a buyer's first paid order within 30 days of
 * being attributed to it), published as `touchpoint.first_order`.
 */
import { randomBytes } from 'node:crypto';
import { type NearbyStore, type Touchpoint, type TouchpointInput, type TouchpointKind } from '@chatmall/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { Between } from 'typeorm';
import { insertIgnore } from '../../kernel/dialect';
import { execute } from '../../kernel/sql';
import { ConflictError, NotFoundError, ValidationError } from '../../kernel/errors';
import type { Logger } from '../../kernel/logger';
import { noTx, withTx } from '../../kernel/tx';
import type { OfficialAccountApi } from '../../wechat/api/official-account';
import type { MiniProgramApi } from '../../wechat/miniprogram/miniprogram';
import { unlimitedCode } from '../../wechat/api/wxacode';
import { publish } from '../events';
import { a6Pdf, qrPng } from './printables';
import { TouchpointDayEntity, TouchpointEntity, TouchpointFirstOrderEntity } from './touchpoint.entity';

/** A first order counts for the touchpoint within 30 days of the attribution. */
export const FIRST_ORDER_WINDOW_MS = 30 * 86_400_000;
const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** The China-time calendar day of an instant (the merchant's day). */
export const chinaDay = (at: Date) => new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);

/** `tp_` + 16 lowercase base-36 characters: the id and the scene (≤ 32 for the mini-program code). */
function touchpointId(): string {
  const bytes = randomBytes(16);
  let s = '';
  for (const b of bytes) s += (b % 36).toString(36);
  return `tp_${s}`;
}

/** Great-circle distance in metres (haversine, mean Earth radius). */
export function distanceM(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(lat2 - lat1);
  const dLng = rad(lng2 - lng1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLng / 2) ** 2;
  return Math.round(2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(a))));
}

/** What attribution needs of other modules, through their services. */
export interface AttributionPorts {
  /** The paid order's buyer and amount (orders module). */
  paidOrder(orderNo: string): Promise<{ buyerId: string; payable: number; paidAt: Date } | null>;
  /** The buyer's earliest paid order at or after a time (orders module). */
  firstPaidSince(buyerId: string, since: Date): Promise<string | null>;
  /** The follower this buyer is (followers module, linked by unionid). */
  followerOfBuyer(buyerId: string): Promise<{ touchpointId: string | null; touchpointAt: Date | null } | null>;
}

const zeros = { scans: 0, newFollowers: 0, firstOrders: 0, gmv: 0 };
type Counter = 'scans' | 'new_followers' | 'first_orders';

export class TouchpointService {
  constructor(
    private readonly db: DataSource,
    private readonly deps: {
      oa: () => OfficialAccountApi;
      miniProgram: MiniProgramApi;
      apiBase: string;
      shopName: () => Promise<string>;
      ports: AttributionPorts;
      log: Logger;
    },
  ) {}

  view(t: TouchpointEntity): Touchpoint {
    return {
      id: t.id,
      kind: t.kind,
      name: t.name,
      scene: t.id,
      qrTicket: t.qrTicket,
      qrUrl: t.qrUrl,
      qrExpiresAt: t.qrExpiresAt?.toISOString() ?? null,
      store:
        t.kind === 'store' && t.latitudeE6 !== null && t.longitudeE6 !== null
          ? {
              address: t.address ?? '',
              latitude: t.latitudeE6 / 1e6,
              longitude: t.longitudeE6 / 1e6,
              hours: t.hours ?? '',
              phone: t.phone ?? '',
            }
          : null,
      createdAt: t.createdAt.toISOString(),
    };
  }

  async get(id: string): Promise<TouchpointEntity> {
    const t = await this.db.getRepository(TouchpointEntity).findOneBy({ id });
    if (!t) throw new NotFoundError('Touchpoint');
    return t;
  }

  /** Creates the touchpoint and its scene QR on WeChat (the code first: no touchpoint without one). */
  async create(input: TouchpointInput): Promise<Touchpoint> {
    const id = touchpointId();
    const temporary = input.qr === 'temporary';
    const qr = await this.deps
      .oa()
      .createQrCode(
        temporary ? 'QR_STR_SCENE' : 'QR_LIMIT_STR_SCENE',
        id,
        temporary ? input.expireDays! * 86_400 : undefined,
      );
    if (!qr.ok)
      throw new ConflictError(
        `微信未能生成二维码 WeChat did not make the QR code (${qr.error.errcode ?? qr.error.kind})`,
      );
    const row = this.db.getRepository(TouchpointEntity).create({
      id,
      kind: input.kind,
      name: input.name,
      qrTicket: qr.value.ticket,
      qrUrl: qr.value.url,
      qrExpiresAt: temporary ? new Date(Date.now() + (qr.value.expire_seconds ?? 0) * 1000) : null,
      address: input.store?.address ?? null,
      latitudeE6: input.store ? Math.round(input.store.latitude * 1e6) : null,
      longitudeE6: input.store ? Math.round(input.store.longitude * 1e6) : null,
      hours: input.store?.hours ?? null,
      phone: input.store?.phone ?? null,
    });
    await this.db.getRepository(TouchpointEntity).insert(row);
    return this.view(await this.get(id));
  }

  async list(kind?: TouchpointKind) {
    const rows = await this.db
      .getRepository(TouchpointEntity)
      .find({ where: kind ? { kind } : {}, order: { createdAt: 'DESC', id: 'ASC' } });
    const totals = (await this.db.query(
      `SELECT touchpoint_id AS id, SUM(scans) AS scans, SUM(new_followers) AS nf, SUM(first_orders) AS fo, SUM(gmv) AS gmv
         FROM touchpoint_days GROUP BY touchpoint_id`,
    )) as { id: string; scans: unknown; nf: unknown; fo: unknown; gmv: unknown }[];
    const by = new Map(totals.map((t) => [t.id, t]));
    return {
      items: rows.map((r) => {
        const t = by.get(r.id);
        return {
          ...this.view(r),
          stats: t
            ? { scans: Number(t.scans), newFollowers: Number(t.nf), firstOrders: Number(t.fo), gmv: Number(t.gmv) }
            : { ...zeros },
        };
      }),
    };
  }

  /** Totals and one entry per China-time day in [from, to] (zeros included): the chart's series. */
  async stats(id: string, from: string, to: string) {
    await this.get(id);
    const start = Date.parse(`${from}T00:00:00Z`);
    const end = Date.parse(`${to}T00:00:00Z`);
    if (!(end >= start)) throw new ValidationError([{ path: 'query.to', message: 'to is before from' }]);
    if (end - start > 366 * DAY_MS) throw new ValidationError([{ path: 'query.to', message: 'at most 366 days' }]);
    const rows = await this.db
      .getRepository(TouchpointDayEntity)
      .find({ where: { touchpointId: id, day: Between(from, to) } });
    const by = new Map(rows.map((r) => [r.day, r]));
    const days = [];
    const totals = { ...zeros };
    for (let t = start; t <= end; t += DAY_MS) {
      const date = new Date(t).toISOString().slice(0, 10);
      const r = by.get(date);
      const d = r
        ? { scans: r.scans, newFollowers: r.newFollowers, firstOrders: r.firstOrders, gmv: Number(r.gmv) }
        : { ...zeros };
      for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += d[k];
      days.push({ date, ...d });
    }
    return { touchpointId: id, totals, days };
  }

  /**
   * Stores nearest first from a point. A merchant has tens of stores, not thousands: all are
   * read and sorted here, which works the same on MySQL and SQLite.
   */
  async nearby(lat: number, lng: number, limit: number): Promise<{ items: NearbyStore[] }> {
    const stores = await this.db.getRepository(TouchpointEntity).findBy({ kind: 'store' });
    const items = stores
      .filter((s) => s.latitudeE6 !== null && s.longitudeE6 !== null)
      .map((s) => {
        const latitude = s.latitudeE6! / 1e6;
        const longitude = s.longitudeE6! / 1e6;
        return {
          id: s.id,
          name: s.name,
          address: s.address ?? '',
          latitude,
          longitude,
          hours: s.hours ?? '',
          phone: s.phone ?? '',
          distanceM: distanceM(lat, lng, latitude, longitude),
        };
      })
      .sort((a, b) => a.distanceM - b.distanceM || a.id.localeCompare(b.id))
      .slice(0, limit);
    return { items };
  }

  // ---- printable files -------------------------------------------------------------------

  private fileName(t: TouchpointEntity, what: string) {
    return `${t.name}-${what}`;
  }

  async qrPngFile(id: string) {
    const t = await this.get(id);
    return { filename: this.fileName(t, '公众号二维码'), body: once(await qrPng(t.qrUrl)) };
  }

  async pdfFile(id: string) {
    const t = await this.get(id);
    const pdf = await a6Pdf({ shopName: await this.deps.shopName(), touchpointName: t.name, qrText: t.qrUrl });
    return { filename: this.fileName(t, 'A6'), body: once(pdf) };
  }

  /** The mini-program code with the touchpoint's scene, drawn by WeChat (getwxacodeunlimit). */
  async wxacodeFile(id: string, page: string | undefined) {
    const t = await this.get(id);
    const got = await unlimitedCode(this.deps.miniProgram.client, this.deps.apiBase, {
      scene: t.id,
      page,
      checkPath: false,
      width: 860,
    });
    if (!got.ok)
      throw new ConflictError(
        `微信未能生成小程序码 WeChat did not draw the mini-program code (${got.error.errcode ?? got.error.kind})`,
      );
    return { filename: this.fileName(t, '小程序码'), body: once(got.value.bytes) };
  }

  // ---- attribution (event subscribers) ---------------------------------------------------

  /** Adds to a touchpoint's day counter; the outbox runs each effect once per event. */
  async count(touchpointId: string, at: Date, counter: Counter, by = 1, gmv = 0): Promise<void> {
    const day = chinaDay(at);
    await withTx(this.db, noTx, async ({ tx }) => {
      await ensureDay(tx, touchpointId, day);
      await tx.query(
        `UPDATE touchpoint_days SET ${counter} = ${counter} + ?, gmv = gmv + ? WHERE touchpoint_id = ? AND day = ?`,
        [by, gmv, touchpointId, day],
      );
    });
  }

  /**
   * A paid order: the buyer's first within 30 days of their attribution to a touchpoint counts
   * for it, once per buyer (the primary key), and is published as `touchpoint.first_order`.
   */
  async attributeOrder(orderNo: string): Promise<boolean> {
    const order = await this.deps.ports.paidOrder(orderNo);
    if (!order) return false;
    const follower = await this.deps.ports.followerOfBuyer(order.buyerId);
    if (!follower?.touchpointId || !follower.touchpointAt) return false;
    const since = order.paidAt.getTime() - follower.touchpointAt.getTime();
    if (since < 0 || since > FIRST_ORDER_WINDOW_MS) return false;
    // Paid events may be handled out of order: only the earliest paid order since the
    // attribution counts, whichever event arrives first.
    if ((await this.deps.ports.firstPaidSince(order.buyerId, follower.touchpointAt)) !== orderNo) return false;
    const touchpointId = follower.touchpointId;
    return withTx(this.db, noTx, async ({ tx }) => {
      const added = await execute(
        tx,
        `${insertIgnore(tx)} INTO touchpoint_first_orders (buyer_id, touchpoint_id, order_no, amount, paid_at) VALUES (?, ?, ?, ?, ?)`,
        [order.buyerId, touchpointId, orderNo, order.payable, order.paidAt],
      );
      if (added !== 1) return false;
      await publish(tx, 'touchpoint.first_order', order.buyerId, {
        touchpointId,
        orderNo,
        buyerId: order.buyerId,
        amount: order.payable,
      });
      return true;
    });
  }

  async firstOrders(touchpointId: string) {
    return this.db
      .getRepository(TouchpointFirstOrderEntity)
      .find({ where: { touchpointId }, order: { paidAt: 'ASC' } });
  }
}

async function ensureDay(tx: EntityManager, touchpointId: string, day: string): Promise<void> {
  await tx.query(
    `${insertIgnore(tx)} INTO touchpoint_days (touchpoint_id, day, scans, new_followers, first_orders, gmv) VALUES (?, ?, 0, 0, 0, 0)`,
    [touchpointId, day],
  );
}

async function* once(b: Buffer): AsyncIterable<Buffer> {
  yield b;
}
