/**
 * The coupon terms both marketing forms ask for: where it applies (whole shop, products picked
 * from the catalogue, categories) and how long a received coupon lasts (a fixed window in
 * China time, or N days after receipt). Field names are the forms' own (`scopeType`,
 * `productIds`, `categoryIds`, `validityKind`, `window`, `days`); `terms-form.ts` reads them.
 */
import { useQueries } from '@tanstack/react-query';
import { DatePicker, Form, Input, Radio, Select } from 'antd';
import { useMemo, useState } from 'react';
import { api } from '../../api/client';
import { apiKey, useApiQuery } from '../../api/hooks';
import { Bi } from '../../components/states';
import { scopeTypeLabel } from './marketing-text';

export function ScopeFields() {
  const form = Form.useFormInstance();
  const scopeType = Form.useWatch('scopeType', form) as string | undefined;
  return (
    <>
      <Form.Item name="scopeType" label={<Bi zh="适用范围" en="Applies to" />}>
        <Radio.Group className="field-scope-type">
          {(['shop', 'products', 'categories'] as const).map((t) => (
            <Radio.Button key={t} value={t}>
              {scopeTypeLabel[t]}
            </Radio.Button>
          ))}
        </Radio.Group>
      </Form.Item>
      {scopeType === 'products' && (
        <Form.Item name="productIds" label={<Bi zh="选择商品" en="Products" />} style={{ maxWidth: 720 }}>
          <ProductPicker />
        </Form.Item>
      )}
      {scopeType === 'categories' && (
        <Form.Item name="categoryIds" label={<Bi zh="选择分类" en="Categories" />} style={{ maxWidth: 720 }}>
          <CategoryPicker />
        </Form.Item>
      )}
    </>
  );
}

/** Products searched by name over the console's product list; chosen ones keep their names. */
function ProductPicker({ value, onChange }: { value?: string[]; onChange?: (v: string[]) => void }) {
  const [q, setQ] = useState('');
  const list = useApiQuery('adminListProducts', { query: { q: q.trim() || undefined, limit: 50 } });
  const names = useMemo(() => new Map<string, string>(), []);
  for (const p of list.data?.items ?? []) names.set(p.id, `${p.name} ${p.nameEn}`);
  // Chosen products not in the current results (an edited template): read one by one.
  const missing = (value ?? []).filter((id) => !names.has(id));
  const looked = useQueries({
    queries: missing.slice(0, 50).map((id) => ({
      queryKey: apiKey('adminGetProduct', { params: { id } }),
      queryFn: () => api.adminGetProduct({ params: { id } }),
      retry: false,
    })),
  });
  for (const r of looked) if (r.data) names.set(r.data.id, `${r.data.name} ${r.data.nameEn}`);
  const options = [
    ...(value ?? []).map((id) => ({ value: id, label: names.get(id) ?? id })),
    ...(list.data?.items ?? [])
      .filter((p) => !(value ?? []).includes(p.id))
      .map((p) => ({ value: p.id, label: `${p.name} ${p.nameEn}` })),
  ];
  return (
    <Select
      className="field-products"
      mode="multiple"
      showSearch
      filterOption={false}
      onSearch={setQ}
      onBlur={() => setQ('')}
      loading={list.isPending}
      placeholder="搜索并选择商品 Search and pick products"
      value={value}
      onChange={onChange}
      options={options}
      notFoundContent={list.isError ? '商品加载失败 · Could not load products' : '没有找到商品 · No product matches'}
    />
  );
}

function CategoryPicker({ value, onChange }: { value?: string[]; onChange?: (v: string[]) => void }) {
  const categories = useApiQuery('listCategories', {});
  return (
    <Select
      className="field-categories"
      mode="multiple"
      loading={categories.isPending}
      placeholder="选择分类 Pick categories"
      value={value}
      onChange={onChange}
      optionFilterProp="label"
      options={(categories.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.name} ${c.nameEn}` }))}
      notFoundContent={
        categories.isError ? '分类加载失败 · Could not load categories' : '还没有分类 · No categories yet'
      }
    />
  );
}

export function ValidityFields() {
  const form = Form.useFormInstance();
  const kind = Form.useWatch('validityKind', form) as string | undefined;
  return (
    <>
      <Form.Item name="validityKind" label={<Bi zh="有效期" en="Valid" />}>
        <Radio.Group className="field-validity-kind">
          <Radio.Button value="days">领取后 N 天 · N days after receipt</Radio.Button>
          <Radio.Button value="window">固定时间段 · Fixed window</Radio.Button>
        </Radio.Group>
      </Form.Item>
      {kind === 'days' ? (
        <Form.Item
          name="days"
          label={<Bi zh="领取后有效天数" en="Days after receipt" />}
          extra="1–365 天 · 1 to 365 days"
        >
          <Input className="field-days" suffix="天 days" style={{ width: 200 }} />
        </Form.Item>
      ) : (
        <Form.Item
          name="window"
          label={<Bi zh="使用时间（北京时间）" en="Usable from – until, China time" />}
          style={{ maxWidth: 520 }}
        >
          <DatePicker.RangePicker
            className="field-window"
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            placeholder={['开始 From', '结束 Until']}
            style={{ width: 400 }}
          />
        </Form.Item>
      )}
    </>
  );
}
