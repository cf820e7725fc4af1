/**
 * The orders CSV export (订单导出): the orders adminListOrders lists, with the same filters,
 * newest first, as a file Excel opens in Chinese (UTF-8 with a BOM), times in China time and
 * money in yuan with two decimals. Rows are read in keyset batches and written batch by batch
 * as the client reads, so a shop's whole history is never in memory at once.
 *
 * What it carries of the buyer (decided here, docs: issue 13): the recipient's name, phone
 * and address only for orders still to be shipped (paid, not yet shipped), because that is
 * what a clerk exports them for (the courier's label). Orders already shipped, completed,
 * closed, cancelled or refunded leave those columns empty: their address is no longer the
 * merchant's business, and a file travels further than the console. No buyer id, openid or
 * nickname is exported. The buyer's note stays (it is an instruction for the parcel).
 */
import { chinaDate, contract, formatChinaTime, orderStatusLabel, type OrderStatus } from '@chatmall/shared';
import { stringify } from 'csv-stringify/sync';
import { In, type DataSource } from 'typeorm';
import type { ContractRouter } from '../../http/contract-router';
import { newestFirst } from '../../kernel/pagination';
import { withTx } from '../../kernel/tx';
import { recordAudit } from '../auth/audit.service';
import { OrderLineEntity } from './order-line.entity';
import { OrderEntity } from './order.entity';

export const EXPORT_BATCH = 200;
const BOM = '\uFEFF';

const COLUMNS = [
  '订单号 Order no.',
  '状态 Status',
  '下单时间 Placed',
  '支付时间 Paid',
  '商品 Items',
  '件数 Units',
  '商品金额 Items total (¥)',
  '运费 Shipping (¥)',
  '优惠 Discounts (¥)',
  '实付 Payable (¥)',
  '收货人 Recipient',
  '电话 Phone',
  '收货地址 Address',
  '买家留言 Buyer note',
  '快递公司 Carrier',
  '运单号 Tracking no.',
  '发货时间 Shipped',
];

/** Paid and not yet shipped: the orders whose address the merchant still needs. */
const needsShipping = (o: OrderEntity) =>
  (o.status === 'PAID' || o.status === 'PARTIALLY_REFUNDED') && o.shippedAt === null;

/** Integer fen → `88.00` (yuan, two decimals, no symbol or grouping: a number to Excel). */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Text a buyer or merchant typed, made inert for spreadsheets: a cell starting with = + - @
 * (or a tab/CR) would run as a formula in Excel, so it gets a leading apostrophe (OWASP
 * "CSV injection"). Quoting of commas, quotes and line breaks is the CSV writer's.
 */
export function text(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const when = (d: Date | null) => (d ? formatChinaTime(d, 'second') : '');

export class OrderExport {
  constructor(private readonly db: DataSource) {}

  /** The whole file, a batch of rows at a time (the BOM and header first). */
  async *csv(filter: { status?: OrderStatus }, batch = EXPORT_BATCH): AsyncGenerator<string> {
    yield BOM + stringify([COLUMNS]);
    let cursor: string | undefined;
    do {
      const qb = this.db.getRepository(OrderEntity).createQueryBuilder('o');
      if (filter.status) qb.andWhere('o.status = :status', { status: filter.status });
      const page = await newestFirst(qb, { cursor, limit: batch });
      if (page.items.length === 0) return;
      const lines = await this.db
        .getRepository(OrderLineEntity)
        .find({ where: { orderId: In(page.items.map((o) => o.id)) }, order: { id: 'ASC' } });
      const byOrder = new Map<string, OrderLineEntity[]>();
      for (const l of lines) byOrder.set(l.orderId, [...(byOrder.get(l.orderId) ?? []), l]);
      yield stringify(page.items.map((o) => this.row(o, byOrder.get(o.id) ?? [])));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  private row(o: OrderEntity, lines: OrderLineEntity[]): string[] {
    const items = lines
      .map((l) => `${l.name}${l.specValues.length ? `（${l.specValues.join(' / ')}）` : ''} × ${l.quantity}`)
      .join('；');
    const ship = needsShipping(o);
    const a = o.address;
    return [
      o.orderNo,
      orderStatusLabel[o.status] ?? o.status,
      when(o.createdAt),
      when(o.paidAt),
      text(items),
      String(lines.reduce((n, l) => n + l.quantity, 0)),
      yuan(o.itemsTotal),
      yuan(o.shippingFee),
      // Everything taken off between the goods and what was paid (member price, coupon, …).
      yuan(Math.max(0, o.itemsTotal + o.shippingFee - o.payable)),
      yuan(o.payable),
      ship ? text(a.recipient) : '',
      ship ? text(a.phone) : '',
      ship ? text(`${a.province}${a.city}${a.district} ${a.detail}`) : '',
      text(o.note ?? ''),
      text(o.carrier ?? ''),
      text(o.trackingNo ?? ''),
      when(o.shippedAt),
    ];
  }
}

/** GET /api/admin/orders/export.csv: audited when it starts (who, which filter), then streamed. */
export function orderExportRoutes(router: ContractRouter, db: DataSource, exporter: OrderExport): void {
  router.handle(contract.exportOrders, async ({ ctx, principal, query }) => {
    await withTx(db, ctx, ({ tx }) =>
      recordAudit(tx, principal, 'orders.export', 'order', 'export', { status: query.status ?? null }),
    );
    const day = chinaDate(Date.now());
    return { filename: `orders-${query.status ? `${query.status}-` : ''}${day}`, body: exporter.csv(query) };
  });
}
