import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useDidHide, useDidShow, useRouter } from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import {
  buyerRefundStatusLabel,
  canTransition,
  formatChinaTime,
  formatFen,
  orderStatusLabel,
  refundReasonLabel,
  type MyReview,
  type Order,
  type Refund,
} from '@chatmall/shared';
import { AddressCard } from '../../../components/AddressCard';
import { Breakdown } from '../../../components/Breakdown';
import { Price } from '../../../components/Price';
import { H5NavBar } from '../../../components/H5NavBar';
import { loadFailed, PendingPage } from '../../../components/PendingPage';
import { api, showError } from '../../../services/api';
import { cashierOutcome, startPayment } from '../../../services/pay';
import { mediaUrl } from '../../../services/media';
import { afterSalesUrl, productUrl, reviewUrl, routeParam } from '../../../routes';
import { stars } from '../../../components/stars';
import { buyAgain, canAskRefund, canBuyAgain } from '../../order-actions';
import { useLatestRequest } from '../../../hooks/useLatestRequest';
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

/** Every time on this page in China time (the wire carries UTC). */
const when = (iso: string | null | undefined) => (iso ? formatChinaTime(iso) : '');

/** After-sales requests and reviews of the order, loaded beside it (a failure leaves them out, quietly). */
interface Extras {
  refunds: Refund[];
  reviews: MyReview[];
}

/** After paying, ask the server this often, for this long, whether WeChat Pay's notification has landed. */
const CONFIRM_POLL_MS = 1500;
const CONFIRM_WINDOW_MS = 60_000;

/**
 * Where paying stands on this page. The client's word is never proof: `confirming` lasts
 * until the server says PAID (or the window ends, `unconfirmed`: the buyer can look again).
 */
type Paying = 'idle' | 'starting' | 'confirming' | 'unconfirmed';

