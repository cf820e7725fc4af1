/**
 * Create or edit a coupon template: the name, what it takes off (满减 with a threshold, 无门槛,
 * or 折扣 with a cap), where it applies, how long a received coupon lasts, the stock and the
 * per-buyer limit, whether it stacks with member prices and shows in the claim centre. The
 * request is built and checked with the contract's schema before sending (`coupon-form.ts`);
 * the server's 400 fields land on the same inputs. A saved template is published or stopped
 * from here too. A red-envelope pack's own template is shown read-only.
 */
import {
  ApiError,
  couponTemplateStatusLabel,
  couponTitle,
  ErrorCode,
  formatChinaTime,
  type CouponTemplate,
} from '@chatmall/shared';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Radio, Space, Switch, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { apiKey, useApiMutation, useApiQuery } from '../../api/hooks';
import { clearErrorsOnEdit } from '../../api/messages';
import { useEditorSave } from '../../components/editor-save';
import { Bi, PageHeader, QueryView } from '../../components/states';
import {
  benefitOf,
  blankCoupon,
  couponField,
  couponValuesOf,
  createCouponBody,
  updateCouponBody,
  type CouponFormValues,
} from './coupon-form';
import { serverPath, showProblems as showFieldProblems } from './form-problems';
import { inYuan, type Problem } from './marketing-text';
import { PublishButton, StopButton, statusColor } from './TemplateActions';
import { ScopeFields, ValidityFields } from './TermsFields';

export default function CouponTemplateEditPage() {
  const { id } = useParams();
  const creating = id === undefined || id === 'new';
  const query = useApiQuery('adminGetCouponTemplate', { params: { id: id ?? '' } }, { enabled: !creating });
  if (creating) return <CouponEditor key="new" />;
  // A pack's own template (its origin names the pack) opens read-only.
  return (
    <QueryView query={query}>
      {(t) => (
        <CouponEditor
          key={t.updatedAt}
          saved={t}
          pack={t.origin?.kind === 'red_envelope' ? { id: t.origin.packId, title: t.origin.packTitle } : undefined}
        />
      )}
    </QueryView>
  );
}

const kindLabel: Record<CouponFormValues['kind'], string> = {
  amount_off: '满减 Amount off over a threshold',
  no_threshold: '无门槛 No minimum',
  percent_off: '折扣 Percent off',
};

