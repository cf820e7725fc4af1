/**
 * A new red-envelope pack: the share card's title, the budget in yuan split into shares
 * (random or equal, never below the minimum share), the coupon each share becomes (its
 * threshold a multiple of the share or one fixed amount, scope, validity), who may grab
 * (group members only, new buyers only) and how long it stays open (24 h by default). The
 * budget is checked against shares × minimum as it is typed; the whole request with the
 * contract's schema before sending, the server's 400 fields on the same inputs.
 */
import { ApiError, ErrorCode, MAX_RED_ENVELOPE_HOURS } from '@chatmall/shared';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Radio, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useApiMutation } from '../../api/hooks';
import { clearErrorsOnEdit, problemText } from '../../api/messages';
import { Bi, PageHeader } from '../../components/states';
import { serverPath, showProblems as showFieldProblems } from './form-problems';
import { inYuan, type Problem } from './marketing-text';
import { blankPack, budgetCheck, createPackBody, packField, type PackFormValues } from './red-envelope-form';
import { ScopeFields, ValidityFields } from './TermsFields';

export default function RedEnvelopeCreatePage() {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<PackFormValues>();
  const [initial] = useState(blankPack);
  const [banner, setBanner] = useState<string[]>([]);
  const values = Form.useWatch([], { form, preserve: true }) as PackFormValues | undefined;
  const thresholdKind = values?.thresholdKind ?? initial.thresholdKind;
  const check = budgetCheck(values ?? initial);
  const create = useApiMutation('createRedEnvelopePack', {
    invalidates: ['adminListRedEnvelopePacks', 'adminListCouponTemplates'],
  });

  function showProblems(problems: Problem[]) {
    setBanner(showFieldProblems(form, problems));
  }

  async function save() {
    setBanner([]);
    const built = createPackBody(form.getFieldsValue(true) as PackFormValues);
    const body = built.body;
    if (!body) return showProblems(built.problems);
    try {
      const pack = await create.mutateAsync({ body });
      message.success('红包已创建，可以分享到群里了 · Created: share it into your groups');
      navigate(`/marketing/red-envelopes/${pack.id}`, { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.code === ErrorCode.VALIDATION_FAILED && err.fields.length)
        showProblems(
          err.fields.map((f) => ({
            path: packField(serverPath(f.path)),
            message: inYuan(f.message),
          })),
        );
      else message.error(problemText(err));
    }
  }

  return (
    <>
      <PageHeader
        zh="新建群红包"
        en="New red-envelope pack"
        extra={
          <Space>
            <Link to="/marketing/red-envelopes">
              <Button icon={<ArrowLeftOutlined />}>返回列表 Back</Button>
            </Link>
            <Button type="primary" className="save-pack" loading={create.isPending} onClick={() => void save()}>
              创建红包 Create
            </Button>
          </Space>
        }
      />
      {banner.length > 0 && (
        <Alert
          type="error"
          showIcon
          className="pack-form-banner"
          style={{ marginBottom: 16 }}
          message={banner.join('；')}
        />
      )}
      <Form
        form={form}
        layout="vertical"
        className="pack-form"
        initialValues={initial}
        onValuesChange={clearErrorsOnEdit(form)}
        onFinish={() => void save()}
      >
        <Card title={<Bi zh="红包" en="The pack" />} style={{ marginBottom: 16 }}>
          <Form.Item name="title" label={<Bi zh="分享卡片标题" en="Share card title" />} style={{ maxWidth: 480 }}>
            <Input className="field-pack-title" maxLength={40} placeholder="店庆红包，手慢无！" />
          </Form.Item>
          <Space align="start" wrap size={24}>
            <Form.Item name="budget" label={<Bi zh="总金额（元）" en="Budget, ¥" />} style={{ width: 340 }}>
              <Input className="field-budget" prefix="¥" placeholder="100" />
            </Form.Item>
            <Form.Item name="shares" label={<Bi zh="红包个数" en="Shares" />} style={{ width: 180 }}>
              <Input className="field-shares" suffix="个" placeholder="10" />
            </Form.Item>
            <Form.Item name="minimumShare" label={<Bi zh="每份最少（元）" en="Min. share, ¥" />} style={{ width: 240 }}>
              <Input className="field-minimum-share" prefix="¥" />
            </Form.Item>
            <Form.Item name="split" label={<Bi zh="分配方式" en="Split" />}>
              <Radio.Group className="field-split">
                <Radio.Button value="random">拼手气 Random</Radio.Button>
                <Radio.Button value="equal">平均 Equal</Radio.Button>
              </Radio.Group>
            </Form.Item>
          </Space>
          {check ? (
            <Alert
              className={`budget-check ${check.ok ? 'budget-ok' : 'budget-short'}`}
              type={check.ok ? 'success' : 'warning'}
              showIcon
              message={check.text}
              style={{ maxWidth: 900 }}
            />
          ) : (
            <Typography.Text type="secondary">
              填写总金额、个数和每份最少金额后在这里核对 · Fill in budget, shares and minimum to check them here
            </Typography.Text>
          )}
        </Card>

        <Card title={<Bi zh="每份红包变成的券" en="The coupon each share becomes" />} style={{ marginBottom: 16 }}>
          <Form.Item name="couponTitle" label={<Bi zh="券名称" en="Coupon name" />} style={{ maxWidth: 400 }}>
            <Input className="field-coupon-title" maxLength={40} />
          </Form.Item>
          <Form.Item name="thresholdKind" label={<Bi zh="使用门槛" en="Minimum spend" />}>
            <Radio.Group className="field-threshold-kind">
              <Radio.Button value="multiple">券面额的倍数 Multiple of the share</Radio.Button>
              <Radio.Button value="fixed">固定金额 Fixed amount</Radio.Button>
              <Radio.Button value="none">无门槛 None</Radio.Button>
            </Radio.Group>
          </Form.Item>
          {thresholdKind === 'multiple' && (
            <Form.Item
              name="multiple"
              label={<Bi zh="满券面额的几倍可用" en="Usable on orders of N × the share" />}
              extra="例如 5：抢到 ¥3.20，满 ¥16 可用 · e.g. 5: a ¥3.20 share needs ¥16"
            >
              <Input className="field-multiple" suffix="倍 ×" style={{ width: 200 }} />
            </Form.Item>
          )}
          {thresholdKind === 'fixed' && (
            <Form.Item name="fixedThreshold" label={<Bi zh="满多少可用（元）" en="Usable on orders from, ¥" />}>
              <Input className="field-fixed-threshold" prefix="¥" style={{ width: 200 }} />
            </Form.Item>
          )}
          <ScopeFields />
          <ValidityFields />
          <Form.Item
            name="stacksWithMemberDiscount"
            valuePropName="checked"
            label={<Bi zh="可与会员折扣同时使用" en="Stacks with member prices" />}
            style={{ marginBottom: 0 }}
          >
            <Switch className="field-stacks" checkedChildren="可叠加" unCheckedChildren="不叠加" />
          </Form.Item>
        </Card>

        <Card title={<Bi zh="谁能抢、开放多久" en="Who may grab, and for how long" />}>
          <Space align="start" wrap size={32}>
            <Form.Item
              name="groupOnly"
              valuePropName="checked"
              label={<Bi zh="仅限群成员" en="Group members only" />}
              extra="只有被分享到的群里的成员能抢 · only members of the groups it is shared into"
              style={{ width: 320 }}
            >
              <Switch className="field-group-only" />
            </Form.Item>
            <Form.Item
              name="newBuyersOnly"
              valuePropName="checked"
              label={<Bi zh="仅限新客" en="New buyers only" />}
              extra="下过单的买家不能抢 · buyers with a paid order may not grab"
              style={{ width: 320 }}
            >
              <Switch className="field-new-buyers-only" />
            </Form.Item>
            <Form.Item
              name="expiresInHours"
              label={<Bi zh="开放时长（小时）" en="Open for, hours" />}
              extra={`到期后未抢的金额退回 · 1–${MAX_RED_ENVELOPE_HOURS} h; what is left returns`}
              style={{ width: 280 }}
            >
              <Input className="field-expires" suffix="小时 h" style={{ width: 160 }} />
            </Form.Item>
          </Space>
        </Card>
      </Form>
    </>
  );
}
