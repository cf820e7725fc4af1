/**
 * WeChat retries a push it got no answer to within 5 s, three tries in all, and every
 * API process may receive any try. A key per push, claimed with SET NX in shared storage,
 * lets exactly one process handle it. Messages are keyed on MsgId; send receipts on their
 * MsgID; other events on FromUserName + CreateTime (+ Event, so two different events in the
 * same second never collide).
 * See docs/decisions/0007-oa-push-deduplication.md.
 */
import type { KeyValueStore } from '../store';
import { cardEventNames, type InboundMessage } from './messages';

/** Ordinary pushes are retried within ~15 s; ten minutes covers clock skew and slow retries. */
export const MESSAGE_DEDUP_TTL_MS = 10 * 60_000;
/** Card events are retried up to 10 times over 24 h when the server is down. */
export const CARD_EVENT_DEDUP_TTL_MS = 25 * 3600_000;

export function dedupKey(appId: string, m: InboundMessage): string {
  if (m.msgType !== 'event' && m.msgId) return `wx:oa:${appId}:seen:msg:${m.msgId}`;
  // A send's receipt names its send (MsgID): two mass sends finishing in one second come from
  // the same sender, and two template messages to one follower in one second from the same
  // follower, yet each receipt counts.
  if (m.msgType === 'event' && (m.event === 'TEMPLATESENDJOBFINISH' || m.event === 'MASSSENDJOBFINISH')) {
    const sent = 'msgId' in m ? m.msgId : undefined;
    if (sent) return `wx:oa:${appId}:seen:evt:${m.event}:${sent}`;
  }
  const event = m.msgType === 'event' ? m.event : m.msgType;
  return `wx:oa:${appId}:seen:evt:${m.fromUserName}:${m.createTime}:${event}`;
}

export class PushDeduplicator {
  constructor(
    private readonly store: KeyValueStore,
    private readonly appId: string,
  ) {}

  /** True for the first delivery of this push; false for a retry already taken. */
  async claim(m: InboundMessage): Promise<boolean> {
    const ttl =
      m.msgType === 'event' && (cardEventNames as readonly string[]).includes(m.event)
        ? CARD_EVENT_DEDUP_TTL_MS
        : MESSAGE_DEDUP_TTL_MS;
    return this.store.putIfAbsent(dedupKey(this.appId, m), String(Date.now()), ttl);
  }

  /** Gives the push back when handling failed, so WeChat's retry is handled afresh. */
  async release(m: InboundMessage): Promise<void> {
    await this.store.delete(dedupKey(this.appId, m));
  }
}
