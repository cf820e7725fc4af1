/**
 * The product's specs (颜色 Colour: 红 / 蓝; 尺码 Size: S / M) as form fields under `specs`.
 * Adding or removing a dimension goes through `onAdd` / `onRemove` so the page rebuilds the
 * SKU rows at once; typing a name or adding a value is an ordinary field change.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Bi } from '../../components/states';
import type { SpecDraft } from './sku-matrix';

export const MAX_SPECS = 3;
const MAX_VALUES = 30;

export function SpecEditor({
  specs,
  onAdd,
  onRemove,
}: {
  specs: SpecDraft[];
  onAdd: () => void;
  onRemove: (index: number) => void;
}) {
  return (
    <div className="spec-editor">
      {specs.map((spec, d) => (
        <div
          key={spec.key}
          className="spec-dimension"
          style={{
            background: '#fafafa',
            border: '1px solid #f0f0f0',
            borderRadius: 8,
            padding: '12px 12px 0',
            marginBottom: 12,
          }}
        >
          <Space align="start" wrap>
            <Form.Item name={['specs', d, 'name']} label="规格名" style={{ marginBottom: 12 }}>
              <Input className="spec-name" placeholder="颜色" maxLength={16} style={{ width: 120 }} />
            </Form.Item>
            <Form.Item name={['specs', d, 'nameEn']} label="English" style={{ marginBottom: 12 }}>
              <Input className="spec-name-en" placeholder="Colour" maxLength={32} style={{ width: 140 }} />
            </Form.Item>
            <Button type="text" danger className="remove-spec" icon={<DeleteOutlined />} onClick={() => onRemove(d)}>
              删除规格 Remove
            </Button>
          </Space>
          <Form.Item name={['specs', d, 'values']} label={<Bi zh="规格值" en="Values" />} style={{ marginBottom: 12 }}>
            <SpecValuesInput />
          </Form.Item>
        </div>
      ))}
      {specs.length < MAX_SPECS ? (
        <Button icon={<PlusOutlined />} className="add-spec" onClick={onAdd}>
          添加规格 Add spec (颜色、尺码…)
        </Button>
      ) : (
        <Typography.Text type="secondary">
          最多 {MAX_SPECS} 个规格 · at most {MAX_SPECS} specs
        </Typography.Text>
      )}
    </div>
  );
}

/** A spec's values as tags: type one and press Enter to add it, × to remove it. */
function SpecValuesInput({ value = [], onChange }: { value?: string[]; onChange?: (values: string[]) => void }) {
  const [text, setText] = useState('');
  const [note, setNote] = useState<string | null>(null);
  function add() {
    const v = text.trim();
    if (!v) return;
    if (value.includes(v)) {
      setNote(`已有“${v}” · already there`);
      return;
    }
    if (value.length >= MAX_VALUES) {
      setNote(`最多 ${MAX_VALUES} 个值 · at most ${MAX_VALUES} values`);
      return;
    }
    onChange?.([...value, v]);
    setText('');
    setNote(null);
  }
  return (
    <div>
      <Space wrap size={[6, 6]}>
        {value.map((v) => (
          <Tag
            key={v}
            closable
            className="spec-value"
            style={{ fontSize: 14, padding: '2px 8px', marginInlineEnd: 0 }}
            onClose={(e) => {
              e.preventDefault();
              onChange?.(value.filter((x) => x !== v));
            }}
          >
            {v}
          </Tag>
        ))}
        <Space.Compact>
          <Input
            size="small"
            className="spec-value-input"
            placeholder="添加值，回车确认 Add, Enter"
            maxLength={32}
            style={{ width: 190 }}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setNote(null);
            }}
            onPressEnter={(e) => {
              e.preventDefault();
              add();
            }}
          />
          <Button size="small" className="add-spec-value" onClick={add}>
            添加 Add
          </Button>
        </Space.Compact>
      </Space>
      {note && (
        <Typography.Text type="warning" style={{ display: 'block', fontSize: 12 }}>
          {note}
        </Typography.Text>
      )}
    </div>
  );
}
