/**
 * 自动回复 Auto-replies: keyword rules in the order WeChat's pushes try them (priority, then
 * age) with their match type and reply; the welcome new followers get (optionally with a
 * published coupon); the default reply for messages no rule matches. Each editor checks its
 * body with the contract's schema first and puts the server's field errors on its inputs.
 */
import {
  DefaultReplyInput,
  KeywordRuleInput,
  WelcomeInput,
  type AutoReplyContent,
  type KeywordRule,
} from '@chatmall/shared';
import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { clearErrorsOnEdit, problemText, showServerErrors, showZodErrors } from '../../api/messages';
import { Bi, EmptyState, PageHeader, QueryView } from '../../components/states';
import { cleanReply, matchLabel, replySummary, replyTypeLabel } from './oa-text';
import { ReplyContentFields } from './ReplyContentFields';

export default function AutoRepliesPage() {
  const rules = useApiQuery('listKeywordRules', {});
  const [editing, setEditing] = useState<KeywordRule | 'new' | null>(null);
  return (
    <>
      <PageHeader
        zh="自动回复"
        en="Auto-replies"
        extra={
          <Button type="primary" icon={<PlusOutlined />} className="new-rule" onClick={() => setEditing('new')}>
            新建关键词规则 New keyword rule
          </Button>
        }
      />
      <Card title={<Bi zh="关键词回复" en="Keyword rules" />} style={{ marginBottom: 16 }}>
        <QueryView
          query={rules}
          isEmpty={(d) => d.items.length === 0}
          empty={
            <EmptyState
              zh="还没有关键词规则：粉丝发来「营业时间」等关键词时自动回复"
              en="No keyword rules yet: answer words like 营业时间 automatically"
              action={
                <Button type="primary" onClick={() => setEditing('new')}>
                  新建关键词规则 New keyword rule
                </Button>
              }
            />
          }
        >
          {(d) => <RuleTable items={d.items} onEdit={setEditing} />}
        </QueryView>
      </Card>
      <Row gutter={16}>
        <Col span={12}>
          <WelcomeCard />
        </Col>
        <Col span={12}>
          <DefaultReplyCard />
        </Col>
      </Row>
      <RuleDialog rule={editing} onClose={() => setEditing(null)} />
    </>
  );
}

function RuleTable({ items, onEdit }: { items: KeywordRule[]; onEdit: (r: KeywordRule) => void }) {
  const { message } = App.useApp();
  const update = useApiMutation('updateKeywordRule', { invalidates: ['listKeywordRules'] });
  const remove = useApiMutation('deleteKeywordRule', { invalidates: ['listKeywordRules'] });
  return (
    <Table<KeywordRule>
      className="rule-table"
      rowKey="id"
      size="middle"
      pagination={false}
      dataSource={items}
      rowClassName={(r) => `rule-row rule-row-${r.id}`}
      columns={[
        { title: <Bi zh="优先级" en="Priority" />, dataIndex: 'priority', width: 90 },
        { title: <Bi zh="规则名" en="Name" />, dataIndex: 'name', width: 160 },
        {
          title: <Bi zh="关键词" en="Keyword" />,
          width: 220,
          render: (_, r) => (
            <>
              <Tag>{matchLabel[r.match]}</Tag>
              <Typography.Text code>{r.pattern}</Typography.Text>
            </>
          ),
        },
        {
          title: <Bi zh="回复" en="Reply" />,
          render: (_, r) => (
            <>
              <Tag color="green">{replyTypeLabel[r.reply.type]}</Tag>
              {replySummary(r.reply)}
            </>
          ),
        },
        {
          title: <Bi zh="启用" en="On" />,
          width: 80,
          render: (_, r) => (
            <Switch
              size="small"
              className="rule-enabled"
              checked={r.enabled}
              loading={update.isPending && update.variables?.params.id === r.id}
              onChange={(enabled) =>
                update
                  .mutateAsync({
                    params: { id: r.id },
                    body: {
                      name: r.name,
                      match: r.match,
                      pattern: r.pattern,
                      priority: r.priority,
                      reply: r.reply,
                      enabled,
                    },
                  })
                  .catch((err: unknown) => message.error(problemText(err)))
              }
            />
          ),
        },
        {
          title: <Bi zh="操作" en="Actions" />,
          width: 160,
          render: (_, r) => (
            <Space size={4}>
              <Button size="small" type="link" className="edit-rule" onClick={() => onEdit(r)}>
                编辑 Edit
              </Button>
              <Popconfirm
                title={`删除规则「${r.name}」？`}
                okText="删除 Delete"
                cancelText="取消 Cancel"
                okButtonProps={{ danger: true, className: 'confirm-delete-rule' }}
                onConfirm={() =>
                  remove
                    .mutateAsync({ params: { id: r.id } })
                    .then(() => message.success('已删除 · Deleted'))
                    .catch((err: unknown) => message.error(problemText(err)))
                }
              >
                <Button size="small" type="link" danger className="delete-rule">
                  删除 Delete
                </Button>
              </Popconfirm>
            </Space>
          ),
        },
      ]}
    />
  );
}

