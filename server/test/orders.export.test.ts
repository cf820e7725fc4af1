/**
 * The orders CSV export: the same orders adminListOrders lists under the same filter, in the
 * same order, across read batches; a UTF-8 BOM first; China-time dates and yuan with two
 * decimals; commas, quotes and line breaks in names survive a round trip; a cell that would
 * run as a spreadsheet formula is made inert; addresses only for orders still to ship; owner
 * and clerk only, and every export audited.
 */
import { newId, type OrderStatus } from '@chatmall/shared';
import { AuditLogEntity } from '../src/modules/auth/audit-log.entity';
import { OrderExport } from '../src/modules/orders/order-export';
import { OrderLineEntity } from '../src/modules/orders/order-line.entity';
import { OrderEntity } from '../src/modules/orders/order.entity';
import { startStack, type TestStack } from './support/harness';
import { api, makeStaff } from './support/people';

jest.setTimeout(60_000);
let stack: TestStack;
let owner: { auth: { authorization: string } };

/** RFC 4180, written here independently of the writer under test. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

const TRICKY = '礼盒, "特级" 金骏眉\n第二行';
const FORMULA = '=HYPERLINK("http://evil.example","点我")';
let seq = 0;

async function insertOrder(status: OrderStatus, o: Partial<OrderEntity> = {}, lineName = '西湖龙井') {
  const id = newId('order');
  const orderNo = `E${Date.now()}${String(++seq).padStart(5, '0')}`;
  const paid = status !== 'PENDING_PAYMENT' && status !== 'CLOSED' && status !== 'CANCELLED';
  await stack.db.getRepository(OrderEntity).insert({
    id,
    orderNo,
    buyerId: 'buyer_export_test',
    clientKey: `export-${id}`,
    status,
    itemsTotal: 17600,
    adjustments: [],
    shippingFee: 1000,
    couponId: null,
    couponDiscount: 0,
    payable: 16600,
    address: {
      recipient: '王五',
      phone: '13900139000',
      province: '广东省',
      city: '深圳市',
      district: '南山区',
      detail: '科技园 8 号',
    },
    note: '',
    payBy: new Date(Date.now() + 15 * 60_000),
    paidAt: paid ? new Date('2026-11-30T16:30:00Z') : null,
    carrier: null,
    trackingNo: null,
    shippedAt: null,
    completedAt: null,
    closedAt: null,
    closeReason: null,
    ...o,
  });
  await stack.db.getRepository(OrderLineEntity).insert({
    id: newId('orderLine'),
    orderId: id,
    skuId: 'sku_export',
    productId: 'prod_export',
    name: lineName,
    specValues: ['50g', '罐装'],
    image: '/media/x.png',
    unitPrice: 8800,
    quantity: 2,
    lineTotal: 17600,
  });
  return { id, orderNo };
}

async function exportCsv(query: string, auth = owner.auth) {
  const res = await fetch(`${stack.baseUrl}/api/admin/orders/export.csv${query}`, { headers: auth });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { res, bytes, rows: parseCsv(bytes.toString('utf8').replace(/^\uFEFF/, '')) };
}

async function listAll(status?: string): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | null = null;
  do {
    const q: string = `?limit=50${status ? `&status=${status}` : ''}${cursor ? `&cursor=${cursor}` : ''}`;
    const page = await api(stack.baseUrl, 'GET', `/api/admin/orders${q}`, owner.auth);
    out.push(...(page.body.items as { orderNo: string }[]).map((o) => o.orderNo));
    cursor = page.body.nextCursor;
  } while (cursor);
  return out;
}

let tricky: { id: string; orderNo: string };
let shipped: { id: string; orderNo: string };
beforeAll(async () => {
  stack = await startStack({ seed: false });
  owner = await makeStaff(stack.db, 'owner');
  // More paid orders than one read batch (200), so the export crosses batches.
  for (let i = 0; i < 205; i++) await insertOrder('PAID');
  for (let i = 0; i < 3; i++) await insertOrder('CLOSED');
  shipped = await insertOrder('SHIPPED', {
    carrier: '顺丰 SF',
    trackingNo: 'SF1234567890',
    shippedAt: new Date('2026-12-01T02:00:00Z'),
  });
  tricky = await insertOrder(
    'PAID',
    {
      note: FORMULA,
      address: {
        recipient: '李, "小四"',
        phone: '13800138000',
        province: '浙江省',
        city: '杭州市',
        district: '西湖区',
        detail: '龙井路 1 号\n2 楼',
      },
    },
    TRICKY,
  );
}, 120_000);
afterAll(async () => stack?.close());

describe('orders CSV export', () => {
  it('is a UTF-8 CSV with a BOM, as an attachment, never cached', async () => {
    const { res, bytes } = await exportCsv('?status=PAID');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="orders-PAID-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('holds exactly the orders the list shows under the same filter, in the same order', async () => {
    for (const status of ['PAID', 'CLOSED', undefined]) {
      const { rows } = await exportCsv(status ? `?status=${status}` : '');
      const [header, ...data] = rows;
      expect(header[0]).toBe('订单号 Order no.');
      expect(data.map((r) => r[0])).toEqual(await listAll(status));
      expect(data.every((r) => r.length === header.length)).toBe(true);
    }
    const { rows } = await exportCsv('?status=PAID');
    expect(rows).toHaveLength(1 + 206);
  });

  it('dates in China time, money in yuan with two decimals, status in words', async () => {
    const { rows } = await exportCsv('?status=SHIPPED');
    const [header, row] = rows;
    const cell = (name: string) => row[header.indexOf(name)];
    expect(row[0]).toBe(shipped.orderNo);
    expect(cell('状态 Status')).toBe('已发货 Shipped');
    expect(cell('支付时间 Paid')).toBe('2026-12-01 00:30:00');
    expect(cell('发货时间 Shipped')).toBe('2026-12-01 10:00:00');
    expect(cell('商品金额 Items total (¥)')).toBe('176.00');
    expect(cell('运费 Shipping (¥)')).toBe('10.00');
    expect(cell('优惠 Discounts (¥)')).toBe('20.00');
    expect(cell('实付 Payable (¥)')).toBe('166.00');
    expect(cell('商品 Items')).toBe('西湖龙井（50g / 罐装） × 2');
    expect(cell('件数 Units')).toBe('2');
    expect(cell('运单号 Tracking no.')).toBe('SF1234567890');
    // Shipped already: the buyer's address and phone are no longer in the file.
    expect([cell('收货人 Recipient'), cell('电话 Phone'), cell('收货地址 Address')]).toEqual(['', '', '']);
  });

  it('commas, quotes and line breaks survive; a formula is made inert; an order to ship carries its address', async () => {
    const { rows } = await exportCsv('?status=PAID');
    const [header, ...data] = rows;
    const row = data.find((r) => r[0] === tricky.orderNo)!;
    const cell = (name: string) => row[header.indexOf(name)];
    expect(cell('商品 Items')).toBe(`${TRICKY}（50g / 罐装） × 2`);
    expect(cell('收货人 Recipient')).toBe('李, "小四"');
    expect(cell('收货地址 Address')).toBe('浙江省杭州市西湖区 龙井路 1 号\n2 楼');
    expect(cell('电话 Phone')).toBe('13800138000');
    expect(cell('买家留言 Buyer note')).toBe(`'${FORMULA}`);
  });

  it('reads in keyset batches: the file comes out a batch at a time, the same rows', async () => {
    const chunks: string[] = [];
    for await (const chunk of new OrderExport(stack.db).csv({ status: 'PAID' }, 7)) chunks.push(chunk);
    expect(chunks).toHaveLength(1 + Math.ceil(206 / 7));
    const { bytes } = await exportCsv('?status=PAID');
    expect(chunks.join('')).toBe(bytes.toString('utf8'));
  });

  it('owner and clerk only; a bad filter is a 400; each export is audited', async () => {
    const marketer = await makeStaff(stack.db, 'marketer');
    expect((await exportCsv('', marketer.auth)).res.status).toBe(403);
    expect((await exportCsv('', {} as { authorization: string })).res.status).toBe(401);
    const clerk = await makeStaff(stack.db, 'clerk');
    expect((await exportCsv('?status=PAID', clerk.auth)).res.status).toBe(200);
    expect((await exportCsv('?status=NOPE')).res.status).toBe(400);
    const audits = await stack.db.getRepository(AuditLogEntity).findBy({ action: 'orders.export', actorId: clerk.id });
    expect(audits.map((a) => a.detail)).toEqual([{ status: 'PAID' }]);
  });
});
