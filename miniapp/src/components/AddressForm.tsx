import { useState, type ReactElement } from 'react';
import { Input, Switch, Text, Textarea, View } from '@tarojs/components';
import type { Address, AddressInput } from '@chatmall/shared';
import { api, errorMessage, fieldErrors } from '../services/api';
import { checkAddress, formFieldOf, serverFieldMessage, type AddressField } from './address-rules';
import { RegionPicker, type Region } from './RegionPicker';
import './AddressForm.css';

type Values = Omit<AddressInput, 'isDefault' | 'district'> & { district: string };

const empty: Values = { recipient: '', phone: '', province: '', city: '', district: '', detail: '' };

const valuesOf = (a: Address): Values => ({
  recipient: a.recipient,
  phone: a.phone,
  province: a.province,
  city: a.city,
  district: a.district,
  detail: a.detail,
});

/**
 * A new address, or changes to a saved one (`address`). Checked here before anything is sent
 * (messages under each field); the API checks again and its field errors land on the same
 * fields. Province, city and district come from a region picker, never typed.
 */
export function AddressForm({
  address,
  makeDefault = false,
  onSaved,
  onCancel,
}: {
  /** The saved address to edit; a new one when absent. */
  address?: Address;
  makeDefault?: boolean;
  onSaved: (address: Address) => void;
  onCancel?: () => void;
}) {
  const [values, setValues] = useState<Values>(address ? valuesOf(address) : empty);
  const [isDefault, setIsDefault] = useState(address ? address.isDefault : makeDefault);
  const [errors, setErrors] = useState<Partial<Record<AddressField, string>>>({});
  const [formError, setFormError] = useState('');
  const [saving, setSaving] = useState(false);

  const set = (key: AddressField, change: Partial<Values>) => {
    setValues((v) => ({ ...v, ...change }));
    setErrors((e) => ({ ...e, [key]: undefined }));
  };

  const save = async () => {
    if (saving) return;
    const body: AddressInput = {
      recipient: values.recipient.trim(),
      phone: values.phone.trim(),
      province: values.province,
      city: values.city,
      district: values.district,
      detail: values.detail.trim(),
      isDefault,
    };
    const wrong = checkAddress(body);
    setErrors(wrong);
    if (Object.keys(wrong).length) {
      setFormError('请检查标红的内容 · Please check the marked fields');
      return;
    }
    setSaving(true);
    setFormError('');
    try {
      const saved = address
        ? await api.updateAddress({ params: { id: address.id }, body })
        : await api.addAddress({ body });
      if (!address) setValues(empty);
      onSaved(saved);
    } catch (err) {
      const byField: Partial<Record<AddressField, string>> = {};
      for (const [key, message] of Object.entries(fieldErrors(err))) {
        const field = formFieldOf(key);
        if (field) byField[field] ??= serverFieldMessage(field, message);
      }
      setErrors(byField);
      setFormError(
        Object.keys(byField).length ? '请检查标红的内容 · Please check the marked fields' : errorMessage(err),
      );
    } finally {
      setSaving(false);
    }
  };

  const row = (key: AddressField, label: string, input: ReactElement) => (
    <View className={`address-form__row address-form__row--${key}${errors[key] ? ' address-form__row--error' : ''}`}>
      <View className="address-form__line">
        <Text className="address-form__label">{label}</Text>
        {input}
      </View>
      {errors[key] && <Text className={`address-form__error address-form__error--${key}`}>{errors[key]}</Text>}
    </View>
  );

  const region: Region = { province: values.province, city: values.city, district: values.district };

  return (
    <View className="address-form">
      {row(
        'recipient',
        '收货人 Name',
        <Input
          className="address-form__input address-form__input--recipient"
          placeholder="姓名 Recipient"
          maxlength={32}
          value={values.recipient}
          onInput={(e) => set('recipient', { recipient: e.detail.value })}
        />,
      )}
      {row(
        'phone',
        '手机号 Mobile',
        <Input
          className="address-form__input address-form__input--phone"
          type="number"
          placeholder="11 位手机号 11 digits"
          maxlength={11}
          value={values.phone}
          onInput={(e) => set('phone', { phone: e.detail.value })}
        />,
      )}
      {row(
        'region',
        '所在地区 Region',
        <RegionPicker
          className="address-form__region"
          value={region}
          onChange={(r) => set('region', { province: r.province, city: r.city, district: r.district })}
        />,
      )}
      {row(
        'detail',
        '详细地址 Street',
        <Textarea
          className="address-form__input address-form__input--detail"
          placeholder="街道、门牌号 Street and number"
          maxlength={200}
          value={values.detail}
          autoHeight
          onInput={(e) => set('detail', { detail: e.detail.value })}
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
          {saving ? '保存中… Saving' : address ? '保存修改 Save changes' : '保存地址 Save address'}
        </View>
      </View>
    </View>
  );
}
