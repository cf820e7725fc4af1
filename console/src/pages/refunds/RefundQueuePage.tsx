/**
 * The refund queue: requests by status (awaiting the merchant first), ABNORMAL ones
 * highlighted; approve with a restock choice per line, or reject with a reason.
 */
import {
  ApproveRefund,
  formatChinaTime,
  formatFen,
  refundReasonLabel,
  RefundStatus,
  refundStatusLabel,
  RejectRefund,
  type Refund,
} from '@chatmall/shared';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Modal,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { mayCall } from '../../access';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { clearErrorsOnEdit, problemText, showServerErrors, showZodErrors } from '../../api/messages';
import { useSession } from '../../api/use-session';
import { FilterTags } from '../../components/filter-tags';
import { Bi, EmptyState, PageHeader, QueryView } from '../../components/states';
import { refundColor } from '../orders/order-status';

const FILTERS = ['REQUESTED', 'ABNORMAL', 'PROCESSING', 'SUCCESS', 'REJECTED', 'ALL'] as const;

export default function RefundQueuePage() {
  const [params, setParams] = useSearchParams();
  const raw = params.get('status') ?? 'REQUESTED';
  const parsed = RefundStatus.safeParse(raw);
  const status = parsed.success ? parsed.data : undefined;
  const query = useApiQuery('adminListRefunds', { query: { status } });
  const role = useSession()?.staff.role;
  const [approving, setApproving] = useState<Refund | null>(null);
  const [rejecting, setRejecting] = useState<Refund | null>(null);

  return (
    <>
      <PageHeader zh="退款售后" en="Refunds" />
      <Card>
        <FilterTags
          className="refund-status-filter"
          value={status ?? 'ALL'}
          options={FILTERS.map((f) => ({ value: f, label: f === 'ALL' ? '全部 All' : refundStatusLabel[f] }))}
          onChange={(v) => setParams({ status: v })}
        />
        <QueryView
          query={query}
          isEmpty={(d) => d.items.length === 0}
          empty={
            <EmptyState
              zh={status === 'REQUESTED' ? '没有待处理的退款' : '没有退款'}
              en={status === 'REQUESTED' ? 'Nothing waiting for you' : 'No refunds here'}
            />
          }
        >
          {(data) => (
            <Table
              className="refunds-table"
              rowKey="id"
              size="middle"
              dataSource={data.items}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              rowClassName={(r) => (r.status === 'ABNORMAL' ? 'row-abnormal' : '')}
              columns={[
                {
                  title: <Bi zh="订单 · 申请时间" en="Order · asked" />,
                  dataIndex: 'orderNo',
                  width: 230,
                  render: (no: string, r) => (
                    <>
                      <Link to={`/orders/${r.orderId}`}>{no}</Link>
                      <br />
                      <Typography.Text type="secondary">{formatChinaTime(r.createdAt)}</Typography.Text>
                    </>
                  ),
                },
                {
                  title: <Bi zh="退款内容" en="What" />,
                  render: (_, r) =>
                    r.lines.length
                      ? r.lines.map((l) => `${l.name} × ${l.quantity}`).join('，')
                      : '整单金额 Whole order',
                },
                {
                  title: <Bi zh="金额" en="Amount" />,
                  dataIndex: 'amount',
                  width: 110,
                  align: 'right',
                  render: (v: number) => formatFen(v),
                },
                {
                  title: <Bi zh="原因" en="Reason" />,
                  width: 190,
                  render: (_, r) => (
                    <>
                      {refundReasonLabel[r.reasonCode]}
                      {r.reason && (
                        <>
                          <br />
                          <Typography.Text type="secondary">{r.reason}</Typography.Text>
                        </>
                      )}
                    </>
                  ),
                },
                {
                  title: <Bi zh="状态" en="Status" />,
                  dataIndex: 'status',
                  width: 230,
                  render: (s: Refund['status'], r) => (
                    <>
                      <Tag color={refundColor[s]}>{refundStatusLabel[s]}</Tag>
                      {r.rejectReason && <Typography.Text type="secondary">{r.rejectReason}</Typography.Text>}
                    </>
                  ),
                },
                {
                  title: <Bi zh="操作" en="Actions" />,
                  width: 180,
                  render: (_, r) =>
                    r.status === 'REQUESTED' && (
                      <Space>
                        {mayCall(role, 'approveRefund') && (
                          <Button
                            size="small"
                            type="primary"
                            className="approve-refund"
                            onClick={() => setApproving(r)}
                          >
                            同意 Approve
                          </Button>
                        )}
                        {mayCall(role, 'rejectRefund') && (
                          <Button size="small" danger className="reject-refund" onClick={() => setRejecting(r)}>
                            拒绝 Reject
                          </Button>
                        )}
                      </Space>
                    ),
                },
              ]}
            />
          )}
        </QueryView>
      </Card>
      {approving && <ApproveDialog refund={approving} onClose={() => setApproving(null)} />}
      {rejecting && <RejectDialog refund={rejecting} onClose={() => setRejecting(null)} />}
    </>
  );
}

