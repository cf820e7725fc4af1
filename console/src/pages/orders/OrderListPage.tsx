/** Orders, newest first, filtered by status (kept in the URL), a page at a time. */
import { formatChinaTime, formatFen, orderStatusLabel, OrderStatus } from '@chatmall/shared';
import { Card, Image, Space, Table, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { useApiQuery } from '../../api/hooks';
import { CursorPager, useCursorPages } from '../../components/cursor-pages';
import { FilterTags } from '../../components/filter-tags';
import { Bi, EmptyState, PageHeader, QueryView } from '../../components/states';
import { ExportButton } from './ExportButton';
import { statusColor } from './order-status';

const PAGE_SIZE = 20;
const FILTERS = [
  'ALL',
  'PAID',
  'PENDING_PAYMENT',
  'SHIPPED',
  'COMPLETED',
  'PARTIALLY_REFUNDED',
  'REFUNDED',
  'CLOSED',
  'CANCELLED',
] as const;

export default function OrderListPage() {
  const [params, setParams] = useSearchParams();
  const pages = useCursorPages();
  const parsed = OrderStatus.safeParse(params.get('status'));
  const status = parsed.success ? parsed.data : undefined;
  const query = useApiQuery('adminListOrders', { query: { status, cursor: pages.cursor, limit: PAGE_SIZE } });

  return (
    <>
      <PageHeader zh="订单管理" en="Orders" extra={<ExportButton status={status} />} />
      <Card>
        <FilterTags
          className="order-status-filter"
          value={status ?? 'ALL'}
          options={FILTERS.map((f) => ({ value: f, label: f === 'ALL' ? '全部 All' : orderStatusLabel[f] }))}
          onChange={(v) => {
            pages.reset();
            setParams(v === 'ALL' ? {} : { status: v });
          }}
        />
        <QueryView
          query={query}
          isEmpty={(d) => d.items.length === 0 && !pages.canGoBack}
          empty={
            <EmptyState
              zh={status ? '没有这个状态的订单' : '还没有订单'}
              en={status ? 'No orders in this state' : 'No orders yet: they appear here once buyers check out'}
            />
          }
        >
          {(data) => (
            <>
              <Table
                className="orders-table"
                rowKey="id"
                size="middle"
                pagination={false}
                dataSource={data.items}
                columns={[
                  {
                    title: <Bi zh="订单号" en="Order no." />,
                    dataIndex: 'orderNo',
                    width: 210,
                    render: (no: string, o) => (
                      <Link to={`/orders/${o.id}`} className="order-link">
                        {no}
                      </Link>
                    ),
                  },
                  {
                    title: <Bi zh="商品" en="Items" />,
                    render: (_, o) => (
                      <Space>
                        <Image
                          src={o.firstImage}
                          width={40}
                          height={40}
                          preview={false}
                          style={{ objectFit: 'cover', borderRadius: 4 }}
                        />
                        <span>
                          <Typography.Text ellipsis style={{ maxWidth: 320 }}>
                            {o.title}
                          </Typography.Text>
                          <br />
                          <Typography.Text type="secondary">
                            共 {o.itemCount} 件 · {o.itemCount} item{o.itemCount === 1 ? '' : 's'}
                          </Typography.Text>
                        </span>
                      </Space>
                    ),
                  },
                  {
                    title: <Bi zh="实付" en="Payable" />,
                    dataIndex: 'payable',
                    width: 130,
                    align: 'right',
                    render: (fen: number) => formatFen(fen),
                  },
                  {
                    title: <Bi zh="状态" en="Status" />,
                    dataIndex: 'status',
                    width: 190,
                    render: (s: OrderStatus) => <Tag color={statusColor[s]}>{orderStatusLabel[s]}</Tag>,
                  },
                  {
                    title: <Bi zh="下单时间" en="Placed" />,
                    dataIndex: 'createdAt',
                    width: 160,
                    render: (v: string) => formatChinaTime(v),
                  },
                ]}
              />
              <CursorPager pages={pages} nextCursor={data.nextCursor} />
            </>
          )}
        </QueryView>
      </Card>
    </>
  );
}
