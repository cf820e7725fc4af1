import { useCallback, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Input, Picker, Text, View } from '@tarojs/components';
import { commonCarriers, formatChinaTime, formatFen, ShipOrderRequest, type Order } from '@chatmall/shared';
import { PageFrame, PendingPage, type Pending } from '../../../components/PendingPage';
import { StateView } from '../../../components/StateView';
import { api, errorMessage, fieldErrors, showError } from '../../../services/api';
import { isRefused, Refused } from '../../components/Refused';
import '../../merchant.css';
import './index.css';

type Load = Pending | { status: 'refused' } | { status: 'ready'; items: Order[]; nextCursor: string | null };

const TITLE = '待发货 Orders to ship';
const CARRIER_KEY = 'chatmall.merchant.carrier';
const TRACKING_RULE = '运单号为 6–40 位字母、数字或 - · 6–40 letters, digits or -';

/** The carrier used last time on this phone (a shop usually ships with one). */
function lastCarrier(): number {
  try {
    const i = commonCarriers.indexOf(String(Taro.getStorageSync(CARRIER_KEY) ?? ''));
    return i < 0 ? 0 : i;
  } catch {
    return 0;
  }
}

/** Paid orders waiting to ship, the longest waiting first; each ships with a carrier and a tracking number. */
export default function MerchantShipPage() {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [open, setOpen] = useState<string | null>(null);

  const fetchList = useCallback(async (quiet = false) => {
    if (!quiet) setLoad({ status: 'loading' });
    try {
      const page = await api.merchantShipQueue({ query: { limit: 20 } });
      setLoad({ status: 'ready', ...page });
    } catch (err) {
      setLoad(isRefused(err) ? { status: 'refused' } : { status: 'error', message: errorMessage(err) });
    }
  }, []);

  useDidShow(() => void fetchList(load.status === 'ready'));
  usePullDownRefresh(() => void fetchList(true).finally(() => Taro.stopPullDownRefresh()));

  if (load.status === 'refused') return <Refused title={TITLE} className="merchant-ship" />;
  if (load.status !== 'ready')
    return (
      <PendingPage
        state={load}
        title={TITLE}
        notFound=""
        onRetry={() => void fetchList()}
        className="merchant-ship-pending"
      />
    );

  const more = async () => {
    if (!load.nextCursor) return;
    try {
      const page = await api.merchantShipQueue({ query: { cursor: load.nextCursor, limit: 20 } });
      setLoad({ status: 'ready', items: [...load.items, ...page.items], nextCursor: page.nextCursor });
    } catch (err) {
      showError(err);
    }
  };

  if (load.items.length === 0)
    return (
      <PageFrame title={TITLE} className="merchant merchant-ship merchant-ship--empty">
        <StateView kind="empty" text="没有待发货的订单 · Nothing to ship" />
      </PageFrame>
    );

  return (
    <PageFrame title={TITLE} className="merchant merchant-ship">
      <View>
        <Text className="merchant-count muted">
          {load.nextCursor ? `${load.items.length}+` : load.items.length} 单待发货 · to ship, 最早的在前 oldest first
        </Text>
        {load.items.map((o) => (
          <ShipCard
            key={o.id}
            order={o}
            open={open === o.id}
            onOpen={() => setOpen(open === o.id ? null : o.id)}
            onShipped={() => {
              setOpen(null);
              setLoad({ ...load, items: load.items.filter((x) => x.id !== o.id) });
            }}
          />
        ))}
        {load.nextCursor && (
          <View className="btn btn--ghost merchant-more" onClick={() => void more()}>
            更多 More
          </View>
        )}
      </View>
    </PageFrame>
  );
}

