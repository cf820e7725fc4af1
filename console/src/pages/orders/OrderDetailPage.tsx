/**
 * One order: its lines and price, the address, a timeline (placed, paid, shipped, refunds,
 * completed or closed), the money view (payment, refunds, every WeChat Pay notification), and
 * shipping with carrier and tracking number for a paid order.
 */
import {
  formatChinaTime,
  formatFen,
  orderStatusLabel,
  refundStatusLabel,
  ShipOrderRequest,
  type Order,
  type Refund,
} from '@chatmall/shared';
import {
  AutoComplete,
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Image,
  Input,
  Modal,
  Row,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { mayCall } from '../../access';
import { useApiMutation, useApiQuery, type Res } from '../../api/hooks';
import { clearErrorsOnEdit, problemText, showServerErrors, showZodErrors } from '../../api/messages';
import { useSession } from '../../api/use-session';
import { Bi, EmptyState, ErrorState, Loading, PageHeader } from '../../components/states';
import { refundColor, statusColor } from './order-status';

const CARRIERS = ['顺丰速运', '中通快递', '圆通速递', '韵达快递', '申通快递', '京东物流', '邮政 EMS'];

export default function OrderDetailPage() {
  const { id = '' } = useParams();
  const order = useApiQuery('adminGetOrder', { params: { id } });
  const money = useApiQuery('adminOrderMoney', { params: { id } });
  const role = useSession()?.staff.role;
  const [shipping, setShipping] = useState(false);

  if (order.isPending) return <Loading />;
  if (order.isError) return <ErrorState error={order.error} retry={() => void order.refetch()} />;
  const o = order.data;
  const canShip =
    mayCall(role, 'shipOrder') && !o.shipment && (o.status === 'PAID' || o.status === 'PARTIALLY_REFUNDED');

  return (
    <>
      <PageHeader
        zh={`订单 ${o.orderNo}`}
        en="Order"
        extra={
          <Space>
            <Link to="/orders">返回列表 Back to orders</Link>
            {canShip && (
              <Button type="primary" className="ship-order" onClick={() => setShipping(true)}>
                发货 Ship
              </Button>
            )}
          </Space>
        }
      />
      <Row gutter={16}>
        <Col span={16}>
          <Card title={<Bi zh="商品" en="Lines" />} style={{ marginBottom: 16 }}>
            <Lines order={o} />
          </Card>
          <Card title={<Bi zh="收款与退款" en="Money" />} style={{ marginBottom: 16 }}>
            {money.isPending ? (
              <Loading />
            ) : money.isError ? (
              <ErrorState error={money.error} retry={() => void money.refetch()} />
            ) : (
              <MoneyView money={money.data} />
            )}
          </Card>
        </Col>
        <Col span={8}>
          <Card title={<Bi zh="订单状态" en="Status" />} style={{ marginBottom: 16 }}>
            <Tag className="order-status" color={statusColor[o.status]} style={{ marginBottom: 16 }}>
              {orderStatusLabel[o.status]}
            </Tag>
            <OrderTimeline order={o} refunds={money.data?.refunds ?? []} />
          </Card>
          <Card title={<Bi zh="收货地址" en="Ship to" />} style={{ marginBottom: 16 }}>
            <Typography.Paragraph style={{ marginBottom: 4 }}>
              {o.address.recipient} · {o.address.phone}
            </Typography.Paragraph>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
              {o.address.province} {o.address.city} {o.address.district} {o.address.detail}
            </Typography.Paragraph>
            {o.note && (
              <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }}>
                <Bi zh="买家备注" en="Note" />：{o.note}
              </Typography.Paragraph>
            )}
          </Card>
          {o.shipment && (
            <Card title={<Bi zh="物流" en="Shipment" />}>
              <Descriptions column={1} size="small">
                <Descriptions.Item label="快递 Carrier">{o.shipment.carrier}</Descriptions.Item>
                <Descriptions.Item label="单号 Tracking no.">
                  <Typography.Text className="tracking-no" copyable>
                    {o.shipment.trackingNo}
                  </Typography.Text>
                </Descriptions.Item>
                <Descriptions.Item label="发货 Shipped">{formatChinaTime(o.shipment.shippedAt)}</Descriptions.Item>
              </Descriptions>
            </Card>
          )}
        </Col>
      </Row>
      {shipping && <ShipDialog order={o} onClose={() => setShipping(false)} />}
    </>
  );
}

