/**
 * Which coupon templates belong to a red-envelope pack. A pack creates its own template (stock
 * = shares, one per buyer, not claimable) and issues every grabbed share from it; changing or
 * stopping that template here would break the pack's grabs, so the coupon pages mark it and
 * leave it alone. Read from the packs list (every page; packs are few next to grabs).
 */
import type { RedEnvelopePackSummary } from '@chatmall/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

const MAX_PAGES = 50;

export function usePackTemplates() {
  return useQuery({
    queryKey: ['adminListRedEnvelopePacks', 'byTemplate'],
    queryFn: async () => {
      const byTemplate = new Map<string, RedEnvelopePackSummary>();
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const res = await api.adminListRedEnvelopePacks({ query: { cursor, limit: 100 } });
        for (const p of res.items) byTemplate.set(p.couponTemplateId, p);
        if (!res.nextCursor) break;
        cursor = res.nextCursor;
      }
      return byTemplate;
    },
  });
}
