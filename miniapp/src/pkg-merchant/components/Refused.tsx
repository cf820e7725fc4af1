import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { ApiError } from '@chatmall/shared';
import { PageFrame } from '../../components/PendingPage';
import { StateView } from '../../components/StateView';
import { merchantBindUrl } from '../../routes';

/** A merchant route answered 403: this WeChat is not (or no longer) bound, or the role may not use the page. */
export function isRefused(err: unknown): boolean {
  return err instanceof ApiError && err.status === 403;
}

/** What a merchant page shows instead of a retry when the server refuses this WeChat. */
export function Refused(props: { title: string; className: string }) {
  return (
    <PageFrame title={props.title} className={`merchant ${props.className} ${props.className}--refused`}>
      <View>
        <StateView
          kind="empty"
          text="这个微信未绑定员工，或你的角色不能使用此页 · This WeChat is not bound to a staff member, or your role cannot use this page"
        />
        <View
          className="btn btn--ghost merchant-refused__bind"
          onClick={() => void Taro.navigateTo({ url: merchantBindUrl() })}
        >
          输入绑定码 Enter a code
        </View>
      </View>
    </PageFrame>
  );
}