function Lines({ order }: { order: Order }) {
  const { price } = order;
  return (
    <>
      <Table
        className="order-lines"
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={order.lines}
        columns={[
          {
            title: <Bi zh="商品" en="Item" />,
            render: (_, l) => (
              <Space>
                <Image
                  src={l.image}
                  width={44}
                  height={44}
                  preview={false}
                  style={{ objectFit: 'cover', borderRadius: 4 }}
                />
                <span>
                  {l.name}
                  <br />
                  <Typography.Text type="secondary">{l.specValues.join(' / ')}</Typography.Text>
                </span>
              </Space>
            ),
          },
          {
            title: <Bi zh="单价" en="Unit" />,
            dataIndex: 'unitPrice',
            align: 'right',
            render: (v: number) => formatFen(v),
          },
          { title: <Bi zh="数量" en="Qty" />, dataIndex: 'quantity', align: 'right' },
          {
            title: <Bi zh="小计" en="Total" />,
            dataIndex: 'lineTotal',
            align: 'right',
            render: (v: number) => formatFen(v),
          },
        ]}
      />
      <Descriptions column={1} size="small" style={{ marginTop: 16, maxWidth: 360, marginLeft: 'auto' }}>
        <Descriptions.Item label="商品金额 Items">{formatFen(price.itemsTotal)}</Descriptions.Item>
        {price.adjustments.map((a, i) => (
          <Descriptions.Item key={i} label={a.label}>
            {formatFen(a.amount)}
          </Descriptions.Item>
        ))}
        <Descriptions.Item label="运费 Shipping">{formatFen(price.shippingFee)}</Descriptions.Item>
        <Descriptions.Item label="实付 Payable">
          <Typography.Text strong>{formatFen(price.payable)}</Typography.Text>
        </Descriptions.Item>
      </Descriptions>
    </>
  );
}

function OrderTimeline({ order, refunds }: { order: Order; refunds: Refund[] }) {
  const events: { at: string; text: string; color?: string }[] = [{ at: order.createdAt, text: '下单 Placed' }];
  if (order.paidAt) events.push({ at: order.paidAt, text: '付款 Paid', color: 'green' });
  if (order.shipment)
    events.push({
      at: order.shipment.shippedAt,
      text: `发货 Shipped · ${order.shipment.carrier} ${order.shipment.trackingNo}`,
      color: 'blue',
    });
  for (const r of refunds) {
    events.push({ at: r.createdAt, text: `申请退款 Refund asked · ${formatFen(r.amount)}`, color: 'orange' });
    if (r.succeededAt)
      events.push({ at: r.succeededAt, text: `退款成功 Refunded · ${formatFen(r.amount)}`, color: 'purple' });
    else if (r.status !== 'REQUESTED')
      events.push({
        at: r.updatedAt,
        text: refundStatusLabel[r.status],
        color: r.status === 'ABNORMAL' ? 'red' : 'gray',
      });
  }
  if (order.completedAt) events.push({ at: order.completedAt, text: '完成 Completed', color: 'green' });
  if (order.closedAt) events.push({ at: order.closedAt, text: '关闭 Closed', color: 'gray' });
  // Placed and paid come first whatever the clocks say (stored to the second, they can tie or
  // round past each other); what follows is in time order.
  const head = events.filter((e) => e.text === '下单 Placed' || e.text === '付款 Paid');
  const rest = events.filter((e) => !head.includes(e)).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  events.splice(0, events.length, ...head, ...rest);
  return (
    <Timeline
      className="order-timeline"
      items={events.map((e) => ({
        color: e.color,
        children: (
          <>
            {e.text}
            <br />
            <Typography.Text type="secondary">{formatChinaTime(e.at)}</Typography.Text>
          </>
        ),
      }))}
    />
  );
}

