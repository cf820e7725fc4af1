/** Labels and one-line summaries for the official-account pages (Chinese first, English beside). */
import type { AutoReplyContent, KeywordMatch } from '@chatmall/shared';

export const matchLabel: Record<KeywordMatch, string> = {
  exact: '全匹配 Exact',
  contains: '包含 Contains',
  regex: '正则 Regex',
};

export type ReplyType = AutoReplyContent['type'];
export const replyTypeLabel: Record<ReplyType, string> = {
  text: '文字 Text',
  image: '图片 Image',
  news: '图文 News',
  miniprogram: '小程序卡片 Mini-program card',
};

/** What a reply says, in one line for a table cell. */
export function replySummary(r: AutoReplyContent): string {
  switch (r.type) {
    case 'text':
      return r.text.length > 40 ? `${r.text.slice(0, 40)}…` : r.text;
    case 'image':
      return `图片 media_id ${r.mediaId}`;
    case 'news':
      return r.articles.map((a) => a.title).join(' / ');
    case 'miniprogram':
      return `${r.title} → ${r.pagePath}`;
  }
}

/** A blank reply of a type, for the editor when the type changes. */
export function blankReply(type: ReplyType): AutoReplyContent {
  switch (type) {
    case 'text':
      return { type, text: '' };
    case 'image':
      return { type, mediaId: '' };
    case 'news':
      return { type, articles: [{ title: '', description: '', url: '' }] };
    case 'miniprogram':
      return { type, title: '', pagePath: 'pages/index/index', thumbMediaId: '' };
  }
}

/**
 * The reply as the form holds it (fields of every type it was switched through, empty
 * optional inputs as '') → only the chosen type's fields, for the contract's schema.
 */
export function cleanReply(v: Record<string, unknown> | undefined): unknown {
  if (!v) return v;
  switch (v.type) {
    case 'image':
      return { type: 'image', mediaId: v.mediaId ?? '' };
    case 'news':
      return {
        type: 'news',
        articles: ((v.articles as Record<string, string | undefined>[] | undefined) ?? []).map((a) => ({
          title: a.title ?? '',
          description: a.description ?? '',
          url: a.url ?? '',
          ...(a.picUrl ? { picUrl: a.picUrl } : {}),
        })),
      };
    case 'miniprogram':
      return {
        type: 'miniprogram',
        title: v.title ?? '',
        pagePath: v.pagePath ?? '',
        thumbMediaId: v.thumbMediaId ?? '',
      };
    default:
      return { type: 'text', text: v.text ?? '' };
  }
}
