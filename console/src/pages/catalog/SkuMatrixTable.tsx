/**
 * One row per combination of spec values, each a set of form fields under `skus.<i>`: price
 * and crossed-out price in yuan, stock in units. A saved SKU shows its units on hand instead
 * of a stock input (stock changes go through the stock actions, so this form cannot overwrite
 * units sold meanwhile); a new row's stock is what it starts with. A bar fills every row.
 */
import { Button, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Bi } from '../../components/states';
import { activeSpecs, type SkuRow, type SpecDraft } from './sku-matrix';

export function SkuMatrixTable({
  specs,
  rows,
  editing,
  onFill,
}: {
  specs: SpecDraft[];
  rows: SkuRow[];
  /** A saved product: saved rows' stock is read-only. */
  editing: boolean;
  onFill: (field: 'price' | 'stock', value: string) => void;
}) {
  const dims = activeSpecs(specs);
  const [fillPrice, setFillPrice] = useState('');
  const [fillStock, setFillStock] = useState('');
  return (
    <div className="sku-matrix">
      {rows.length > 1 && (
        <Space wrap style={{ marginBottom: 12 }} className="fill-bar">
          <Typography.Text type="secondary">批量设置 Fill all rows:</Typography.Text>
          <Input
            size="small"
            prefix="¥"
            placeholder="售价 Price"
            className="fill-price"
            style={{ width: 130 }}
            value={fillPrice}
            onChange={(e) => setFillPrice(e.target.value)}
          />
          <Input
            size="small"
            placeholder={editing ? '新规格库存 New rows’ stock' : '库存 Stock'}
            className="fill-stock"
            style={{ width: 170 }}
            value={fillStock}
            onChange={(e) => setFillStock(e.target.value)}
          />
          <Button
            size="small"
            className="fill-all"
            onClick={() => {
              if (fillPrice.trim()) onFill('price', fillPrice.trim());
              if (fillStock.trim()) onFill('stock', fillStock.trim());
            }}
          >
            填充 Fill
          </Button>
        </Space>
      )}
      <Table<SkuRow>
        className="sku-matrix-table"
        size="small"
        bordered
        pagination={false}
        rowKey={(r) => JSON.stringify(r.specValues)}
        dataSource={rows}
        columns={[
          ...dims.map((d, di) => ({
            title: d.name || `规格 ${di + 1}`,
            key: d.key,
            width: 110,
            render: (_: unknown, r: SkuRow) => <span className="sku-spec-value">{r.specValues[di]}</span>,
          })),
          ...(dims.length === 0
            ? [{ title: <Bi zh="规格" en="SKU" />, key: 'default', width: 140, render: () => '默认规格 Default' }]
            : []),
          {
            title: <Bi zh="售价（元）*" en="Price, ¥" />,
            key: 'price',
            render: (_: unknown, _r: SkuRow, i: number) => (
              <Form.Item name={['skus', i, 'price']} style={{ margin: 0 }}>
                <Input prefix="¥" className="sku-price-input" placeholder="0.00" style={{ width: 150 }} />
              </Form.Item>
            ),
          },
          {
            title: <Bi zh="划线价（元）" en="Was, ¥" />,
            key: 'originalPrice',
            render: (_: unknown, _r: SkuRow, i: number) => (
              <Form.Item name={['skus', i, 'originalPrice']} style={{ margin: 0 }}>
                <Input
                  prefix="¥"
                  className="sku-original-price-input"
                  placeholder="可不填 optional"
                  style={{ width: 150 }}
                />
              </Form.Item>
            ),
          },
          {
            title: <Bi zh="库存（件）" en="Stock" />,
            key: 'stock',
            render: (_: unknown, r: SkuRow, i: number) =>
              editing && r.id ? (
                <Space size={4} className="sku-stock-on-hand">
                  <span>{r.stock}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    在库，请在商品列表调整 · on hand, change it from the list
                  </Typography.Text>
                </Space>
              ) : (
                <Space size={4}>
                  <Form.Item name={['skus', i, 'stock']} style={{ margin: 0 }}>
                    <Input className="sku-stock-input" placeholder="0" style={{ width: 110 }} />
                  </Form.Item>
                  {editing && <Tag color="blue">新 New</Tag>}
                </Space>
              ),
          },
        ]}
      />
    </div>
  );
}
