import { useState, type ReactElement } from 'react';
import { Input, Switch, Text, Textarea, View } from '@tarojs/components';
import type { Address, AddressInput } from '@chatmall/shared';
import { api, errorMessage, fieldErrors } from '../services/api';
import './AddressForm.css';

type Field = 'recipient' | 'phone' | 'province' | 'city' | 'district' | 'detail';

const fields: { key: Field; label: string; placeholder: string; type?: 'number' }[] = [
  { key: 'recipient', label: '收货人 Name', placeholder: '姓名 Recipient' },
  { key: 'phone', label: '手机号 Mobile', placeholder: '11 位手机号', type: 'number' },
  { key: 'province', label: '省份 Province', placeholder: '如 浙江省' },
  { key: 'city', label: '城市 City', placeholder: '如 杭州市' },
  { key: 'district', label: '区县 District', placeholder: '如 西湖区（选填）' },
];

const empty: Record<Field, string> = { recipient: '', phone: '', province: '', city: '', district: '', detail: '' };

/**
 * A new address. The API validates it (one set of rules, in shared/); its `fields` answer is
 * shown under each input.
 */
export function AddressForm({
  makeDefault = false,
  onSaved,
  onCancel,
}: {
  makeDefault?: boolean;
  onSaved: (address: Address) => void;
  onCancel?: () => void;
}) {
  const [values, setValues] = useState(empty);
  const [isDefault, setIsDefault] = useState(makeDefault);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState('');
  const [saving, setSaving] = useState(false);

  const set = (key: Field, value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => ({ ...e, [key]: '' }));
  };

  const save = async () => {
    if (saving) return;
    setSaving(true);
    setFormError('');
    try {
      const body: AddressInput = { ...values, isDefault };
      const address = await api.addAddress({ body });
      setValues(empty);
      setErrors({});
      onSaved(address);
    } catch (err) {
      const byField = fieldErrors(err);
      setErrors(byField);
      setFormError(
        Object.keys(byField).length ? '请检查标红的内容 · Please check the marked fields' : errorMessage(err),
      );
    } finally {
      setSaving(false);
    }
  };

  const row = (key: Field, label: string, input: ReactElement) => (
    <View className={`address-form__row${errors[key] ? ' address-form__row--error' : ''}`} key={key}>
      <View className="address-form__line">
        <Text className="address-form__label">{label}</Text>
        {input}
      </View>
      {errors[key] && <Text className={`address-form__error address-form__error--${key}`}>{errors[key]}</Text>}
    </View>
  );

  return (
    <View className="address-form">
      {fields.map((f) =>
        row(
          f.key,
          f.label,
          <Input
            className={`address-form__input address-form__input--${f.key}`}
            type={f.type === 'number' ? 'number' : 'text'}
            placeholder={f.placeholder}
            value={values[f.key]}
            onInput={(e) => set(f.key, e.detail.value)}
          />,
        ),
      )}
      {row(
        'detail',
        '详细地址 Street',
        <Textarea
          className="address-form__input address-form__input--detail"
          placeholder="街道、门牌号 Street and number"
          value={values.detail}
          autoHeight
          onInput={(e) => set('detail', e.detail.value)}
        />,
      )}
      <View className="address-form__line address-form__default">
        <Text className="address-form__label">设为默认 Default</Text>
        <Switch checked={isDefault} color="#5b7a3a" onChange={(e) => setIsDefault(e.detail.value)} />
      </View>
      {formError && <Text className="address-form__form-error">{formError}</Text>}
      <View className="address-form__actions">
        {onCancel && (
          <View className="btn btn--ghost btn--small address-form__cancel" onClick={onCancel}>
            取消 Cancel
          </View>
        )}
        <View
          className={`btn btn--small address-form__save${saving ? ' btn--disabled' : ''}`}
          onClick={() => void save()}
        >
          {saving ? '保存中… Saving' : '保存地址 Save address'}
        </View>
      </View>
    </View>
  );
}