interface RuleValues {
  name: string;
  match: KeywordRule['match'];
  pattern: string;
  priority: number;
  enabled: boolean;
  reply: Record<string, unknown>;
}

function RuleDialog({ rule, onClose }: { rule: KeywordRule | 'new' | null; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<RuleValues>();
  const [banner, setBanner] = useState<string | null>(null);
  const create = useApiMutation('createKeywordRule', { invalidates: ['listKeywordRules'] });
  const update = useApiMutation('updateKeywordRule', { invalidates: ['listKeywordRules'] });
  const existing = rule && rule !== 'new' ? rule : null;

  useEffect(() => {
    if (!rule) return;
    setBanner(null);
    form.resetFields();
    if (existing) form.setFieldsValue({ ...existing, reply: existing.reply as unknown as Record<string, never> });
  }, [rule, existing, form]);

  async function submit() {
    setBanner(null);
    const v = form.getFieldsValue(true) as RuleValues;
    const checked = KeywordRuleInput.safeParse({
      ...v,
      pattern: v.pattern ?? '',
      name: v.name ?? '',
      reply: cleanReply(v.reply),
    });
    if (!checked.success) {
      const rest = showZodErrors(form, checked.error);
      if (rest.length) setBanner(rest.join('；'));
      return;
    }
    try {
      if (existing) await update.mutateAsync({ params: { id: existing.id }, body: checked.data });
      else await create.mutateAsync({ body: checked.data });
      message.success(existing ? '规则已保存 · Rule saved' : '规则已添加 · Rule added');
      onClose();
    } catch (err) {
      const rest = showServerErrors(form, err);
      if (rest === null) setBanner(problemText(err));
      else if (rest.length) setBanner(rest.join('；'));
    }
  }

  return (
    <Modal
      open={rule !== null}
      title={
        existing ? <Bi zh="编辑关键词规则" en="Edit keyword rule" /> : <Bi zh="新建关键词规则" en="New keyword rule" />
      }
      okText="保存 Save"
      cancelText="取消 Cancel"
      okButtonProps={{ className: 'save-rule', loading: create.isPending || update.isPending }}
      onOk={() => void submit()}
      onCancel={onClose}
      width={680}
      forceRender
    >
      {banner && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={banner} />}
      <Form
        form={form}
        layout="vertical"
        className="rule-form"
        initialValues={{ match: 'contains', priority: 100, enabled: true, reply: { type: 'text' } }}
        onValuesChange={clearErrorsOnEdit(form)}
      >
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="name" label={<Bi zh="规则名" en="Name" />}>
              <Input className="rule-name" maxLength={60} placeholder="营业时间" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item
              name="priority"
              label={<Bi zh="优先级" en="Priority" />}
              tooltip="数字大的先匹配 · higher first; equal: the older rule"
            >
              <InputNumber className="rule-priority" min={0} max={1000} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="enabled" label={<Bi zh="启用" en="On" />} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={10}>
            <Form.Item name="match" label={<Bi zh="匹配方式" en="Match" />}>
              <Select
                className="rule-match"
                options={(['exact', 'contains', 'regex'] as const).map((m) => ({ value: m, label: matchLabel[m] }))}
              />
            </Form.Item>
          </Col>
          <Col span={14}>
            <Form.Item name="pattern" label={<Bi zh="关键词" en="Keyword" />}>
              <Input className="rule-pattern" maxLength={200} placeholder="营业时间" />
            </Form.Item>
          </Col>
        </Row>
        <ReplyContentFields name={['reply']} />
      </Form>
    </Modal>
  );
}

/** A card holding one reply editor: the welcome or the default reply. */
function useReplyForm() {
  const [form] = Form.useForm<{ reply: Record<string, unknown>; couponTemplateId?: string | null }>();
  const [banner, setBanner] = useState<string | null>(null);
  return { form, banner, setBanner };
}

function WelcomeCard() {
  const { message } = App.useApp();
  const settings = useApiQuery('autoReplySettings', {});
  const coupons = useApiQuery('adminListCouponTemplates', { query: { status: 'PUBLISHED', limit: 100 } });
  const save = useApiMutation('setWelcome', { invalidates: ['autoReplySettings'] });
  const { form, banner, setBanner } = useReplyForm();
  const welcome = settings.data?.welcome;
  useEffect(() => {
    if (settings.data)
      form.setFieldsValue({
        reply: (welcome?.reply ?? { type: 'text', text: '' }) as unknown as Record<string, never>,
        couponTemplateId: welcome?.couponTemplateId ?? null,
      });
  }, [settings.data, welcome, form]);

  async function submit() {
    setBanner(null);
    const v = form.getFieldsValue(true);
    const checked = WelcomeInput.safeParse({
      reply: cleanReply(v.reply),
      couponTemplateId: v.couponTemplateId ?? null,
    });
    if (!checked.success) {
      const rest = showZodErrors(form, checked.error);
      if (rest.length) setBanner(rest.join('；'));
      return;
    }
    try {
      await save.mutateAsync({ body: checked.data });
      message.success('关注回复已保存 · Welcome saved');
    } catch (err) {
      const rest = showServerErrors(form, err);
      if (rest === null) setBanner(problemText(err));
      else if (rest.length) setBanner(rest.join('；'));
    }
  }

  return (
    <Card
      title={<Bi zh="关注回复" en="Welcome" />}
      className="welcome-card"
      extra={
        <Button type="primary" className="save-welcome" loading={save.isPending} onClick={() => void submit()}>
          保存 Save
        </Button>
      }
    >
      <QueryView query={settings}>
        {() => (
          <>
            <Typography.Paragraph type="secondary">
              新粉丝关注时收到；渠道二维码可以有自己的关注回复（在「渠道二维码」设置）；未设置时发送默认欢迎语 · New
              followers get this; a touchpoint may have its own (in Touchpoints); unset, a default greeting
            </Typography.Paragraph>
            {banner && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={banner} />}
            <Form form={form} layout="vertical" className="welcome-form" onValuesChange={clearErrorsOnEdit(form)}>
              <ReplyContentFields name={['reply']} />
              <Form.Item
                name="couponTemplateId"
                label={<Bi zh="附送优惠券" en="With a coupon" />}
                extra="已是买家的粉丝领到一张 · followers who are buyers get one"
              >
                <Select
                  className="welcome-coupon"
                  allowClear
                  loading={coupons.isPending}
                  placeholder="不送券 No coupon"
                  options={(coupons.data?.items ?? []).map((c) => ({
                    value: c.id,
                    label: `${c.title} · ${c.benefitText}`,
                  }))}
                />
              </Form.Item>
            </Form>
          </>
        )}
      </QueryView>
    </Card>
  );
}

function DefaultReplyCard() {
  const { message } = App.useApp();
  const settings = useApiQuery('autoReplySettings', {});
  const save = useApiMutation('setDefaultReply', { invalidates: ['autoReplySettings'] });
  const { form, banner, setBanner } = useReplyForm();
  const [on, setOn] = useState(false);
  const current: AutoReplyContent | null | undefined = settings.data?.defaultReply;
  useEffect(() => {
    if (!settings.data) return;
    setOn(current !== null);
    form.setFieldsValue({ reply: (current ?? { type: 'text', text: '' }) as unknown as Record<string, never> });
  }, [settings.data, current, form]);

  async function submit() {
    setBanner(null);
    const v = form.getFieldsValue(true);
    const checked = DefaultReplyInput.safeParse({ reply: on ? cleanReply(v.reply) : null });
    if (!checked.success) {
      const rest = showZodErrors(form, checked.error);
      if (rest.length) setBanner(rest.join('；'));
      return;
    }
    try {
      await save.mutateAsync({ body: checked.data });
      message.success('默认回复已保存 · Default reply saved');
    } catch (err) {
      const rest = showServerErrors(form, err);
      if (rest === null) setBanner(problemText(err));
      else if (rest.length) setBanner(rest.join('；'));
    }
  }

  return (
    <Card
      title={<Bi zh="默认回复" en="Default reply" />}
      className="default-reply-card"
      extra={
        <Button type="primary" className="save-default" loading={save.isPending} onClick={() => void submit()}>
          保存 Save
        </Button>
      }
    >
      <QueryView query={settings}>
        {() => (
          <>
            <Space style={{ marginBottom: 12 }}>
              <Switch className="default-on" checked={on} onChange={setOn} />
              <Typography.Text>
                {on
                  ? '没有规则匹配时回复 · Answer when no rule matches'
                  : '没有规则匹配时不回复 · Say nothing when no rule matches'}
              </Typography.Text>
            </Space>
            {banner && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={banner} />}
            <Form
              form={form}
              layout="vertical"
              className="default-form"
              disabled={!on}
              onValuesChange={clearErrorsOnEdit(form)}
            >
              <ReplyContentFields name={['reply']} />
            </Form>
          </>
        )}
      </QueryView>
    </Card>
  );
}
