/**
 * The campaign's content and audience: name, channel (service notice, subscribe message,
 * mass send, customer-service message) with what each allows, the message (template fields
 * or text, the mini-program page its link opens), and who gets it (all, a tag, a segment).
 * Checked with the contract's `CampaignInput` before sending; the server's field errors land
 * on the inputs.
 */
import { CampaignInput, type CampaignChannel } from '@chatmall/shared';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Col, Form, Input, Radio, Row, Select, Space, Typography, type FormInstance } from 'antd';
import { useApiQuery } from '../../api/hooks';
import { clearErrorsOnEdit, showServerErrors, showZodErrors } from '../../api/messages';
import { Bi } from '../../components/states';

export const channelLabel: Record<CampaignChannel, { zh: string; en: string; hint: string }> = {
  template: {
    zh: '服务通知',
    en: 'Template message',
    hint: '发给关注的粉丝；22:00–08:00 也可发送 · to followers; the only channel allowed in quiet hours',
  },
  subscribe: {
    zh: '订阅消息',
    en: 'Subscribe message',
    hint: '只发给有未使用授权的买家，授权用一次 · only to buyers holding an unused consent; spent once',
  },
  mass: {
    zh: '群发消息',
    en: 'Mass send',
    hint: '每位粉丝每月最多收到 4 次，超出的跳过 · each follower gets at most 4 a month; the rest are skipped',
  },
  custom: {
    zh: '客服消息',
    en: 'Customer-service message',
    hint: '只发给 48 小时内互动过的粉丝 · only to followers who wrote within 48 hours',
  },
};

export interface ComposerValues {
  name: string;
  channel: CampaignChannel;
  templateId?: string;
  fields?: { key?: string; value?: string }[];
  page?: string;
  text?: string;
  audienceKind: 'all' | 'tag' | 'segment';
  tagId?: number;
  segmentId?: string;
}

export function initialValues(c?: CampaignInput): ComposerValues {
  if (!c) return { name: '', channel: 'template', fields: [{ key: 'thing1', value: '' }], audienceKind: 'segment' };
  const content = c.content;
  return {
    name: c.name,
    channel: content.channel,
    templateId: 'templateId' in content ? content.templateId : undefined,
    fields: 'fields' in content ? Object.entries(content.fields).map(([key, value]) => ({ key, value })) : [],
    page: 'page' in content ? content.page : undefined,
    text: 'text' in content ? content.text : undefined,
    audienceKind: c.audience.kind,
    tagId: c.audience.kind === 'tag' ? c.audience.tagId : undefined,
    segmentId: c.audience.kind === 'segment' ? c.audience.segmentId : undefined,
  };
}

function toInput(v: ComposerValues): unknown {
  const page = v.page?.trim() ? v.page.trim() : undefined;
  const fields = Object.fromEntries((v.fields ?? []).filter((f) => f.key).map((f) => [f.key, f.value ?? '']));
  const content =
    v.channel === 'template' || v.channel === 'subscribe'
      ? { channel: v.channel, templateId: v.templateId ?? '', fields, page }
      : v.channel === 'mass'
        ? { channel: 'mass', text: v.text ?? '' }
        : { channel: 'custom', text: v.text ?? '', page };
  const audience =
    v.audienceKind === 'all'
      ? { kind: 'all' }
      : v.audienceKind === 'tag'
        ? { kind: 'tag', tagId: v.tagId }
        : { kind: 'segment', segmentId: v.segmentId ?? '' };
  return { name: v.name ?? '', content, audience };
}

/** The form's values checked: the input, or null with the problems on the form (and the rest returned). */
export function checkComposer(form: FormInstance<ComposerValues>): { input: CampaignInput | null; rest: string[] } {
  const checked = CampaignInput.safeParse(toInput(form.getFieldsValue(true) as ComposerValues));
  if (checked.success) return { input: checked.data, rest: [] };
  // The schema's paths (content.text, audience.segmentId) → the form's flat names.
  const flat = checked.error.issues.map((i) => ({ ...i, path: flatPath(i.path.map(String)) }));
  return { input: null, rest: showZodErrors(form, { issues: flat } as never) };
}

function flatPath(p: string[]): string[] {
  if (p[0] === 'content') return p[1] === 'fields' ? ['fields'] : [p[1] ?? 'channel'];
  if (p[0] === 'audience') return [p[1] === 'tagId' ? 'tagId' : p[1] === 'segmentId' ? 'segmentId' : 'audienceKind'];
  return p;
}

export function serverOntoComposer(form: FormInstance<ComposerValues>, err: unknown): string[] | null {
  return showServerErrors(form, err);
}

