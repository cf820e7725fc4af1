/**
 * Paging over the API's cursors (`nextCursor`): the cursor of the page shown is kept in the
 * URL (a link shares the view), the ones before it in memory for "previous".
 */
import { Button, Space } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';

export function useCursorPages() {
  const [params, setParams] = useSearchParams();
  const [previous, setPrevious] = useState<(string | undefined)[]>([]);
  const cursor = params.get('cursor') ?? undefined;
  const go = (next: string | undefined) =>
    setParams(
      (p) => {
        const q = new URLSearchParams(p);
        if (next) q.set('cursor', next);
        else q.delete('cursor');
        return q;
      },
      { replace: false },
    );
  return {
    cursor,
    page: previous.length + 1,
    next(nextCursor: string) {
      setPrevious((s) => [...s, cursor]);
      go(nextCursor);
    },
    back() {
      const before = previous[previous.length - 1];
      setPrevious((s) => s.slice(0, -1));
      go(before);
    },
    canGoBack: previous.length > 0,
    /** A filter changed: start from the first page. */
    reset() {
      setPrevious([]);
    },
  };
}

export function CursorPager({
  pages,
  nextCursor,
}: {
  pages: ReturnType<typeof useCursorPages>;
  nextCursor: string | null | undefined;
}) {
  return (
    <Space className="cursor-pager" style={{ marginTop: 16, justifyContent: 'flex-end', width: '100%' }}>
      <Button disabled={!pages.canGoBack} onClick={pages.back}>
        上一页 Previous
      </Button>
      <span>
        第 {pages.page} 页 · Page {pages.page}
      </span>
      <Button disabled={!nextCursor} onClick={() => nextCursor && pages.next(nextCursor)}>
        下一页 Next
      </Button>
    </Space>
  );
}
