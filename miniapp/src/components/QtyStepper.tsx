import { Text, View } from '@tarojs/components';
import { MAX_LINE_QUANTITY } from '@chatmall/shared';
import './QtyStepper.css';

interface QtyStepperProps {
  value: number;
  /** Upper bound besides the per-line maximum, e.g. the stock on hand. */
  max?: number;
  disabled?: boolean;
  onChange: (value: number) => void;
}

/** − n + : one line's quantity, 1 to min(stock, 99). */
export function QtyStepper({ value, max = MAX_LINE_QUANTITY, disabled = false, onChange }: QtyStepperProps) {
  const upper = Math.max(1, Math.min(max, MAX_LINE_QUANTITY));
  const canDown = !disabled && value > 1;
  const canUp = !disabled && value < upper;
  return (
    <View className={`qty-stepper${disabled ? ' qty-stepper--disabled' : ''}`}>
      <View
        className={`qty-stepper__minus${canDown ? '' : ' qty-stepper__btn--off'}`}
        onClick={(e) => {
          e.stopPropagation();
          if (canDown) onChange(value - 1);
        }}
      >
        −
      </View>
      <Text className="qty-stepper__value">{value}</Text>
      <View
        className={`qty-stepper__plus${canUp ? '' : ' qty-stepper__btn--off'}`}
        onClick={(e) => {
          e.stopPropagation();
          if (canUp) onChange(value + 1);
        }}
      >
        +
      </View>
    </View>
  );
}
