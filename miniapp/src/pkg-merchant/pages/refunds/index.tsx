import { useCallback, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import {
  formatChinaTime,
  formatFen,
  refundReasonLabel,
  type MerchantMe,
  type Refund,
  type StaffRole,
} from '@chatmall/shared';
import { PageFrame, PendingPage, type Pending } from '../../../components/PendingPage';
import { StateView } from '../../../components/StateView';
import { api, errorMessage, showError } from '../../../services/api';
import { mayUse } from '../../merchant';
import { isRefused, Refused } from '../../components/Refused';
import '../../merchant.css';
import './index.css';

type Load = Pending | { status: 'refused' } | { status: 'ready'; role: StaffRole; items: Refund[] };

const TITLE = '退款申请 Refunds';

/** Buyers' refund requests waiting for an answer; approve or reject when the role may (as in the console). */
export default function MerchantRefundsPage() {
  const [load, setLoad] = useState<Load>({ status: 'loading' });

  const fetchList = useCallback(async (quiet = false) => {
    if (!quiet) setLoad({ status: 'loading' });
    try {
      const [me, { items }] = await Promise.all([api.merchantMe({}), api.merchantRefundRequests({})]);
      const role = (me as Extract<MerchantMe, { bound: true }>).staff?.role ?? 'clerk';
      setLoad({ status: 'ready', role, items });
    } catch (err) {
      setLoad(isRefused(err) ? { status: 'refused' } : { status: 'error', message: errorMessage(err) });
    }
  }, []);

  useDidShow(() => void fetchList(load.status === 'ready'));
  usePullDownRefresh(() => void fetchList(true).finally(() => Taro.stopPullDownRefresh()));

  if (load.status === 'refused') return <Refused title={TITLE} className="merchant-refunds" />;
  if (load.status !== 'ready')
    return (
      <PendingPage
        state={load}
        title={TITLE}
        notFound=""
        onRetry={() => void fetchList()}
        className="merchant-refunds-pending"
      />
    );
  if (load.items.length === 0)
    return (
      <PageFrame title={TITLE} className="merchant merchant-refunds merchant-refunds--empty">
        <StateView kind="empty" text="没有待处理的退款申请 · No refund requests" />
      </PageFrame>
    );

  const answered = (id: string) => setLoad({ ...load, items: load.items.filter((r) => r.id !== id) });
  const mayAnswer = mayUse(load.role, 'merchantApproveRefund') && mayUse(load.role, 'merchantRejectRefund');

  return (
    <PageFrame title={TITLE} className="merchant merchant-refunds">
      <View>
        <Text className="merchant-count muted">{load.items.length} 个待处理 · waiting</Text>
        {load.items.map((r) => (
          <RefundCard key={r.id} refund={r} mayAnswer={mayAnswer} onAnswered={() => answered(r.id)} />
        ))}
      </View>
    </PageFrame>
  );
}

function RefundCard(props: { refund: Refund; mayAnswer: boolean; onAnswered: () => void }) {
  const { refund: r } = props;
  const [restock, setRestock] = useState(r.lines.length > 0);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const act = async (fn: () => Promise<unknown>, done: string) => {
    if (busy) return;
    setBusy(true);
    try {
      await fn();
      void Taro.showToast({ title: done, icon: 'success' });
      props.onAnswered();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const approve = async () => {
    const { confirm } = await Taro.showModal({
      title: '同意退款 Approve',
      content: `退 ${formatFen(r.amount)} 给买家 · Refund ${formatFen(r.amount)} to the buyer`,
    });
    if (!confirm) return;
    const items = restock ? r.lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity })) : [];
    await act(() => api.merchantApproveRefund({ params: { id: r.id }, body: { restock: items } }), '已同意 · Approved');
  };

  const reject = async () => {
    if (!reason.trim()) return setError('请填写拒绝原因 · Say why');
    await act(
      () => api.merchantRejectRefund({ params: { id: r.id }, body: { reason: reason.trim() } }),
      '已拒绝 · Rejected',
    );
  };

  return (
    <View className="card merchant-refund" id={`refund-${r.id}`}>
      <View className="merchant-card__head">
        <Text className="merchant-card__no">{r.orderNo}</Text>
        <Text className="merchant-card__amount">{formatFen(r.amount)}</Text>
      </View>
      {r.lines.map((l) => (
        <View key={l.orderLineId} className="merchant-line">
          <Text className="merchant-line__name">{l.name}</Text>
          <Text className="merchant-line__qty">× {l.quantity}</Text>
        </View>
      ))}
      {r.lines.length === 0 && <Text className="merchant-note">按金额退款 · An amount on the whole order</Text>}
      <Text className="merchant-note">
        {refundReasonLabel[r.reasonCode]}
        {r.reason ? `：${r.reason}` : ''}
      </Text>
      <Text className="merchant-note muted">申请 Asked {formatChinaTime(r.createdAt)}</Text>
      {!props.mayAnswer ? (
        <Text className="merchant-note merchant-refund__owner">需店主处理 · The owner answers refunds</Text>
      ) : rejecting ? (
        <View className="merchant-field">
          <Text className="merchant-field__label">拒绝原因 Reason</Text>
          <Input
            className="merchant-input merchant-refund__reason"
            value={reason}
            maxlength={80}
            onInput={(e) => {
              setReason(e.detail.value);
              setError('');
            }}
          />
          {error && <Text className="merchant-field__error">{error}</Text>}
          <View className="merchant-actions">
            <View className="btn btn--ghost btn--small" onClick={() => setRejecting(false)}>
              取消 Cancel
            </View>
            <View className="btn btn--accent btn--small merchant-refund__reject-confirm" onClick={() => void reject()}>
              确认拒绝 Reject
            </View>
          </View>
        </View>
      ) : (
        <View>
          {r.lines.length > 0 && (
            <View className="merchant-refund__restock" onClick={() => setRestock(!restock)}>
              <Text className={`merchant-check${restock ? ' merchant-check--on' : ''}`}>{restock ? '✓' : ''}</Text>
              <Text className="merchant-note">退回库存 Put the units back in stock</Text>
            </View>
          )}
          <View className="merchant-actions">
            <View className="btn btn--ghost btn--small merchant-refund__reject" onClick={() => setRejecting(true)}>
              拒绝 Reject
            </View>
            <View className="btn btn--small merchant-refund__approve" onClick={() => void approve()}>
              同意 Approve
            </View>
          </View>
        </View>
      )}
    </View>
  );
}