export function CampaignComposer({
  form,
  banner,
  initial,
}: {
  form: FormInstance<ComposerValues>;
  banner?: string | null;
  initial: ComposerValues;
}) {
  const channel = Form.useWatch('channel', form) ?? 'template';
  const audienceKind = Form.useWatch('audienceKind', form) ?? 'segment';
  const tags = useApiQuery('listFollowerTags', {});
  const segments = useApiQuery('listSegments', {});
  return (
    <Form
      form={form}
      layout="vertical"
      className="campaign-form"
      initialValues={initial}
      onValuesChange={clearErrorsOnEdit(form)}
    >
      {banner && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={banner} />}
      <Form.Item name="name" label={<Bi zh="推送名称" en="Name" />} extra="仅后台可见 · seen only here">
        <Input className="campaign-name" maxLength={40} placeholder="周末新品推送" />
      </Form.Item>
      <Form.Item
        name="channel"
        label={<Bi zh="渠道" en="Channel" />}
        extra={channelLabel[channel as CampaignChannel].hint}
      >
        <Radio.Group
          className="campaign-channel"
          optionType="button"
          options={(Object.keys(channelLabel) as CampaignChannel[]).map((c) => ({
            value: c,
            label: `${channelLabel[c].zh} ${channelLabel[c].en}`,
          }))}
        />
      </Form.Item>
      {(channel === 'template' || channel === 'subscribe') && (
        <>
          <Form.Item name="templateId" label={<Bi zh="模板 ID" en="Template id" />}>
            <Input className="campaign-template" placeholder="公众号后台「模板消息」里的模板 ID" />
          </Form.Item>
          <Form.Item
            label={<Bi zh="模板字段" en="Fields" />}
            name="fields"
            extra="字段名如 thing1、time2；每个值最多 20 个字 · up to 20 characters each"
          >
            <Form.List name="fields">
              {(fields, { add, remove }) => (
                <Space direction="vertical" style={{ width: '100%' }}>
                  {fields.map((f) => (
                    <Space key={f.key} align="baseline">
                      <Form.Item name={[f.name, 'key']} noStyle>
                        <Input className="field-key" placeholder="thing1" style={{ width: 140 }} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'value']} noStyle>
                        <Input className="field-value" placeholder="新品上架" maxLength={20} style={{ width: 320 }} />
                      </Form.Item>
                      <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} />
                    </Space>
                  ))}
                  <Button size="small" icon={<PlusOutlined />} onClick={() => add({ key: '', value: '' })}>
                    添加字段 Add a field
                  </Button>
                </Space>
              )}
            </Form.List>
          </Form.Item>
        </>
      )}
      {(channel === 'mass' || channel === 'custom') && (
        <Form.Item name="text" label={<Bi zh="消息内容" en="Text" />}>
          <Input.TextArea className="campaign-text" rows={4} maxLength={600} showCount />
        </Form.Item>
      )}
      {channel !== 'mass' && (
        <Form.Item
          name="page"
          label={<Bi zh="点击打开的小程序页面" en="Mini-program page it opens" />}
          extra="会自动带上推送 ID 以统计点击 · the campaign's id is added to count opens"
        >
          <Input className="campaign-page" placeholder="pages/index/index" />
        </Form.Item>
      )}
      <Row gutter={16}>
        <Col span={10}>
          <Form.Item name="audienceKind" label={<Bi zh="发给" en="Audience" />}>
            <Radio.Group
              className="campaign-audience"
              options={[
                { value: 'segment', label: '人群 Segment' },
                { value: 'tag', label: '标签 Tag' },
                { value: 'all', label: '全部粉丝 All' },
              ]}
            />
          </Form.Item>
        </Col>
        <Col span={14}>
          {audienceKind === 'segment' && (
            <Form.Item name="segmentId" label={<Bi zh="人群" en="Segment" />}>
              <Select
                className="campaign-segment"
                loading={segments.isPending}
                placeholder="选择人群 Choose a segment"
                options={(segments.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.name} · ${s.count} 人` }))}
              />
            </Form.Item>
          )}
          {audienceKind === 'tag' && (
            <Form.Item name="tagId" label={<Bi zh="标签" en="Tag" />}>
              <Select
                className="campaign-tag"
                loading={tags.isPending}
                placeholder="选择标签 Choose a tag"
                options={(tags.data?.items ?? []).map((t) => ({ value: t.id, label: `${t.name} · ${t.count} 人` }))}
              />
            </Form.Item>
          )}
        </Col>
      </Row>
      <Typography.Text type="secondary">
        保存后可预览、测试发送并排期 · Save, then preview, test-send and schedule
      </Typography.Text>
    </Form>
  );
}
