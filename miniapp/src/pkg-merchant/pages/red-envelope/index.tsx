import { useState } from 'react';
import Taro, { useShareAppMessage } from '@tarojs/taro';
import { Button, Input, Switch, Text, View } from '@tarojs/components';
import {
  formatChinaTime,
  formatFen,
  parseYuan,
  type CreateRedEnvelopePackRequest,
  type RedEnvelopePack,
} from '@chatmall/shared';
import { H5NavBar } from '../../../components/H5NavBar';
import { api, fieldErrors, showError } from '../../../services/api';
import { redEnvelopeUrl } from '../../../routes';
import '../../merchant.css';
import './index.css';

type Form = {
  title: string;
  budget: string;
  shares: string;
  minimumShare: string;
  split: 'random' | 'equal';
  threshold: 'none' | 'multiple';
  days: string;
  groupOnly: boolean;
};

const initial: Form = {
  title: '店庆红包，手慢无',
  budget: '100',
  shares: '10',
  minimumShare: '1',
  split: 'random',
  threshold: 'none',
  days: '7',
  groupOnly: true,
};

/** A whole number typed in a field, or NaN (the server names the field when it is refused). */
const whole = (s: string) => (/^\s*\d+\s*$/.test(s) ? Number(s) : NaN);

/**
 * 发红包 from the phone (owner, marketer): budget, shares, split, minimum, the coupon each share
 * becomes, group members only. The server splits the budget at once; the pack is then shared
 * into a group from here (weapp) or from its own page.
 */
