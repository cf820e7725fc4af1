/**
 * A product's SKUs under its row in the list: price and stock edited in place (Enter saves,
 * Esc cancels), and the stock adjustment dialog. What a role may change follows the contract:
 * a clerk sees prices read-only and may set or adjust stock.
 */
import { formatFen, MAX_PRICE, Price, StockLevel, type AdminProduct, type Sku } from '@chatmall/shared';
import { CheckOutlined, CloseOutlined, EditOutlined } from '@ant-design/icons';
import { App, Button, Image, Input, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { fieldText, problemText } from '../../api/messages';
import { Bi, QueryView } from '../../components/states';
import { skuLabel } from './catalog-text';
import { fenToYuan, NOT_UNITS, NOT_YUAN, unitsOf, yuanToFen } from './product-form';
import type { StockTarget } from './StockAdjustDialog';

export interface SkuPermissions {
  price: boolean;
  setStock: boolean;
  adjustStock: boolean;
}

export function ProductSkuTable({
  productId,
  may,
  onAdjust,
}: {
  productId: string;
  may: SkuPermissions;
  onAdjust: (target: StockTarget) => void;
}) {
  const query = useApiQuery('adminGetProduct', { params: { id: productId } });
  return (
    <QueryView query={query}>
      {(product) => (
        <Table<Sku>
          className="sku-table"
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={product.skus}
          style={{ margin: '4px 0 8px' }}
          columns={[
            {
              title: <Bi zh="规格" en="SKU" />,
              render: (_, s) => (
                <Space>
                  {s.image && <Image src={s.image} width={28} height={28} preview={false} />}
                  <span className="sku-label">{skuLabel(s.specValues)}</span>
                </Space>
              ),
            },
            {
              title: <Bi zh="售价" en="Price" />,
              width: 260,
              render: (_, s) => <PriceCell sku={s} editable={may.price} />,
            },
            {
              title: <Bi zh="库存" en="Stock" />,
              width: 260,
              render: (_, s) => <StockCell sku={s} editable={may.setStock} />,
            },
            {
              title: <Bi zh="操作" en="Actions" />,
              width: 160,
              render: (_, s) =>
                may.adjustStock && (
                  <Button size="small" className="adjust-stock" onClick={() => onAdjust(targetOf(product, s))}>
                    调整库存 Adjust
                  </Button>
                ),
            },
          ]}
        />
      )}
    </QueryView>
  );
}

const targetOf = (p: AdminProduct, s: Sku): StockTarget => ({
  skuId: s.id,
  productName: p.name,
  specValues: s.specValues,
  stock: s.stock,
});

/** A value shown as text with a pencil; while editing, an input with save and cancel. */
function InlineEdit({
  display,
  initial,
  editable,
  className,
  prefix,
  saving,
  check,
  save,
}: {
  display: ReactNode;
  initial: string;
  editable: boolean;
  className: string;
  prefix?: string;
  saving: boolean;
  /** The problem with the typed text, if any (shown under the input; nothing is sent). */
  check: (text: string) => string | null;
  save: (text: string) => Promise<string | null>;
}) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  if (!editing)
    return (
      <Space className={className} size={4}>
        <span className="value">{display}</span>
        {editable && (
          <Tooltip title="修改 Edit">
            <Button
              type="text"
              size="small"
              className="edit"
              icon={<EditOutlined />}
              onClick={() => {
                setText(initial);
                setError(null);
                setEditing(true);
              }}
            />
          </Tooltip>
        )}
      </Space>
    );
  const submit = async () => {
    const problem = check(text);
    if (problem) {
      setError(problem);
      return;
    }
    const failed = await save(text);
    if (failed) setError(failed);
    else setEditing(false);
  };
  return (
    <div className={`${className} editing`}>
      <Space.Compact>
        <Input
          autoFocus
          size="small"
          className="inline-input"
          prefix={prefix}
          value={text}
          status={error ? 'error' : undefined}
          style={{ width: 120 }}
          onChange={(e) => {
            setText(e.target.value);
            setError(null);
          }}
          onPressEnter={() => void submit()}
          onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
        />
        <Button size="small" className="save" icon={<CheckOutlined />} loading={saving} onClick={() => void submit()} />
        <Button size="small" className="cancel" icon={<CloseOutlined />} onClick={() => setEditing(false)} />
      </Space.Compact>
      {error && (
        <Typography.Text type="danger" className="inline-error" style={{ display: 'block', fontSize: 12 }}>
          {error}
        </Typography.Text>
      )}
    </div>
  );
}

function PriceCell({ sku, editable }: { sku: Sku; editable: boolean }) {
  const setPrice = useApiMutation('setSkuPrice', { invalidates: ['adminGetProduct', 'adminListProducts'] });
  const { message } = App.useApp();
  return (
    <InlineEdit
      className="sku-price"
      editable={editable}
      prefix="¥"
      saving={setPrice.isPending}
      initial={fenToYuan(sku.price)}
      display={
        <>
          {formatFen(sku.price)}
          {sku.originalPrice !== null && (
            <Typography.Text delete type="secondary" style={{ marginLeft: 6 }}>
              {formatFen(sku.originalPrice)}
            </Typography.Text>
          )}
        </>
      }
      check={(text) => {
        const fen = yuanToFen(text);
        if (fen === null) return fieldText('is required');
        if (Number.isNaN(fen)) return fieldText(NOT_YUAN);
        const checked = Price.safeParse(fen);
        return checked.success ? null : fieldText(checked.error.issues[0]?.message ?? `must be at most ${MAX_PRICE}`);
      }}
      save={async (text) => {
        try {
          await setPrice.mutateAsync({ params: { skuId: sku.id }, body: { price: yuanToFen(text) as number } });
          message.success('价格已修改 · Price changed');
          return null;
        } catch (err) {
          return problemText(err);
        }
      }}
    />
  );
}

function StockCell({ sku, editable }: { sku: Sku; editable: boolean }) {
  const setStock = useApiMutation('setSkuStock', { invalidates: ['adminGetProduct', 'adminListProducts'] });
  const { message } = App.useApp();
  return (
    <InlineEdit
      className="sku-stock"
      editable={editable}
      saving={setStock.isPending}
      initial={String(sku.stock)}
      display={
        sku.stock === 0 ? (
          <Tag color="red" style={{ marginInlineEnd: 0 }}>
            0 缺货 Sold out
          </Tag>
        ) : (
          sku.stock
        )
      }
      check={(text) => {
        const units = unitsOf(text);
        if (units === null) return fieldText('is required');
        if (Number.isNaN(units)) return fieldText(NOT_UNITS);
        const checked = StockLevel.safeParse(units);
        return checked.success ? null : fieldText(checked.error.issues[0]?.message ?? NOT_UNITS);
      }}
      save={async (text) => {
        try {
          await setStock.mutateAsync({ params: { skuId: sku.id }, body: { stock: unitsOf(text) as number } });
          message.success('库存已盘点为新数量 · Stock set');
          return null;
        } catch (err) {
          return problemText(err);
        }
      }}
    />
  );
}
