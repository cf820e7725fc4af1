/**
 * A member's two ledgers, newest first, each paged over its own cursors (kept in memory:
 * the member's page is the link to share): points with who adjusted and why; stored value
 * with principal and bonus apart and the balance after each entry.
 */
import { formatChinaTime, formatFen, type PointsEntry, type WalletEntry } from '@chatmall/shared';
import { Button, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useApiQuery } from '../../api/hooks';
import { Bi, EmptyState, QueryView } from '../../components/states';
import { pointsKindLabel, signed, signedFen, walletKindLabel } from './membership-text';

const PAGE_SIZE = 20;

function useLocalCursor() {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  const cursor = stack[stack.length - 1];
  return {
    cursor,
    page: stack.length,
    next: (c: string) => setStack((s) => [...s, c]),
    back: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
  };
}

function Pager({ paging, nextCursor }: { paging: ReturnType<typeof useLocalCursor>; nextCursor: string | null }) {
  if (paging.page === 1 && !nextCursor) return null;
  return (
    <Space style={{ marginTop: 12, justifyContent: 'flex-end', width: '100%' }}>
      <Button size="small" disabled={paging.page === 1} onClick={paging.back}>
        上一页 Previous
      </Button>
      <span>第 {paging.page} 页</span>
      <Button size="small" disabled={!nextCursor} onClick={() => nextCursor && paging.next(nextCursor)}>
        下一页 Next
      </Button>
    </Space>
  );
}

export function PointsLedger({ memberId }: { memberId: string }) {
  const paging = useLocalCursor();
  const query = useApiQuery('adminMemberPoints', {
    params: { id: memberId },
    query: { cursor: paging.cursor, limit: PAGE_SIZE },
  });
  return (
    <QueryView
      query={query}
      isEmpty={(d) => d.items.length === 0 && paging.page === 1}
      empty={<EmptyState zh="还没有积分记录" en="No points yet" />}
    >
      {(data) => (
        <>
          <Table<PointsEntry>
            className="points-ledger"
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={data.items}
            columns={[
              { title: <Bi zh="时间" en="When" />, width: 150, render: (_, e) => formatChinaTime(e.createdAt) },
              { title: <Bi zh="类型" en="Kind" />, width: 160, render: (_, e) => pointsKindLabel[e.kind] },
              {
                title: <Bi zh="说明" en="Record" />,
                render: (_, e) => (
                  <>
                    {e.record}
                    {e.reason && (
                      <>
                        <br />
                        <Typography.Text type="secondary" className="points-reason">
                          原因 Reason: {e.reason}
                        </Typography.Text>
                      </>
                    )}
                  </>
                ),
              },
              {
                title: <Bi zh="变动" en="Change" />,
                width: 100,
                align: 'right',
                render: (_, e) => (
                  <Typography.Text className="points-delta" type={e.delta < 0 ? 'danger' : 'success'}>
                    {signed(e.delta)}
                  </Typography.Text>
                ),
              },
              { title: <Bi zh="余额" en="After" />, width: 100, align: 'right', render: (_, e) => e.balanceAfter },
            ]}
          />
          <Pager paging={paging} nextCursor={data.nextCursor} />
        </>
      )}
    </QueryView>
  );
}

export function WalletLedger({ memberId }: { memberId: string }) {
  const paging = useLocalCursor();
  const query = useApiQuery('adminMemberWallet', {
    params: { id: memberId },
    query: { cursor: paging.cursor, limit: PAGE_SIZE },
  });
  return (
    <QueryView
      query={query}
      isEmpty={(d) => d.items.length === 0 && paging.page === 1}
      empty={<EmptyState zh="还没有储值记录" en="No stored-value entries yet" />}
    >
      {(data) => (
        <>
          <Table<WalletEntry>
            className="wallet-ledger"
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={data.items}
            columns={[
              { title: <Bi zh="时间" en="When" />, width: 150, render: (_, e) => formatChinaTime(e.createdAt) },
              { title: <Bi zh="类型" en="Kind" />, width: 160, render: (_, e) => walletKindLabel[e.kind] },
              { title: <Bi zh="说明" en="Record" />, render: (_, e) => e.record },
              {
                title: <Bi zh="本金" en="Principal" />,
                width: 120,
                align: 'right',
                render: (_, e) => (e.principal ? signedFen(e.principal) : '—'),
              },
              {
                title: <Bi zh="赠送" en="Bonus" />,
                width: 110,
                align: 'right',
                render: (_, e) => (e.bonus ? signedFen(e.bonus) : '—'),
              },
              {
                title: <Bi zh="余额" en="After" />,
                width: 120,
                align: 'right',
                render: (_, e) => formatFen(e.balanceAfter.total),
              },
            ]}
          />
          <Pager paging={paging} nextCursor={data.nextCursor} />
        </>
      )}
    </QueryView>
  );
}
