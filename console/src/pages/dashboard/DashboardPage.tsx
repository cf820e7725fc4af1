/**
 * The dashboard: numbers first (GMV, paid orders, buyers, average order value, refund rate,
 * new buyers), then the daily sales line, orders by status, top products and today's hours.
 * Owners and marketers choose today / 7 / 30 days (`dashboardOverview`); a clerk sees today
 * (`dashboardToday`). Both read the server's daily aggregates.
 */
import { formatFen, orderStatusLabel, type DashboardKpis, type DashboardRange } from '@chatmall/shared';
import { Card, Col, Row, Segmented, Statistic, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { mayCall } from '../../access';
import { useApiQuery, type Res } from '../../api/hooks';
import { useSession } from '../../api/use-session';
import { Bi, EmptyState, ErrorState, Loading, PageHeader } from '../../components/states';
import { Chart, type ChartOption } from './Chart';

type Overview = Res<'dashboardOverview'>;
type Today = Res<'dashboardToday'>;

const RANGES: { value: DashboardRange; label: string }[] = [
  { value: 'today', label: '今日 Today' },
  { value: '7d', label: '近 7 天 7 days' },
  { value: '30d', label: '近 30 天 30 days' },
];

const axisFen = (v: number) => formatFen(Math.round(v)).replace(/\.00$/, '');
const tooltipFen = (v: unknown) => (typeof v === 'number' ? formatFen(Math.round(v)) : String(v));

export default function DashboardPage() {
  const role = useSession()?.staff.role;
  const full = mayCall(role, 'dashboardOverview');
  const [range, setRange] = useState<DashboardRange>('7d');
  const overview = useApiQuery('dashboardOverview', { query: { range } }, { enabled: full });
  const today = useApiQuery('dashboardToday', {}, { enabled: !full });
  const query = full ? overview : today;

  return (
    <>
      <PageHeader
        zh="经营概况"
        en="Dashboard"
        extra={
          full && (
            <Segmented
              className="dashboard-range"
              value={range}
              options={RANGES}
              onChange={(v) => setRange(v as DashboardRange)}
            />
          )
        }
      />
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorState error={query.error} retry={() => void query.refetch()} />
      ) : (
        <Dashboard data={query.data} />
      )}
    </>
  );
}

function Dashboard({ data }: { data: Overview | Today }) {
  const daily = 'daily' in data ? data.daily : null;
  const top = 'topProducts' in data ? data.topProducts : null;
  const span = 'from' in data ? `${data.from} — ${data.to}` : data.date;
  const noSales = data.kpis.paidOrders === 0 && data.kpis.refunds === 0;
  return (
    <>
      <Typography.Paragraph type="secondary">统计区间 Period（北京时间 China time）：{span}</Typography.Paragraph>
      <Kpis kpis={data.kpis} />
      {noSales ? (
        <Card style={{ marginTop: 16 }}>
          <EmptyState
            zh="这段时间还没有成交，买家付款后这里会出现图表"
            en="No sales in this period yet: charts appear once buyers pay"
          />
        </Card>
      ) : (
        <Row gutter={16} style={{ marginTop: 16 }}>
          {daily && (
            <Col span={24}>
              <Card title={<Bi zh="每日销售额" en="Daily sales" />} style={{ marginBottom: 16 }}>
                <DailyChart daily={daily} />
              </Card>
            </Col>
          )}
          <Col span={12}>
            <Card title={<Bi zh="订单状态" en="Orders by status" />} style={{ marginBottom: 16 }}>
              <StatusChart rows={data.ordersByStatus} />
            </Card>
          </Col>
          <Col span={12}>
            <Card title={<Bi zh="今日分时" en="Today by hour" />} style={{ marginBottom: 16 }}>
              <HourlyChart hours={data.hourly} />
            </Card>
          </Col>
          {top && (
            <Col span={24}>
              <Card title={<Bi zh="热销商品" en="Top products" />}>
                <Table
                  className="top-products"
                  size="small"
                  rowKey="productId"
                  pagination={false}
                  dataSource={top}
                  locale={{ emptyText: <EmptyState zh="暂无" en="None yet" /> }}
                  columns={[
                    { title: '#', width: 48, render: (_, __, i) => i + 1 },
                    { title: <Bi zh="商品" en="Product" />, dataIndex: 'name' },
                    { title: <Bi zh="件数" en="Units" />, dataIndex: 'units', align: 'right', width: 120 },
                    {
                      title: <Bi zh="销售额" en="Revenue" />,
                      dataIndex: 'revenue',
                      align: 'right',
                      width: 160,
                      render: (v: number) => formatFen(v),
                    },
                  ]}
                />
              </Card>
            </Col>
          )}
        </Row>
      )}
    </>
  );
}

function Kpis({ kpis }: { kpis: DashboardKpis }) {
  const cards: { zh: string; en: string; value: string }[] = [
    { zh: '成交额', en: 'GMV', value: formatFen(kpis.gmv) },
    { zh: '支付订单', en: 'Paid orders', value: String(kpis.paidOrders) },
    { zh: '付款买家', en: 'Buyers', value: String(kpis.buyers) },
    { zh: '客单价', en: 'Avg. order', value: formatFen(kpis.averageOrderValue) },
    { zh: '退款率', en: 'Refund rate', value: `${(kpis.refundRate * 100).toFixed(1)}%` },
    { zh: '新买家', en: 'New buyers', value: String(kpis.newBuyers) },
  ];
  return (
    <Row gutter={16} className="dashboard-kpis">
      {cards.map((c) => (
        <Col span={4} key={c.en}>
          <Card size="small">
            <Statistic title={<Bi zh={c.zh} en={c.en} />} value={c.value} />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

function DailyChart({ daily }: { daily: Overview['daily'] }) {
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: tooltipFen },
      legend: { data: ['成交额 GMV', '退款 Refunds'], top: 0, right: 0 },
      grid: { left: 72, right: 24, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: daily.map((d) => d.date.slice(5)) },
      yAxis: { type: 'value', axisLabel: { formatter: axisFen } },
      series: [
        { name: '成交额 GMV', type: 'line', areaStyle: { opacity: 0.15 }, data: daily.map((d) => d.gmv) },
        { name: '退款 Refunds', type: 'line', data: daily.map((d) => d.refundAmount) },
      ],
    }),
    [daily],
  );
  return <Chart className="chart-daily" option={option} />;
}

function StatusChart({ rows }: { rows: Overview['ordersByStatus'] }) {
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'item' },
      legend: { orient: 'vertical', left: 0, top: 'middle' },
      series: [
        {
          type: 'pie',
          radius: ['45%', '70%'],
          center: ['65%', '50%'],
          label: { show: false },
          data: rows.filter((r) => r.count > 0).map((r) => ({ name: orderStatusLabel[r.status], value: r.count })),
        },
      ],
    }),
    [rows],
  );
  return <Chart className="chart-status" option={option} />;
}

function HourlyChart({ hours }: { hours: Overview['hourly'] }) {
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: tooltipFen },
      grid: { left: 64, right: 16, top: 24, bottom: 32 },
      xAxis: { type: 'category', data: hours.map((h) => `${h.hour}时`) },
      yAxis: { type: 'value', axisLabel: { formatter: axisFen } },
      series: [
        { name: '支付金额 Paid', type: 'bar', data: hours.map((h) => h.paidAmount), itemStyle: { color: '#07c160' } },
      ],
    }),
    [hours],
  );
  return <Chart className="chart-hourly" option={option} />;
}