function ApproveDialog({ refund, onClose }: { refund: Refund; onClose: () => void }) {
  const { message } = App.useApp();
  // By default each returned line goes back on the shelf in full; the merchant may change it.
  const [restock, setRestock] = useState(() =>
    refund.lines.map((l) => ({ skuId: l.skuId, name: l.name, max: l.quantity, quantity: l.quantity, on: true })),
  );
  const [error, setError] = useState<string | null>(null);
  const approve = useApiMutation('approveRefund', {
    invalidates: ['adminListRefunds', 'adminOrderMoney', 'adminGetOrder'],
  });

  async function submit() {
    setError(null);
    const body = ApproveRefund.safeParse({
      restock: restock.filter((r) => r.on && r.quantity > 0).map((r) => ({ skuId: r.skuId, quantity: r.quantity })),
    });
    if (!body.success) {
      setError(body.error.issues.map((i) => i.message).join('；'));
      return;
    }
    try {
      await approve.mutateAsync({ params: { id: refund.id }, body: body.data });
      message.success('已同意退款 · Refund approved');
      onClose();
    } catch (err) {
      setError(problemText(err));
    }
  }

  return (
    <Modal
      open
      title={<Bi zh={`同意退款 ${formatFen(refund.amount)}`} en="Approve refund" />}
      okText="同意并退款 Approve"
      cancelText="取消 Cancel"
      okButtonProps={{ className: 'confirm-approve', loading: approve.isPending }}
      onOk={() => void submit()}
      onCancel={onClose}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Typography.Paragraph>
        微信支付将原路退回 {formatFen(refund.amount)}。选择退回库存的商品：
        <br />
        <Typography.Text type="secondary">
          WeChat Pay returns the money; choose what goes back into stock.
        </Typography.Text>
      </Typography.Paragraph>
      {restock.length === 0 ? (
        <EmptyState zh="整单金额退款，无商品退回" en="An amount on the whole order: nothing to restock" />
      ) : (
        restock.map((r, i) => (
          <Space key={r.skuId} style={{ display: 'flex', marginBottom: 8 }}>
            <Checkbox
              checked={r.on}
              onChange={(e) => setRestock((s) => s.map((x, j) => (j === i ? { ...x, on: e.target.checked } : x)))}
            >
              {r.name}
            </Checkbox>
            <InputNumber
              min={1}
              max={r.max}
              precision={0}
              disabled={!r.on}
              value={r.quantity}
              onChange={(v) => setRestock((s) => s.map((x, j) => (j === i ? { ...x, quantity: Number(v ?? 0) } : x)))}
            />
            <Typography.Text type="secondary">/ {r.max} 件 units</Typography.Text>
          </Space>
        ))
      )}
    </Modal>
  );
}

function RejectDialog({ refund, onClose }: { refund: Refund; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<string | null>(null);
  const reject = useApiMutation('rejectRefund', { invalidates: ['adminListRefunds', 'adminOrderMoney'] });

  async function submit() {
    setError(null);
    const body = RejectRefund.safeParse({ reason: form.getFieldValue('reason') ?? '' });
    if (!body.success) {
      showZodErrors(form, body.error);
      return;
    }
    try {
      await reject.mutateAsync({ params: { id: refund.id }, body: body.data });
      message.success('已拒绝 · Rejected');
      onClose();
    } catch (err) {
      const rest = showServerErrors(form, err);
      setError(rest ? rest.join('；') || null : problemText(err));
    }
  }

  return (
    <Modal
      open
      title={<Bi zh="拒绝退款" en="Reject refund" />}
      okText="拒绝 Reject"
      cancelText="取消 Cancel"
      okButtonProps={{ danger: true, className: 'confirm-reject', loading: reject.isPending }}
      onOk={() => void submit()}
      onCancel={onClose}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onValuesChange={clearErrorsOnEdit(form)}>
        <Form.Item name="reason" label={<Bi zh="拒绝原因（买家可见）" en="Reason, shown to the buyer" />}>
          <Input.TextArea rows={3} maxLength={80} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
