/**
 * Add or take off units of one SKU with a reason (received, damaged, counted…). Checked with
 * the contract's `SkuStockAdjust` before sending; a 409 OUT_OF_STOCK says how many are on hand.
 */
import { SkuStockAdjust } from '@chatmall/shared';
import { Alert, App, Form, Input, InputNumber, Modal, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import { useApiMutation } from '../../api/hooks';
import { clearErrorsOnEdit, fieldText, problemText, showServerErrors } from '../../api/messages';
import { outOfStockText, skuLabel } from './catalog-text';

export interface StockTarget {
  skuId: string;
  productName: string;
  specValues: string[];
  stock: number;
}

interface Values {
  direction: 'in' | 'out';
  units: number | null;
  reason: string;
}

const REASONS = ['到货入库 Received', '盘点差异 Stocktake', '破损报废 Damaged', '退货入库 Returned'];

export function StockAdjustDialog({ target, onClose }: { target: StockTarget | null; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [banner, setBanner] = useState<string | null>(null);
  const adjust = useApiMutation('adjustSkuStock', { invalidates: ['adminGetProduct', 'adminListProducts'] });
  const direction = Form.useWatch('direction', form);
  const units = Form.useWatch('units', form);

  async function submit() {
    if (!target) return;
    setBanner(null);
    const v = form.getFieldsValue();
    if (v.units === null || v.units === undefined) {
      form.setFields([{ name: 'units', errors: [fieldText('is required')] }]);
      return;
    }
    const body = { delta: v.direction === 'out' ? -v.units : v.units, reason: v.reason?.trim() || undefined };
    const checked = SkuStockAdjust.safeParse(body);
    if (!checked.success) {
      // The form asks for units; the contract names the signed delta.
      form.setFields(
        checked.error.issues.map((i) => ({
          name: i.path[0] === 'reason' ? 'reason' : 'units',
          errors: [fieldText(i.message)],
        })),
      );
      return;
    }
    try {
      await adjust.mutateAsync({ params: { skuId: target.skuId }, body: checked.data });
      message.success('库存已调整 · Stock adjusted');
      onClose();
    } catch (err) {
      const words = outOfStockText(err);
      if (words) {
        form.setFields([{ name: 'units', errors: [words] }]);
        return;
      }
      const rest = showServerErrors(form, err);
      if (rest === null) setBanner(problemText(err));
      else if (rest.length) setBanner(rest.join('；'));
    }
  }

  const after = target && typeof units === 'number' ? target.stock + (direction === 'out' ? -units : units) : null;

  return (
    <Modal
      open={target !== null}
      title="调整库存 · Adjust stock"
      okText="确认调整 Adjust"
      cancelText="取消 Cancel"
      okButtonProps={{ className: 'confirm-adjust', loading: adjust.isPending }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
      afterOpenChange={(open) => open || setBanner(null)}
    >
      {target && (
        <>
          <Typography.Paragraph>
            <Typography.Text strong>{target.productName}</Typography.Text> · {skuLabel(target.specValues)}
            <br />
            <Typography.Text type="secondary">
              现有库存 On hand: <span className="stock-on-hand">{target.stock}</span>
            </Typography.Text>
          </Typography.Paragraph>
          {banner && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={banner} />}
          <Form
            form={form}
            layout="vertical"
            className="stock-adjust-form"
            initialValues={{ direction: 'in', units: null, reason: '' }}
            onValuesChange={clearErrorsOnEdit(form)}
          >
            <Form.Item name="direction" label="方向 Direction">
              <Radio.Group className="field-direction">
                <Radio.Button value="in">增加 Add</Radio.Button>
                <Radio.Button value="out">减少 Take off</Radio.Button>
              </Radio.Group>
            </Form.Item>
            <Form.Item
              name="units"
              label="数量（件）Units"
              extra={after !== null ? `调整后 After: ${after}` : undefined}
            >
              <InputNumber className="field-units" min={1} precision={0} style={{ width: 200 }} />
            </Form.Item>
            <Form.Item name="reason" label="原因 Reason" extra="最多 100 字 · at most 100 characters">
              <Input className="field-reason" maxLength={100} placeholder="例如：到货入库" />
            </Form.Item>
            <Space wrap size={[8, 8]}>
              {REASONS.map((r) => (
                <a key={r} onClick={() => form.setFieldValue('reason', r.split(' ')[0])}>
                  {r}
                </a>
              ))}
            </Space>
          </Form>
        </>
      )}
    </Modal>
  );
}
