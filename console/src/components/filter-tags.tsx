/** A row of status filters that wraps instead of overflowing (one chosen at a time). */
import { Tag } from 'antd';

export function FilterTags<T extends string>({
  value,
  options,
  onChange,
  className,
}: {
  value: T;
  options: { value: T; label: string }[];
  onChange: (value: T) => void;
  className?: string;
}) {
  return (
    <div className={className} style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 16 }}>
      {options.map((o) => (
        <Tag.CheckableTag
          key={o.value}
          checked={o.value === value}
          onChange={() => onChange(o.value)}
          style={{ padding: '4px 12px', fontSize: 14, border: '1px solid #d9d9d9', marginInlineEnd: 0 }}
        >
          {o.label}
        </Tag.CheckableTag>
      ))}
    </div>
  );
}
