/**
 * The storefront's one request wrapper: the shared typed client over Taro.request, which
 * is wx.request in the mini-program and fetch in H5. Later: the buyer's session header.
 */
import Taro from '@tarojs/taro';
import { createApiClient, type Transport } from '@chatmall/shared';

const transport: Transport = async ({ method, url, headers, body }) => {
  try {
    const res = await Taro.request({
      url,
      method: method as keyof Taro.request.Method,
      header: headers,
      data: body,
      dataType: 'json',
      timeout: 15_000,
    });
    return { status: res.statusCode, body: res.data };
  } catch (err) {
    // Taro rejects only when no answer arrived (offline, timeout, domain not allowed).
    const detail = (err as { errMsg?: string } | undefined)?.errMsg;
    throw new Error(`网络不可用，请稍后再试 · Network unavailable${detail ? ` (${detail})` : ''}`, {
      cause: err,
    });
  }
};

export const api = createApiClient({ baseUrl: API_BASE_URL, transport });

/** A message a buyer can read, from whatever a call threw. */
export function errorMessage(err: unknown): string {
  return err instanceof Error && err.message ? err.message : '出错了 · Something went wrong';
}
