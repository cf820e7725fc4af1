import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { routes, tabUrl } from '../routes';
import './H5NavBar.css';

/** Back to the previous page, or home when this page opened the app (a shared link, a QR code). */
export function goBackOrHome(): void {
  if (Taro.getCurrentPages().length > 1) void Taro.navigateBack();
  else goHome();
}

export function goHome(): void {
  void Taro.switchTab({ url: tabUrl(routes.home) });
}

/**
 * The top bar of a non-tab page in the browser (H5): 返回 Back and 首页 Home, which the
 * mini-program gets from WeChat's own navigation bar and H5 does not. Renders nothing in the
 * mini-program. Put it first on the page, in every state (loading, not found, error).
 */
export function H5NavBar({ title }: { title?: string }) {
  if (process.env.TARO_ENV !== 'h5') return null;
  return (
    <View className="h5-nav">
      <View className="h5-nav__back" onClick={goBackOrHome}>
        <Text className="h5-nav__chevron">‹</Text>
        <Text className="h5-nav__label">返回</Text>
        <Text className="h5-nav__label-en">Back</Text>
      </View>
      {title ? <Text className="h5-nav__title">{title}</Text> : <View className="h5-nav__title" />}
      <View className="h5-nav__home" onClick={goHome}>
        <Text className="h5-nav__label">首页</Text>
        <Text className="h5-nav__label-en">Home</Text>
      </View>
    </View>
  );
}
