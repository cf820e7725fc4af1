/**
 * What the address form checks before it sends anything, with messages in Chinese and
 * English. The API checks again (shared/src/commerce.ts); its field errors are shown on the
 * same fields through `serverFieldMessage`.
 */
import type { AddressInput } from '@chatmall/shared';

export type AddressField = 'recipient' | 'phone' | 'region' | 'detail';

/** A mainland mobile number: 11 digits, 13x–19x. */
export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

export const fieldNames: Record<AddressField, string> = {
  recipient: '收货人',
  phone: '手机号',
  region: '所在地区',
  detail: '详细地址',
};

/** The fields that are wrong, each with the message shown under it; empty when all is well. */
export function checkAddress(v: Pick<AddressInput, 'recipient' | 'phone' | 'province' | 'city' | 'detail'>) {
  const errors: Partial<Record<AddressField, string>> = {};
  if (!v.recipient.trim()) errors.recipient = '请填写收货人 · Enter the recipient’s name';
  const phone = v.phone.trim();
  if (!phone) errors.phone = '请填写手机号 · Enter a mobile number';
  else if (!MAINLAND_MOBILE.test(phone))
    errors.phone = '手机号应为 1 开头的 11 位数字 · An 11-digit mainland mobile number, 13x–19x';
  if (!v.province || !v.city) errors.region = '请选择省 / 市 / 区 · Choose province, city and district';
  if (!v.detail.trim()) errors.detail = '请填写街道、门牌号 · Enter the street and number';
  return errors;
}

/** `body.phone` (or province, city, district) from the API → the form field it belongs to. */
export function formFieldOf(apiField: string): AddressField | null {
  if (apiField === 'province' || apiField === 'city' || apiField === 'district') return 'region';
  return apiField in fieldNames ? (apiField as AddressField) : null;
}

/** The API's English message with the field named in Chinese first. */
export function serverFieldMessage(field: AddressField, message: string): string {
  return `${fieldNames[field]}有误 · ${message}`;
}
