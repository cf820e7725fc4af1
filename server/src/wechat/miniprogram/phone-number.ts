/**
 * The mini-program's phone-number component (WECHAT-MARKETING.md §6): the button gives a code
 * (not the wx.login code; single use, 5 minutes) that the server trades for the number with
 * `POST /wxa/business/getuserphonenumber`. Sending the openid makes WeChat check the code was
 * issued to that user. Errors: -1 busy, 40013 wrong app, 40029 bad code, 45011 quota.
 */
import type { WechatClient } from '../api/client';
import { wechatError, type WechatResult } from '../api/errors';

export interface PhoneInfo {
  /** With the country code for numbers outside China. */
  phoneNumber: string;
  purePhoneNumber: string;
  countryCode: string;
}

export async function phoneNumberOf(
  client: WechatClient,
  code: string,
  openid?: string,
): Promise<WechatResult<PhoneInfo>> {
  const answer = await client.post<{ phone_info?: PhoneInfo }>('/wxa/business/getuserphonenumber', { code, openid });
  if (!answer.ok) return answer;
  const info = answer.value.phone_info;
  if (!info?.purePhoneNumber) return { ok: false, error: wechatError(-1, 'no phone_info in the answer') };
  return { ok: true, value: info };
}
