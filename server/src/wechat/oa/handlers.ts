/**
 * The handler pipeline: handlers registered by message type, by event, or by event and key
 * (menu key, QR scene). The most specific match runs first; a handler that returns nothing
 * passes the message on; when nobody answers, the reply is `success` (WeChat's "no reply").
 */
import type { InboundMessage, OaEvent } from './messages';
import type { Reply } from './replies';

type Of<K extends string> = Extract<InboundMessage, { msgType: K }>;
type EventOf<K extends string> =
  Extract<OaEvent, { event: K }> extends never ? OaEvent : Extract<OaEvent, { event: K }>;

export type Handler<M extends InboundMessage = InboundMessage> = (message: M) => Promise<Reply | void> | Reply | void;

/** The key an event is routed on: menu key, QR scene (without `qrscene_`), card id. */
export function routingKey(message: InboundMessage): string | undefined {
  if (message.msgType !== 'event') return undefined;
  switch (message.event) {
    case 'CLICK':
      return (message as Extract<OaEvent, { event: 'CLICK' }>).key;
    case 'VIEW':
      return (message as Extract<OaEvent, { event: 'VIEW' }>).url;
    case 'subscribe':
    case 'SCAN':
      return (message as Extract<OaEvent, { event: 'subscribe' | 'SCAN' }>).scene;
    default:
      return 'cardId' in message ? message.cardId : 'key' in message ? message.key : undefined;
  }
}

export class MessageHandlers {
  private readonly byKey = new Map<string, Handler[]>();
  private readonly fallbacks: Handler[] = [];
  private readonly observers: ((message: InboundMessage) => void)[] = [];

  /** Sees every message before dispatch (analytics: which QR scene brought which follower). */
  observe(observer: (message: InboundMessage) => void): this {
    this.observers.push(observer);
    return this;
  }

  onMessage<K extends Exclude<InboundMessage['msgType'], 'event'>>(type: K, handler: Handler<Of<K>>): this {
    return this.add(`msg:${type}`, handler as Handler);
  }

  /** `key` narrows to one menu button, QR scene or card. */
  onEvent<K extends string>(event: K, handler: Handler<EventOf<K>>, key?: string): this {
    return this.add(key === undefined ? `event:${event}` : `event:${event}:${key}`, handler as Handler);
  }

  /** Runs for anything no specific handler answered. */
  otherwise(handler: Handler): this {
    this.fallbacks.push(handler);
    return this;
  }

  async dispatch(message: InboundMessage): Promise<Reply | undefined> {
    for (const observer of this.observers) observer(message);
    const chain: Handler[] = [];
    if (message.msgType === 'event') {
      const key = routingKey(message);
      if (key !== undefined) chain.push(...(this.byKey.get(`event:${message.event}:${key}`) ?? []));
      chain.push(...(this.byKey.get(`event:${message.event}`) ?? []));
    } else {
      chain.push(...(this.byKey.get(`msg:${message.msgType}`) ?? []));
    }
    chain.push(...this.fallbacks);
    for (const handler of chain) {
      const reply = await handler(message);
      if (reply) return reply;
    }
    return undefined;
  }

  private add(slot: string, handler: Handler): this {
    const list = this.byKey.get(slot) ?? [];
    list.push(handler);
    this.byKey.set(slot, list);
    return this;
  }
}