export default function OrderPage() {
  const { params } = useRouter();
  const id = routeParam(params.id);
  // Back from the sandbox cashier (H5) with what the payer did; right after checkout with `pay`.
  const outcome = cashierOutcome(routeParam(params.wxpay));
  const payOnOpen = routeParam(params.pay) === '1';
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [now, setNow] = useState(Date.now());
  const [busy, setBusy] = useState(false);
  const [paying, setPaying] = useState<Paying>(outcome === 'pay' || outcome === 'paid-already' ? 'confirming' : 'idle');
  const [visible, setVisible] = useState(true);
  const confirmSince = useRef(Date.now());
  const latest = useLatestRequest();
  const [extras, setExtras] = useState<Extras>({ refunds: [], reviews: [] });

  const fetchExtras = useCallback(async (order: Order) => {
    if (!order.paidAt) return setExtras({ refunds: [], reviews: [] });
    const [refunds, reviews] = await Promise.all([
      api.listOrderRefunds({ params: { id: order.id } }).then((r) => r.items),
      order.completedAt ? api.listOrderReviews({ params: { id: order.id } }).then((r) => r.items) : [],
    ]).catch(() => [[], []] as [Refund[], MyReview[]]);
    setExtras({ refunds, reviews });
  }, []);

  const fetchOrder = useCallback(
    async (quiet = false) => {
      const isLatest = latest.supersede();
      if (!id) return setLoad({ status: 'not-found' });
      if (!quiet) setLoad({ status: 'loading' });
      try {
        const order = await api.getOrder({ params: { id } });
        if (!isLatest()) return;
        setLoad({ status: 'ready', order });
        void fetchExtras(order);
      } catch (err) {
        if (!isLatest()) return;
        setLoad(loadFailed(err));
      }
    },
    [id, latest, fetchExtras],
  );

  useEffect(() => {
    void fetchOrder();
  }, [fetchOrder]);

  // Back from asking for a refund or writing a review: show it.
  const shownOnce = useRef(false);
  useDidShow(() => {
    if (shownOnce.current) void fetchOrder(true);
    shownOnce.current = true;
  });
  useDidShow(() => setVisible(true));
  useDidHide(() => setVisible(false));

  const order = load.status === 'ready' ? load.order : null;
  const unpaid = order?.status === 'PENDING_PAYMENT';
  const payByMs = order ? Date.parse(order.payBy) : 0;
  const confirming = paying === 'confirming' && unpaid;

  // Waiting for the server: poll the order until it is no longer unpaid, the window ends or the page hides.
  useEffect(() => {
    if (!confirming || !visible || !id) return;
    let live = true;
    const timer = setInterval(() => {
      if (Date.now() - confirmSince.current > CONFIRM_WINDOW_MS) {
        clearInterval(timer);
        setPaying('unconfirmed');
        return;
      }
      api
        .getOrder({ params: { id } })
        .then((fresh) => {
          if (!live || fresh.status === 'PENDING_PAYMENT') return;
          latest.supersede(); // a slower full load must not put the unpaid order back
          setLoad({ status: 'ready', order: fresh });
          setPaying('idle');
          if (fresh.status === 'PAID') void Taro.showToast({ title: '支付成功 · Paid', icon: 'success' });
        })
        .catch(() => undefined); // a missed poll is retried on the next tick
    }, CONFIRM_POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [confirming, visible, id, latest]);

  const pay = useCallback(async () => {
    if (!id) return;
    setPaying('starting');
    try {
      const started = await startPayment(id);
      if (started.kind === 'left') return; // the browser is going to the cashier page
      if (started.kind === 'cancelled') {
        setPaying('idle');
        void Taro.showToast({ title: '已取消支付 · Payment cancelled', icon: 'none' });
        return;
      }
      confirmSince.current = Date.now();
      setPaying('confirming');
    } catch (err) {
      setPaying('idle');
      showError(err);
      void fetchOrder(true); // closed or paid meanwhile: show what the server sees
    }
  }, [id, fetchOrder]);

  // Back from the cashier: say what happened there (paying is confirmed by the server, above).
  const told = useRef(false);
  useEffect(() => {
    if (told.current || !outcome) return;
    told.current = true;
    const text =
      outcome === 'abandon'
        ? '已取消支付 · Payment cancelled'
        : outcome === 'fail'
          ? '支付失败，可重新支付 · Payment failed, try again'
          : outcome === 'error'
            ? '支付未完成 · Payment not completed'
            : '';
    if (text) void Taro.showToast({ title: text, icon: 'none', duration: 2500 });
  }, [outcome]);

  // Right after checkout the mini-program opens WeChat's payment sheet by itself (once).
  const autoPaid = useRef(false);
  useEffect(() => {
    if (process.env.TARO_ENV === 'h5' || !payOnOpen || autoPaid.current || !unpaid) return;
    autoPaid.current = true;
    void pay();
  }, [payOnOpen, unpaid, pay]);

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

  if (load.status !== 'ready')
    return (
      <PendingPage
        state={load}
        title="订单详情 Order"
        notFound="订单不存在 · Order not found"
        onRetry={() => void fetchOrder()}
        className="order-detail"
      />
    );

  const o = load.order;

  const act = async (title: string, call: () => Promise<Order>) => {
    const answer = await Taro.showModal({ title, content: `订单 ${o.orderNo}` });
    if (!answer.confirm || busy) return;
    setBusy(true);
    try {
      const fresh = await call();
      setLoad({ status: 'ready', order: fresh });
      void fetchExtras(fresh);
    } catch (err) {
      showError(err);
      void fetchOrder(true);
    } finally {
      setBusy(false);
    }
  };

  // While the payment is unconfirmed the buyer may have paid: no cancelling then.
  const canCancel = canTransition(o.status, 'CANCELLED') && !confirming && paying !== 'unconfirmed';
  const canConfirm = o.status === 'SHIPPED' && canTransition(o.status, 'COMPLETED');
  const canPay = unpaid && payByMs > now;
  const canRefund = canAskRefund(o.status);
  const refunded = extras.refunds.filter((r) => r.status === 'SUCCESS');
  const refundedTotal = refunded.reduce((n, r) => n + r.amount, 0);
  const reviewOf = new Map(extras.reviews.map((r) => [r.orderLineId, r]));
  // 实付 only for money actually paid: an unpaid order is payable, a cancelled or closed one never paid.
  const payableLabel = o.paidAt ? '实付 Paid' : unpaid ? '应付 Payable' : '订单金额 Order total';

  const withdraw = async (r: Refund) => {
    const answer = await Taro.showModal({ title: '撤销这个售后申请？', content: `退款 ${formatFen(r.amount)}` });
    if (!answer.confirm) return;
    try {
      await api.withdrawRefund({ params: { id: o.id, refundId: r.id } });
    } catch (err) {
      showError(err);
    }
    void fetchExtras(o);
  };

  return (
    <View className="order-detail">
      <H5NavBar title="订单详情 Order" />
      <View className={`order-hero order-hero--${o.status}${confirming ? ' order-hero--confirming' : ''}`}>
        <Text className="order-status">
          {confirming ? '支付确认中… Confirming payment' : orderStatusLabel[o.status]}
        </Text>
        {confirming && (
          <Text className="order-hero__note order-confirming">
            正在等待微信支付的结果 · Waiting for WeChat Pay to confirm
          </Text>
        )}
        {o.status === 'PAID' && (
          <Text className="order-hero__note order-paid">已支付，商家备货中 · Paid, the shop is preparing it</Text>
        )}
        {paying === 'unconfirmed' && unpaid && (
          <Text className="order-hero__note order-unconfirmed">
            还没有收到支付结果，如已付款请稍后刷新 · No payment confirmation yet
          </Text>
        )}
        {unpaid && !confirming && (
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
            key={l.id}
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
              {o.completedAt && (
                <View className="order-line__review">
                  {reviewOf.get(l.id) && (
                    <Text className="order-line__rated">{stars(reviewOf.get(l.id)!.rating)} 已评价</Text>
                  )}
                  {(!reviewOf.get(l.id) || reviewOf.get(l.id)!.editableUntil) && (
                    <View
                      className="btn btn--ghost btn--small order-line__review-btn"
                      onClick={(e) => {
                        e.stopPropagation();
                        void Taro.navigateTo({ url: reviewUrl(o.id, l.id) });
                      }}
                    >
                      {reviewOf.get(l.id) ? '修改评价 Edit' : '评价 Review'}
                    </View>
                  )}
                </View>
              )}
            </View>
          </View>
        ))}
        <Breakdown price={o.price} payableLabel={payableLabel} />
        {refundedTotal > 0 && (
          <View className="order-refunded">
            <View className="breakdown__row order-refunded__row">
              <Text>已退款 Refunded</Text>
              <Text className="order-refunded__amount">−{formatFen(refundedTotal)}</Text>
            </View>
            {refunded.map((r) => (
              <View key={r.id} className="breakdown__row order-refunded__when">
                <Text>{formatFen(r.amount)} 退款于 Refunded on</Text>
                <Text className="order-refunded__date">{when(r.succeededAt)}</Text>
              </View>
            ))}
            <View className="breakdown__row breakdown__row--total order-net">
              <Text>最终实付 Finally paid</Text>
              <Text className="order-net__amount">{formatFen(Math.max(0, o.price.payable - refundedTotal))}</Text>
            </View>
          </View>
        )}
      </View>

      {extras.refunds.length > 0 && (
        <View className="card order-refunds">
          <Text className="card__title">售后 After-sales</Text>
          {extras.refunds.map((r) => (
            <View key={r.id} className={`order-refund order-refund--${r.status}`}>
              <View className="order-refund__head">
                <Text className={`order-refund__status refund-status refund-status--${r.status}`}>
                  {buyerRefundStatusLabel[r.status]}
                </Text>
                <Text className="order-refund__amount">{formatFen(r.amount)}</Text>
              </View>
              <Text className="order-refund__what">
                {r.lines.length ? r.lines.map((x) => `${x.name} × ${x.quantity}`).join('、') : '整单退款 Whole order'}
              </Text>
              <Text className="order-refund__reason">
                {refundReasonLabel[r.reasonCode]}
                {r.reason && r.reason !== refundReasonLabel[r.reasonCode].split(' ')[0] ? ` · ${r.reason}` : ''}
              </Text>
              <Text className="order-refund__time">申请时间 Asked {when(r.createdAt)}</Text>
              {r.status === 'SUCCESS' && r.succeededAt && (
                <Text className="order-refund__time order-refund__done">退款时间 Refunded {when(r.succeededAt)}</Text>
              )}
              {r.status === 'REJECTED' && (
                <Text className="order-refund__rejected">拒绝原因 Merchant’s reason：{r.rejectReason ?? '—'}</Text>
              )}
              {r.status === 'REQUESTED' && (
                <View className="btn btn--ghost btn--small order-refund__withdraw" onClick={() => void withdraw(r)}>
                  撤销申请 Withdraw
                </View>
              )}
            </View>
          ))}
        </View>
      )}

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
        {o.shipment && (
          <View className="order-meta__row">
            <Text>发货时间 Shipped</Text>
            <Text>{when(o.shipment.shippedAt)}</Text>
          </View>
        )}
        {o.completedAt && (
          <View className="order-meta__row">
            <Text>完成时间 Completed</Text>
            <Text>{when(o.completedAt)}</Text>
          </View>
        )}
        {o.closedAt && (
          <View className="order-meta__row">
            <Text>{o.status === 'CANCELLED' ? '取消时间 Cancelled' : '关闭时间 Closed'}</Text>
            <Text>{when(o.closedAt)}</Text>
          </View>
        )}
        {o.note && (
          <View className="order-meta__row">
            <Text>备注 Note</Text>
            <Text>{o.note}</Text>
          </View>
        )}
      </View>

      {(canCancel || canConfirm || canPay || canRefund || canBuyAgain(o.status)) && (
        <>
          <View className="bottom-bar-spacer" />
          <View className="bottom-bar order-actions">
            {canPay && (
              <View className="order-actions__due">
                <Text className="order-actions__label">应付 Payable</Text>
                <Price fen={o.price.payable} className="order-actions__amount" />
              </View>
            )}
            {canRefund && (
              <View
                className="btn btn--ghost btn--small order-refund-ask"
                onClick={() => void Taro.navigateTo({ url: afterSalesUrl(o.id) })}
              >
                申请售后 After-sales
              </View>
            )}
            {canBuyAgain(o.status) && (
              <View className="btn btn--ghost btn--small order-again" onClick={() => void buyAgain(o.id)}>
                再来一单 Buy again
              </View>
            )}
            {canCancel && (
              <View
                className={`btn btn--ghost btn--small order-cancel${busy ? ' btn--disabled' : ''}`}
                onClick={() => void act('取消这个订单？', () => api.cancelOrder({ params: { id: o.id } }))}
              >
                取消 Cancel
              </View>
            )}
            {canConfirm && (
              <View
                className={`btn btn--small order-confirm${busy ? ' btn--disabled' : ''}`}
                onClick={() => void act('确认已收到货？', () => api.confirmReceipt({ params: { id: o.id } }))}
              >
                确认收货 Received
              </View>
            )}
            {canPay &&
              (confirming ? (
                <View className="btn btn--small btn--disabled order-pay order-pay--confirming">
                  支付确认中… Confirming
                </View>
              ) : paying === 'unconfirmed' ? (
                <>
                  <View
                    className="btn btn--ghost btn--small order-recheck"
                    onClick={() => {
                      confirmSince.current = Date.now();
                      setPaying('confirming');
                    }}
                  >
                    刷新 Refresh
                  </View>
                  <View className="btn btn--accent btn--small order-pay" onClick={() => void pay()}>
                    立即支付 Pay
                  </View>
                </>
              ) : (
                <View
                  className={`btn btn--accent btn--small order-pay${paying === 'starting' ? ' btn--disabled' : ''}`}
                  onClick={() => {
                    if (paying !== 'starting') void pay();
                  }}
                >
                  {paying === 'starting' ? '打开中… Opening' : '立即支付 Pay'}
                </View>
              ))}
          </View>
        </>
      )}
    </View>
  );
}