function CouponEditor({ saved, pack }: { saved?: CouponTemplate; pack?: { id: string; title: string } }) {
  const [form] = Form.useForm<CouponFormValues>();
  const [initial] = useState<CouponFormValues>(() => (saved ? couponValuesOf(saved) : blankCoupon()));
  const [banner, setBanner] = useState<string[]>([]);
  const [dirty, setDirty] = useState(false);
  const values = Form.useWatch([], { form, preserve: true }) as CouponFormValues | undefined;
  const kind = values?.kind ?? initial.kind;
  const invalidates = ['adminListCouponTemplates' as const, 'adminGetCouponTemplate' as const];
  const create = useApiMutation('createCouponTemplate', { invalidates });
  const update = useApiMutation('updateCouponTemplate', { invalidates });
  const readOnly = Boolean(pack);

  // The face buyers will read, as typed so far (nothing when an amount is still unreadable).
  const preview = (() => {
    if (!values) return null;
    const problems: Problem[] = [];
    const b = benefitOf(values, problems);
    if (problems.length) return null;
    try {
      return couponTitle(b);
    } catch {
      return null;
    }
  })();

  function showProblems(problems: Problem[]) {
    setBanner(showFieldProblems(form, problems));
  }

  const saveBody = useEditorSave<CouponTemplate>({
    editing: Boolean(saved),
    cacheKey: (id) => apiKey('adminGetCouponTemplate', { params: { id } }),
    createdText: '已创建为草稿，发布后开始发放 · Created as a draft: publish it to start issuing',
    pathOf: (id) => `/marketing/coupons/${id}`,
    fieldProblems: (err) =>
      err instanceof ApiError &&
      (err.code === ErrorCode.VALIDATION_FAILED || err.code === ErrorCode.CONFLICT) &&
      err.fields.length
        ? err.fields.map((f) => ({
            path: couponField(serverPath(f.path)),
            message: inYuan(f.message),
          }))
        : undefined,
    showProblems,
    setDirty,
  });

  async function save() {
    setBanner([]);
    const v = form.getFieldsValue(true) as CouponFormValues;
    if (saved)
      await saveBody(updateCouponBody(v, saved), (body) => update.mutateAsync({ params: { id: saved.id }, body }));
    else await saveBody(createCouponBody(v), (body) => create.mutateAsync({ body }));
  }

  const title = saved ? { zh: '编辑优惠券', en: 'Edit coupon' } : { zh: '新建优惠券', en: 'New coupon' };
  return (
    <>
      <PageHeader
        zh={title.zh}
        en={title.en}
        extra={
          <Space>
            <Link to="/marketing/coupons">
              <Button icon={<ArrowLeftOutlined />}>返回列表 Back</Button>
            </Link>
            {saved && (
              <Tag className="coupon-status" color={statusColor[saved.status]}>
                {couponTemplateStatusLabel[saved.status]}
              </Tag>
            )}
            {saved && !readOnly && saved.status !== 'PUBLISHED' && (
              <Tooltip title={dirty ? '请先保存修改 · Save your changes first' : undefined}>
                <span>
                  <PublishButton template={saved} disabled={dirty} />
                </span>
              </Tooltip>
            )}
            {saved && !readOnly && saved.status === 'PUBLISHED' && <StopButton template={saved} />}
            {!readOnly && (
              <Button
                type="primary"
                className="save-coupon"
                loading={create.isPending || update.isPending}
                onClick={() => void save()}
              >
                {saved ? '保存 Save' : '创建优惠券 Create'}
              </Button>
            )}
          </Space>
        }
      />
      {readOnly && (
        <Alert
          type="info"
          showIcon
          className="pack-template-note"
          style={{ marginBottom: 16 }}
          message={`这是红包「${pack?.title ?? ''}」的券，请在红包里修改 · This coupon belongs to red envelope “${pack?.title ?? ''}”`}
          description={
            <>
              每份红包按抢到的金额发这张券；改动或停发会让还没抢的人领不到券。请在红包页查看。
              <br />
              Every grabbed share is issued from it; changing or stopping it would break the pack.{' '}
              <Link to={`/marketing/red-envelopes/${pack?.id ?? ''}`} className="open-pack">
                查看红包 Open the pack
              </Link>
            </>
          }
        />
      )}
      {banner.length > 0 && (
        <Alert
          type="error"
          showIcon
          className="coupon-form-banner"
          style={{ marginBottom: 16 }}
          message={banner.join('；')}
        />
      )}
      <Form
        form={form}
        layout="vertical"
        className="coupon-form"
        disabled={readOnly}
        initialValues={initial}
        onValuesChange={(changed: Record<string, unknown>) => {
          setDirty(true);
          clearErrorsOnEdit(form)(changed);
        }}
        onFinish={() => void save()}
      >
        <Card title={<Bi zh="券面" en="What it takes off" />} style={{ marginBottom: 16 }}>
          <Form.Item name="title" label={<Bi zh="券名称" en="Name buyers see" />} style={{ maxWidth: 400 }}>
            <Input className="field-title" maxLength={40} placeholder="中秋满减券" />
          </Form.Item>
          <Form.Item name="kind" label={<Bi zh="类型" en="Kind" />}>
            <Radio.Group className="field-kind">
              {(Object.keys(kindLabel) as CouponFormValues['kind'][]).map((k) => (
                <Radio.Button key={k} value={k}>
                  {kindLabel[k]}
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
          <Space align="start" wrap size={24}>
            {kind !== 'no_threshold' && (
              <Form.Item
                name="threshold"
                label={<Bi zh="满多少可用（元）" en="Minimum spend, ¥" />}
                extra={kind === 'percent_off' ? '留空表示不限 · empty: any amount' : undefined}
                style={{ width: 300 }}
              >
                <Input className="field-threshold" prefix="¥" placeholder="99" />
              </Form.Item>
            )}
            {kind !== 'percent_off' && (
              <Form.Item name="amountOff" label={<Bi zh="减多少（元）" en="Amount off, ¥" />} style={{ width: 260 }}>
                <Input className="field-amount-off" prefix="¥" placeholder="10" />
              </Form.Item>
            )}
            {kind === 'percent_off' && (
              <>
                <Form.Item
                  name="zhe"
                  label={<Bi zh="折扣（折）" en="Discount, 折" />}
                  extra="8 折 = 20% off · 8.5 折 = 15% off"
                  style={{ width: 260 }}
                >
                  <Input className="field-zhe" suffix="折" placeholder="8.5" />
                </Form.Item>
                <Form.Item
                  name="maxOff"
                  label={<Bi zh="最多减（元）" en="At most, ¥" />}
                  extra="留空表示不封顶 · empty: no cap"
                  style={{ width: 260 }}
                >
                  <Input className="field-max-off" prefix="¥" placeholder="20" />
                </Form.Item>
              </>
            )}
          </Space>
          <div>
            <Typography.Text type="secondary" className="coupon-preview">
              券面预览 Preview：{preview ? <Typography.Text strong>{preview}</Typography.Text> : '—'}
            </Typography.Text>
          </div>
        </Card>

        <Card title={<Bi zh="适用范围与有效期" en="Where and when" />} style={{ marginBottom: 16 }}>
          <ScopeFields />
          <ValidityFields />
        </Card>

        <Card title={<Bi zh="发放规则" en="Issuing" />}>
          <Space align="start" wrap size={24}>
            <Form.Item
              name="totalStock"
              label={<Bi zh="发放总量（张）" en="Total stock" />}
              extra={
                saved
                  ? `已发 ${saved.issued} 张，不能少于此数 · ${saved.issued} issued`
                  : '领取、红包和赠送共用 · all sources together'
              }
              style={{ width: 300 }}
            >
              <Input className="field-total-stock" suffix="张" />
            </Form.Item>
            <Form.Item
              name="perBuyerLimit"
              label={<Bi zh="每人限领（张）" en="Per buyer" />}
              extra="1–100"
              style={{ width: 260 }}
            >
              <Input className="field-per-buyer" suffix="张" />
            </Form.Item>
          </Space>
          <Form.Item
            name="stacksWithMemberDiscount"
            valuePropName="checked"
            label={<Bi zh="可与会员折扣同时使用" en="Stacks with member prices" />}
            extra="关闭时：用券就不再享受会员价，结算会自动比较哪样更省 · off: using it gives up the member price"
          >
            <Switch className="field-stacks" checkedChildren="可叠加" unCheckedChildren="不叠加" />
          </Form.Item>
          <Form.Item
            name="claimable"
            valuePropName="checked"
            label={<Bi zh="在领券中心展示" en="In the claim centre" />}
            extra="关闭时：只能通过红包或商家发放获得 · off: only given out, not claimed"
            style={{ marginBottom: 0 }}
          >
            <Switch className="field-claimable" checkedChildren="展示" unCheckedChildren="不展示" />
          </Form.Item>
        </Card>
      </Form>
      {saved && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          创建于 Created {formatChinaTime(saved.createdAt)} · 已发 Issued {saved.issued} · 已用 Used {saved.used} ·
          修改只影响之后发出的券 · Changes apply to coupons issued afterwards
        </Typography.Paragraph>
      )}
    </>
  );
}
