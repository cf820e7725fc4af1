import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro';
import { Button, Image, Text, View } from '@tarojs/components';
import {
  ErrorCode,
  formatChinaTime,
  formatFen,
  type RedEnvelopeGrabOutcome,
  type RedEnvelopeState,
  type RedEnvelopeView,
} from '@chatmall/shared';
import { goUseCoupon } from '../../../components/coupon-use';
import { heldValidityText } from '../../../components/coupon-text';
import { H5NavBar } from '../../../components/H5NavBar';
import { loadFailed, PendingPage, type Pending } from '../../../components/PendingPage';
import { api, showError } from '../../../services/api';
import { redEnvelopeUrl, routeParam } from '../../../routes';
import { h5Groups, h5ShareToGroup, readChat, type ChatInfo, type H5Launch } from '../../wechat-chat';
import './index.css';

/** What each state says, Chinese first. */
const stateText: Record<RedEnvelopeState, { title: string; hint: string }> = {
  CAN_GRAB: { title: '恭喜发财，大吉大利', hint: 'Best wishes: open it for a coupon' },
  ALREADY_GRABBED: { title: '已抢过 · Already grabbed', hint: '你已经抢过这个红包了 · You grabbed this one' },
  ALL_GONE: { title: '已抢完 · All gone', hint: '手慢了，红包派完了 · Too slow: every share is taken' },
  EXPIRED: {
    title: '已过期 · Expired',
    hint: '红包已过期，未领完的已退回 · It has ended; what was left went back to the shop',
  },
  GROUP_ONLY: {
    title: '仅限该群成员 · Only for members of that group',
    hint: '只有分享到的群里的成员可以领取 · Only members of the group it was shared into can grab it',
  },
  NOT_FROM_GROUP: {
    title: '请从群聊中打开 · Open it from the group chat',
    hint: '这是群红包，需从群里的卡片打开 · A group red envelope opens from the card in its group',
  },
  NOT_NEW_BUYER: {
    title: '仅限新客 · New buyers only',
    hint: '仅限还没下过单的买家 · For buyers who have not ordered yet',
  },
};

type Load = Pending | { status: 'ready'; view: RedEnvelopeView };
/** The open animation: closed, the 開 button spinning while the grab runs, open. */
type Phase = 'closed' | 'opening' | 'opened';

