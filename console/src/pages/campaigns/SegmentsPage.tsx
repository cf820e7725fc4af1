/**
 * 人群 Segments: saved follower segments with their counts now, and the rule builder — tags,
 * member level, last order, total spend, city, touchpoint, follow date and subscription
 * consent, combined with and / or (and one level of groups) — with a live count as the rules
 * change (counted by the server, a moment after the last edit).
 */
import { formatChinaTime, SegmentInput, SegmentRules, type Segment } from '@chatmall/shared';
import { DeleteOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Drawer,
  Input,
  InputNumber,
  Select,
  Space,
  Statistic,
  Table,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { fieldText, problemText } from '../../api/messages';
import { Bi, EmptyState, PageHeader, QueryView } from '../../components/states';
import {
  blankCondition,
  fieldLabel,
  fromRules,
  opLabel,
  opsOf,
  rulesText,
  toRules,
  type EditCondition,
  type EditGroup,
  type Field,
} from './segment-rules';

export default function SegmentsPage() {
  const list = useApiQuery('listSegments', {});
  const [editing, setEditing] = useState<Segment | 'new' | null>(null);
  return (
    <>
      <PageHeader
        zh="人群"
        en="Segments"
        extra={
          <Button type="primary" icon={<PlusOutlined />} className="new-segment" onClick={() => setEditing('new')}>
            新建人群 New segment
          </Button>
        }
      />
      <Card>
        <QueryView
          query={list}
          isEmpty={(d) => d.items.length === 0}
          empty={
            <EmptyState
              zh="还没有人群：按标签、会员等级、消费、城市、来源渠道等圈选粉丝，用于推送"
              en="No segments yet: pick followers by tag, level, spend, city or touchpoint to push to"
              action={
                <Button type="primary" onClick={() => setEditing('new')}>
                  新建人群 New segment
                </Button>
              }
            />
          }
        >
          {(d) => (
            <Table<Segment>
              className="segment-table"
              rowKey="id"
              size="middle"
              pagination={false}
              dataSource={d.items}
              rowClassName={(s) => `segment-row segment-row-${s.id}`}
              columns={[
                { title: <Bi zh="名称" en="Name" />, dataIndex: 'name', width: 200 },
                { title: <Bi zh="规则" en="Rules" />, render: (_, s) => rulesText(s.rules) },
                {
                  title: <Bi zh="当前人数" en="Followers now" />,
                  width: 130,
                  align: 'right',
                  render: (_, s) => <span className="segment-count">{s.count}</span>,
                },
                {
                  title: <Bi zh="更新时间" en="Updated" />,
                  width: 160,
                  render: (_, s) => formatChinaTime(s.updatedAt),
                },
                {
                  title: <Bi zh="操作" en="Actions" />,
                  width: 100,
                  render: (_, s) => (
                    <Button size="small" type="link" className="edit-segment" onClick={() => setEditing(s)}>
                      编辑 Edit
                    </Button>
                  ),
                },
              ]}
            />
          )}
        </QueryView>
      </Card>
      <SegmentEditor segment={editing} onClose={() => setEditing(null)} />
    </>
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

const emptyGroup = (): EditGroup => ({ kind: 'group', combine: 'and', items: [blankCondition('tag')] });

function SegmentEditor({ segment, onClose }: { segment: Segment | 'new' | null; onClose: () => void }) {
  const { message } = App.useApp();
  const existing = segment && segment !== 'new' ? segment : null;
  const [name, setName] = useState('');
  const [group, setGroup] = useState<EditGroup>(emptyGroup);
  const [problems, setProblems] = useState<string[]>([]);
  const create = useApiMutation('createSegment', { invalidates: ['listSegments'] });
  const update = useApiMutation('updateSegment', { invalidates: ['listSegments'] });

  useEffect(() => {
    if (!segment) return;
    setName(existing?.name ?? '');
    setGroup(existing ? fromRules(existing.rules) : emptyGroup());
    setProblems([]);
  }, [segment, existing]);

  const rules = useMemo(() => SegmentRules.safeParse(toRules(group)), [group]);
  const settled = useDebounced(rules.success ? rules.data : null, 400);
  const count = useApiQuery(
    'countSegment',
    { body: { rules: settled ?? { combine: 'and', conditions: [] } } },
    { enabled: !!segment && settled !== null, placeholderData: (prev) => prev },
  );

  async function save() {
    const checked = SegmentInput.safeParse({ name, rules: toRules(group) });
    if (!checked.success) {
      setProblems(checked.error.issues.map((i) => `${i.path.join('.') || '—'}: ${fieldText(i.message)}`));
      return;
    }
    try {
      if (existing) await update.mutateAsync({ params: { id: existing.id }, body: checked.data });
      else await create.mutateAsync({ body: checked.data });
      message.success('人群已保存 · Segment saved');
      onClose();
    } catch (err) {
      setProblems([problemText(err)]);
    }
  }

  return (
    <Drawer
      open={segment !== null}
      onClose={onClose}
      width={860}
      title={existing ? <Bi zh="编辑人群" en="Edit segment" /> : <Bi zh="新建人群" en="New segment" />}
      extra={
        <Button
          type="primary"
          className="save-segment"
          loading={create.isPending || update.isPending}
          onClick={() => void save()}
        >
          保存 Save
        </Button>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="large">
        <div style={{ display: 'flex', gap: 24, alignItems: 'center' }}>
          <Input
            className="segment-name"
            style={{ flex: 1 }}
            value={name}
            maxLength={40}
            placeholder="人群名称 Name, e.g. 近 30 天下过单的老顾客"
            onChange={(e) => {
              setName(e.target.value);
              setProblems([]);
            }}
          />
          <Card size="small" className="segment-live-count" style={{ minWidth: 200 }}>
            <Statistic
              title="当前匹配 Matching now"
              prefix={<TeamOutlined />}
              value={rules.success ? (count.data?.count ?? '…') : '—'}
              suffix="人"
              loading={count.isFetching && count.data === undefined}
            />
          </Card>
        </div>
        {problems.length > 0 && (
          <Alert type="error" showIcon message="请检查 · Please check" description={problems.join('；')} />
        )}
        {!rules.success && (
          <Typography.Text type="warning">
            把条件填完整后显示人数 · Complete the conditions to see the count
          </Typography.Text>
        )}
        <GroupEditor group={group} onChange={(g) => (setGroup(g), setProblems([]))} depth={0} />
      </Space>
    </Drawer>
  );
}

function GroupEditor({
  group,
  onChange,
  depth,
}: {
  group: EditGroup;
  onChange: (g: EditGroup) => void;
  depth: number;
}) {
  const set = (i: number, item: EditCondition | EditGroup | null) =>
    onChange({
      ...group,
      items: item ? group.items.map((x, j) => (j === i ? item : x)) : group.items.filter((_, j) => j !== i),
    });
  return (
    <Card
      size="small"
      className={`segment-group segment-group-${depth}`}
      style={depth ? { background: '#fafafa' } : undefined}
      title={
        <Space>
          <Typography.Text>满足以下</Typography.Text>
          <Select
            className="segment-combine"
            value={group.combine}
            style={{ width: 170 }}
            onChange={(combine) => onChange({ ...group, combine })}
            options={[
              { value: 'and', label: '全部条件 All (and)' },
              { value: 'or', label: '任一条件 Any (or)' },
            ]}
          />
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        {group.items.map((item, i) =>
          item.kind === 'group' ? (
            <div key={i} style={{ display: 'flex', gap: 8 }}>
              <div style={{ flex: 1 }}>
                <GroupEditor group={item} depth={depth + 1} onChange={(g) => set(i, g)} />
              </div>
              <Button type="text" icon={<DeleteOutlined />} onClick={() => set(i, null)} />
            </div>
          ) : (
            <ConditionRow key={i} c={item} onChange={(c) => set(i, c)} onRemove={() => set(i, null)} />
          ),
        )}
        <Space>
          <Button
            size="small"
            icon={<PlusOutlined />}
            className="add-condition"
            disabled={group.items.length >= 20}
            onClick={() => onChange({ ...group, items: [...group.items, blankCondition('tag')] })}
          >
            添加条件 Add a condition
          </Button>
          {depth === 0 && (
            <Button
              size="small"
              icon={<PlusOutlined />}
              className="add-group"
              disabled={group.items.length >= 20}
              onClick={() =>
                onChange({
                  ...group,
                  items: [
                    ...group.items,
                    { kind: 'group', combine: group.combine === 'and' ? 'or' : 'and', items: [blankCondition('city')] },
                  ],
                })
              }
            >
              添加条件组 Add a group
            </Button>
          )}
        </Space>
      </Space>
    </Card>
  );
}

function ConditionRow({
  c,
  onChange,
  onRemove,
}: {
  c: EditCondition;
  onChange: (c: EditCondition) => void;
  onRemove: () => void;
}) {
  const tags = useApiQuery('listFollowerTags', {});
  const touchpoints = useApiQuery('listTouchpoints', { query: {} }, { enabled: c.field === 'touchpoint' });
  const patch = (p: Partial<EditCondition>) => onChange({ ...c, ...p });
  return (
    <div
      className={`segment-condition segment-condition-${c.field}`}
      style={{ display: 'flex', gap: 8, alignItems: 'center' }}
    >
      <Select<Field>
        className="condition-field"
        style={{ width: 190 }}
        value={c.field}
        onChange={(field) => onChange({ ...blankCondition(field), tagIds: c.tagIds })}
        options={(Object.keys(fieldLabel) as Field[]).map((f) => ({ value: f, label: fieldLabel[f] }))}
      />
      {opsOf[c.field].length > 0 && (
        <Select
          className="condition-op"
          style={{ width: 210 }}
          value={c.op}
          onChange={(op) => patch({ op })}
          options={opsOf[c.field].map((o) => ({ value: o, label: opLabel[o] }))}
        />
      )}
      <div style={{ flex: 1 }}>
        {c.field === 'tag' && (
          <Select
            className="condition-tags"
            mode="multiple"
            style={{ width: '100%' }}
            placeholder="选择标签 Tags"
            value={c.tagIds}
            loading={tags.isPending}
            onChange={(tagIds) => patch({ tagIds })}
            options={(tags.data?.items ?? []).map((t) => ({ value: t.id, label: `${t.name} (${t.count})` }))}
          />
        )}
        {(c.field === 'memberLevel' || c.field === 'city') && (
          <Select
            className="condition-values"
            mode="tags"
            style={{ width: '100%' }}
            placeholder={c.field === 'city' ? '输入城市后回车 e.g. 上海' : '输入等级名后回车 Level names'}
            value={c.values}
            onChange={(values) => patch({ values })}
            open={false}
          />
        )}
        {c.field === 'touchpoint' && (
          <Select
            className="condition-touchpoints"
            mode="multiple"
            style={{ width: '100%' }}
            placeholder="选择渠道 Touchpoints"
            value={c.values}
            loading={touchpoints.isPending}
            onChange={(values) => patch({ values })}
            options={(touchpoints.data?.items ?? []).map((t) => ({ value: t.id, label: t.name }))}
          />
        )}
        {(c.field === 'lastOrder' || c.field === 'followedAt') && (
          <InputNumber
            className="condition-days"
            min={0}
            max={3650}
            value={c.days}
            addonAfter="天 days"
            onChange={(days) => patch({ days })}
          />
        )}
        {c.field === 'totalSpend' && (
          <InputNumber
            className="condition-amount"
            min={0}
            precision={2}
            value={c.yuan}
            addonBefore="¥"
            onChange={(yuan) => patch({ yuan })}
          />
        )}
        {c.field === 'subscribeConsent' && (
          <Input
            className="condition-template"
            placeholder="订阅消息模板 ID · template id"
            value={c.templateId}
            onChange={(e) => patch({ templateId: e.target.value })}
          />
        )}
      </div>
      <Button type="text" icon={<DeleteOutlined />} className="remove-condition" onClick={onRemove} />
    </div>
  );
}
