import { Button, Text, View } from '@tarojs/components';
import './StateView.css';

type StateViewProps =
  | { kind: 'loading'; text?: string }
  | { kind: 'empty'; text: string }
  | { kind: 'error'; text: string; onRetry: () => void };

/** The placeholder a page shows instead of its content: loading, nothing to show, or a failure. */
export function StateView(props: StateViewProps) {
  return (
    <View className={`state-view state-view--${props.kind}`}>
      <Text className="state-view__text">{props.text ?? '加载中… Loading'}</Text>
      {props.kind === 'error' && (
        <Button className="state-view__retry" size="mini" onClick={props.onRetry}>
          重试 Retry
        </Button>
      )}
    </View>
  );
}
