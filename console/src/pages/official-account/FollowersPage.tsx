/**
 * 粉丝 Followers: the account's followers (kept from WeChat's events; the full sync fills in
 * the rest and resumes where it stopped), by tag and following state, keyset-paged; the tags
 * mirrored from WeChat with their counts (create, rename, tag and untag the selected
 * followers); the sync button with its progress.
 */
import { formatChinaTime, TagInput, type Follower, type FollowerTag } from '@chatmall/shared';
import { EditOutlined, PlusOutlined, SyncOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Dropdown,
  Input,
  Modal,
  Progress,
  Row,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { fieldText, problemText } from '../../api/messages';
import { CursorPager, useCursorPages } from '../../components/cursor-pages';
import { FilterTags } from '../../components/filter-tags';
import { Bi, EmptyState, ErrorState, PageHeader, QueryView } from '../../components/states';

type Following = 'all' | 'true' | 'false';
const PAGE_SIZE = 50;

export default function FollowersPage() {
  const [params, setParams] = useSearchParams();
  const pages = useCursorPages();
  const tagId = params.get('tag') ? Number(params.get('tag')) : undefined;
  const following = (
    ['true', 'false'].includes(params.get('following') ?? '') ? params.get('following') : 'all'
  ) as Following;
  const query = useApiQuery('listFollowers', {
    query: {
      after: pages.cursor,
      limit: PAGE_SIZE,
      tagId,
      subscribed: following === 'all' ? undefined : following,
    },
  });
  const tags = useApiQuery('listFollowerTags', {});
  const tagNames = new Map((tags.data?.items ?? []).map((t) => [t.id, t.name]));
  const [selected, setSelected] = useState<string[]>([]);
  // When the sync was last started here: its status is polled until that run ends.
  const [startedAt, setStartedAt] = useState<number | null>(null);

  function filter(next: { tag?: number | null; following?: Following }) {
    pages.reset();
    setSelected([]);
    setParams((p) => {
      const q = new URLSearchParams(p);
      q.delete('cursor');
      if (next.tag !== undefined) {
        if (next.tag === null) q.delete('tag');
        else q.set('tag', String(next.tag));
      }
      if (next.following) {
        if (next.following === 'all') q.delete('following');
        else q.set('following', next.following);
      }
      return q;
    });
  }

  return (
    <>
      <PageHeader zh="粉丝" en="Followers" extra={<SyncButton onStarted={setStartedAt} />} />
      <SyncProgress startedAt={startedAt} onEnded={() => setStartedAt(null)} />
      <Row gutter={16}>
        <Col span={18}>
          <Card>
            <FilterTags<Following>
              className="following-filter"
              value={following}
              options={[
                { value: 'all', label: '全部 All' },
                { value: 'true', label: '关注中 Following' },
                { value: 'false', label: '已取关 Unfollowed' },
              ]}
              onChange={(v) => filter({ following: v })}
            />
            {tagId !== undefined && (
              <div style={{ marginBottom: 12 }}>
                <Tag closable color="blue" onClose={() => filter({ tag: null })}>
                  标签 Tag: {tagNames.get(tagId) ?? tagId}
                </Tag>
              </div>
            )}
            <TagSelected selected={selected} tags={tags.data?.items ?? []} onDone={() => setSelected([])} />
            <QueryView
              query={query}
              isEmpty={(d) => d.items.length === 0 && !pages.canGoBack}
              empty={
                following === 'all' && tagId === undefined ? (
                  <EmptyState
                    zh="还没有粉丝：同步公众号已有的粉丝，或在门店放上渠道二维码"
                    en="No followers yet: sync the account's followers, or put touchpoint QR codes in the shop"
                    action={<SyncButton onStarted={setStartedAt} />}
                  />
                ) : (
                  <EmptyState zh="没有符合条件的粉丝" en="No follower matches" />
                )
              }
            >
              {(d) => (
                <>
                  <Typography.Text type="secondary" className="follower-total">
                    共 {d.total} 位 · {d.total} in all
                  </Typography.Text>
                  <FollowerTable items={d.items} tagNames={tagNames} selected={selected} onSelect={setSelected} />
                  <CursorPager pages={pages} nextCursor={d.next} />
                </>
              )}
            </QueryView>
          </Card>
        </Col>
        <Col span={6}>
          <TagsCard tags={tags} current={tagId} onPick={(id) => filter({ tag: id })} />
        </Col>
      </Row>
    </>
  );
}

function SyncButton({ onStarted }: { onStarted: (at: number) => void }) {
  const { message } = App.useApp();
  const start = useApiMutation('startFollowerSync', { invalidates: ['followerSyncStatus', 'listFollowers'] });
  return (
    <Button
      type="primary"
      icon={<SyncOutlined />}
      className="sync-followers"
      loading={start.isPending}
      onClick={() =>
        start
          .mutateAsync({})
          .then(() => {
            onStarted(Date.now());
            message.info('开始同步 · Sync started');
          })
          .catch((err: unknown) => message.error(problemText(err)))
      }
    >
      同步粉丝 Sync followers
    </Button>
  );
}

/**
 * The full sync's progress; polled while it runs, and after a start here until that run has
 * ended (the start answers before the sync has taken its cursor, so it may still read IDLE).
 */
function SyncProgress({ startedAt, onEnded }: { startedAt: number | null; onEnded: () => void }) {
  const client = useQueryClient();
  const status = useApiQuery(
    'followerSyncStatus',
    {},
    { refetchInterval: (q) => (q.state.data?.status === 'RUNNING' || startedAt !== null ? 1000 : false) },
  );
  const s0 = status.data;
  const ended =
    startedAt !== null &&
    !!s0 &&
    ((s0.status === 'DONE' && !!s0.finishedAt && Date.parse(s0.finishedAt) >= startedAt - 2000) ||
      (s0.status === 'FAILED' && Date.now() - startedAt > 3000));
  useEffect(() => {
    if (!ended && (startedAt === null || Date.now() - startedAt < 120_000)) return;
    onEnded();
    void client.invalidateQueries({ queryKey: ['listFollowers'] });
    void client.invalidateQueries({ queryKey: ['listFollowerTags'] });
  }, [ended, startedAt, onEnded, client]);
  if (status.isPending) return null;
  if (status.isError) return <ErrorState error={status.error} retry={() => void status.refetch()} />;
  const s = status.data;
  if (s.status === 'IDLE') return null;
  const percent = s.total ? Math.min(100, Math.round((s.fetched / s.total) * 100)) : s.status === 'DONE' ? 100 : 0;
  return (
    <Card size="small" className={`sync-progress sync-${s.status}`} style={{ marginBottom: 16 }}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Typography.Text strong>
            {s.status === 'RUNNING' && '正在同步 · Syncing'}
            {s.status === 'DONE' && '同步完成 · Sync done'}
            {s.status === 'FAILED' && '同步中断，再点一次从断点继续 · Sync stopped; press again to resume'}
          </Typography.Text>
          <Typography.Text type="secondary">
            已获取 {s.fetched}
            {s.total !== null ? ` / ${s.total}` : ''} 位 · fetched
          </Typography.Text>
          {s.finishedAt && <Typography.Text type="secondary">完成于 {formatChinaTime(s.finishedAt)}</Typography.Text>}
        </Space>
        <Progress
          percent={percent}
          status={s.status === 'FAILED' ? 'exception' : s.status === 'RUNNING' ? 'active' : 'success'}
        />
        {s.error && <Alert type="warning" showIcon message={s.error} />}
      </Space>
    </Card>
  );
}

function FollowerTable({
  items,
  tagNames,
  selected,
  onSelect,
}: {
  items: Follower[];
  tagNames: Map<number, string>;
  selected: string[];
  onSelect: (openids: string[]) => void;
}) {
  return (
    <Table<Follower>
      className="follower-table"
      rowKey="openid"
      size="middle"
      pagination={false}
      dataSource={items}
      rowSelection={{ selectedRowKeys: selected, onChange: (keys) => onSelect(keys as string[]) }}
      rowClassName={(f) => `follower-row follower-row-${f.openid}`}
      columns={[
        {
          title: 'OpenID',
          render: (_, f) => (
            <>
              <Typography.Text copyable={{ text: f.openid }} style={{ fontFamily: 'monospace', fontSize: 12 }}>
                {f.openid}
              </Typography.Text>
              {f.buyerId && (
                <Tag color="purple" bordered={false} style={{ marginLeft: 6 }}>
                  买家 Buyer
                </Tag>
              )}
            </>
          ),
        },
        {
          title: <Bi zh="状态" en="Status" />,
          width: 110,
          render: (_, f) => (f.subscribed ? <Tag color="success">关注中 Following</Tag> : <Tag>已取关 Unfollowed</Tag>),
        },
        {
          title: <Bi zh="关注时间" en="Followed" />,
          width: 150,
          render: (_, f) => (f.followedAt ? formatChinaTime(f.followedAt) : '—'),
        },
        { title: <Bi zh="城市" en="City" />, width: 90, render: (_, f) => f.city ?? '—' },
        {
          title: <Bi zh="标签" en="Tags" />,
          render: (_, f) => f.tagIds.map((id) => <Tag key={id}>{tagNames.get(id) ?? id}</Tag>),
        },
        {
          title: <Bi zh="最近互动" en="Last interaction" />,
          width: 160,
          render: (_, f) =>
            f.lastInteractionAt ? (
              <>
                {formatChinaTime(f.lastInteractionAt)}
                {f.canReply && (
                  <Tag color="green" bordered={false} style={{ marginLeft: 4 }}>
                    48h
                  </Tag>
                )}
              </>
            ) : (
              '—'
            ),
        },
      ]}
    />
  );
}

/** Tag or untag the selected followers (WeChat takes 50 at a time; the server batches). */
function TagSelected({ selected, tags, onDone }: { selected: string[]; tags: FollowerTag[]; onDone: () => void }) {
  const { message } = App.useApp();
  const add = useApiMutation('tagFollowers', { invalidates: ['listFollowers', 'listFollowerTags'] });
  const remove = useApiMutation('untagFollowers', { invalidates: ['listFollowers', 'listFollowerTags'] });
  if (!selected.length) return null;
  const items = tags.map((t) => ({ key: String(t.id), label: t.name }));
  const run = (call: Promise<{ changed: number }>, verb: string) =>
    call
      .then((r) => {
        message.success(`${verb} ${r.changed} 位 · done`);
        onDone();
      })
      .catch((err: unknown) => message.error(problemText(err)));
  return (
    <Space style={{ marginBottom: 12 }} className="tag-selected">
      <Typography.Text>已选 {selected.length} 位 · selected</Typography.Text>
      <Dropdown
        disabled={!tags.length}
        menu={{
          items,
          onClick: ({ key }) =>
            void run(add.mutateAsync({ params: { id: Number(key) }, body: { openids: selected } }), '已打标签'),
        }}
      >
        <Button className="add-tag-to-selected" loading={add.isPending}>
          打标签 Tag
        </Button>
      </Dropdown>
      <Dropdown
        disabled={!tags.length}
        menu={{
          items,
          onClick: ({ key }) =>
            void run(remove.mutateAsync({ params: { id: Number(key) }, body: { openids: selected } }), '已移除标签'),
        }}
      >
        <Button loading={remove.isPending}>移除标签 Untag</Button>
      </Dropdown>
    </Space>
  );
}

function TagsCard({
  tags,
  current,
  onPick,
}: {
  tags: ReturnType<typeof useApiQuery<'listFollowerTags'>>;
  current: number | undefined;
  onPick: (id: number) => void;
}) {
  const [naming, setNaming] = useState<FollowerTag | 'new' | null>(null);
  return (
    <Card
      title={<Bi zh="标签" en="Tags" />}
      className="tags-card"
      extra={
        <Button size="small" icon={<PlusOutlined />} className="new-tag" onClick={() => setNaming('new')}>
          新建 New
        </Button>
      }
    >
      <QueryView
        query={tags}
        isEmpty={(d) => d.items.length === 0}
        empty={<EmptyState zh="还没有标签" en="No tags yet" />}
      >
        {(d) => (
          <Space direction="vertical" style={{ width: '100%' }}>
            {d.items.map((t) => (
              <div key={t.id} className="tag-item" style={{ display: 'flex', justifyContent: 'space-between' }}>
                <Tag.CheckableTag checked={t.id === current} onChange={() => onPick(t.id)}>
                  {t.name} · {t.count}
                </Tag.CheckableTag>
                <Button size="small" type="text" icon={<EditOutlined />} onClick={() => setNaming(t)} />
              </div>
            ))}
          </Space>
        )}
      </QueryView>
      <TagNameDialog tag={naming} onClose={() => setNaming(null)} />
    </Card>
  );
}

function TagNameDialog({ tag, onClose }: { tag: FollowerTag | 'new' | null; onClose: () => void }) {
  const { message } = App.useApp();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const create = useApiMutation('createFollowerTag', { invalidates: ['listFollowerTags'] });
  const rename = useApiMutation('renameFollowerTag', { invalidates: ['listFollowerTags'] });
  const existing = tag && tag !== 'new' ? tag : null;
  useEffect(() => {
    setName(existing?.name ?? '');
    setError(null);
  }, [tag, existing]);

  async function submit() {
    const checked = TagInput.safeParse({ name });
    if (!checked.success) {
      setError(fieldText(checked.error.issues[0].message));
      return;
    }
    try {
      if (existing) await rename.mutateAsync({ params: { id: existing.id }, body: checked.data });
      else await create.mutateAsync({ body: checked.data });
      message.success('标签已保存 · Tag saved');
      onClose();
    } catch (err) {
      setError(problemText(err));
    }
  }

  return (
    <Modal
      open={tag !== null}
      title={existing ? <Bi zh="重命名标签" en="Rename tag" /> : <Bi zh="新建标签" en="New tag" />}
      okText="保存 Save"
      cancelText="取消 Cancel"
      okButtonProps={{ className: 'save-tag', loading: create.isPending || rename.isPending }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Input
        className="tag-name"
        value={name}
        status={error ? 'error' : undefined}
        placeholder="老顾客"
        onChange={(e) => {
          setName(e.target.value);
          setError(null);
        }}
        onPressEnter={() => void submit()}
      />
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      <div>
        <Typography.Text type="secondary">最长 10 个汉字（30 字节） · at most 30 bytes</Typography.Text>
      </div>
    </Modal>
  );
}
