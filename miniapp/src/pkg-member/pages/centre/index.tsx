import { useCallback, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { formatFen, type LevelBasis, type Member, type Programme } from '@chatmall/shared';
import { H5NavBar } from '../../../components/H5NavBar';
import { StateView } from '../../../components/StateView';
import { api, errorMessage, showError } from '../../../services/api';
import { memberUrl, memberWalletUrl } from '../../../routes';
import { addMemberCard, basisText } from '../../membership';
import '../../member.css';

type Load =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; member: Member | null; programme: Programme };

/** 会员中心: level and the way to the next, points, balance, the level's benefits; join when not a member yet. */
export default function MemberCentrePage() {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  // Added to the WeChat card pack from this page; the card shows as active once WeChat tells the server.
  const [cardAdded, setCardAdded] = useState(false);

  const fetchAll = useCallback(async (quiet = false) => {
    if (!quiet) setLoad({ status: 'loading' });
    try {
      const [me, programme] = await Promise.all([api.myMembership({}), api.membershipProgramme({})]);
      setLoad({ status: 'ready', member: me.member, programme });
    } catch (err) {
      setLoad({ status: 'error', message: errorMessage(err) });
    }
  }, []);

  // Back from joining, topping up or the counter: show the latest numbers.
  useDidShow(() => void fetchAll(load.status === 'ready'));
  usePullDownRefresh(() => void fetchAll(true).finally(() => Taro.stopPullDownRefresh()));

  const go = (url: string) => void Taro.navigateTo({ url });
  const body = () => {
    if (load.status === 'loading') return <StateView kind="loading" />;
    if (load.status === 'error') return <StateView kind="error" text={load.message} onRetry={() => void fetchAll()} />;
    const { member, programme } = load;
    const levels = programme.settings.levels;
    if (!member) {
      if (!programme.settings.enabled)
        return <StateView kind="empty" text="会员卡暂未开放 · Membership is not open yet" />;
      return (
        <>
          <View className="member-card member-card--invite">
            <Text className="member-card__level">成为会员 Join</Text>
            <Text className="member-card__next">
              消费得积分，积分抵现金；充值有赠送；等级越高折扣越多 · Earn points, top up with a bonus, level up for
              discounts
            </Text>
          </View>
          <View className="member-actions">
            <View className="btn member-join-entry" onClick={() => go(memberUrl('memberJoin'))}>
              立即入会 Join now
            </View>
          </View>
          <LevelsCard levels={levels} basis={programme.settings.levelBasis} current={-1} />
        </>
      );
    }
    const next = member.nextLevel;
    const have = member.levelBasis === 'spend' ? member.spendTotal : member.growth;
    const span = next ? next.threshold - member.level.threshold : 1;
    const percent = next ? Math.max(0, Math.min(100, Math.floor(((have - member.level.threshold) / span) * 100))) : 100;
    const lv = member.level;
    return (
      <>
        <View className="member-card">
          <View className="member-card__top">
            <Text className="member-card__level member-level-name">{lv.name}</Text>
            <Text className="member-card__no">No. {member.memberNo}</Text>
          </View>
          <Text className="member-card__next member-progress">
            {next
              ? `再${member.levelBasis === 'spend' ? '消费' : '获得'} ${basisText(member.levelBasis, next.missing)} 升级为 ${next.name} · ${next.name} next`
              : '已是最高等级 · Top level'}
          </Text>
          <View className="member-card__bar">
            <View className="member-card__bar-fill" style={{ width: `${percent}%` }} />
          </View>
        </View>
        <View className="member-stats">
          <View className="member-stat member-stat--points" onClick={() => go(memberUrl('memberPoints'))}>
            <Text className="member-stat__value member-points">{member.points}</Text>
            <Text className="member-stat__label">积分 Points ›</Text>
          </View>
          <View className="member-stat member-stat--balance" onClick={() => go(memberWalletUrl())}>
            <Text className="member-stat__value member-balance">{formatFen(member.balance.total)}</Text>
            <Text className="member-stat__label">余额 Balance ›</Text>
          </View>
        </View>
        <View className="member-actions">
          <View className="btn member-code-entry" onClick={() => go(memberUrl('memberCode'))}>
            会员码 Member code
          </View>
          <View className="btn btn--ghost member-wallet-entry" onClick={() => go(memberWalletUrl())}>
            充值 Top up
          </View>
        </View>
        <View
          className="card member-card-pack"
          onClick={() => {
            if (member.card.status === 'ACTIVE' || cardAdded) return;
            addMemberCard()
              .then(() => {
                setCardAdded(true);
                void Taro.showToast({ title: '已放入微信卡包 · Added', icon: 'success' });
                void fetchAll(true);
              })
              .catch(showError);
          }}
        >
          <View className="member-benefit">
            <Text>微信会员卡 WeChat card</Text>
            {member.card.status === 'ACTIVE' || cardAdded ? (
              <Text className="muted member-card-added">已在卡包 In your card pack</Text>
            ) : (
              <Text className="member-card-add">领取到微信卡包 Add ›</Text>
            )}
          </View>
        </View>
        <View className="card member-benefits">
          <Text className="card__title">{lv.name} 权益 Benefits</Text>
          <View className="member-benefit">
            <Text>会员折扣 Member price</Text>
            <Text className="muted">{lv.discountPercent > 0 ? `${(100 - lv.discountPercent) / 10} 折` : '—'}</Text>
          </View>
          <View className="member-benefit">
            <Text>积分倍数 Points</Text>
            <Text className="muted">
              {programme.settings.earning.pointsPerYuan > 0
                ? `每 ¥1 得 ${(programme.settings.earning.pointsPerYuan * lv.pointsMultiplierPercent) / 100} 积分`
                : '—'}
            </Text>
          </View>
          <View className="member-benefit">
            <Text>包邮 Free shipping</Text>
            <Text className="muted">{lv.freeShipping ? '✓' : '—'}</Text>
          </View>
          <View className="member-benefit">
            <Text>积分抵现 Points pay</Text>
            <Text className="muted">
              {programme.settings.pointsRule.points} 积分 = {formatFen(programme.settings.pointsRule.fen)}
            </Text>
          </View>
        </View>
        <LevelsCard levels={levels} basis={member.levelBasis} current={lv.index} />
      </>
    );
  };

  return (
    <View className={`member-page member-centre member-centre--${load.status}`}>
      <H5NavBar title="会员中心 Membership" />
      {body()}
    </View>
  );
}

function LevelsCard({
  levels,
  basis,
  current,
}: {
  levels: Programme['settings']['levels'];
  basis: LevelBasis;
  current: number;
}) {
  return (
    <View className="card member-levels">
      <Text className="card__title">会员等级 Levels</Text>
      {levels.map((l, i) => (
        <View key={l.name} className={`member-level-row${i === current ? ' member-level-row--current' : ''}`}>
          <Text>
            {l.name}
            {i === current ? '（当前）' : ''}
          </Text>
          <Text>
            {i === 0 ? '入会即享' : `${basis === 'spend' ? '累计消费' : '成长值'} ${basisText(basis, l.threshold)}`}
            {l.discountPercent > 0 ? ` · ${(100 - l.discountPercent) / 10}折` : ''}
          </Text>
        </View>
      ))}
    </View>
  );
}