function MoneyView({ money }: { money: Res<'adminOrderMoney'> }) {
  const p = money.payment;
  return (
    <>
      {p ? (
        <Descriptions size="small" column={2} className="money-payment">
          <Descriptions.Item label="支付状态 Payment">{p.status}</Descriptions.Item>
          <Descriptions.Item label="金额 Amount">{formatFen(p.amount)}</Descriptions.Item>
          <Descriptions.Item label="微信支付单号 Transaction">{p.transactionId ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="支付时间 Paid at">
            {p.paidAt ? formatChinaTime(p.paidAt, 'second') : '—'}
          </Descriptions.Item>
          {p.flaggedReason && (
            <Descriptions.Item label="异常 Flagged" span={2}>
              <Tag color="red">{p.flaggedReason}</Tag>
            </Descriptions.Item>
          )}
        </Descriptions>
      ) : (
        <EmptyState zh="尚未发起支付" en="No payment yet" />
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        <Bi zh="退款" en="Refunds" />
      </Typography.Title>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={money.refunds}
        locale={{ emptyText: <EmptyState zh="没有退款" en="No refunds" /> }}
        rowClassName={(r) => (r.status === 'ABNORMAL' ? 'row-abnormal' : '')}
        columns={[
          { title: <Bi zh="退款单号" en="Refund no." />, dataIndex: 'outRefundNo' },
          {
            title: <Bi zh="金额" en="Amount" />,
            dataIndex: 'amount',
            align: 'right',
            render: (v: number) => formatFen(v),
          },
          {
            title: <Bi zh="状态" en="Status" />,
            dataIndex: 'status',
            render: (s: Refund['status']) => <Tag color={refundColor[s]}>{refundStatusLabel[s]}</Tag>,
          },
          { title: <Bi zh="申请时间" en="Asked" />, dataIndex: 'createdAt', render: (v: string) => formatChinaTime(v) },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        <Bi zh="微信支付通知" en="Pay notifications" />
      </Typography.Title>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={money.notifications}
        locale={{ emptyText: <EmptyState zh="没有通知" en="No notifications" /> }}
        columns={[
          {
            title: <Bi zh="收到时间" en="Received" />,
            dataIndex: 'receivedAt',
            render: (v: string) => formatChinaTime(v, 'second'),
          },
          { title: <Bi zh="类型" en="Event" />, dataIndex: 'eventType', render: (v: string | null) => v ?? '—' },
          {
            title: <Bi zh="验签" en="Verified" />,
            dataIndex: 'verified',
            render: (v: boolean) => (v ? <Tag color="green">通过 OK</Tag> : <Tag color="red">未通过 Refused</Tag>),
          },
          {
            title: <Bi zh="结果" en="Outcome" />,
            render: (_, n) => (n.rejectReason ? `${n.outcome} · ${n.rejectReason}` : n.outcome),
          },
        ]}
      />
    </>
  );
}

function ShipDialog({ order, onClose }: { order: Order; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ carrier: string; trackingNo: string }>();
  const [banner, setBanner] = useState<string | null>(null);
  const ship = useApiMutation('shipOrder', { invalidates: ['adminGetOrder', 'adminListOrders', 'adminOrderMoney'] });

  async function submit() {
    setBanner(null);
    const values = form.getFieldsValue();
    const body = ShipOrderRequest.safeParse({ carrier: values.carrier ?? '', trackingNo: values.trackingNo ?? '' });
    if (!body.success) {
      showZodErrors(form, body.error);
      return;
    }
    try {
      await ship.mutateAsync({ params: { id: order.id }, body: body.data });
      message.success('已发货 · Shipped');
      onClose();
    } catch (err) {
      const rest = showServerErrors(form, err);
      setBanner(rest ? rest.join('；') || null : problemText(err));
    }
  }

  return (
    <Modal
      open
      title={<Bi zh={`发货 ${order.orderNo}`} en="Ship" />}
      okText="确认发货 Ship"
      cancelText="取消 Cancel"
      okButtonProps={{ className: 'confirm-ship', loading: ship.isPending }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnClose
    >
      {banner && <Alert type="error" showIcon message={banner} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onValuesChange={clearErrorsOnEdit(form)}>
        <Form.Item name="carrier" label={<Bi zh="快递公司" en="Carrier" />}>
          <AutoComplete
            className="field-carrier"
            options={CARRIERS.map((c) => ({ value: c }))}
            placeholder="顺丰速运"
          />
        </Form.Item>
        <Form.Item name="trackingNo" label={<Bi zh="快递单号" en="Tracking number" />}>
          <Input className="field-tracking-no" placeholder="SF1234567890" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
