import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Input, Text, View, type ButtonProps, type BaseEventOrig } from '@tarojs/components';
import { H5NavBar } from '../../../components/H5NavBar';
import { api, errorMessage, fieldErrors } from '../../../services/api';
import { memberUrl } from '../../../routes';
import { h5PhoneCode } from '../../membership';
import '../../member.css';

/**
 * 加入会员: the buyer's phone number through WeChat's phone-number button (the code it gives
 * works once, for 5 minutes; the server trades it for the number), and a name if they like.
 * In H5 the sandbox plays the button: the buyer agrees in a dialog, the sandbox issues the code.
 */
export default function MemberJoinPage() {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');

  async function join(phoneCode: string) {
    setBusy(true);
    setProblem('');
    try {
      await api.joinMembership({ body: { phoneCode, name: name.trim() || undefined } });
      void Taro.showToast({ title: '入会成功 · Welcome', icon: 'success' });
      void Taro.redirectTo({ url: memberUrl('memberCentre') });
    } catch (err) {
      const fields = fieldErrors(err);
      setProblem(fields.name ?? fields.phoneCode ?? errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  // weapp: WeChat's own button, which asks the user and hands over the code.
  const onPhone = (e: BaseEventOrig<ButtonProps.onGetPhoneNumberEventDetail>) => {
    const code = (e.detail as { code?: string }).code;
    if (!code) return setProblem('需要手机号才能入会 · A phone number is needed to join');
    void join(code);
  };

  // H5: the sandbox's user agrees, as WeChat's dialog would ask.
  async function h5Tap() {
    const { confirm } = await Taro.showModal({
      title: '申请获取你的手机号',
      content: '用于开通会员卡 · To open your membership card',
      confirmText: '允许',
      cancelText: '拒绝',
    });
    if (!confirm) return setProblem('需要手机号才能入会 · A phone number is needed to join');
    try {
      await join(await h5PhoneCode());
    } catch (err) {
      setProblem(errorMessage(err));
    }
  }

  return (
    <View className="member-page member-join">
      <H5NavBar title="加入会员 Join" />
      <View className="card">
        <Text className="card__title">加入会员 Join the membership</Text>
        <Text className="member-join__intro">
          用微信绑定的手机号开卡，消费积分、储值余额和等级权益在线上线下通用 · Open your card with your WeChat phone
          number; points, balance and level count online and in store.
        </Text>
        <Input
          className="member-input member-join__name"
          placeholder="称呼（选填） · Name (optional)"
          maxlength={20}
          value={name}
          onInput={(e) => setName(e.detail.value)}
        />
        {process.env.TARO_ENV === 'h5' ? (
          <Button
            className="btn member-join__button member-join__phone"
            loading={busy}
            disabled={busy || undefined}
            onClick={() => void h5Tap()}
          >
            手机号快捷入会 Join with phone
          </Button>
        ) : (
          <Button
            className="btn member-join__button member-join__phone"
            openType="getPhoneNumber"
            loading={busy}
            disabled={busy || undefined}
            onGetPhoneNumber={onPhone}
          >
            手机号快捷入会 Join with phone
          </Button>
        )}
        {problem && <Text className="member-error">{problem}</Text>}
      </View>
    </View>
  );
}
