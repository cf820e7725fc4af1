import { useCallback, useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Image, Input, Text, Textarea, View } from '@tarojs/components';
import {
  formatFen,
  RefundReasonCode,
  refundReasonLabel,
  REFUNDABLE_ORDER_STATUSES,
  type Order,
  type Refund,
} from '@chatmall/shared';
import { QtyStepper } from '../../../components/QtyStepper';
import { H5NavBar } from '../../../components/H5NavBar';
import { loadFailed, PageFrame, PendingPage } from '../../../components/PendingPage';
import { StateView } from '../../../components/StateView';
import { api, fieldErrors, showError } from '../../../services/api';
import { mediaUrl } from '../../../services/media';
import { routeParam } from '../../../routes';
import { PhotoPicker } from '../../components/PhotoPicker';
import './index.css';

/** Requests that still hold money or units (the server counts the same ones). */
const HOLDING = new Set(['REQUESTED', 'APPROVED', 'PROCESSING', 'ABNORMAL', 'SUCCESS']);

type Load =
  | { status: 'loading' }
  | { status: 'not-found' }
  | { status: 'error'; message: string }
  | { status: 'ready'; order: Order; refunds: Refund[] };

/** `"12.5"` → 1250 fen; anything but a plain amount with at most 2 decimals → null. */
function toFen(text: string): number | null {
  const m = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export default function AfterSalesPage() {
  const { params } = useRouter();
  const orderId = routeParam(params.order);
  const preselect = routeParam(params.line);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [mode, setMode] = useState<'lines' | 'amount'>('lines');
  const [picked, setPicked] = useState<Record<string, number>>({});
  const [amountText, setAmountText] = useState('');
  const [reasonCode, setReasonCode] = useState<RefundReasonCode | null>(null);
  const [reason, setReason] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const fetchAll = useCallback(async () => {
    if (!orderId) return setLoad({ status: 'not-found' });
    setLoad({ status: 'loading' });
    try {
      const [order, refunds] = await Promise.all([
        api.getOrder({ params: { id: orderId } }),
        api.listOrderRefunds({ params: { id: orderId } }).then((r) => r.items),
      ]);
      setLoad({ status: 'ready', order, refunds });
      if (preselect && order.lines.some((l) => l.id === preselect)) setPicked({ [preselect]: 1 });
    } catch (err) {
      setLoad(loadFailed(err));
    }
  }, [orderId, preselect]);

  useEffect(() => {
    void fetchAll();
  }, [fetchAll]);

  if (load.status !== 'ready')
    return (
      <PendingPage
        state={load}
        title="申请售后 After-sales"
        notFound="订单不存在 · Order not found"
        onRetry={() => void fetchAll()}
      />
    );

  const { order, refunds } = load;
  if (!REFUNDABLE_ORDER_STATUSES.includes(order.status))
    return (
      <PageFrame title="申请售后 After-sales">
        <StateView kind="empty" text="这个订单现在不能申请售后 · This order cannot be refunded now" />
      </PageFrame>
    );

  const holding = refunds.filter((r) => HOLDING.has(r.status));
  const left = order.price.payable - holding.reduce((n, r) => n + r.amount, 0);
  const asked = new Map<string, number>();
  for (const r of holding)
    for (const l of r.lines) asked.set(l.orderLineId, (asked.get(l.orderLineId) ?? 0) + l.quantity);
  const openUnits = (lineId: string, bought: number) => Math.max(0, bought - (asked.get(lineId) ?? 0));

  const linesValue = order.lines.reduce((n, l) => n + (picked[l.id] ?? 0) * l.unitPrice, 0);
  const amount = mode === 'lines' ? Math.min(linesValue, left) : toFen(amountText);

  const submit = async () => {
    const local: Record<string, string> = {};
    if (mode === 'lines' && !Object.keys(picked).length) local.lines = '请选择要退的商品 · Choose what to return';
    if (mode === 'amount' && (amount === null || amount <= 0)) local.amount = '请输入退款金额 · Enter an amount';
    else if (mode === 'amount' && amount !== null && amount > left)
      local.amount = `最多可退 ${formatFen(left)} · At most ${formatFen(left)}`;
    if (!reasonCode) local.reasonCode = '请选择原因 · Choose a reason';
    if (reasonCode === 'OTHER' && !reason.trim()) local.reason = '请说明原因 · Say why';
    setErrors(local);
    if (Object.keys(local).length || busy || !reasonCode) return;
    setBusy(true);
    try {
      await api.requestRefund({
        params: { id: order.id },
        body: {
          ...(mode === 'lines'
            ? { lines: Object.entries(picked).map(([orderLineId, quantity]) => ({ orderLineId, quantity })) }
            : { amount: amount ?? 0 }),
          reasonCode,
          reason: reason.trim(),
          photos,
        },
      });
      void Taro.showToast({ title: '已提交 · Submitted', icon: 'success' });
      setTimeout(() => void Taro.navigateBack().catch(() => undefined), 800);
    } catch (err) {
      const fields = fieldErrors(err);
      // `lines.0.quantity` → the lines block; `photos.1` → the photos block.
      const placed: Record<string, string> = {};
      for (const [path, message] of Object.entries(fields)) placed[path.split('.')[0]] ??= message;
      setErrors(placed);
      if (!Object.keys(placed).length) showError(err);
      setBusy(false);
    }
  };

  return (
    <View className="after-sales">
      <H5NavBar title="申请售后 After-sales" />
      <View className="card">
        <Text className="card__title">退款方式 Refund by</Text>
        <View className="after-sales__modes">
          <View
            className={`chip after-sales__mode${mode === 'lines' ? ' chip--on' : ''}`}
            onClick={() => setMode('lines')}
          >
            按商品 By item
          </View>
          <View
            className={`chip after-sales__mode after-sales__mode--amount${mode === 'amount' ? ' chip--on' : ''}`}
            onClick={() => setMode('amount')}
          >
            整单金额 By amount
          </View>
        </View>
        {mode === 'lines' ? (
          <View className="after-sales__lines">
            {order.lines.map((l) => {
              const open = openUnits(l.id, l.quantity);
              const on = picked[l.id] !== undefined;
              return (
                <View
                  key={l.id}
                  className={`after-sales__line${on ? ' after-sales__line--on' : ''}${open ? '' : ' after-sales__line--off'}`}
                  onClick={() => {
                    if (!open) return;
                    const next = { ...picked };
                    if (on) delete next[l.id];
                    else next[l.id] = open;
                    setPicked(next);
                  }}
                >
                  <Text className="after-sales__check">{on ? '●' : '○'}</Text>
                  <Image className="after-sales__image" src={mediaUrl(l.image)} mode="aspectFill" />
                  <View className="after-sales__line-body">
                    <Text className="after-sales__name">{l.name}</Text>
                    <Text className="after-sales__spec">
                      {l.specValues.join(' / ')} · {formatFen(l.unitPrice)} × {l.quantity}
                    </Text>
                    {on ? (
                      <QtyStepper
                        value={picked[l.id]}
                        max={open}
                        onChange={(q) => setPicked({ ...picked, [l.id]: q })}
                      />
                    ) : (
                      <Text className="after-sales__spec">
                        {open ? `可退 ${open} 件` : '已在售后中 · Already asked'}
                      </Text>
                    )}
                  </View>
                </View>
              );
            })}
            {errors.lines && <Text className="field-error">{errors.lines}</Text>}
          </View>
        ) : (
          <View className="after-sales__amount">
            <Text className="after-sales__yen">¥</Text>
            <Input
              className="after-sales__amount-input"
              type="digit"
              placeholder={`最多 ${formatFen(left).slice(1)}`}
              value={amountText}
              maxlength={10}
              onInput={(e) => setAmountText(e.detail.value)}
            />
            {errors.amount && <Text className="field-error">{errors.amount}</Text>}
          </View>
        )}
        <View className="after-sales__total">
          <Text>退款金额 Refund</Text>
          <Text className="after-sales__total-amount">{amount && amount > 0 ? formatFen(amount) : '—'}</Text>
        </View>
        <Text className="muted">最多可退 At most {formatFen(Math.max(0, left))}</Text>
      </View>

      <View className="card">
        <Text className="card__title">退款原因 Reason</Text>
        <View className="after-sales__reasons">
          {RefundReasonCode.options.map((code) => (
            <View
              key={code}
              className={`chip after-sales__reason after-sales__reason--${code}${reasonCode === code ? ' chip--on' : ''}`}
              onClick={() => setReasonCode(code)}
            >
              {refundReasonLabel[code]}
            </View>
          ))}
        </View>
        {errors.reasonCode && <Text className="field-error">{errors.reasonCode}</Text>}
        <Textarea
          className="after-sales__text"
          placeholder="补充说明（选填，80 字内）· More detail (optional)"
          value={reason}
          maxlength={80}
          onInput={(e) => setReason(e.detail.value)}
        />
        {errors.reason && <Text className="field-error">{errors.reason}</Text>}
      </View>

      <View className="card">
        <Text className="card__title">照片 Photos（选填 optional）</Text>
        <PhotoPicker value={photos} onChange={setPhotos} />
        {errors.photos && <Text className="field-error">{errors.photos}</Text>}
      </View>

      <View className="bottom-bar-spacer" />
      <View className="bottom-bar after-sales__bar">
        <View
          className={`btn btn--accent after-sales__submit${busy ? ' btn--disabled' : ''}`}
          onClick={() => void submit()}
        >
          {busy ? '提交中… Submitting' : '提交申请 Submit'}
        </View>
      </View>
    </View>
  );
}