function ShipCard(props: { order: Order; open: boolean; onOpen: () => void; onShipped: () => void }) {
  const { order: o } = props;
  const a = o.address;
  return (
    <View className="card merchant-order" id={`order-${o.id}`}>
      <View className="merchant-card__head">
        <Text className="merchant-card__no">{o.orderNo}</Text>
        <Text className="merchant-card__amount">{formatFen(o.price.payable)}</Text>
      </View>
      {o.lines.map((l) => (
        <View key={l.id} className="merchant-line">
          <Text className="merchant-line__name">
            {l.name}
            {l.specValues.length ? ` · ${l.specValues.join(' / ')}` : ''}
          </Text>
          <Text className="merchant-line__qty">× {l.quantity}</Text>
        </View>
      ))}
      <Text className="merchant-note">
        {a.recipient} {a.phone}
        {'\n'}
        {a.province}
        {a.city}
        {a.district} {a.detail}
      </Text>
      {o.note && <Text className="merchant-note merchant-order__note">留言 Note: {o.note}</Text>}
      <Text className="merchant-note muted">付款 Paid {o.paidAt ? formatChinaTime(o.paidAt) : '—'}</Text>
      {props.open ? (
        <ShipForm order={o} onShipped={props.onShipped} onCancel={props.onOpen} />
      ) : (
        <View className="merchant-actions">
          <View className="btn btn--small merchant-order__ship" onClick={props.onOpen}>
            发货 Ship
          </View>
        </View>
      )}
    </View>
  );
}

function ShipForm(props: { order: Order; onShipped: () => void; onCancel: () => void }) {
  const [carrier, setCarrier] = useState(lastCarrier);
  const [trackingNo, setTrackingNo] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const scan = async () => {
    try {
      const res = await Taro.scanCode({ onlyFromCamera: true, scanType: ['barCode'] });
      setTrackingNo(res.result.trim());
      setErrors({});
    } catch {
      // cancelled
    }
  };

  const submit = async () => {
    const body = { carrier: commonCarriers[carrier], trackingNo: trackingNo.trim() };
    const checked = ShipOrderRequest.safeParse(body);
    if (!checked.success) return setErrors({ trackingNo: TRACKING_RULE });
    if (busy) return;
    setBusy(true);
    try {
      await api.merchantShipOrder({ params: { id: props.order.id }, body: checked.data });
      try {
        Taro.setStorageSync(CARRIER_KEY, body.carrier);
      } catch {
        // storage unavailable: the picker starts at the first carrier next time
      }
      void Taro.showToast({ title: '已发货 · Shipped', icon: 'success' });
      props.onShipped();
    } catch (err) {
      const fields = fieldErrors(err);
      if (fields.trackingNo || fields.carrier) setErrors({ trackingNo: fields.trackingNo ? TRACKING_RULE : '' });
      else showError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="merchant-ship-form">
      <View className="merchant-field">
        <Text className="merchant-field__label">快递公司 Carrier</Text>
        <Picker
          mode="selector"
          range={commonCarriers}
          value={carrier}
          onChange={(e) => setCarrier(Number(e.detail.value))}
        >
          <View className="merchant-input merchant-ship-form__carrier">{commonCarriers[carrier]} ▾</View>
        </Picker>
      </View>
      <View className="merchant-field">
        <Text className="merchant-field__label">运单号 Tracking number</Text>
        <View className="merchant-field__row">
          <Input
            className="merchant-input merchant-ship-form__tracking"
            value={trackingNo}
            maxlength={40}
            placeholder="SF1234567890"
            onInput={(e) => {
              setTrackingNo(e.detail.value);
              setErrors({});
            }}
          />
          {process.env.TARO_ENV !== 'h5' && (
            <View className="btn btn--ghost btn--small merchant-scan" onClick={() => void scan()}>
              扫码 Scan
            </View>
          )}
        </View>
        {errors.trackingNo && <Text className="merchant-field__error">{errors.trackingNo}</Text>}
      </View>
      <View className="merchant-actions">
        <View className="btn btn--ghost btn--small" onClick={props.onCancel}>
          取消 Cancel
        </View>
        <View
          className={`btn btn--small merchant-ship-form__submit${busy ? ' btn--disabled' : ''}`}
          onClick={() => void submit()}
        >
          {busy ? '提交中… Sending' : '确认发货 Confirm'}
        </View>
      </View>
    </View>
  );
}
