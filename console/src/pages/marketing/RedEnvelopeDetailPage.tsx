/**
 * One pack: its terms, and what it did — funded, grabbed, used, returned, left, orders, GMV
 * (numbers and a bar per stage) — who grabbed how much (the luckiest, 手气最佳, marked), the
 * share links (who shared it into which group and what that brought) and the share tree (who
 * brought whom). Refreshes every 15 s while the pack is open.
 */
import {
  formatChinaTime,
  formatFen,
  type RedEnvelopePackDetail,
  type RedEnvelopePackGrab,
  type RedEnvelopeShareLink,
  type RedEnvelopeTreeNode,
} from '@chatmall/shared';
import { ArrowLeftOutlined, CrownFilled, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { useApiQuery } from '../../api/hooks';
import { Bi, EmptyState, PageHeader, QueryView } from '../../components/states';
import { maskedId, scopeText, validityText } from './marketing-text';
import { PackFunnel, ShareTree } from './PackCharts';
import { closing, packStatusLabel } from './RedEnvelopeListPage';

export default function RedEnvelopeDetailPage() {
  const { id = '' } = useParams();
  const query = useApiQuery(
    'adminGetRedEnvelopePack',
    { params: { id } },
    { refetchInterval: (q) => (q.state.data?.pack.status === 'ACTIVE' ? 15_000 : false) },
  );
  return (
    <>
      <PageHeader
        zh="红包详情"
        en="Pack"
        extra={
          <Space>
            <Link to="/marketing/red-envelopes">
              <Button icon={<ArrowLeftOutlined />}>返回列表 Back</Button>
            </Link>
            <Button
              icon={<ReloadOutlined />}
              className="refresh-pack"
              loading={query.isFetching}
              onClick={() => void query.refetch()}
            >
              刷新 Refresh
            </Button>
          </Space>
        }
      />
      <QueryView query={query}>{(d) => <PackView detail={d} />}</QueryView>
    </>
  );
}

function thresholdText(t: RedEnvelopePackDetail['pack']['coupon']['threshold']): string {
  switch (t.kind) {
    case 'none':
      return '无门槛 No minimum';
    case 'multiple':
      return `满券面额 ${t.multiple} 倍可用 · on orders of ${t.multiple}× the share`;
    case 'fixed':
      return `满 ${formatFen(t.threshold)} 可用 · on orders from ${formatFen(t.threshold)}`;
  }
}

/**
 * The grabs as the server lists them (newest first, the luckiest marked: the largest amount,
 * of equal amounts the earliest grab), with who brought each buyer and what they ordered from
 * the share tree.
 */
function grabsOf(grabs: RedEnvelopePackGrab[], tree: RedEnvelopeTreeNode[]) {
  const nodes = new Map(tree.map((n) => [n.id, n]));
  return grabs.map((g) => ({
    ...g,
    broughtBy: g.sharerId ? (nodes.get(g.sharerId)?.name ?? maskedId(g.sharerId)) : '店铺 Shop',
    orders: nodes.get(g.buyerId)?.orders ?? 0,
    gmv: nodes.get(g.buyerId)?.gmv ?? 0,
  }));
}

function PackView({ detail }: { detail: RedEnvelopePackDetail }) {
  const { pack, stats } = detail;
  const grabs = grabsOf(detail.grabs, stats.tree);
  const isClosing = closing(pack);
  const categories = useApiQuery('listCategories', {});
  const categoryNames = new Map((categories.data?.items ?? []).map((c) => [c.id, c.name]));
  const luckyFinal = pack.status === 'EXPIRED' || stats.left.count === 0;

  return (
    <>
      <Card className="pack-summary" style={{ marginBottom: 16 }}>
        <Descriptions
          title={
            <Space size={12}>
              <span className="pack-title">{pack.title}</span>
              <Tag className="pack-status" color={pack.status === 'ACTIVE' && !isClosing ? 'red' : 'default'}>
                {isClosing ? '已到期，结算中 Closing' : packStatusLabel[pack.status]}
              </Tag>
            </Space>
          }
          column={2}
          size="small"
          items={[
            { key: 'budget', label: '总金额 Budget', children: formatFen(pack.budget) },
            {
              key: 'shares',
              label: '个数 Shares',
              children: `${pack.shares} 个 · ${pack.split === 'random' ? '拼手气 Random' : '平均 Equal'}，每份最少 min ${formatFen(pack.minimumShare)}`,
            },
            {
              key: 'expires',
              label: '截止（北京时间）Ends, China time',
              children: formatChinaTime(pack.expiresAt),
            },
            {
              key: 'who',
              label: '谁能抢 Who',
              children:
                [pack.groupOnly ? '仅限群成员 Group only' : '', pack.newBuyersOnly ? '仅限新客 New buyers only' : '']
                  .filter(Boolean)
                  .join(' · ') || '所有买家 Any buyer',
            },
            {
              key: 'coupon',
              label: '每份变成 Each share becomes',
              children: `${pack.coupon.title} · ${thresholdText(pack.coupon.threshold)}`,
            },
            {
              key: 'scope',
              label: '范围与有效期 Where, when',
              children: `${scopeText(pack.coupon.scope, { categories: categoryNames })} · ${validityText(pack.coupon.validity)}`,
            },
            {
              key: 'share',
              label: '分享路径 Share path',
              span: 2,
              children: (
                <Typography.Text copyable code className="pack-share-path">
                  {pack.sharePath}
                </Typography.Text>
              ),
            },
          ]}
        />
      </Card>

      {stats.pendingGrabs > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message={`还有 ${stats.pendingGrabs} 笔刚抢到的正在入账 · ${stats.pendingGrabs} grabs are being recorded`}
        />
      )}

      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col span={10}>
          <Card title={<Bi zh="数据" en="Numbers" />} className="pack-numbers" style={{ height: '100%' }}>
            <Row gutter={[16, 16]}>
              {[
                {
                  k: 'funded',
                  zh: '发放',
                  en: 'Funded',
                  v: formatFen(stats.funded.amount),
                  sub: `${stats.funded.count} 份`,
                },
                {
                  k: 'grabbed',
                  zh: '已抢',
                  en: 'Grabbed',
                  v: formatFen(stats.grabbed.amount),
                  sub: `${stats.grabbed.count} 份`,
                },
                { k: 'used', zh: '已使用', en: 'Used', v: formatFen(stats.used.amount), sub: `${stats.used.count} 张` },
                {
                  k: 'returned',
                  zh: '已退回',
                  en: 'Returned',
                  v: formatFen(stats.returned.amount),
                  sub: `${stats.returned.count} 份`,
                },
                { k: 'orders', zh: '订单', en: 'Orders', v: String(stats.orders), sub: '已支付 paid' },
                { k: 'gmv', zh: '成交额', en: 'GMV', v: formatFen(stats.gmv), sub: '用券订单 with its coupons' },
              ].map((s) => (
                <Col span={12} key={s.k}>
                  <Statistic
                    className={`stat-${s.k}`}
                    title={<Bi zh={s.zh} en={s.en} />}
                    value={s.v}
                    valueStyle={{ fontSize: 22 }}
                  />
                  <Typography.Text type="secondary">{s.sub}</Typography.Text>
                </Col>
              ))}
            </Row>
          </Card>
        </Col>
        <Col span={14}>
          <Card title={<Bi zh="金额去向" en="Where the budget went" />} style={{ height: '100%' }}>
            <PackFunnel stats={stats} />
          </Card>
        </Col>
      </Row>

      <Card
        title={<Bi zh="分享关系" en="Share tree: who brought whom" />}
        style={{ marginBottom: 16 }}
        extra={
          <Typography.Text type="secondary">
            <CrownFilled style={{ color: '#fa541c' }} /> 手气最佳 Luckiest
          </Typography.Text>
        }
      >
        {stats.tree.length > 1 ? (
          <ShareTree
            nodes={stats.tree}
            luckiest={new Set(detail.grabs.filter((g) => g.luckiest).map((g) => g.buyerId))}
          />
        ) : (
          <EmptyState zh="还没有人打开这个红包" en="Nobody has opened it yet: share it into a group" />
        )}
      </Card>

      <Row gutter={[16, 16]}>
        <Col span={24}>
          <Card
            title={
              <Bi
                zh={`领取记录（${stats.grabbed.count}${stats.grabbed.count > grabs.length ? `，显示最近 ${grabs.length} 条` : ''}）`}
                en={stats.grabbed.count > grabs.length ? `Grabs, the latest ${grabs.length}` : 'Grabs'}
              />
            }
            extra={
              !luckyFinal && grabs.length > 0 ? (
                <Typography.Text type="secondary">手气最佳到抢完为止 · until all are grabbed</Typography.Text>
              ) : null
            }
          >
            <Table
              className="grabs-table"
              rowKey="buyerId"
              size="small"
              dataSource={grabs}
              pagination={grabs.length > 10 ? { pageSize: 10, size: 'small' } : false}
              locale={{ emptyText: <EmptyState zh="还没有人抢" en="No grabs yet" /> }}
              columns={[
                {
                  title: <Bi zh="买家" en="Buyer" />,
                  render: (_, g) => (
                    <>
                      <span className="grab-name">{g.nickname}</span>
                      {g.luckiest && (
                        <Tag color="volcano" className="luckiest" style={{ marginLeft: 8 }}>
                          <CrownFilled /> 手气最佳 Luckiest
                        </Tag>
                      )}
                      <br />
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {maskedId(g.buyerId)}
                      </Typography.Text>
                    </>
                  ),
                },
                {
                  title: <Bi zh="金额" en="Amount" />,
                  width: 140,
                  align: 'right',
                  render: (_, g) => <span className="grab-amount">{formatFen(g.amount)}</span>,
                },
                {
                  title: <Bi zh="抢到时间（北京时间）" en="Grabbed at, China time" />,
                  width: 190,
                  render: (_, g) => <span className="grab-time">{formatChinaTime(g.grabbedAt, 'second')}</span>,
                },
                {
                  title: <Bi zh="谁带来的" en="Brought by" />,
                  width: 200,
                  render: (_, g) => g.broughtBy,
                },
                {
                  title: <Bi zh="订单 · 成交额" en="Orders · GMV" />,
                  width: 200,
                  align: 'right',
                  render: (_, g) => (g.orders ? `${g.orders} · ${formatFen(g.gmv)}` : '—'),
                },
              ]}
            />
          </Card>
        </Col>
        <Col span={24}>
          <Card title={<Bi zh="分享链接" en="Share links" />}>
            <Table<RedEnvelopeShareLink>
              className="links-table"
              rowKey={(l) => `${l.sharerId ?? ''}|${l.groupKey ?? ''}`}
              size="small"
              dataSource={stats.links}
              pagination={stats.links.length > 10 ? { pageSize: 10, size: 'small' } : false}
              locale={{ emptyText: <EmptyState zh="还没有分享记录" en="No shares yet" /> }}
              columns={[
                {
                  title: <Bi zh="分享人 → 群" en="Sharer → group" />,
                  render: (_, l) => (
                    <>
                      {l.sharerName ?? '店铺 Shop'}
                      <br />
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {l.groupKey ? `群 Group ${l.groupKey}` : '单聊或未知 Chat or unknown'}
                      </Typography.Text>
                    </>
                  ),
                },
                { title: <Bi zh="打开" en="Opens" />, dataIndex: 'opens', width: 120, align: 'right' },
                {
                  title: <Bi zh="首次打开" en="First opened" />,
                  width: 190,
                  render: (_, l) => formatChinaTime(l.firstOpenedAt),
                },
                {
                  title: <Bi zh="抢到" en="Grabs" />,
                  width: 160,
                  align: 'right',
                  render: (_, l) => `${l.grabs} · ${formatFen(l.grabbedAmount)}`,
                },
                {
                  title: <Bi zh="成交额" en="GMV" />,
                  width: 160,
                  align: 'right',
                  render: (_, l) => formatFen(l.gmv),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
