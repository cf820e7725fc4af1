import { View } from '@tarojs/components';
import { ApiError, ErrorCode } from '@chatmall/shared';
import { errorMessage } from '../services/api';
import { H5NavBar } from './H5NavBar';
import { NotFound } from './NotFound';
import { StateView } from './StateView';

/** A page that loads one thing (an order, a product), until it has it. */
export type Pending = { status: 'loading' } | { status: 'not-found' } | { status: 'error'; message: string };

/** A failed load: gone (404, or the other codes given) shows "not found", anything else a retry. */
export function loadFailed(err: unknown, goneCodes: readonly ErrorCode[] = [ErrorCode.NOT_FOUND]): Pending {
  return err instanceof ApiError && goneCodes.includes(err.code as ErrorCode)
    ? { status: 'not-found' }
    : { status: 'error', message: errorMessage(err) };
}

/** A page's own state (an empty list, a refusal) under the H5 top bar. */
export function PageFrame(props: { title: string; className?: string; children: JSX.Element }) {
  return (
    <View className={props.className}>
      <H5NavBar title={props.title} />
      {props.children}
    </View>
  );
}

/**
 * The page until it is ready: the H5 top bar (back and home) over loading, not found (with
 * back and home buttons too) or an error with retry. `className--<status>` marks the state.
 */
export function PendingPage(props: {
  state: Pending;
  title: string;
  notFound: string;
  onRetry: () => void;
  className?: string;
}) {
  const { state, className = 'pending-page' } = props;
  return (
    <PageFrame title={props.title} className={`${className} ${className}--${state.status}`}>
      {state.status === 'loading' ? (
        <StateView kind="loading" />
      ) : state.status === 'not-found' ? (
        <NotFound text={props.notFound} />
      ) : (
        <StateView kind="error" text={state.message} onRetry={props.onRetry} />
      )}
    </PageFrame>
  );
}
