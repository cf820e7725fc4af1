/**
 * 资金 Money: the daily reconciliation of a chosen China-time day (paid and refunded per our
 * records and per WeChat Pay, every difference with a link to its order) and the WeChat Pay
 * notification log with its refusal reasons, filtered by outcome. The day and the filter
 * live in the URL, so a link shares the view.
 */
import { chinaDate, formatChinaTime, formatFen } from '@chatmall/shared';
import { Alert, Button, Card, Col, DatePicker, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { Link, useSearchParams } from 'react-router';
import { useApiQuery, type Res } from '../../api/hooks';
import { FilterTags } from '../../components/filter-tags';
import { Bi, EmptyState, PageHeader, QueryView } from '../../components/states';
import {
  label,
  notificationOutcomes,
  outcomeAlarming,
  outcomeLabel,
  payEventLabel,
  rejectReasonLabel,
  tradeStateLabel,
} from './money-labels';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
dayjs.locale('zh-cn'); // the date picker's weekdays and months, as antd's zh_CN locale expects

/** `2026-11-30` ± days, on the calendar (no time zone involved). */
function shiftDate(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export default function MoneyPage() {
  const [params, setParams] = useSearchParams();
  const today = chinaDate(Date.now());
  const asked = params.get('date') ?? '';
  const date = DATE.test(asked) && asked <= today ? asked : today;
  const outcome = params.get('outcome') ?? 'ALL';
  const set = (key: string, value: string | null) =>
    setParams((p) => {
      const q = new URLSearchParams(p);
      if (value === null) q.delete(key);
      else q.set(key, value);
      return q;
    });

  return (
    <>
      <PageHeader
        zh="资金对账"
        en="Money"
        extra={
          <Space className="money-date">
            <Button onClick={() => set('date', shiftDate(date, -1))}>‹ 前一天 Previous day</Button>
            <DatePicker
              aria-label="对账日期 Date"
              className="money-date-input"
              allowClear={false}
              value={dayjs(date)}
              format="YYYY-MM-DD"
              disabledDate={(d) => d.format('YYYY-MM-DD') > today}
              onChange={(d) => d && set('date', d.format('YYYY-MM-DD'))}
              style={{ width: 150 }}
            />
            <Button disabled={date >= today} onClick={() => set('date', shiftDate(date, 1))}>
              后一天 Next day ›
            </Button>
            <Button disabled={date === today} onClick={() => set('date', null)}>
              今天 Today
            </Button>
          </Space>
        }
      />
      <Reconciliation date={date} />
      <NotificationLog outcome={outcome} onOutcome={(v) => set('outcome', v === 'ALL' ? null : v)} />
    </>
  );
}

function Reconciliation({ date }: { date: string }) {
  const query = useApiQuery('adminReconciliation', { query: { date } });
  return (
    <Card
      className="reconciliation"
      title={<Bi zh={`每日对账 · ${date}`} en="Daily reconciliation (China time)" />}
      style={{ marginBottom: 16 }}
    >
      <QueryView query={query}>{(data) => <ReconciliationView data={data} />}</QueryView>
    </Card>
  );
}

function Side({ title, count, amount, differs }: { title: string; count: number; amount: number; differs: boolean }) {
  return (
    <Statistic
      title={title}
      value={formatFen(amount)}
      valueStyle={differs ? { color: '#cf1322' } : undefined}
      suffix={
        <Typography.Text type="secondary" style={{ fontSize: 14 }}>
          {count} 笔 · {count} item{count === 1 ? '' : 's'}
        </Typography.Text>
      }
    />
  );
}

function ReconciliationView({ data }: { data: Res<'adminReconciliation'> }) {
  const paidDiffers = data.ours.paidAmount !== data.wechat.paidAmount || data.ours.paidCount !== data.wechat.paidCount;
  const refundDiffers =
    data.refunds.ours.amount !== data.refunds.wechat.amount || data.refunds.ours.count !== data.refunds.wechat.count;
  return (
    <>
      <Row gutter={24} className="reconciliation-totals">
        <Col span={6}>
          <Side
            title="我方收款 Paid (our records)"
            count={data.ours.paidCount}
            amount={data.ours.paidAmount}
            differs={paidDiffers}
          />
        </Col>
        <Col span={6}>
          <Side
            title="微信支付收款 Paid (WeChat Pay)"
            count={data.wechat.paidCount}
            amount={data.wechat.paidAmount}
            differs={paidDiffers}
          />
        </Col>
        <Col span={6}>
          <Side
            title="我方退款 Refunded (our records)"
            count={data.refunds.ours.count}
            amount={data.refunds.ours.amount}
            differs={refundDiffers}
          />
        </Col>
        <Col span={6}>
          <Side
            title="微信支付退款 Refunded (WeChat Pay)"
            count={data.refunds.wechat.count}
            amount={data.refunds.wechat.amount}
            differs={refundDiffers}
          />
        </Col>
      </Row>
      <div style={{ marginTop: 24 }}>
        {data.mismatches.length === 0 ? (
          <Alert
            className="reconciliation-ok"
            type="success"
            showIcon
            message={<Bi zh="两边一致，没有差异" en="Our records and WeChat Pay agree" />}
          />
        ) : (
          <>
            <Alert
              className="reconciliation-differences"
              type="error"
              showIcon
              style={{ marginBottom: 12 }}
              message={
                <Bi
                  zh={`${data.mismatches.length} 笔不一致，请逐笔核对`}
                  en={`${data.mismatches.length} difference${data.mismatches.length === 1 ? '' : 's'} to look into`}
                />
              }
            />
            <Table
              className="mismatch-table"
              rowKey={(m) => `${m.kind}:${m.outRefundNo ?? m.orderNo}`}
              size="middle"
              pagination={false}
              dataSource={data.mismatches}
              columns={[
                {
                  title: <Bi zh="类型" en="Kind" />,
                  dataIndex: 'kind',
                  width: 120,
                  render: (k: string) =>
                    k === 'refund' ? <Tag color="orange">退款 Refund</Tag> : <Tag color="blue">收款 Payment</Tag>,
                },
                {
                  title: <Bi zh="订单号" en="Order no." />,
                  dataIndex: 'orderNo',
                  render: (no: string, m) => (
                    <Link to={`/orders/${m.orderId}`} className="mismatch-order-link">
                      {no}
                    </Link>
                  ),
                },
                { title: <Bi zh="退款单号" en="Refund no." />, dataIndex: 'outRefundNo', render: (v) => v ?? '—' },
                {
                  title: <Bi zh="我方" en="Ours" />,
                  render: (_, m) => (
                    <>
                      {label(tradeStateLabel, m.ours)}
                      <br />
                      <Typography.Text type="secondary">{formatFen(m.oursAmount)}</Typography.Text>
                    </>
                  ),
                },
                {
                  title: <Bi zh="微信支付" en="WeChat Pay" />,
                  render: (_, m) => (
                    <>
                      {label(tradeStateLabel, m.wechat)}
                      <br />
                      <Typography.Text type="secondary">{formatFen(m.wechatAmount)}</Typography.Text>
                    </>
                  ),
                },
              ]}
            />
          </>
        )}
      </div>
    </>
  );
}

function NotificationLog({ outcome, onOutcome }: { outcome: string; onOutcome: (v: string) => void }) {
  const query = useApiQuery('adminNotificationLog', {
    query: { outcome: outcome === 'ALL' ? undefined : outcome, limit: 100 },
  });
  return (
    <Card className="notification-log" title={<Bi zh="支付通知日志" en="WeChat Pay notification log" />}>
      <FilterTags
        className="notification-outcome-filter"
        value={outcome}
        options={[
          { value: 'ALL', label: '全部 All' },
          ...notificationOutcomes.map((o) => ({ value: o, label: outcomeLabel[o] })),
        ]}
        onChange={onOutcome}
      />
      <QueryView
        query={query}
        isEmpty={(d) => d.items.length === 0}
        empty={
          <EmptyState
            zh={outcome === 'ALL' ? '还没有收到支付通知' : '没有这个结果的通知'}
            en={outcome === 'ALL' ? 'No WeChat Pay notification yet' : 'No notification with this outcome'}
          />
        }
      >
        {(data) => (
          <Table
            className="notification-table"
            rowKey="id"
            size="middle"
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            dataSource={data.items}
            columns={[
              {
                title: <Bi zh="收到时间" en="Received" />,
                dataIndex: 'receivedAt',
                width: 190,
                render: (v: string) => formatChinaTime(v, 'second'),
              },
              {
                title: <Bi zh="事件" en="Event" />,
                dataIndex: 'eventType',
                width: 170,
                render: (v: string | null) =>
                  v ? (
                    <>
                      {payEventLabel[v] ?? v}
                      {payEventLabel[v] && (
                        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                          {v}
                        </Typography.Text>
                      )}
                    </>
                  ) : (
                    '—'
                  ),
              },
              {
                title: <Bi zh="订单号" en="Order no." />,
                dataIndex: 'orderNo',
                render: (v: string | null) => v ?? '—',
              },
              {
                title: <Bi zh="验签" en="Verified" />,
                dataIndex: 'verified',
                width: 120,
                render: (v: boolean) => (v ? <Tag color="success">通过 Yes</Tag> : <Tag color="error">未通过 No</Tag>),
              },
              {
                title: <Bi zh="结果" en="Outcome" />,
                dataIndex: 'outcome',
                render: (v: string) => (
                  <Tag color={outcomeAlarming.has(v) ? 'error' : v === 'DUPLICATE' ? 'default' : 'success'}>
                    {label(outcomeLabel, v)}
                  </Tag>
                ),
              },
              {
                title: <Bi zh="原因" en="Reason" />,
                dataIndex: 'rejectReason',
                render: (v: string | null) => label(rejectReasonLabel, v),
              },
            ]}
          />
        )}
      </QueryView>
    </Card>
  );
}
