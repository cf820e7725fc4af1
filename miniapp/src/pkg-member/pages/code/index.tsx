import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import Taro, { useDidHide, useDidShow } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { formatFen, type Member, type MemberCode } from '@chatmall/shared';
import { H5NavBar } from '../../../components/H5NavBar';
import { StateView } from '../../../components/StateView';
import { api, errorMessage } from '../../../services/api';
import { memberUrl } from '../../../routes';
import { barcodeRuns, qrRows, type Runs } from '../../code-image';
import { spacedCode } from '../../membership';
import '../../member.css';

/** A fresh code this long before the old one runs out, so the clerk never scans a dying one. */
const REFRESH_BEFORE_S = 10;
const QR_MODULE = 14;
const BAR_MODULE = 3;

type Load =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'not-member' }
  | { status: 'ready'; code: MemberCode; until: number; member: Member };

/** A row of runs (dark first) as views: few elements, no canvas, the same in both builds. */
function RunRow({
  runs,
  module,
  height,
  className,
}: {
  runs: Runs;
  module: number;
  height: number;
  className: string;
}) {
  return (
    <View className={className} style={{ height: Taro.pxTransform(height) }}>
      {runs.map((n, i) =>
        n === 0 ? null : (
          <View
            key={i}
            className={i % 2 === 0 ? 'member-code__dark' : undefined}
            style={{ width: Taro.pxTransform(n * module), height: Taro.pxTransform(height) }}
          />
        ),
      )}
    </View>
  );
}

/**
 * 会员码: the rotating code for the counter, as a barcode and a QR code with its digits
 * beneath. Each code lasts 60 s and works once; the page fetches a fresh one 10 s before
 * the end (and on return to the page), counting down the seconds left.
 */
export default function MemberCodePage() {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [now, setNow] = useState(Date.now());
  const [visible, setVisible] = useState(true);
  const fetching = useRef(false);

  const fetchCode = useCallback(async (quiet = false) => {
    if (fetching.current) return;
    fetching.current = true;
    if (!quiet) setLoad({ status: 'loading' });
    try {
      const me = await api.myMembership({});
      if (!me.member) return setLoad({ status: 'not-member' });
      const code = await api.myMemberCode({});
      // The phone's clock may be off: count from when the code arrived, not from expiresAt.
      setLoad({ status: 'ready', code, until: Date.now() + code.validSeconds * 1000, member: me.member });
      setNow(Date.now());
    } catch (err) {
      setLoad({ status: 'error', message: errorMessage(err) });
    } finally {
      fetching.current = false;
    }
  }, []);

  // In the mini-program the screen stays on and bright while the code shows (a scanner reads a
  // bright screen better), and goes back to the buyer's brightness when the page hides.
  const brightness = useRef<number | null>(null);
  useDidShow(() => {
    setVisible(true);
    void fetchCode();
    if (process.env.TARO_ENV === 'h5') return;
    // Best effort: a runtime without these APIs still shows the code.
    try {
      void Taro.setKeepScreenOn({ keepScreenOn: true }).catch(() => undefined);
      void Taro.getScreenBrightness()
        .then(({ value }) => {
          brightness.current = value;
          return Taro.setScreenBrightness({ value: 1 });
        })
        .catch(() => undefined);
    } catch {
      /* not available here */
    }
  });
  useDidHide(() => {
    setVisible(false);
    if (process.env.TARO_ENV === 'h5') return;
    try {
      void Taro.setKeepScreenOn({ keepScreenOn: false }).catch(() => undefined);
      if (brightness.current !== null)
        void Taro.setScreenBrightness({ value: brightness.current }).catch(() => undefined);
    } catch {
      /* not available here */
    }
  });

  const left = load.status === 'ready' ? Math.max(0, Math.ceil((load.until - now) / 1000)) : 0;
  useEffect(() => {
    if (!visible || load.status !== 'ready') return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [visible, load.status]);
  useEffect(() => {
    if (visible && load.status === 'ready' && left <= REFRESH_BEFORE_S) void fetchCode(true);
  }, [visible, load.status, left, fetchCode]);

  const code = load.status === 'ready' ? load.code.code : '';
  const drawn = useMemo(() => (code ? { qr: qrRows(code), bars: barcodeRuns(code) } : null), [code]);

  const body = () => {
    if (load.status === 'loading') return <StateView kind="loading" />;
    if (load.status === 'error') return <StateView kind="error" text={load.message} onRetry={() => void fetchCode()} />;
    if (load.status === 'not-member')
      return (
        <>
          <StateView kind="empty" text="加入会员后即可出示会员码 · Join to get a member code" />
          <View className="member-actions">
            <View className="btn" onClick={() => void Taro.navigateTo({ url: memberUrl('memberJoin') })}>
              立即入会 Join now
            </View>
          </View>
        </>
      );
    const { member } = load;
    return (
      <>
        <View className="member-code" data-code={code}>
          <Text className="muted">向店员出示，用于积分或余额付款 · Show this at the counter</Text>
          {drawn && (
            <>
              <View style={{ marginTop: Taro.pxTransform(28) }}>
                <RunRow runs={drawn.bars} module={BAR_MODULE} height={150} className="member-code__barcode" />
              </View>
              <Text className="member-code__digits member-code-digits">{spacedCode(code)}</Text>
              <View className="member-code__qr">
                {drawn.qr.rows.map((runs, y) => (
                  <RunRow key={y} runs={runs} module={QR_MODULE} height={QR_MODULE} className="member-code__qr-row" />
                ))}
              </View>
            </>
          )}
          <Text className="member-code__countdown member-code-countdown">
            {left} 秒后自动刷新 · Refreshes in {left}s
          </Text>
          <View className="btn btn--ghost btn--small member-code__refresh" onClick={() => void fetchCode(true)}>
            刷新 Refresh
          </View>
        </View>
        <View className="member-stats">
          <View className="member-stat">
            <Text className="member-stat__value">{member.level.name}</Text>
            <Text className="member-stat__label">等级 Level</Text>
          </View>
          <View className="member-stat">
            <Text className="member-stat__value member-code-points">{member.points}</Text>
            <Text className="member-stat__label">积分 Points</Text>
          </View>
          <View className="member-stat">
            <Text className="member-stat__value">{formatFen(member.balance.total)}</Text>
            <Text className="member-stat__label">余额 Balance</Text>
          </View>
        </View>
      </>
    );
  };

  return (
    <View className={`member-page member-code-page member-code-page--${load.status}`}>
      <H5NavBar title="会员码 Member code" />
      {body()}
    </View>
  );
}