export default function MerchantRedEnvelopePage() {
  const [form, setForm] = useState<Form>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [pack, setPack] = useState<RedEnvelopePack | null>(null);

  useShareAppMessage(() => ({
    title: pack?.title ?? form.title,
    path: pack?.sharePath ?? '/pages/home/index',
    imageUrl: pack?.imageUrl ?? undefined,
  }));

  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setErrors((e) => ({ ...e, [k]: '' }));
  };

  const submit = async () => {
    if (busy) return;
    const local: Record<string, string> = {};
    let budget = NaN;
    let minimumShare = NaN;
    try {
      budget = parseYuan(form.budget);
    } catch {
      local.budget = '请填写金额（元）· Amount in yuan, e.g. 100 or 99.50';
    }
    try {
      minimumShare = parseYuan(form.minimumShare);
    } catch {
      local.minimumShare = '请填写金额（元）· Amount in yuan, e.g. 1';
    }
    const shares = whole(form.shares);
    if (!local.budget && !local.minimumShare && shares > 0 && budget < shares * minimumShare)
      local.budget = `总金额不能少于 个数 × 每个最少（${formatFen(shares * minimumShare)}）· At least shares × minimum`;
    if (Object.keys(local).length) return setErrors(local);
    const body: CreateRedEnvelopePackRequest = {
      title: form.title,
      budget,
      shares,
      split: form.split,
      minimumShare,
      groupOnly: form.groupOnly,
      coupon: {
        title: '群红包券',
        threshold: form.threshold === 'none' ? { kind: 'none' } : { kind: 'multiple', multiple: 5 },
        scope: { type: 'shop' },
        validity: { kind: 'days', days: whole(form.days) },
      },
    };
    setBusy(true);
    try {
      setPack(await api.merchantCreateRedEnvelopePack({ body }));
      void Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => undefined);
    } catch (err) {
      const fields = fieldErrors(err);
      const mapped = {
        title: fields.title,
        budget: fields.budget,
        shares: fields.shares,
        minimumShare: fields.minimumShare,
        days: fields['coupon.validity.days'],
      };
      // The server's words, after a Chinese lead-in.
      const said = Object.fromEntries(
        Object.entries(mapped)
          .filter(([, m]) => m)
          .map(([k, m]) => [k, `请修改 Please fix: ${m}`]),
      );
      if (Object.keys(said).length) setErrors(said);
      else showError(err);
    } finally {
      setBusy(false);
    }
  };

  if (pack)
    return (
      <View className="merchant merchant-redpack merchant-redpack--created">
        <H5NavBar title="发红包 Red envelope" />
        <View className="merchant-head">
          <Text className="merchant-head__title">红包已创建 · Created</Text>
          <Text className="merchant-head__sub">
            分享到群里，群成员即可抢 · Share it into a group for its members to grab
          </Text>
        </View>
        <View className="card merchant-redpack__summary">
          <Text className="card__title">{pack.title}</Text>
          <Text className="merchant-redpack__line">
            {formatFen(pack.budget)} · {pack.shares} 个 shares ·{' '}
            {pack.split === 'random' ? '随机 Random' : '均分 Equal'}
          </Text>
          <Text className="merchant-redpack__line">
            {pack.groupOnly ? '仅限群成员 · Group members only' : '所有人可抢 · Anyone with the card'}
          </Text>
          <Text className="merchant-redpack__line">截止 Ends {formatChinaTime(pack.expiresAt)}</Text>
          {process.env.TARO_ENV === 'h5' ? (
            <View
              className="btn btn--accent merchant-redpack__share"
              onClick={() => void Taro.navigateTo({ url: redEnvelopeUrl(pack.id) })}
            >
              打开红包并分享 Open and share
            </View>
          ) : (
            <Button className="btn btn--accent merchant-redpack__share" openType="share">
              分享到群 Share to a group
            </Button>
          )}
          <View className="btn btn--ghost merchant-redpack__again" onClick={() => setPack(null)}>
            再发一个 Create another
          </View>
        </View>
      </View>
    );

  const field = (
    k: 'title' | 'budget' | 'shares' | 'minimumShare' | 'days',
    zh: string,
    en: string,
    type: 'text' | 'digit' | 'number',
  ) => (
    <View className={`merchant-field merchant-redpack__field--${k}`}>
      <Text className="merchant-field__label">
        {zh} {en}
      </Text>
      <View className="merchant-field__row">
        <Input
          className={`merchant-input merchant-redpack__${k}`}
          type={type}
          value={form[k]}
          maxlength={k === 'title' ? 40 : 10}
          onInput={(e) => set(k, e.detail.value)}
        />
      </View>
      {errors[k] && <Text className="merchant-field__error">{errors[k]}</Text>}
    </View>
  );
  const chips = <K extends 'split' | 'threshold'>(k: K, options: { value: Form[K]; label: string }[]) => (
    <View className="merchant-redpack__chips">
      {options.map((o) => (
        <View
          key={String(o.value)}
          className={`merchant-redpack__chip${form[k] === o.value ? ' merchant-redpack__chip--on' : ''}`}
          onClick={() => set(k, o.value)}
        >
          {o.label}
        </View>
      ))}
    </View>
  );

  return (
    <View className="merchant merchant-redpack">
      <H5NavBar title="发红包 Red envelope" />
      <View className="merchant-head">
        <Text className="merchant-head__title">发群红包 · Group red envelope</Text>
        <Text className="merchant-head__sub">
          总金额拆成优惠券，群成员手快有 · The budget splits into coupons for the group
        </Text>
      </View>
      <View className="card">
        {field('title', '标题', 'Card title', 'text')}
        {field('budget', '总金额（元）', 'Budget (¥)', 'digit')}
        {field('shares', '个数', 'Shares', 'number')}
        {field('minimumShare', '每个最少（元）', 'Minimum share (¥)', 'digit')}
        <View className="merchant-field">
          <Text className="merchant-field__label">拆分 Split</Text>
          {chips('split', [
            { value: 'random', label: '拼手气 Random' },
            { value: 'equal', label: '均分 Equal' },
          ])}
        </View>
        <View className="merchant-field">
          <Text className="merchant-field__label">券的门槛 Coupon minimum spend</Text>
          {chips('threshold', [
            { value: 'none', label: '无门槛 None' },
            { value: 'multiple', label: '满券额5倍 5× the amount' },
          ])}
        </View>
        {field('days', '券有效天数', 'Coupon valid (days)', 'number')}
        <View className="merchant-field merchant-redpack__switch">
          <Text className="merchant-field__label">仅限分享到的群成员 Group members only</Text>
          <Switch checked={form.groupOnly} color="#c8412b" onChange={(e) => set('groupOnly', e.detail.value)} />
        </View>
        <Text className="merchant-note">24 小时后截止，未抢完的退回 · Ends in 24 hours; what is left returns.</Text>
        <View
          className={`btn btn--accent merchant-redpack__submit${busy ? ' btn--disabled' : ''}`}
          onClick={() => void submit()}
        >
          {busy ? '创建中… Creating' : '塞钱进红包 Create'}
        </View>
      </View>
    </View>
  );
}
