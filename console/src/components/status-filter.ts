/**
 * A paged list's status filter, kept in the URL (`?status=`) so a link shares the view.
 */
import { useSearchParams } from 'react-router';
import { useCursorPages } from './cursor-pages';

/** 'all' when the URL names no status or one this list does not know. */
export function useStatusFilter<S extends string>(statuses: readonly S[]) {
  const [params, setParams] = useSearchParams();
  const pages = useCursorPages();
  const s = params.get('status');
  const status: 'all' | S = statuses.includes(s as S) ? (s as S) : 'all';
  return {
    status,
    pages,
    /** Another status chosen: back to its first page. */
    choose(v: 'all' | S) {
      pages.reset();
      setParams(v === 'all' ? {} : { status: v });
    },
  };
}
