/**
 * Province / city / district in the browser, where WeChat's region picker is absent: a
 * cascader over @vant/area-data (the national division codes: 省 ends in 0000, 市 in 00,
 * each level sharing its parent's leading digits). Only the H5 build imports this file, so
 * the mini-program ships none of the data.
 */
import { useMemo, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { areaList } from '@vant/area-data';
import { regionText, type Region, type RegionPickerProps } from './region';
import './RegionPicker.css';

export type { Region, RegionPickerProps };

interface Place {
  code: string;
  name: string;
}

const sorted = (list: Record<string, string>, prefix: string): Place[] =>
  Object.keys(list)
    .filter((code) => code.startsWith(prefix))
    .sort()
    .map((code) => ({ code, name: list[code]! }));

const provinces = (): Place[] => sorted(areaList.province_list, '');
const citiesOf = (province: Place): Place[] => sorted(areaList.city_list, province.code.slice(0, 2));
const districtsOf = (city: Place): Place[] => sorted(areaList.county_list, city.code.slice(0, 4));

type Level = 0 | 1 | 2;

export function RegionPicker({ value, onChange, className = '' }: RegionPickerProps) {
  const [open, setOpen] = useState(false);
  const chosen = value.province !== '';
  return (
    <>
      <View className={`region-picker ${className}`} onClick={() => setOpen(true)}>
        <Text className={`region-picker__value${chosen ? '' : ' region-picker__value--empty'}`}>
          {chosen ? regionText(value) : '选择省 / 市 / 区 · Choose'}
        </Text>
        <Text className="region-picker__chevron">›</Text>
      </View>
      {open && (
        <RegionSheet
          value={value}
          onClose={() => setOpen(false)}
          onDone={(region) => {
            setOpen(false);
            onChange(region);
          }}
        />
      )}
    </>
  );
}

function RegionSheet({
  value,
  onClose,
  onDone,
}: {
  value: Region;
  onClose: () => void;
  onDone: (region: Region) => void;
}) {
  // Start from the saved choice where the data still knows it.
  const initial = useMemo(() => {
    const province = provinces().find((p) => p.name === value.province);
    const city = province && citiesOf(province).find((c) => c.name === value.city);
    return { province, city };
  }, [value.province, value.city]);
  const [province, setProvince] = useState<Place | undefined>(initial.province);
  const [city, setCity] = useState<Place | undefined>(initial.city);
  const [level, setLevel] = useState<Level>(initial.city ? 2 : initial.province ? 1 : 0);

  const options = useMemo(
    () => (level === 0 ? provinces() : level === 1 && province ? citiesOf(province) : city ? districtsOf(city) : []),
    [level, province, city],
  );
  const current = level === 0 ? province?.name : level === 1 ? city?.name : value.district;

  const choose = (place: Place) => {
    if (level === 0) {
      setProvince(place);
      setCity(undefined);
      setLevel(1);
    } else if (level === 1) {
      setCity(place);
      // A city without districts (东莞市, 中山市…) is complete by itself.
      if (districtsOf(place).length === 0) onDone({ province: province!.name, city: place.name, district: '' });
      else setLevel(2);
    } else {
      onDone({ province: province!.name, city: city!.name, district: place.name });
    }
  };

  const tabs: { level: Level; label: string }[] = [
    { level: 0, label: province?.name ?? '请选择 Choose' },
    ...(province ? [{ level: 1 as Level, label: city?.name ?? '请选择 Choose' }] : []),
    ...(city && level === 2
      ? [{ level: 2 as Level, label: city.name === value.city && value.district ? value.district : '请选择 Choose' }]
      : []),
  ];

  return (
    <View className="region-sheet" onClick={onClose}>
      <View className="region-sheet__panel" onClick={(e) => e.stopPropagation()}>
        <View className="region-sheet__head">
          <Text className="region-sheet__title">选择地区 Choose region</Text>
          <Text className="region-sheet__close" onClick={onClose}>
            ×
          </Text>
        </View>
        <View className="region-sheet__tabs">
          {tabs.map((t) => (
            <Text
              key={t.level}
              className={`region-sheet__tab${t.level === level ? ' region-sheet__tab--active' : ''}`}
              onClick={() => setLevel(t.level)}
            >
              {t.label}
            </Text>
          ))}
        </View>
        <View className="region-sheet__list" key={level}>
          {options.map((place) => (
            <View
              key={place.code}
              className={`region-sheet__item${place.name === current ? ' region-sheet__item--on' : ''}`}
              onClick={() => choose(place)}
            >
              <Text>{place.name}</Text>
              {place.name === current && <Text>✓</Text>}
            </View>
          ))}
        </View>
      </View>
    </View>
  );
}
