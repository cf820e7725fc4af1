import { View } from '@tarojs/components';
import { goBackOrHome, goHome } from './H5NavBar';
import { StateView } from './StateView';
import './NotFound.css';

/** A link to something that is gone (a product, an order): back where the buyer came from, or home. */
export function NotFound({ text }: { text: string }) {
  return (
    <View className="not-found">
      <StateView kind="empty" text={text} />
      <View className="not-found__actions">
        <View className="btn btn--ghost btn--small not-found__back" onClick={goBackOrHome}>
          返回 Back
        </View>
        <View className="btn btn--small not-found__home" onClick={goHome}>
          去首页 Home
        </View>
      </View>
    </View>
  );
}
