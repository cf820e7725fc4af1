import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { ApiError, ErrorCode, canTransition, orderStatusLabel, type Order } from '@chatmall/shared';
import { AddressCard } from '../../../components/AddressCard';
import { Breakdown } from '../../../components/Breakdown';
import { Price } from '../../../components/Price';
import { StateView } from '../../../components/StateView';
import { api, errorMessage, showError } from '../../../services/api';
import { mediaUrl } from '../../../services/media';
import { productUrl, routeParam } from '../../../routes';
import '../../order-status.css';
import './index.css';

type Load =
  | { status: 'loading' }
  | { status: 'not-found' }
  | { status: 'error'; message: string }
  | { status: 'ready'; order: Order };

/** `125_000` ms → `02:05`; hours when there are any. */
function countdown(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}

const when = (iso: string | null | undefined) => (iso ? iso.slice(0, 19).replace('T', ' ') : '');

export default function OrderPage() {
  const id = routeParam(useRouter().params.id);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [now, setNow] = useState(Date.now());
  const [busy, setBusy] = useState(false);
  const seq = useRef(0);

  const fetchOrder = useCallback(
    async (quiet = false) => {
      const mine = ++seq.current;
      if (!id) return setLoad({ status: 'not-found' });
      if (!quiet) setLoad({ status: 'loading' });
      try {
        const order = await api.getOrder({ params: { id } });
        if (mine === seq.current) setLoad({ status: 'ready', order });
      } catch (err) {
        if (mine !== seq.current) return;
        const gone = err instanceof ApiError && err.code === ErrorCode.NOT_FOUND;
        setLoad(gone ? { status: 'not-found' } : { status: 'error', message: errorMessage(err) });
      }
    },
    [id],
  );

  useEffect(() => {
    void fetchOrder();
  }, [fetchOrder]);

  const order = load.status === 'ready' ? load.order : null;
  const unpaid = order?.status === 'PENDING_PAYMENT';
  const payByMs = order ? Date.parse(order.payBy) : 0;

  // The "pay by" countdown ticks each second; at zero the server closes the order, so look again.
  useEffect(() => {
    if (!unpaid) return;
    const timer = setInterval(() => {
      const t = Date.now();
      setNow(t);
      if (t >= payByMs) {
        clearInterval(timer);
        setTimeout(() => void fetchOrder(true), 2000);
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [unpaid, payByMs, fetchOrder]);

  if (load.status === 'loading') return <StateView kind="loading" />;
  if (load.status === 'not-found') return <StateView kind="empty" text="订单不存在 · Order not found" />;
  if (load.status === 'error') return <StateView kind="error" text={load.message} onRetry={() => void fetchOrder()} />;

  const o = load.order;

  const act = async (title: string, call: () => Promise<Order>) => {
    const answer = await Taro.showModal({ title, content: `订单 ${o.orderNo}` });
    if (!answer.confirm || busy) return;
    setBusy(true);
    try {
      setLoad({ status: 'ready', order: await call() });
    } catch (err) {
      showError(err);
      void fetchOrder(true);
    } finally {
      setBusy(false);
    }
  };

  const canCancel = canTransition(o.status, 'CANCELLED');
  const canConfirm = o.status === 'SHIPPED' && canTransition(o.status, 'COMPLETED');

  return (
    <View className="order-detail">
      <View className={`order-hero order-hero--${o.status}`}>
        <Text className="order-status">{orderStatusLabel[o.status]}</Text>
        {unpaid && (
          <Text className="order-payby">
            {payByMs > now
              ? `请在 ${countdown(payByMs - now)} 内付款，超时订单自动关闭 · Pay within ${countdown(payByMs - now)}`
              : '付款时间已过，订单即将关闭 · Time to pay is up'}
          </Text>
        )}
        {o.shipment && (
          <Text className="order-hero__note">
            {o.shipment.carrier} {o.shipment.trackingNo}
          </Text>
        )}
      </View>

      <View className="card order-address">
        <AddressCard address={o.address} />
      </View>

      <View className="card order-lines">
        {o.lines.map((l) => (
          <View
            key={l.skuId}
            className="order-line"
            onClick={() => void Taro.navigateTo({ url: productUrl(l.productId) })}
          >
            <Image className="order-line__image" src={mediaUrl(l.image)} mode="aspectFill" />
            <View className="order-line__body">
              <Text className="order-line__name">{l.name}</Text>
              <Text className="order-line__spec">{l.specValues.join(' / ')}</Text>
              <View className="order-line__foot">
                <Price fen={l.unitPrice} />
                <Text className="order-line__qty">× {l.quantity}</Text>
              </View>
            </View>
          </View>
        ))}
        <Breakdown price={o.price} payableLabel={unpaid ? '应付 Payable' : '实付 Paid'} />
      </View>

      <View className="card order-meta">
        <View className="order-meta__row">
          <Text>订单编号 Order no.</Text>
          <Text className="order-no">{o.orderNo}</Text>
        </View>
        <View className="order-meta__row">
          <Text>下单时间 Placed</Text>
          <Text>{when(o.createdAt)}</Text>
        </View>
        {o.paidAt && (
          <View className="order-meta__row">
            <Text>付款时间 Paid</Text>
            <Text>{when(o.paidAt)}</Text>
          </View>
        )}
        {o.note && (
          <View className="order-meta__row">
            <Text>备注 Note</Text>
            <Text>{o.note}</Text>
          </View>
        )}
      </View>

      {(canCancel || canConfirm) && (
        <>
          <View className="bottom-bar-spacer" />
          <View className="bottom-bar order-actions">
            {canCancel && (
              <View
                className={`btn btn--ghost btn--small order-cancel${busy ? ' btn--disabled' : ''}`}
                onClick={() => void act('取消这个订单？', () => api.cancelOrder({ params: { id: o.id } }))}
              >
                取消订单 Cancel
              </View>
            )}
            {canConfirm && (
              <View
                className={`btn btn--small order-confirm${busy ? ' btn--disabled' : ''}`}
                onClick={() => void act('确认已收到货？', () => api.confirmReceipt({ params: { id: o.id } }))}
              >
                确认收货 Confirm receipt
              </View>
            )}
          </View>
        </>
      )}
    </View>
  );
}
