/**
 * Inbound official-account messages and events, typed. Field names follow WeChat's XML
 * (see WECHAT-PROTOCOL.md §1.4); the raw record stays available for fields not modelled here.
 * Note `MsgID` (events) vs `MsgId` (user messages), and `qrscene_` only on `subscribe`.
 */
import type { XmlRecord, XmlValue } from './xml';

interface Base {
  /** The account's original id (gh_…). */
  toUserName: string;
  /** The user's openid. */
  fromUserName: string;
  /** Seconds since the epoch, as WeChat sends it. */
  createTime: number;
  raw: XmlRecord;
}

export interface TextMessage extends Base {
  msgType: 'text';
  msgId: string;
  content: string;
}
export interface ImageMessage extends Base {
  msgType: 'image';
  msgId: string;
  picUrl: string;
  mediaId: string;
}
export interface VoiceMessage extends Base {
  msgType: 'voice';
  msgId: string;
  mediaId: string;
  format: string;
  recognition?: string;
}
export interface LocationMessage extends Base {
  msgType: 'location';
  msgId: string;
  latitude: number;
  longitude: number;
  scale: number;
  label: string;
}
export interface LinkMessage extends Base {
  msgType: 'link';
  msgId: string;
  title: string;
  description: string;
  url: string;
}
/** video, shortvideo, … : kept, not modelled. */
export interface OtherMessage extends Base {
  msgType: 'other';
  type: string;
  msgId?: string;
}

interface EventBase extends Base {
  msgType: 'event';
}
/** A new follower; `scene` is set when they followed by scanning a parametric QR code. */
export interface SubscribeEvent extends EventBase {
  event: 'subscribe';
  scene?: string;
  ticket?: string;
}
export interface UnsubscribeEvent extends EventBase {
  event: 'unsubscribe';
}
/** An existing follower scanned a parametric QR code: the bare scene value. */
export interface ScanEvent extends EventBase {
  event: 'SCAN';
  scene: string;
  ticket?: string;
}
export interface MenuClickEvent extends EventBase {
  event: 'CLICK';
  key: string;
}
export interface MenuViewEvent extends EventBase {
  event: 'VIEW';
  url: string;
  menuId?: string;
}
export interface LocationEvent extends EventBase {
  event: 'LOCATION';
  latitude: number;
  longitude: number;
  precision: number;
}
export interface TemplateSendJobFinishEvent extends EventBase {
  event: 'TEMPLATESENDJOBFINISH';
  msgId: string;
  /** `success`, `failed:user block`, `failed: system failed` (sic, with a space). */
  status: string;
}
export interface MassSendJobFinishEvent extends EventBase {
  event: 'MASSSENDJOBFINISH';
  msgId: string;
  status: string;
  totalCount: number;
  filterCount: number;
  sentCount: number;
  errorCount: number;
}
export interface SubscribeMessageDecision {
  templateId: string;
  status: string;
  popupScene?: string;
  errorCode?: string;
}
/** subscribe_msg_popup_event / subscribe_msg_change_event / subscribe_msg_sent_event. */
export interface SubscribeMessageEvent extends EventBase {
  event: 'subscribe_msg_popup_event' | 'subscribe_msg_change_event' | 'subscribe_msg_sent_event';
  decisions: SubscribeMessageDecision[];
}
export const cardEventNames = [
  'card_pass_check',
  'card_not_pass_check',
  'user_get_card',
  'user_gifting_card',
  'user_del_card',
  'user_consume_card',
  'user_pay_from_pay_cell',
  'user_view_card',
  'user_enter_session_from_card',
  'update_member_card',
  'submit_membercard_user_info',
  'card_sku_remind',
  'card_pay_order',
] as const;
export type CardEventName = (typeof cardEventNames)[number];
export interface CardEvent extends EventBase {
  event: CardEventName;
  cardId: string;
  userCardCode?: string;
  outerStr?: string;
  isGiveByFriend?: boolean;
  friendUserName?: string;
  isRestoreMemberCard?: boolean;
  consumeSource?: string;
  staffOpenId?: string;
  /** update_member_card: points and balance changes. */
  modifyBonus?: number;
  modifyBalance?: number;
  unionId?: string;
}
export interface OtherEvent extends EventBase {
  event: string;
  key?: string;
}

export type OaEvent =
  | SubscribeEvent
  | UnsubscribeEvent
  | ScanEvent
  | MenuClickEvent
  | MenuViewEvent
  | LocationEvent
  | TemplateSendJobFinishEvent
  | MassSendJobFinishEvent
  | SubscribeMessageEvent
  | CardEvent
  | OtherEvent;

export type InboundMessage =
  TextMessage | ImageMessage | VoiceMessage | LocationMessage | LinkMessage | OtherMessage | OaEvent;

const str = (v: XmlValue | undefined): string => (typeof v === 'string' ? v : '');
const opt = (v: XmlValue | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: XmlValue | undefined): number => Number(str(v) || 'NaN');
const flag = (v: XmlValue | undefined): boolean | undefined => (opt(v) === undefined ? undefined : str(v) === '1');
const optNum = (v: XmlValue | undefined): number | undefined => (opt(v) === undefined ? undefined : Number(v));
const list = (v: XmlValue | undefined): XmlRecord[] =>
  v === undefined || v === '' ? [] : (Array.isArray(v) ? v : [v]).filter((x): x is XmlRecord => typeof x === 'object');

