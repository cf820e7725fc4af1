/**
 * 会员 Members, newest first: search by phone (4+ digits), member number or name, filter by
 * level; the filters and the page's cursor live in the URL so a link shares the view. A row
 * opens the member's ledgers.
 */
import { formatChinaTime, formatFen, type Member } from '@chatmall/shared';
import { Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useApiQuery } from '../../api/hooks';
import { CursorPager, useCursorPages } from '../../components/cursor-pages';
import { Bi, EmptyState, PageHeader, QueryView } from '../../components/states';

const PAGE_SIZE = 20;

export default function MemberListPage() {
  const [params, setParams] = useSearchParams();
  const pages = useCursorPages();
  const q = params.get('q') ?? undefined;
  const levelParam = params.get('level');
  const level = levelParam !== null && /^\d$/.test(levelParam) ? Number(levelParam) : undefined;
  const [typed, setTyped] = useState(q ?? '');
  const programme = useApiQuery('adminMembershipProgramme', {});
  const query = useApiQuery('adminListMembers', { query: { q, level, cursor: pages.cursor, limit: PAGE_SIZE } });
  const filtered = Boolean(q) || level !== undefined;

  /** A filter changed: the URL keeps it, paging starts again. */
  function setFilter(name: 'q' | 'level', value: string | undefined) {
    pages.reset();
    setParams((p) => {
      const next = new URLSearchParams(p);
      next.delete('cursor');
      if (value) next.set(name, value);
      else next.delete(name);
      return next;
    });
  }

  return (
    <>
      <PageHeader zh="会员" en="Members" />
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search
            className="member-search"
            allowClear
            placeholder="手机号（至少 4 位）、会员号或姓名 · Phone, member no. or name"
            style={{ width: 380 }}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            onSearch={(v) => setFilter('q', v.trim() || undefined)}
          />
          <Select<number | undefined>
            className="member-level-filter"
            allowClear
            placeholder="全部等级 All levels"
            style={{ width: 200 }}
            value={level}
            onChange={(v) => setFilter('level', v === undefined ? undefined : String(v))}
            options={(programme.data?.settings.levels ?? []).map((l, i) => ({ value: i, label: l.name }))}
          />
        </Space>
        <QueryView
          query={query}
          isEmpty={(d) => d.items.length === 0 && !pages.canGoBack}
          empty={
            filtered ? (
              <EmptyState zh="没有符合条件的会员" en="No member matches; try another phone number or level" />
            ) : (
              <EmptyState zh="还没有会员" en="No members yet: buyers join from the member centre in the mini-program" />
            )
          }
        >
          {(data) => (
            <>
              <Table<Member>
                className="members-table"
                rowKey="id"
                size="middle"
                pagination={false}
                dataSource={data.items}
                columns={[
                  {
                    title: <Bi zh="会员" en="Member" />,
                    render: (_, m) => (
                      <>
                        <Link to={`/membership/members/${m.id}`} className="member-link">
                          {m.name ?? '未填姓名'}
                        </Link>
                        <br />
                        <Typography.Text type="secondary">
                          {m.phone} · No. {m.memberNo}
                        </Typography.Text>
                      </>
                    ),
                  },
                  {
                    title: <Bi zh="等级" en="Level" />,
                    width: 120,
                    render: (_, m) => (
                      <Tag className="member-level" color="gold">
                        {m.level.name}
                      </Tag>
                    ),
                  },
                  {
                    title: <Bi zh="积分" en="Points" />,
                    width: 110,
                    align: 'right',
                    render: (_, m) => <span className="member-points">{m.points}</span>,
                  },
                  {
                    title: <Bi zh="余额" en="Balance" />,
                    width: 140,
                    align: 'right',
                    render: (_, m) => <span className="member-balance">{formatFen(m.balance.total)}</span>,
                  },
                  {
                    title: <Bi zh="累计消费" en="Spend" />,
                    width: 140,
                    align: 'right',
                    render: (_, m) => formatFen(m.spendTotal),
                  },
                  {
                    title: <Bi zh="入会" en="Joined" />,
                    width: 150,
                    render: (_, m) => formatChinaTime(m.joinedAt),
                  },
                ]}
              />
              <CursorPager pages={pages} nextCursor={data.nextCursor} />
            </>
          )}
        </QueryView>
      </Card>
    </>
  );
}
