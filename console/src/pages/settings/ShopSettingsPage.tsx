/**
 * Shop settings (owner): name, English name, logo, service phone and the shipping rule in
 * yuan. Only the fields that changed are sent (`PATCH` changes exactly what it names), checked
 * first with the contract's `ShopSettingsPatch`; the server's 400 fields land on their inputs.
 */
import { formatChinaTime, formatFen, parseYuan, ShopSettingsPatch, type ShopSettings } from '@chatmall/shared';
import { UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Image, Input, Space, Switch, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { clearErrorsOnEdit, fieldText, problemText, showServerErrors, showZodErrors } from '../../api/messages';
import { Bi, PageHeader, QueryView } from '../../components/states';

interface Values {
  name: string;
  nameEn: string;
  logo: string;
  servicePhone: string;
  shipping: { flatFee: string; freeOver: string };
  restoreCouponOnFullRefund: boolean;
}

const yuan = (fen: number) => formatFen(fen, '');
const toValues = (s: ShopSettings): Values => ({
  name: s.name,
  nameEn: s.nameEn ?? '',
  logo: s.logo ?? '',
  servicePhone: s.servicePhone ?? '',
  shipping: {
    flatFee: yuan(s.shipping.flatFee).replace(/,/g, ''),
    freeOver: s.shipping.freeOver === null ? '' : yuan(s.shipping.freeOver).replace(/,/g, ''),
  },
  restoreCouponOnFullRefund: s.restoreCouponOnFullRefund,
});

const NOT_YUAN = 'must be an amount in yuan, e.g. 10 or 9.90';

export default function ShopSettingsPage() {
  const query = useApiQuery('getShopSettings', {});
  return (
    <>
      <PageHeader zh="店铺设置" en="Shop settings" />
      <QueryView query={query}>{(settings) => <SettingsForm settings={settings} />}</QueryView>
    </>
  );
}

function SettingsForm({ settings }: { settings: ShopSettings }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [banner, setBanner] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const logo = Form.useWatch('logo', form);
  const save = useApiMutation('updateShopSettings', { invalidates: ['getShopSettings'] });

  useEffect(() => form.setFieldsValue(toValues(settings)), [form, settings]);

  /** The patch: changed fields only, money in fen; null for a cleared optional text. */
  function patchOf(v: Values): {
    patch: Record<string, unknown>;
    bad: { path: ['shipping', 'flatFee' | 'freeOver']; message: string }[];
  } {
    const before = toValues(settings);
    const patch: Record<string, unknown> = {};
    const bad: { path: ['shipping', 'flatFee' | 'freeOver']; message: string }[] = [];
    const text = (k: 'name' | 'nameEn' | 'logo' | 'servicePhone', nullable: boolean) => {
      const value = (v[k] ?? '').trim();
      if (value !== before[k]) patch[k] = value === '' && nullable ? null : value;
    };
    text('name', false);
    text('nameEn', true);
    text('logo', true);
    text('servicePhone', true);
    const shipping: Record<string, number | null> = {};
    for (const k of ['flatFee', 'freeOver'] as const) {
      const value = (v.shipping?.[k] ?? '').trim();
      if (value === before.shipping[k]) continue;
      if (k === 'freeOver' && value === '') shipping[k] = null;
      else {
        try {
          shipping[k] = parseYuan(value);
        } catch {
          bad.push({ path: ['shipping', k], message: NOT_YUAN });
        }
      }
    }
    if (Object.keys(shipping).length) patch.shipping = shipping;
    if (Boolean(v.restoreCouponOnFullRefund) !== before.restoreCouponOnFullRefund)
      patch.restoreCouponOnFullRefund = Boolean(v.restoreCouponOnFullRefund);
    return { patch, bad };
  }

  async function submit(values: Values) {
    setBanner([]);
    const { patch, bad } = patchOf(values);
    if (bad.length) {
      form.setFields(bad.map((b) => ({ name: b.path, errors: [fieldText(b.message)] })));
      return;
    }
    const checked = ShopSettingsPatch.safeParse(patch);
    if (!checked.success) {
      setBanner(showZodErrors(form, checked.error));
      return;
    }
    if (Object.keys(patch).length === 0) {
      message.info('没有修改 · Nothing changed');
      return;
    }
    try {
      await save.mutateAsync({ body: checked.data });
      message.success('已保存 · Saved');
    } catch (err) {
      const rest = showServerErrors(form, err);
      if (rest) setBanner(rest);
      else message.error(problemText(err));
    }
  }

  async function upload(file: File) {
    setUploading(true);
    try {
      // The endpoint takes the image's raw bytes; the console's transport sends a Blob as is.
      const { url } = await api.uploadImage({ body: file as unknown as Record<string, never> });
      form.setFieldValue('logo', url);
      form.setFields([{ name: 'logo', errors: [] }]);
    } catch (err) {
      form.setFields([{ name: 'logo', errors: [problemText(err)] }]);
    } finally {
      setUploading(false);
    }
  }

  return (
    <Card style={{ maxWidth: 760 }}>
      {banner.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={banner.join('；')} />}
      <Form
        form={form}
        layout="horizontal"
        labelCol={{ span: 6 }}
        wrapperCol={{ span: 16 }}
        onFinish={submit}
        onValuesChange={clearErrorsOnEdit(form)}
      >
        <Form.Item name="name" label={<Bi zh="店铺名称" en="Name" />}>
          <Input className="field-name" maxLength={60} />
        </Form.Item>
        <Form.Item name="nameEn" label={<Bi zh="英文名称" en="English name" />} extra="可留空 · optional">
          <Input className="field-name-en" />
        </Form.Item>
        <Form.Item label={<Bi zh="店铺标志" en="Logo" />}>
          <Space align="start" size={16}>
            {logo ? (
              <Image src={logo} width={72} height={72} style={{ objectFit: 'cover', borderRadius: 8 }} />
            ) : (
              <div
                style={{ width: 72, height: 72, borderRadius: 8, background: '#fafafa', border: '1px dashed #d9d9d9' }}
              />
            )}
            <Space direction="vertical">
              <Upload
                accept="image/png,image/jpeg,image/webp,image/gif"
                showUploadList={false}
                beforeUpload={(file) => {
                  void upload(file);
                  return false;
                }}
              >
                <Button icon={<UploadOutlined />} loading={uploading}>
                  上传图片 Upload
                </Button>
              </Upload>
              {logo && (
                <Button type="link" size="small" style={{ padding: 0 }} onClick={() => form.setFieldValue('logo', '')}>
                  移除 Remove
                </Button>
              )}
            </Space>
          </Space>
          <Form.Item name="logo" noStyle>
            <Input type="hidden" />
          </Form.Item>
        </Form.Item>
        <Form.Item name="servicePhone" label={<Bi zh="客服电话" en="Service phone" />}>
          <Input className="field-phone" placeholder="400-800-1234" />
        </Form.Item>
        <Form.Item name={['shipping', 'flatFee']} label={<Bi zh="运费（元）" en="Shipping fee, ¥" />}>
          <Input className="field-flat-fee" prefix="¥" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item
          name={['shipping', 'freeOver']}
          label={<Bi zh="满额包邮（元）" en="Free over, ¥" />}
          extra="留空表示不包邮 · empty: never free"
        >
          <Input className="field-free-over" prefix="¥" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item
          name="restoreCouponOnFullRefund"
          valuePropName="checked"
          label="全额退款退回优惠券"
          extra="订单全额退款后，券若仍在有效期内则退回给买家 · Coupon back on a full refund, while still valid"
        >
          <Switch className="field-restore-coupon" checkedChildren="退回" unCheckedChildren="不退回" />
        </Form.Item>
        <Form.Item wrapperCol={{ offset: 6 }}>
          <Space size={16}>
            <Button type="primary" htmlType="submit" loading={save.isPending} className="save-settings">
              保存 Save
            </Button>
            <Typography.Text type="secondary">
              上次修改 Last changed {formatChinaTime(settings.updatedAt)}
            </Typography.Text>
          </Space>
        </Form.Item>
      </Form>
    </Card>
  );
}
