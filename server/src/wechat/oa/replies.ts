/**
 * Passive replies (被动回复): what a handler may answer a push with, and how each is written
 * back: To/From swapped, CreateTime in seconds, XML only (a JSON reply makes the user see
 * "该公众号暂时无法提供服务"). A reply that arrives too late becomes a customer-service message.
 */
import type { InboundMessage } from './messages';
import { buildWechatXml } from './xml';

export interface NewsArticle {
  title: string;
  description?: string;
  picUrl?: string;
  url?: string;
}

export type Reply =
  | { type: 'text'; content: string }
  | { type: 'image'; mediaId: string }
  | { type: 'voice'; mediaId: string }
  | { type: 'news'; articles: NewsArticle[] }
  /** Hands the conversation to the customer-service desk (optionally one agent). */
  | { type: 'transfer_customer_service'; kfAccount?: string };

export function replyXml(to: InboundMessage, reply: Reply, nowSeconds: number): string {
  const head = {
    ToUserName: to.fromUserName,
    FromUserName: to.toUserName,
    CreateTime: nowSeconds,
    MsgType: reply.type,
  };
  switch (reply.type) {
    case 'text':
      return buildWechatXml({ ...head, Content: reply.content });
    case 'image':
      return buildWechatXml({ ...head, Image: { MediaId: reply.mediaId } });
    case 'voice':
      return buildWechatXml({ ...head, Voice: { MediaId: reply.mediaId } });
    case 'news':
      // WeChat shows at most 8 articles (1 since 2018 for new accounts); more is refused.
      return buildWechatXml({
        ...head,
        ArticleCount: Math.min(reply.articles.length, 8),
        Articles: {
          item: reply.articles.slice(0, 8).map((a) => ({
            Title: a.title,
            Description: a.description ?? '',
            PicUrl: a.picUrl ?? '',
            Url: a.url ?? '',
          })),
        },
      });
    case 'transfer_customer_service':
      return buildWechatXml({
        ...head,
        ...(reply.kfAccount ? { TransInfo: { KfAccount: reply.kfAccount } } : {}),
      });
  }
}

/** The customer-service message body for a reply that missed the 5-second window. */
export function replyAsCustomerMessage(openid: string, reply: Reply): Record<string, unknown> | undefined {
  switch (reply.type) {
    case 'text':
      return { touser: openid, msgtype: 'text', text: { content: reply.content } };
    case 'image':
      return { touser: openid, msgtype: 'image', image: { media_id: reply.mediaId } };
    case 'voice':
      return { touser: openid, msgtype: 'voice', voice: { media_id: reply.mediaId } };
    case 'news':
      return {
        touser: openid,
        msgtype: 'news',
        news: {
          articles: reply.articles.slice(0, 1).map((a) => ({
            title: a.title,
            description: a.description ?? '',
            url: a.url ?? '',
            picurl: a.picUrl ?? '',
          })),
        },
      };
    case 'transfer_customer_service':
      return undefined; // nothing to say: the desk takes over on the user's next message
  }
}
