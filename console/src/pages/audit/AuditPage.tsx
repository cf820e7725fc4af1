/** The audit log (owner): who changed what, newest first, a page at a time. */
import { formatChinaTime } from '@chatmall/shared';
import { Card, Table, Tag, Typography } from 'antd';
import { roleLabel } from '../../access';
import { useApiQuery } from '../../api/hooks';
import { CursorPager, useCursorPages } from '../../components/cursor-pages';
import { Bi, EmptyState, PageHeader, QueryView } from '../../components/states';
import { auditActionLabel } from './audit-labels';

const PAGE_SIZE = 20;

export default function AuditPage() {
  const pages = useCursorPages();
  const query = useApiQuery('listAudit', { query: { cursor: pages.cursor, limit: PAGE_SIZE } });
  return (
    <>
      <PageHeader zh="操作日志" en="Audit log" />
      <Card>
        <QueryView
          query={query}
          isEmpty={(d) => d.items.length === 0 && !pages.canGoBack}
          empty={<EmptyState zh="还没有操作记录" en="No changes recorded yet" />}
        >
          {(data) => (
            <>
              <Table
                className="audit-table"
                rowKey="id"
                size="middle"
                pagination={false}
                dataSource={data.items}
                columns={[
                  {
                    title: <Bi zh="时间" en="When" />,
                    dataIndex: 'createdAt',
                    width: 170,
                    render: (v: string) => formatChinaTime(v, 'second'),
                  },
                  {
                    title: <Bi zh="操作人" en="Who" />,
                    width: 250,
                    render: (_, e) => (
                      <>
                        <Tag>{roleLabel[e.actorRole as keyof typeof roleLabel] ?? e.actorRole}</Tag>
                        <br />
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {e.actorId}
                        </Typography.Text>
                      </>
                    ),
                  },
                  {
                    title: <Bi zh="操作" en="Action" />,
                    dataIndex: 'action',
                    width: 220,
                    render: (a: string) => (
                      <>
                        {auditActionLabel[a] ?? a}
                        {auditActionLabel[a] && (
                          <>
                            <br />
                            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                              {a}
                            </Typography.Text>
                          </>
                        )}
                      </>
                    ),
                  },
                  {
                    title: <Bi zh="对象" en="What" />,
                    width: 240,
                    render: (_, e) => `${e.entity} ${e.entityId}`,
                  },
                  {
                    title: <Bi zh="详情" en="Detail" />,
                    dataIndex: 'detail',
                    render: (d: Record<string, unknown>) => (
                      <Typography.Text
                        type="secondary"
                        ellipsis={{ tooltip: JSON.stringify(d) }}
                        style={{ maxWidth: 360 }}
                      >
                        {JSON.stringify(d)}
                      </Typography.Text>
                    ),
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
