/**
 * The bones every page shares: a header with the primary action on the right, and the
 * loading, empty and error states (Chinese first, English beside).
 */
import type { UseQueryResult } from '@tanstack/react-query';
import { Button, Empty, Result, Spin, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { problemText } from '../api/messages';

/** `订单管理 Orders`: the English half quieter. */
export function Bi({ zh, en }: { zh: ReactNode; en: ReactNode }) {
  return (
    <>
      {zh}
      <span className="en">{en}</span>
    </>
  );
}

export function PageHeader({ zh, en, extra }: { zh: string; en: string; extra?: ReactNode }) {
  return (
    <div
      className="page-header"
      style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 16, marginBottom: 16 }}
    >
      <Typography.Title level={3} style={{ margin: 0 }}>
        <Bi zh={zh} en={en} />
      </Typography.Title>
      <div>{extra}</div>
    </div>
  );
}

export function Loading({ full }: { full?: boolean }) {
  return (
    <div
      className="state-loading"
      style={{
        display: 'flex',
        justifyContent: 'center',
        alignItems: 'center',
        padding: 48,
        minHeight: full ? '100vh' : 200,
      }}
    >
      <Spin tip="加载中 · Loading">
        <div style={{ width: 160, height: 60 }} />
      </Spin>
    </div>
  );
}

export function EmptyState({ zh, en, action }: { zh: string; en: string; action?: ReactNode }) {
  return (
    <Empty className="state-empty" description={<Bi zh={zh} en={en} />} style={{ padding: 32 }}>
      {action}
    </Empty>
  );
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <Result
      className="state-error"
      status="warning"
      title={<Bi zh="加载失败" en="Could not load" />}
      subTitle={problemText(error)}
      extra={
        retry && (
          <Button onClick={retry}>
            <Bi zh="重试" en="Retry" />
          </Button>
        )
      }
    />
  );
}

/** Loading → error → empty → the data, for one query. */
export function QueryView<T>({
  query,
  isEmpty,
  empty,
  children,
}: {
  query: UseQueryResult<T, Error>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  if (isEmpty?.(query.data)) return <>{empty ?? <EmptyState zh="暂无数据" en="Nothing here yet" />}</>;
  return <>{children(query.data)}</>;
}

export function NoAccess() {
  return (
    <Result
      status="403"
      title={<Bi zh="没有权限" en="Not for your role" />}
      subTitle="此页面需要其他角色 · This page needs another staff role"
    />
  );
}

export function NotFound() {
  return (
    <Result
      status="404"
      title={<Bi zh="页面不存在" en="Page not found" />}
      extra={
        <Link to="/">
          <Bi zh="返回首页" en="Back to the start" />
        </Link>
      }
    />
  );
}
