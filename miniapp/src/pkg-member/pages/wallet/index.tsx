import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import {
  formatChinaTime,
  formatFen,
  type Member,
  type Programme,
  type TopUp,
  type WalletEntry,
} from '@chatmall/shared';
import { H5NavBar } from '../../../components/H5NavBar';
import { StateView } from '../../../components/StateView';
import { api, errorMessage, showError } from '../../../services/api';
import { cashierOutcome } from '../../../services/pay';
import { memberUrl, routeParam } from '../../../routes';
import { startTopUp } from '../../membership';
import '../../member.css';

type Load =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; member: Member | null; programme: Programme; entries: WalletEntry[] };

/** Where a top-up stands on this page: waiting for WeChat Pay's word through the server, or done. */
type Waiting = { kind: 'none' } | { kind: 'waiting'; id: string } | { kind: 'done'; topUp: TopUp } | { kind: 'late' };

const POLL_MS = 1500;
const WINDOW_MS = 60_000;

/**
 * 储值余额: the balance (principal and bonus), the programme's top-up tiers (pay ¥100 get
 * ¥110), and the balance's history. After paying (WeChat's sheet, or back from the H5
 * cashier with `topUp`), the page waits until the server says the top-up is credited.
 */
export default function MemberWalletPage() {
  const { params } = useRouter();
  const back = routeParam(params.topUp);
  const outcome = cashierOutcome(routeParam(params.wxpay));
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [chosen, setChosen] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [waiting, setWaiting] = useState<Waiting>(
    back && (outcome === 'pay' || outcome === 'paid-already') ? { kind: 'waiting', id: back } : { kind: 'none' },
  );
  const since = useRef(Date.now());

  const fetchAll = useCallback(async (quiet = false) => {
    if (!quiet) setLoad({ status: 'loading' });
    try {
      const [me, programme, wallet] = await Promise.all([
        api.myMembership({}),
        api.membershipProgramme({}),
        api.myWallet({ query: { limit: 20 } }),
      ]);
      setLoad({ status: 'ready', member: me.member, programme, entries: wallet.items });
      setChosen((c) => c ?? programme.settings.topUpTiers[0]?.pay ?? null);
    } catch (err) {
      setLoad({ status: 'error', message: errorMessage(err) });
    }
  }, []);

  useEffect(() => void fetchAll(), [fetchAll]);
  useDidShow(() => {
    if (load.status === 'ready') void fetchAll(true);
  });
  usePullDownRefresh(() => void fetchAll(true).finally(() => Taro.stopPullDownRefresh()));

  // Waiting for the notification to reach the server: poll the top-up until it is PAID.
  useEffect(() => {
    if (waiting.kind !== 'waiting') return;
    let live = true;
    since.current = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - since.current > WINDOW_MS) {
        clearInterval(timer);
        setWaiting({ kind: 'late' });
        return;
      }
      api
        .myTopUp({ params: { id: waiting.id } })
        .then((t) => {
          if (!live || t.status === 'PENDING') return;
          clearInterval(timer);
          setWaiting({ kind: 'done', topUp: t });
          void fetchAll(true);
        })
        .catch(() => undefined);
    }, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [waiting, fetchAll]);

  async function pay() {
    if (chosen === null || busy) return;
    setBusy(true);
    try {
      const started = await startTopUp(chosen);
      if (started.kind === 'submitted') setWaiting({ kind: 'waiting', id: started.topUpId });
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  }

  const body = () => {
    if (load.status === 'loading') return <StateView kind="loading" />;
    if (load.status === 'error') return <StateView kind="error" text={load.message} onRetry={() => void fetchAll()} />;
    const { member, programme, entries } = load;
    if (!member)
      return (
        <>
          <StateView kind="empty" text="加入会员后即可充值 · Join the membership to top up" />
          <View className="member-actions">
            <View className="btn" onClick={() => void Taro.navigateTo({ url: memberUrl('memberJoin') })}>
              立即入会 Join now
            </View>
          </View>
        </>
      );
    const tiers = programme.settings.topUpTiers;
    return (
      <>
        <View className="member-card">
          <Text className="member-card__no">储值余额 Balance</Text>
          <Text className="member-wallet__balance wallet-balance">{formatFen(member.balance.total)}</Text>
          <Text className="member-wallet__split">
            本金 {formatFen(member.balance.principal)} · 赠送 {formatFen(member.balance.bonus)}
          </Text>
        </View>
        {waiting.kind === 'waiting' && (
          <View className="member-notice wallet-waiting">正在确认充值… · Confirming the top-up with WeChat Pay</View>
        )}
        {waiting.kind === 'late' && (
          <View className="member-notice wallet-late">
            支付结果确认较慢，请稍后下拉刷新 · Still confirming; pull to refresh shortly
          </View>
        )}
        {waiting.kind === 'done' && (
          <View className="member-notice member-notice--done wallet-credited">
            充值成功，到账 {formatFen(waiting.topUp.pay + waiting.topUp.bonus)}（含赠送 {formatFen(waiting.topUp.bonus)}
            ） · Credited
          </View>
        )}
        <View className="card member-top-up">
          <Text className="card__title">充值 Top up</Text>
          {tiers.length === 0 ? (
            <Text className="muted">商家暂未设置充值档位 · No top-up tiers yet</Text>
          ) : (
            <>
              <View className="member-tiers">
                {tiers.map((t) => (
                  <View
                    key={t.pay}
                    className={`member-tier wallet-tier wallet-tier-${t.pay}${t.pay === chosen ? ' member-tier--on' : ''}`}
                    onClick={() => setChosen(t.pay)}
                  >
                    <Text className="member-tier__pay">充 {formatFen(t.pay)}</Text>
                    <Text className="member-tier__bonus">{t.bonus > 0 ? `送 ${formatFen(t.bonus)}` : '无赠送'}</Text>
                  </View>
                ))}
              </View>
              <View
                className={`btn btn--accent member-join__button wallet-pay${busy ? ' btn--disabled' : ''}`}
                onClick={() => void pay()}
              >
                {chosen === null ? '请选择金额' : `支付 ${formatFen(chosen)} · Pay`}
              </View>
            </>
          )}
        </View>
        <View className="card wallet-history">
          <Text className="card__title">余额明细 History</Text>
          {entries.length === 0 ? (
            <Text className="muted">还没有记录 · Nothing yet</Text>
          ) : (
            entries.map((e) => {
              const delta = e.principal + e.bonus;
              return (
                <View key={e.id} className={`member-row wallet-entry wallet-entry--${e.kind}`}>
                  <View className="member-row__main">
                    <Text className="member-row__title">{e.record}</Text>
                    <Text className="member-row__when">
                      {formatChinaTime(e.createdAt)}
                      {e.bonus !== 0 ? ` · 含赠送 ${formatFen(Math.abs(e.bonus))}` : ''}
                    </Text>
                  </View>
                  <Text className={`member-row__delta${delta < 0 ? ' member-row__delta--out' : ''}`}>
                    {delta > 0 ? `+${formatFen(delta)}` : formatFen(delta)}
                  </Text>
                </View>
              );
            })
          )}
        </View>
      </>
    );
  };

  return (
    <View className={`member-page member-wallet member-wallet--${load.status}`}>
      <H5NavBar title="储值余额 Balance" />
      {body()}
    </View>
  );
}
