/**
 * The send APIs a push campaign uses (WECHAT-PROTOCOL.md §2, WECHAT-MARKETING.md §3–4), each one
 * WeChat endpoint with WeChat's payload: template messages (with `client_msg_id`, WeChat's own
 * de-duplication of a repeated send within 10 minutes), mini-program subscribe messages, mass
 * sends by tag / to all / to an openid list (with `clientmsgid`), the mass preview, and
 * customer-service messages. Message ids come back as strings: WeChat's can exceed 2^53.
 */
import type { WechatClient } from './client';
import type { WechatResult } from './errors';

export interface TemplateSend {
  touser: string;
  templateId: string;
  data: Record<string, string>;
  /** A mini-program page the card opens (wins over `url`). */
  miniprogram?: { appid: string; pagepath: string };
  url?: string;
  clientMsgId?: string;
}

export interface SubscribeSend {
  touser: string;
  templateId: string;
  data: Record<string, string>;
  page?: string;
  state?: 'developer' | 'trial' | 'formal';
}

export type MassContent = { text: string } | { mpnewsMediaId: string };

const idOf = (v: unknown) => (v === undefined || v === null ? '' : String(v));
const values = (data: Record<string, string>) =>
  Object.fromEntries(Object.entries(data).map(([k, value]) => [k, { value }]));
const massBody = (content: MassContent) =>
  'text' in content
    ? { msgtype: 'text', text: { content: content.text } }
    : { msgtype: 'mpnews', mpnews: { media_id: content.mpnewsMediaId }, send_ignore_reprint: 0 };

async function mapped<T extends object, R>(p: Promise<WechatResult<T>>, f: (v: T) => R): Promise<WechatResult<R>> {
  const r = await p;
  return r.ok ? { ok: true, value: f(r.value) } : r;
}

export class CampaignSendApi {
  /** `oa`: the official account's client; `mp`: the mini-program's (subscribe messages). */
  constructor(
    readonly oa: WechatClient,
    readonly mp?: WechatClient,
  ) {}

  /** Delivery is reported later by TEMPLATESENDJOBFINISH with this msgid. */
  sendTemplate(m: TemplateSend): Promise<WechatResult<{ msgid: string }>> {
    return mapped(
      this.oa.post<{ msgid?: unknown }>('/cgi-bin/message/template/send', {
        touser: m.touser,
        template_id: m.templateId,
        url: m.url,
        miniprogram: m.miniprogram,
        client_msg_id: m.clientMsgId,
        data: values(m.data),
      }),
      (v) => ({ msgid: idOf(v.msgid) }),
    );
  }

  /** Needs an unused consent for the template (43101 otherwise); each consent sends once. */
  sendSubscribe(m: SubscribeSend): Promise<WechatResult<{ msgid: string }>> {
    const client = this.mp ?? this.oa;
    return mapped(
      client.post<{ msgid?: unknown }>('/cgi-bin/message/subscribe/send', {
        touser: m.touser,
        template_id: m.templateId,
        page: m.page,
        data: values(m.data),
        miniprogram_state: m.state ?? 'formal',
        lang: 'zh_CN',
      }),
      (v) => ({ msgid: idOf(v.msgid) }),
    );
  }

  /** Mass send to a tag or to everyone; the result comes as MASSSENDJOBFINISH. */
  sendMassToTag(
    target: { tagId: number } | { everyone: true },
    content: MassContent,
    clientMsgId?: string,
  ): Promise<WechatResult<{ msgId: string }>> {
    const filter = 'tagId' in target ? { is_to_all: false, tag_id: target.tagId } : { is_to_all: true };
    return this.massCall('/cgi-bin/message/mass/sendall', { filter, ...massBody(content), clientmsgid: clientMsgId });
  }

  /** Mass send to 2..10,000 openids. */
  sendMassToOpenids(
    openids: string[],
    content: MassContent,
    clientMsgId?: string,
  ): Promise<WechatResult<{ msgId: string }>> {
    return this.massCall('/cgi-bin/message/mass/send', {
      touser: openids,
      ...massBody(content),
      clientmsgid: clientMsgId,
    });
  }

  /** The mass message to one follower, as a preview (not counted as a mass send). */
  previewMass(openid: string, content: MassContent): Promise<WechatResult<{ msgId: string }>> {
    return this.massCall('/cgi-bin/message/mass/preview', { touser: openid, ...massBody(content) });
  }

  /** Customer-service message: only within 48 h of the follower's last message (45015 after). */
  sendCustom(
    openid: string,
    message: { text: string } | { miniprogrampage: { title: string; appid: string; pagepath: string } },
  ) {
    const body =
      'text' in message
        ? { touser: openid, msgtype: 'text', text: { content: message.text } }
        : { touser: openid, msgtype: 'miniprogrampage', miniprogrampage: message.miniprogrampage };
    return this.oa.post<{ errcode?: number }>('/cgi-bin/message/custom/send', body);
  }

  /**
   * A repeated clientmsgid answers 45065: that send was made already (a retry after a crash
   * between WeChat's answer and our record of it), so it is a success. WeChat's answer carries
   * the first msg_id, which the client does not pass on for errors: the id stays empty and the
   * receipt for it is matched by nobody (the recipients stay SENT).
   */
  private async massCall(path: string, body: object): Promise<WechatResult<{ msgId: string }>> {
    const r = await this.oa.post<{ msg_id?: unknown }>(path, body);
    if (r.ok) return { ok: true, value: { msgId: idOf(r.value.msg_id) } };
    if (r.error.errcode === 45065) return { ok: true, value: { msgId: '' } };
    return r;
  }
}
