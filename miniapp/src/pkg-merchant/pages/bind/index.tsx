import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { ApiError, ErrorCode, type MerchantMe } from '@chatmall/shared';
import { H5NavBar } from '../../../components/H5NavBar';
import { api, errorMessage, fieldErrors } from '../../../services/api';
import { merchantUrl, routeParam } from '../../../routes';
import { codeIn, roleLabel } from '../../merchant';
import '../../merchant.css';
import './index.css';

const WRONG_CODE = '绑定码不对、已用过或已过期 · The code is wrong, used or expired';

/**
 * Binds this WeChat to the staff member whose one-time code it is: the console's QR code
 * opens this page with `?code=…`; in the mini-program the code can also be scanned here, in
 * the browser (H5) it is typed.
 */
export default function MerchantBindPage() {
  const { params } = useRouter();
  const [code, setCode] = useState(() => codeIn(`?code=${routeParam(params.code)}`) ?? '');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [bound, setBound] = useState<Extract<MerchantMe, { bound: true }> | null>(null);

  // Already somebody's WeChat: say whose (a new code still rebinds it to its staff member).
  useEffect(() => {
    void api
      .merchantMe({})
      .then((me) => setBound(me.bound ? me : null))
      .catch(() => undefined);
  }, []);

  const submit = async (value = code) => {
    if (!/^\d{8}$/.test(value)) return setError('请输入控制台上的 8 位数字 · Enter the 8 digits from the console');
    if (busy) return;
    setError('');
    setBusy(true);
    try {
      const me = await api.bindMerchant({ body: { code: value } });
      if (me.bound) setBound(me);
      void Taro.showToast({ title: '已绑定 · Bound', icon: 'success' });
      setTimeout(() => void Taro.redirectTo({ url: merchantUrl('merchantHome') }), 600);
    } catch (err) {
      if (fieldErrors(err).code) setError(WRONG_CODE);
      else if (err instanceof ApiError && err.code === ErrorCode.CONFLICT)
        setError('这个微信已绑定另一位员工，请先在控制台解绑 · This WeChat is bound to another staff member');
      else setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const scan = async () => {
    try {
      const res = await Taro.scanCode({ onlyFromCamera: false, scanType: ['qrCode'] });
      const found = codeIn(res.path ?? '') ?? codeIn(res.result ?? '');
      if (!found) return setError('这不是绑定码 · That is not a binding code');
      setCode(found);
      void submit(found);
    } catch {
      // cancelled
    }
  };

  return (
    <View className="merchant merchant-bind">
      <H5NavBar title="绑定员工微信 Bind" />
      <View className="merchant-head">
        <Text className="merchant-head__title">绑定员工微信 Bind your WeChat</Text>
        <Text className="merchant-head__sub">
          在电脑上的控制台「我的微信」取得绑定码 · Get a code from 'My WeChat' in the console
        </Text>
      </View>
      <View className="card">
        {bound && (
          <Text className="merchant-bind__current muted">
            当前绑定 Bound to: {bound.staff.displayName}（{roleLabel[bound.staff.role]}）
          </Text>
        )}
        <View className="merchant-field">
          <Text className="merchant-field__label">绑定码 Code (8 位数字 digits)</Text>
          <View className="merchant-field__row">
            <Input
              className="merchant-input merchant-bind__code"
              type="number"
              maxlength={8}
              value={code}
              placeholder="12345678"
              onInput={(e) => {
                setCode(e.detail.value.replace(/\D/g, '').slice(0, 8));
                setError('');
              }}
              onConfirm={() => void submit()}
            />
            {process.env.TARO_ENV !== 'h5' && (
              <View className="btn btn--ghost btn--small merchant-scan" onClick={() => void scan()}>
                扫码 Scan
              </View>
            )}
          </View>
          {error && <Text className="merchant-field__error merchant-bind__error">{error}</Text>}
        </View>
        <View className={`btn merchant-bind__submit${busy ? ' btn--disabled' : ''}`} onClick={() => void submit()}>
          {busy ? '绑定中… Binding' : '绑定 Bind'}
        </View>
        <Text className="merchant-note">
          绑定后，这个微信打开「我的 → 商家后台」即以你的员工身份和权限操作；在控制台可随时解绑。 Once bound, this
          WeChat opens Me → Merchant as you, with your role. Unbind any time in the console.
        </Text>
      </View>
    </View>
  );
}
