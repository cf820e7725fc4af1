/**
 * Official-account APIs the merchant uses: template and mass messages, customer-service
 * messages, follower tags, user info and follower lists, scene QR codes and the menu.
 * Each method is one WeChat endpoint with WeChat's payload (WECHAT-PROTOCOL.md §2).
 */
import type { WechatClient } from './client';
import type { WechatResult } from './errors';

type Ok = { errcode?: number; errmsg?: string };

export interface TemplateMessage {
  touser: string;
  templateId: string;
  data: Record<string, string>;
  url?: string;
  /** Wins over `url` when both are given. */
  miniprogram?: { appid: string; pagepath?: string };
  /** WeChat's own de-duplication key for the send. */
  clientMsgId?: string;
}

export type QrAction = 'QR_SCENE' | 'QR_STR_SCENE' | 'QR_LIMIT_SCENE' | 'QR_LIMIT_STR_SCENE';

export interface FollowerInfo {
  subscribe: 0 | 1;
  openid: string;
  subscribe_time?: number;
  unionid?: string;
  remark?: string;
  tagid_list?: number[];
  subscribe_scene?: string;
  qr_scene?: number;
  qr_scene_str?: string;
}

export interface MenuButton {
  type?: 'click' | 'view' | 'miniprogram' | 'scancode_push' | 'scancode_waitmsg' | 'pic_sysphoto' | 'location_select';
  name: string;
  key?: string;
  url?: string;
  appid?: string;
  pagepath?: string;
  sub_button?: MenuButton[];
}

export class OfficialAccountApi {
  constructor(readonly client: WechatClient) {}

  /** Delivery is reported later by the TEMPLATESENDJOBFINISH event with this msgid. */
  sendTemplate(m: TemplateMessage): Promise<WechatResult<{ msgid: number }>> {
    return this.client.post('/cgi-bin/message/template/send', {
      touser: m.touser,
      template_id: m.templateId,
      url: m.url,
      miniprogram: m.miniprogram,
      client_msg_id: m.clientMsgId,
      data: Object.fromEntries(Object.entries(m.data).map(([k, value]) => [k, { value }])),
    });
  }

  /** Customer-service message: allowed within 48 h of the user's last interaction (45015 after). */
  sendCustomerMessage(message: Record<string, unknown>): Promise<WechatResult<Ok>> {
    return this.client.post('/cgi-bin/message/custom/send', message);
  }

  sendText(openid: string, content: string): Promise<WechatResult<Ok>> {
    return this.sendCustomerMessage({ touser: openid, msgtype: 'text', text: { content } });
  }

  /** Mass send to a tag (or everyone); the result arrives as MASSSENDJOBFINISH. */
  sendToTag(
    target: { tagId: number } | { everyone: true },
    content: { text: string } | { mpnewsMediaId: string },
    clientMsgId?: string,
  ): Promise<WechatResult<{ msg_id: number; msg_data_id?: number }>> {
    const filter = 'tagId' in target ? { is_to_all: false, tag_id: target.tagId } : { is_to_all: true };
    const body =
      'text' in content
        ? { msgtype: 'text', text: { content: content.text } }
        : { msgtype: 'mpnews', mpnews: { media_id: content.mpnewsMediaId }, send_ignore_reprint: 0 };
    return this.client.post('/cgi-bin/message/mass/sendall', { filter, ...body, clientmsgid: clientMsgId });
  }

  createTag(name: string): Promise<WechatResult<{ tag: { id: number; name: string } }>> {
    return this.client.post('/cgi-bin/tags/create', { tag: { name } });
  }

  listTags(): Promise<WechatResult<{ tags: { id: number; name: string; count: number }[] }>> {
    return this.client.get('/cgi-bin/tags/get');
  }

  tagFollowers(tagId: number, openids: string[]): Promise<WechatResult<Ok>> {
    return this.client.post('/cgi-bin/tags/members/batchtagging', { openid_list: openids, tagid: tagId });
  }

  untagFollowers(tagId: number, openids: string[]): Promise<WechatResult<Ok>> {
    return this.client.post('/cgi-bin/tags/members/batchuntagging', { openid_list: openids, tagid: tagId });
  }

  tagsOfFollower(openid: string): Promise<WechatResult<{ tagid_list: number[] }>> {
    return this.client.post('/cgi-bin/tags/getidlist', { openid });
  }

  followerInfo(openid: string): Promise<WechatResult<FollowerInfo>> {
    return this.client.get('/cgi-bin/user/info', { openid, lang: 'zh_CN' });
  }

  /** One page (up to 10,000) of follower openids; pass `next_openid` for the next page. */
  followerPage(
    nextOpenid?: string,
  ): Promise<WechatResult<{ total: number; count: number; data?: { openid: string[] }; next_openid: string }>> {
    return this.client.get('/cgi-bin/user/get', { next_openid: nextOpenid });
  }

  /** Every follower openid, page by page (an empty page or empty next_openid ends it). */
  async *allFollowers(): AsyncGenerator<string[], void, void> {
    let next: string | undefined;
    for (;;) {
      const page = await this.followerPage(next);
      if (!page.ok) throw Object.assign(new Error(`follower list failed: ${page.error.kind}`), { wechat: page.error });
      const ids = page.value.data?.openid ?? [];
      if (ids.length) yield ids;
      if (!ids.length || !page.value.next_openid) return;
      next = page.value.next_openid;
    }
  }

  /**
   * A parametric QR code. Temporary ones (QR_SCENE, QR_STR_SCENE) expire (default 60 s,
   * at most 30 days); permanent ones (QR_LIMIT_*) are limited to 100,000.
   */
  createQrCode(
    action: QrAction,
    scene: number | string,
    expireSeconds?: number,
  ): Promise<WechatResult<{ ticket: string; expire_seconds?: number; url: string }>> {
    const isStr = action === 'QR_STR_SCENE' || action === 'QR_LIMIT_STR_SCENE';
    return this.client.post('/cgi-bin/qrcode/create', {
      expire_seconds: action.startsWith('QR_LIMIT') ? undefined : expireSeconds,
      action_name: action,
      action_info: { scene: isStr ? { scene_str: String(scene) } : { scene_id: Number(scene) } },
    });
  }

  createMenu(buttons: MenuButton[]): Promise<WechatResult<Ok>> {
    return this.client.post('/cgi-bin/menu/create', { button: buttons });
  }

  getMenu(): Promise<WechatResult<{ menu: { button: MenuButton[] } }>> {
    return this.client.get('/cgi-bin/menu/get');
  }

  deleteMenu(): Promise<WechatResult<Ok>> {
    return this.client.get('/cgi-bin/menu/delete');
  }
}

/** The image URL WeChat serves a QR ticket at (on WeChat's own host, not the API host). */
export function qrImageUrl(ticket: string, showBase = 'https://mp.weixin.qq.com'): string {
  return `${showBase}/cgi-bin/showqrcode?ticket=${encodeURIComponent(ticket)}`;
}
