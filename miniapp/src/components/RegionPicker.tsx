/**
 * Province / city / district, in the mini-program: WeChat's own region picker (Picker in
 * region mode), which carries its own data, so the mini-program ships none. The browser build
 * uses RegionPicker.h5.tsx instead (Taro picks a `.h5` file over this one for H5).
 */
import { Picker, Text, View } from '@tarojs/components';
import { regionText, type Region, type RegionPickerProps } from './region';
import './RegionPicker.css';

export type { Region, RegionPickerProps };

export function RegionPicker({ value, onChange, className = '' }: RegionPickerProps) {
  const chosen = value.province !== '';
  return (
    <Picker
      mode="region"
      value={[value.province, value.city, value.district]}
      onChange={(e) => {
        const [province = '', city = '', district = ''] = e.detail.value;
        onChange({ province, city, district });
      }}
    >
      <View className={`region-picker ${className}`}>
        <Text className={`region-picker__value${chosen ? '' : ' region-picker__value--empty'}`}>
          {chosen ? regionText(value) : '选择省 / 市 / 区 · Choose'}
        </Text>
        <Text className="region-picker__chevron">›</Text>
      </View>
    </Picker>
  );
}
