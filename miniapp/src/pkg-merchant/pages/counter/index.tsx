import { useCallback, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import {
  ApiError,
  ErrorCode,
  formatFen,
  MEMBER_CODE_REFUSALS,
  parseYuan,
  type CounterMember,
  type CounterResult,
  type MerchantMe,
} from '@chatmall/shared';
import { PageFrame, PendingPage, type Pending } from '../../../components/PendingPage';
import { api, errorMessage, fieldErrors } from '../../../services/api';
import { randomKey } from '../../../services/session';
import { isRefused, Refused } from '../../components/Refused';
import { mayUse, roleLabel } from '../../merchant';
import '../../merchant.css';
import './index.css';

type Load = Pending | { status: 'refused' } | { status: 'ready'; me: Extract<MerchantMe, { bound: true }> };
type Mode = 'purchase' | 'payment';
/** One sale at the till: its request id stays the same across retries, so a retry records it once. */
type Sale = { mode: Mode; amount: string; requestId: string };

const TITLE = '会员收银 Counter';
const CODE_RULE = '请输入会员码的 24 位数字 · Enter the 24 digits of the member code';

/** The counter's refusals in the clerk's words (the server names the field `code` and says why). */
function counterError(err: unknown): { code?: string; amount?: string; other?: string } {
  if (isRefused(err))
    return { other: '这个微信未绑定员工，或你的角色不能收银 · Not bound, or your role cannot use the counter' };
  if (err instanceof ApiError && err.code === ErrorCode.INSUFFICIENT_BALANCE)
    return { amount: '会员余额不足 · The balance does not cover this amount' };
  const fields = fieldErrors(err);
  if (fields.code) {
    // The server's refusals are the clerk's words already; anything else (the format) is "not valid".
    const known: readonly string[] = Object.values(MEMBER_CODE_REFUSALS);
    return { code: known.includes(fields.code) ? fields.code : MEMBER_CODE_REFUSALS.FORGED };
  }
  if (fields.amount) return { amount: `金额不对 · ${fields.amount}` };
  return { other: errorMessage(err) };
}

const digitsOf = (text: string) => text.replace(/\D/g, '');

/**
 * 会员收银: the clerk's counter on the phone (owner, clerk). Scan the code the member shows (or
 * type its digits: the browser build has no scanner), see who it is, then record a purchase
 * (points and growth for the amount) or take a payment from the member's balance. A code works
 * once: after a sale the page is ready for the next member.
 */
export default function MerchantCounterPage() {
  const [load, setLoad] = useState<Load>({ status: 'loading' });

  const fetchMe = useCallback(async () => {
    setLoad({ status: 'loading' });
    try {
      const me = await api.merchantMe({});
      setLoad(
        me.bound && mayUse(me.staff.role, 'merchantCounterLookup') ? { status: 'ready', me } : { status: 'refused' },
      );
    } catch (err) {
      setLoad(isRefused(err) ? { status: 'refused' } : { status: 'error', message: errorMessage(err) });
    }
  }, []);

  useDidShow(() => {
    if (load.status !== 'ready') void fetchMe();
  });

  if (load.status === 'refused') return <Refused title={TITLE} className="merchant-counter" />;
  if (load.status !== 'ready')
    return (
      <PendingPage
        state={load}
        title={TITLE}
        notFound=""
        onRetry={() => void fetchMe()}
        className="merchant-counter-pending"
      />
    );
  return <Counter me={load.me} onRefused={() => setLoad({ status: 'refused' })} />;
}

function Counter(props: { me: Extract<MerchantMe, { bound: true }>; onRefused: () => void }) {
  const [code, setCode] = useState('');
  const [member, setMember] = useState<CounterMember | null>(null);
  const [sale, setSale] = useState<Sale>(() => ({ mode: 'purchase', amount: '', requestId: randomKey('ct', 24) }));
  const [result, setResult] = useState<{ mode: Mode; r: CounterResult } | null>(null);
  const [errors, setErrors] = useState<{ code?: string; amount?: string; other?: string }>({});
  const [busy, setBusy] = useState(false);

  const fail = (err: unknown) => {
    if (isRefused(err)) return props.onRefused();
    const e = counterError(err);
    // A code refused at the sale (expired while the amount was typed, used meanwhile): scan again.
    if (e.code) setMember(null);
    setErrors(e);
  };

  const lookup = async (value = code) => {
    const digits = digitsOf(value);
    if (digits.length !== 24) return setErrors({ code: CODE_RULE });
    if (busy) return;
    setBusy(true);
    setErrors({});
    setResult(null);
    try {
      setMember(await api.merchantCounterLookup({ body: { code: digits } }));
      setSale({ mode: 'purchase', amount: '', requestId: randomKey('ct', 24) });
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const scan = async () => {
    try {
      const res = await Taro.scanCode({ onlyFromCamera: true, scanType: ['barCode', 'qrCode'] });
      const digits = digitsOf(res.result ?? '');
      setCode(digits);
      void lookup(digits);
    } catch {
      // cancelled
    }
  };

  const submit = async () => {
    if (!member || busy) return;
    let amount: number;
    try {
      amount = parseYuan(sale.amount);
    } catch {
      return setErrors({ amount: '请填写金额（元），如 58 或 58.50 · Amount in yuan, e.g. 58 or 58.50' });
    }
    if (amount < 1) return setErrors({ amount: '金额至少 ¥0.01 · At least ¥0.01' });
    if (sale.mode === 'payment' && amount > member.balance)
      return setErrors({
        amount: `会员余额不足（余额 ${formatFen(member.balance)}）· The balance does not cover this`,
      });
    setBusy(true);
    setErrors({});
    try {
      const body = { code: digitsOf(code), amount, requestId: sale.requestId };
      const done =
        sale.mode === 'purchase'
          ? await api.merchantCounterPurchase({ body })
          : await api.merchantCounterPayment({ body });
      setResult({ mode: sale.mode, r: done });
      setMember(null);
      setCode('');
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const next = () => {
    setResult(null);
    setMember(null);
    setCode('');
    setErrors({});
  };

  const setAmount = (amount: string) => {
    // A different sale: a new request id (a retry of the same one keeps it).
    setSale((s) => (s.amount === amount ? s : { ...s, amount, requestId: randomKey('ct', 24) }));
    setErrors({});
  };
  const setMode = (mode: Mode) => {
    setSale((s) => (s.mode === mode ? s : { mode, amount: s.amount, requestId: randomKey('ct', 24) }));
    setErrors({});
  };

  return (
    <PageFrame title={TITLE} className="merchant merchant-counter">
      <View>
        <View className="merchant-head">
          <Text className="merchant-head__title">会员收银 Member counter</Text>
          <Text className="merchant-head__sub">
            {props.me.staff.displayName} · {roleLabel[props.me.staff.role]}
          </Text>
        </View>

        {result ? (
          <CounterDone mode={result.mode} result={result.r} onNext={next} />
        ) : (
          <View className="card merchant-counter__scan">
            {process.env.TARO_ENV !== 'h5' && (
              <View
                className={`btn merchant-counter__scan-btn${busy ? ' btn--disabled' : ''}`}
                onClick={() => void scan()}
              >
                扫会员码 Scan member code
              </View>
            )}
            <View className="merchant-field">
              <Text className="merchant-field__label">
                {process.env.TARO_ENV !== 'h5'
                  ? '或输入会员码数字 Or type the code'
                  : '会员码 Member code（24 位数字 digits）'}
              </Text>
              <View className="merchant-field__row">
                <Input
                  className="merchant-input merchant-counter__code"
                  type="number"
                  maxlength={32}
                  value={code}
                  placeholder="输入或粘贴 Type or paste"
                  onInput={(e) => {
                    setCode(digitsOf(e.detail.value));
                    setErrors({});
                    if (member) setMember(null);
                  }}
                  onConfirm={() => void lookup()}
                />
                <View
                  className={`btn btn--ghost btn--small merchant-counter__lookup${busy ? ' btn--disabled' : ''}`}
                  onClick={() => void lookup()}
                >
                  {busy && !member ? '查询中…' : '查询 Look up'}
                </View>
              </View>
              {errors.code && <Text className="merchant-field__error merchant-counter__error">{errors.code}</Text>}
            </View>
            {!member && !errors.code && (
              <Text className="merchant-note merchant-counter__hint">
                请会员打开「我的 → 会员中心 → 会员码」，扫码或输入下方数字；每个码 60 秒内有效，只能用一次。 Ask the
                member to open Me → Member centre → Member code. A code lasts 60 s and works once.
              </Text>
            )}
          </View>
        )}

        {member && !result && (
          <View className="card merchant-counter__member">
            <MemberSummary member={member} />
            <View className="merchant-counter__modes">
              {(
                [
                  ['purchase', '记录消费', 'Record purchase'],
                  ['payment', '余额收款', 'Take payment'],
                ] as const
              ).map(([m, zh, en]) => (
                <View
                  key={m}
                  className={`merchant-counter__mode merchant-counter__mode--${m}${sale.mode === m ? ' merchant-counter__mode--on' : ''}`}
                  onClick={() => setMode(m)}
                >
                  <Text className="merchant-counter__mode-zh">{zh}</Text>
                  <Text className="merchant-counter__mode-en">{en}</Text>
                </View>
              ))}
            </View>
            <View className="merchant-field">
              <Text className="merchant-field__label">
                {sale.mode === 'purchase'
                  ? '消费金额（元）Amount paid, yuan'
                  : '从余额扣款（元）From the balance, yuan'}
              </Text>
              <Input
                className="merchant-input merchant-counter__amount"
                type="digit"
                maxlength={9}
                value={sale.amount}
                placeholder="0.00"
                onInput={(e) => setAmount(e.detail.value)}
                onConfirm={() => void submit()}
              />
              {errors.amount && <Text className="merchant-field__error merchant-counter__error">{errors.amount}</Text>}
              {!errors.amount && (
                <Text className="merchant-note merchant-counter__rule">
                  {sale.mode === 'purchase'
                    ? '按金额计积分和成长值 · Earns points and growth for the amount'
                    : `会员余额 ${formatFen(member.balance)} · Balance available`}
                </Text>
              )}
            </View>
            <View
              className={`btn merchant-counter__submit${busy ? ' btn--disabled' : ''}`}
              onClick={() => void submit()}
            >
              {busy
                ? '提交中… Sending'
                : sale.mode === 'purchase'
                  ? '确认记录消费 Record purchase'
                  : '确认余额收款 Take payment'}
            </View>
            <View className="btn btn--ghost merchant-counter__cancel" onClick={next}>
              换一位会员 Another member
            </View>
          </View>
        )}

        {errors.other && (
          <View className="card merchant-counter__failed">
            <Text className="merchant-field__error merchant-counter__error">{errors.other}</Text>
          </View>
        )}
      </View>
    </PageFrame>
  );
}

function MemberSummary({ member: m }: { member: CounterMember }) {
  return (
    <View className="merchant-counter__who">
      <View className="merchant-card__head">
        <Text className="merchant-counter__name">{m.name || `会员 ${m.memberNo}`}</Text>
        <Text className="merchant-counter__level">{m.level}</Text>
      </View>
      <Text className="merchant-note merchant-counter__phone">
        {m.phone} · 会员号 No. {m.memberNo}
      </Text>
      <View className="merchant-counter__figures">
        <View className="merchant-counter__figure">
          <Text className="merchant-counter__value merchant-counter__points">{m.points}</Text>
          <Text className="merchant-counter__label">积分 Points</Text>
        </View>
        <View className="merchant-counter__figure">
          <Text className="merchant-counter__value merchant-counter__balance">{formatFen(m.balance)}</Text>
          <Text className="merchant-counter__label">余额 Balance</Text>
        </View>
      </View>
    </View>
  );
}

function CounterDone({ mode, result: r, onNext }: { mode: Mode; result: CounterResult; onNext: () => void }) {
  const purchase = mode === 'purchase';
  return (
    <View className="card merchant-counter__done">
      <Text className="merchant-counter__done-title">
        {purchase ? '已记录消费 Purchase recorded' : '已从余额收款 Payment taken'}
        {r.replayed ? '（重复提交，只记一次 · a retry, recorded once）' : ''}
      </Text>
      <Text className="merchant-counter__done-line">
        {purchase ? (
          <>
            积分 +{r.pointsEarned} · {r.pointsEarned} points credited
          </>
        ) : (
          <>
            收款 {formatFen(r.paid)} · 余额剩 {formatFen(r.member.balance)} left
          </>
        )}
      </Text>
      <MemberSummary member={r.member} />
      <View className="btn merchant-counter__next" onClick={onNext}>
        下一位会员 Next member
      </View>
    </View>
  );
}