export type ParseOutcome = { ok: true; message: InboundMessage } | { ok: false; problem: string };

/** Turns the fields of a push (XML record or JSON object) into a typed message. */
export function toInboundMessage(raw: XmlRecord): ParseOutcome {
  const toUserName = str(raw.ToUserName);
  const fromUserName = str(raw.FromUserName);
  const createTime = num(raw.CreateTime);
  const type = str(raw.MsgType);
  if (!toUserName || !fromUserName || !Number.isInteger(createTime) || !type) {
    return { ok: false, problem: 'ToUserName, FromUserName, CreateTime and MsgType are required' };
  }
  const base = { toUserName, fromUserName, createTime, raw };
  const msgId = str(raw.MsgId);
  switch (type) {
    case 'text':
      return { ok: true, message: { ...base, msgType: 'text', msgId, content: str(raw.Content) } };
    case 'image':
      return {
        ok: true,
        message: { ...base, msgType: 'image', msgId, picUrl: str(raw.PicUrl), mediaId: str(raw.MediaId) },
      };
    case 'voice':
      return {
        ok: true,
        message: {
          ...base,
          msgType: 'voice',
          msgId,
          mediaId: str(raw.MediaId),
          format: str(raw.Format),
          recognition: opt(raw.Recognition),
        },
      };
    case 'location':
      return {
        ok: true,
        message: {
          ...base,
          msgType: 'location',
          msgId,
          latitude: num(raw.Location_X),
          longitude: num(raw.Location_Y),
          scale: num(raw.Scale),
          label: str(raw.Label),
        },
      };
    case 'link':
      return {
        ok: true,
        message: {
          ...base,
          msgType: 'link',
          msgId,
          title: str(raw.Title),
          description: str(raw.Description),
          url: str(raw.Url),
        },
      };
    case 'event':
      return toEvent(base, raw);
    default:
      return { ok: true, message: { ...base, msgType: 'other', type, msgId: opt(raw.MsgId) } };
  }
}

function toEvent(b: Omit<Base, 'raw'> & { raw: XmlRecord }, raw: XmlRecord): ParseOutcome {
  const base = { ...b, msgType: 'event' as const };
  const event = str(raw.Event);
  if (!event) return { ok: false, problem: 'an event needs Event' };
  const key = str(raw.EventKey);
  const ok = (message: OaEvent): ParseOutcome => ({ ok: true, message });
  switch (event) {
    case 'subscribe':
      return ok({
        ...base,
        event,
        scene: key.startsWith('qrscene_') ? key.slice('qrscene_'.length) : undefined,
        ticket: opt(raw.Ticket),
      });
    case 'unsubscribe':
      return ok({ ...base, event });
    case 'SCAN':
      return ok({ ...base, event, scene: key, ticket: opt(raw.Ticket) });
    case 'CLICK':
      return ok({ ...base, event, key });
    case 'VIEW':
      return ok({ ...base, event, url: key, menuId: opt(raw.MenuId) });
    case 'LOCATION':
      return ok({
        ...base,
        event,
        latitude: num(raw.Latitude),
        longitude: num(raw.Longitude),
        precision: num(raw.Precision),
      });
    case 'TEMPLATESENDJOBFINISH':
      return ok({ ...base, event, msgId: str(raw.MsgID), status: str(raw.Status) });
    case 'MASSSENDJOBFINISH':
      return ok({
        ...base,
        event,
        msgId: str(raw.MsgID),
        status: str(raw.Status),
        totalCount: num(raw.TotalCount),
        filterCount: num(raw.FilterCount),
        sentCount: num(raw.SentCount),
        errorCount: num(raw.ErrorCount),
      });
    case 'subscribe_msg_popup_event':
    case 'subscribe_msg_change_event':
    case 'subscribe_msg_sent_event': {
      const container = Object.entries(raw).find(
        ([k, v]) => k.startsWith('SubscribeMsg') && typeof v === 'object',
      )?.[1] as XmlRecord | undefined;
      const decisions = list(container?.List).map((item) => ({
        templateId: str(item.TemplateId),
        status: str(item.SubscribeStatusString ?? item.ErrorStatus),
        popupScene: opt(item.PopupScene),
        errorCode: opt(item.ErrorCode),
      }));
      return ok({ ...base, event, decisions });
    }
    default:
      if ((cardEventNames as readonly string[]).includes(event)) {
        return ok({
          ...base,
          event: event as CardEventName,
          cardId: str(raw.CardId),
          userCardCode: opt(raw.UserCardCode),
          outerStr: opt(raw.OuterStr),
          isGiveByFriend: flag(raw.IsGiveByFriend),
          friendUserName: opt(raw.FriendUserName),
          isRestoreMemberCard: flag(raw.IsRestoreMemberCard),
          consumeSource: opt(raw.ConsumeSource),
          staffOpenId: opt(raw.StaffOpenId),
          modifyBonus: optNum(raw.ModifyBonus),
          modifyBalance: optNum(raw.ModifyBalance),
          unionId: opt(raw.UnionId),
        });
      }
      return ok({ ...base, event, key: opt(raw.EventKey) });
  }
}

/** JSON pushes (mini-program / JSON-configured accounts) carry the same names; numbers become strings. */
export function jsonToRecord(value: unknown): XmlRecord | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const convert = (v: unknown): XmlValue =>
    Array.isArray(v)
      ? v.map(convert)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, convert(x)]))
        : String(v ?? '');
  return convert(value) as XmlRecord;
}