const initialOf = (name: string) => name.replace(/^微信用户/, '').slice(0, 1) || '微';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export default function RedEnvelopePage() {
  const { params } = useRouter();
  const id = routeParam(params.id);
  const sharer = routeParam(params.from) || null;
  const launch = useRef<H5Launch>({
    shareTicket: routeParam(params.shareTicket) || undefined,
    enterId: routeParam(params.enterId) || undefined,
  }).current;
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  /** WeChat said this buyer is not (or no longer) in the group the card came from (65206). */
  const [notMember, setNotMember] = useState(false);
  const [phase, setPhase] = useState<Phase>('closed');
  /** This visit's grab succeeded (恭喜抢到), as against one from an earlier visit (已抢过). */
  const [justGrabbed, setJustGrabbed] = useState(false);
  const [groups, setGroups] = useState<{ id: string; name: string }[] | null>(null);

  const chatBody = (chat: ChatInfo) => ({ sharer, group: chat.kind === 'chat' ? chat.group : null });

  const openPack = useCallback(async () => {
    if (!id) {
      setLoad({ status: 'not-found' });
      return;
    }
    setLoad({ status: 'loading' });
    try {
      const chat = await readChat(launch);
      setNotMember(chat.kind === 'not-member');
      const view = await api.openRedEnvelope({ params: { id }, body: chatBody(chat) });
      setLoad({ status: 'ready', view });
      if (view.mine) setPhase('opened');
    } catch (err) {
      setLoad(loadFailed(err, [ErrorCode.NOT_FOUND]));
    }
    // id, sharer and the launch are the route's, fixed for the page's life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    void openPack();
    if (process.env.TARO_ENV !== 'h5')
      // A card shared from here carries a shareTicket, so the next group's opens know their group.
      void Taro.showShareMenu({ withShareTicket: true }).catch(() => undefined);
  }, [openPack]);

  const view = load.status === 'ready' ? load.view : null;

  useShareAppMessage(() => ({
    title: view?.title ?? '群红包 · Red envelope',
    // The buyer becomes the sharer: their onward shares are attributed to them.
    path: view?.sharePath ?? redEnvelopeUrl(id),
    imageUrl: view?.imageUrl ?? undefined,
  }));

  /** The page again after a grab, until the coupon issued for it shows (it follows in moments). */
  const refresh = async () => {
    for (let i = 0; i < 10; i++) {
      const next = await api.getRedEnvelope({ params: { id } });
      setLoad({ status: 'ready', view: next });
      if (!next.mine || next.mine.coupon) return;
      await sleep(700);
    }
  };

  const grab = async () => {
    if (!view || phase !== 'closed') return;
    setPhase('opening');
    const started = Date.now();
    try {
      const chat = await readChat(launch);
      const res = await api.grabRedEnvelope({ params: { id }, body: chatBody(chat) });
      await sleep(Math.max(0, 900 - (Date.now() - started))); // let the 開 turn at least once
      if (res.outcome === 'GRABBED' || res.outcome === 'ALREADY_GRABBED') {
        setLoad({
          status: 'ready',
          view: {
            ...view,
            state: 'ALREADY_GRABBED',
            mine: view.mine ?? { amount: res.amount ?? 0, grabbedAt: new Date().toISOString(), coupon: null },
          },
        });
        setJustGrabbed(res.outcome === 'GRABBED');
        setPhase('opened');
        await refresh();
      } else {
        setPhase('closed');
        const state = res.outcome as Exclude<RedEnvelopeGrabOutcome, 'GRABBED'>;
        setLoad({ status: 'ready', view: { ...view, state, message: res.message } });
      }
    } catch (err) {
      setPhase('closed');
      showError(err);
    }
  };

  const share = async () => {
    if (process.env.TARO_ENV !== 'h5') return; // the weapp button opens WeChat's share sheet itself
    try {
      setGroups(await h5Groups());
    } catch (err) {
      showError(err);
    }
  };
  const shareTo = async (groupId: string) => {
    if (!view) return;
    try {
      await h5ShareToGroup(groupId, { path: view.sharePath, title: view.title, imageUrl: view.imageUrl });
      setGroups(null);
      void Taro.showToast({ title: '已分享 · Shared', icon: 'success' });
    } catch (err) {
      showError(err);
    }
  };

  if (load.status !== 'ready')
    return (
      <PendingPage
        state={load}
        title="群红包 Red envelope"
        notFound="红包不存在 · This red envelope does not exist"
        onRetry={() => void openPack()}
        className="redpack"
      />
    );

  const v = load.view;
  // WeChat's own word that the buyer left the group narrows "open it from the group" to "members only".
  const state: RedEnvelopeState = v.state === 'NOT_FROM_GROUP' && notMember ? 'GROUP_ONLY' : v.state;
  const text = stateText[state];
  const mine = v.mine;
  const coupon = mine?.coupon ?? null;

  return (
    <View className={`redpack redpack--${state} redpack--${phase}`}>
      <H5NavBar title="群红包 Red envelope" />
      <View className="rp-envelope">
        <View className="rp-envelope__flap" />
        <View className="rp-envelope__top">
          <Text className="rp-envelope__from">商家群红包 · Shop red envelope</Text>
          <Text className="rp-envelope__title">{v.title}</Text>
          <Text className="rp-envelope__terms">
            {v.couponTitle} · {v.couponTerms}
          </Text>
        </View>

        {mine ? (
          <View className="rp-result">
            <Text className={`rp-result__tag${justGrabbed ? ' rp-result__tag--new' : ''}`}>
              {justGrabbed ? '恭喜抢到 · You got it' : stateText.ALREADY_GRABBED.title}
            </Text>
            <View className="rp-result__amount">
              <Text className="rp-result__yuan">¥</Text>
              <Text className="rp-result__value">{formatFen(mine.amount, '')}</Text>
            </View>
            <Text className="rp-result__note">红包券已存入我的优惠券 · Added to your coupons</Text>
            <View className="rp-coupon">
              <View className="rp-coupon__body">
                <Text className="rp-coupon__title">{v.couponTitle}</Text>
                <Text className="rp-coupon__benefit">
                  {coupon ? coupon.benefitText : `¥${formatFen(mine.amount, '')}`}
                </Text>
                <Text className="rp-coupon__line">
                  {coupon
                    ? heldValidityText(coupon.validFrom, coupon.validUntil)
                    : '券正在发放… The coupon is on its way'}
                </Text>
              </View>
              <View
                className={`rp-coupon__use${coupon && coupon.status === 'USABLE' ? '' : ' rp-coupon__use--off'}`}
                onClick={() => coupon && coupon.status === 'USABLE' && goUseCoupon(coupon.scope)}
              >
                <Text className="rp-coupon__use-zh">
                  {!coupon || coupon.status === 'USABLE' ? '立即使用' : coupon.status === 'USED' ? '已使用' : '已占用'}
                </Text>
                <Text className="rp-coupon__use-en">
                  {!coupon || coupon.status === 'USABLE'
                    ? 'Use now'
                    : coupon.status === 'USED'
                      ? 'Used'
                      : 'In an order'}
                </Text>
              </View>
            </View>
          </View>
        ) : state === 'CAN_GRAB' ? (
          <View className="rp-closed">
            <Text className="rp-closed__wish">{text.title}</Text>
            <Text className="rp-closed__hint">{text.hint}</Text>
            <View
              className={`rp-open-btn${phase === 'opening' ? ' rp-open-btn--spinning' : ''}`}
              onClick={() => void grab()}
            >
              <Text className="rp-open-btn__char">開</Text>
            </View>
            <Text className="rp-closed__hint">拆红包 · Tap to open</Text>
          </View>
        ) : (
          <View className={`rp-state rp-state--${state}`}>
            <Text className="rp-state__title">{text.title}</Text>
            <Text className="rp-state__hint">{text.hint}</Text>
          </View>
        )}
      </View>

      <View className="card rp-grabs">
        <View className="rp-grabs__head">
          <Text className="card__title">
            已领取 {v.grabbedCount}/{v.shares} 个 · Grabbed
          </Text>
          <Text className="muted">
            {formatFen(v.grabbedAmount)}/{formatFen(v.budget)}
          </Text>
        </View>
        <Text className="muted rp-grabs__ends">
          {state === 'EXPIRED' ? '已于' : '截止'} {formatChinaTime(v.expiresAt)}{' '}
          {state === 'EXPIRED' ? '结束 · Ended' : '· Ends (China time)'}
        </Text>
        {v.grabs.length === 0 ? (
          <Text className="rp-grabs__empty">还没有人抢 · No one has grabbed yet</Text>
        ) : (
          v.grabs.map((g) => (
            <View key={`${g.nickname}-${g.grabbedAt}`} className={`rp-grab${g.isMe ? ' rp-grab--me' : ''}`}>
              {g.avatarUrl ? (
                <Image className="rp-grab__avatar" src={g.avatarUrl} mode="aspectFill" />
              ) : (
                <View className="rp-grab__avatar rp-grab__avatar--initial">{initialOf(g.nickname)}</View>
              )}
              <View className="rp-grab__who">
                <Text className="rp-grab__name">
                  {g.nickname}
                  {g.isMe ? ' (我 me)' : ''}
                </Text>
                <Text className="rp-grab__time">{formatChinaTime(g.grabbedAt, 'second').slice(5)}</Text>
              </View>
              <View className="rp-grab__right">
                <Text className="rp-grab__amount">{formatFen(g.amount)}</Text>
                {g.luckiest && (
                  <Text className="rp-grab__luckiest">手气最佳 Luckiest{v.luckiestFinal ? '' : ' (so far)'}</Text>
                )}
              </View>
            </View>
          ))
        )}
      </View>

      {/* Nothing left to grab: nothing to pass on. */}
      {state !== 'EXPIRED' && state !== 'ALL_GONE' && (
        <>
          <View className="bottom-bar-spacer" />
          <View className="bottom-bar rp-bar">
            {process.env.TARO_ENV === 'h5' ? (
              <View className="btn btn--accent rp-share" onClick={() => void share()}>
                分享到群 Share to a group
              </View>
            ) : (
              <Button className="btn btn--accent rp-share" openType="share">
                分享到群 Share to a group
              </Button>
            )}
          </View>
        </>
      )}

      {groups && (
        <View className="rp-sheet" catchMove>
          <View className="rp-sheet__mask" onClick={() => setGroups(null)} />
          <View className="rp-sheet__panel">
            <Text className="card__title">发送给群聊 Send to a group chat</Text>
            {groups.length === 0 ? (
              <Text className="muted rp-sheet__empty">你还不在任何群里 · You are in no group chat yet</Text>
            ) : (
              groups.map((g) => (
                <View key={g.id} className="rp-sheet__group" onClick={() => void shareTo(g.id)}>
                  <Text className="rp-sheet__name">{g.name}</Text>
                  <Text className="muted">发送 Send ›</Text>
                </View>
              ))
            )}
            <View className="btn btn--ghost rp-sheet__cancel" onClick={() => setGroups(null)}>
              取消 Cancel
            </View>
          </View>
        </View>
      )}
    </View>
  );
}
