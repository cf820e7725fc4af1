/**
 * Red-envelope packs, newest first, by status: the share card's title, budget and shares,
 * what has been grabbed, the orders and GMV its coupons brought, and when it closes (China
 * time). A row opens the pack's numbers and share tree.
 */
import { formatChinaTime, formatFen, type RedEnvelopePackStatus, type RedEnvelopePackSummary } from '@chatmall/shared';
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Progress, Table, Tag, Typography } from 'antd';
import { Link, useNavigate } from 'react-router';
import { useApiQuery } from '../../api/hooks';
import { CursorPager } from '../../components/cursor-pages';
import { FilterTags } from '../../components/filter-tags';
import { Bi, EmptyState, PageHeader, QueryView } from '../../components/states';
import { useStatusFilter } from '../../components/status-filter';

type Filter = 'all' | RedEnvelopePackStatus;
const PAGE_SIZE = 20;

export const packStatusLabel: Record<RedEnvelopePackStatus, string> = {
  ACTIVE: '进行中 Open',
  EXPIRED: '已结束 Ended',
};

/** Past its end but not yet settled by the expiry job (what is left returns within a minute). */
export const closing = (p: { status: RedEnvelopePackStatus; expiresAt: string }) =>
  p.status === 'ACTIVE' && Date.parse(p.expiresAt) <= Date.now();

export default function RedEnvelopeListPage() {
  const navigate = useNavigate();
  const { status, pages, choose } = useStatusFilter<RedEnvelopePackStatus>(['ACTIVE', 'EXPIRED']);
  const query = useApiQuery('adminListRedEnvelopePacks', {
    query: { status: status === 'all' ? undefined : status, cursor: pages.cursor, limit: PAGE_SIZE },
  });
  const create = () => navigate('/marketing/red-envelopes/new');

  return (
    <>
      <PageHeader
        zh="群红包"
        en="Red envelopes"
        extra={
          <Button type="primary" icon={<PlusOutlined />} className="new-pack" onClick={create}>
            新建红包 New pack
          </Button>
        }
      />
      <Card>
        <FilterTags<Filter>
          className="pack-status-filter"
          value={status}
          options={[
            { value: 'all', label: '全部 All' },
            { value: 'ACTIVE', label: packStatusLabel.ACTIVE },
            { value: 'EXPIRED', label: packStatusLabel.EXPIRED },
          ]}
          onChange={choose}
        />
        <QueryView
          query={query}
          isEmpty={(d) => d.items.length === 0 && !pages.canGoBack}
          empty={
            status === 'all' ? (
              <EmptyState
                zh="还没有群红包"
                en="No packs yet: fund one and share it into your groups"
                action={
                  <Button type="primary" onClick={create}>
                    新建红包 New pack
                  </Button>
                }
              />
            ) : (
              <EmptyState zh="没有这个状态的红包" en="No pack in this status" />
            )
          }
        >
          {(data) => (
            <>
              <Table<RedEnvelopePackSummary>
                className="packs-table"
                rowKey="id"
                size="middle"
                pagination={false}
                dataSource={data.items}
                columns={[
                  {
                    title: <Bi zh="红包" en="Pack" />,
                    render: (_, p) => (
                      <>
                        <Link to={`/marketing/red-envelopes/${p.id}`} className="pack-link">
                          {p.title}
                        </Link>
                        <br />
                        <Typography.Text type="secondary">
                          {p.split === 'random' ? '拼手气 Random' : '平均 Equal'}
                          {p.groupOnly ? ' · 仅限群成员 Group only' : ''}
                          {p.newBuyersOnly ? ' · 仅限新客 New buyers' : ''}
                        </Typography.Text>
                      </>
                    ),
                  },
                  {
                    title: <Bi zh="总金额" en="Budget" />,
                    width: 120,
                    align: 'right',
                    render: (_, p) => <span className="pack-budget">{formatFen(p.budget)}</span>,
                  },
                  {
                    title: <Bi zh="已抢 / 个数" en="Grabbed" />,
                    width: 190,
                    render: (_, p) => (
                      <div className="pack-grabbed">
                        {p.grabbed.count} / {p.shares} · {formatFen(p.grabbed.amount)}
                        <Progress
                          percent={Math.round((p.grabbed.count / p.shares) * 100)}
                          size="small"
                          showInfo={false}
                          strokeColor="#fa541c"
                        />
                      </div>
                    ),
                  },
                  {
                    title: <Bi zh="带来订单" en="Orders" />,
                    width: 140,
                    align: 'right',
                    render: (_, p) => (
                      <>
                        <span className="pack-orders">{p.orders} 单</span>
                        <br />
                        <Typography.Text type="secondary">GMV {formatFen(p.gmv)}</Typography.Text>
                      </>
                    ),
                  },
                  {
                    title: <Bi zh="状态" en="Status" />,
                    width: 235,
                    render: (_, p) => (
                      <>
                        <Tag className="pack-status" color={p.status === 'ACTIVE' && !closing(p) ? 'red' : 'default'}>
                          {closing(p) ? '已到期，结算中 Closing' : packStatusLabel[p.status]}
                        </Tag>
                        <br />
                        <Typography.Text type="secondary">
                          {p.status === 'ACTIVE' ? '截止 Ends' : '截止于 Ended'} {formatChinaTime(p.expiresAt)}
                        </Typography.Text>
                      </>
                    ),
                  },
                  {
                    title: <Bi zh="创建" en="Created" />,
                    width: 145,
                    render: (_, p) => formatChinaTime(p.createdAt),
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
