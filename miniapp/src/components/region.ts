/** What a province / city / district picker edits, on either platform. */
export interface Region {
  province: string;
  city: string;
  /** Empty where a city has no districts. */
  district: string;
}

export interface RegionPickerProps {
  value: Region;
  onChange: (region: Region) => void;
  className?: string;
}

/** `浙江省 杭州市 西湖区`; a municipality's city (北京市 北京市) is said once. */
export function regionText({ province, city, district }: Region): string {
  return [province, city === province ? '' : city, district].filter(Boolean).join(' ');
}
