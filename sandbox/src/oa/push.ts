/**
 * Pushes to the merchant server the way WeChat does (WECHAT-PROTOCOL.md §1.2, §1.5, §8):
 * query `signature&timestamp&nonce&openid` (+ `encrypt_type=aes&msg_signature` in compatible
 * and safe mode), seconds everywhere, a 5-second wait and three tries in all. The answer must
 * be `success`, empty, or a valid reply; anything else is what makes a real user see
 * "该公众号暂时无法提供服务，请稍后再试".
 */
import { randomInt } from 'node:crypto';
import type { OaApp } from '../platform/apps';
import { oaDecrypt, oaEncrypt, sha1Sorted } from '../platform/crypto';

export type PushMode = 'plain' | 'compat' | 'safe';
export const UNAVAILABLE = '该公众号暂时无法提供服务，请稍后再试';

export type PushFields = Record<string, string | number>;

const cdata = (v: string) => `<![CDATA[${v.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
export const toXml = (fields: PushFields) =>
  `<xml>${Object.entries(fields)
    .map(([k, v]) => (typeof v === 'number' ? `<${k}>${v}</${k}>` : `<${k}>${cdata(v)}</${k}>`))
    .join('')}</xml>`;

/** Reads one field of a flat WeChat XML document (CDATA or bare). */
export function xmlField(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</${name}>`).exec(xml);
  return m ? (m[1] ?? m[2]) : undefined;
}

export interface DeliveredReply {
  /** What the user sees: text, a media id, article titles, or the "unavailable" notice. */
  kind: 'none' | 'text' | 'image' | 'voice' | 'news' | 'transfer_customer_service' | 'unavailable';
  content?: string;
}

export interface PushRecord {
  at: string;
  mode: PushMode;
  summary: string;
  attempts: number;
  /** HTTP status of the last attempt, or the network error. */
  outcome: string;
  reply: DeliveredReply;
  /** The message as WeChat built it, before encryption (what the console shows as delivered). */
  sent: string;
}

export async function pushToMerchant(
  app: OaApp,
  merchantUrl: string,
  mode: PushMode,
  fields: PushFields,
  opts: { timeoutMs?: number; tries?: number } = {},
): Promise<PushRecord> {
  const xml = toXml(fields);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(randomInt(100_000_000, 2_000_000_000));
  const query = new URLSearchParams({
    signature: sha1Sorted(app.token, timestamp, nonce),
    timestamp,
    nonce,
    openid: String(fields.FromUserName),
  });
  let body = xml;
  if (mode !== 'plain') {
    const encrypted = oaEncrypt(app.encodingAesKey, app.appId, xml);
    query.set('encrypt_type', 'aes');
    query.set('msg_signature', sha1Sorted(app.token, timestamp, nonce, encrypted));
    body =
      mode === 'safe'
        ? toXml({ ToUserName: app.originalId, Encrypt: encrypted })
        : xml.replace('</xml>', `<Encrypt>${cdata(encrypted)}</Encrypt></xml>`);
  }
  const record: PushRecord = {
    at: new Date().toISOString(),
    mode,
    summary: `${fields.MsgType}${fields.Event ? `:${fields.Event}` : ''} from ${fields.FromUserName}`,
    attempts: 0,
    outcome: '',
    reply: { kind: 'none' },
    sent: xml,
  };
  const tries = opts.tries ?? 3;
  for (let i = 0; i < tries; i++) {
    record.attempts++;
    try {
      const res = await fetch(`${merchantUrl}?${query}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
      });
      const text = await res.text();
      record.outcome = String(res.status);
      if (!res.ok) continue; // WeChat treats a failed answer like no answer and tries again
      record.reply = readReply(app, mode, text);
      return record;
    } catch (err) {
      record.outcome = (err as Error).name;
    }
  }
  record.reply = { kind: 'unavailable', content: UNAVAILABLE };
  return record;
}

function readReply(app: OaApp, mode: PushMode, text: string): DeliveredReply {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'success') return { kind: 'none' };
  let xml = trimmed;
  const encrypted = xmlField(trimmed, 'Encrypt');
  if (encrypted !== undefined) {
    if (mode === 'plain') return { kind: 'unavailable', content: UNAVAILABLE };
    const ts = xmlField(trimmed, 'TimeStamp') ?? '';
    const replyNonce = xmlField(trimmed, 'Nonce') ?? '';
    // The reply is checked on its own TimeStamp and Nonce (seconds, not milliseconds):
    // MsgSignature = sha1(sort(token, TimeStamp, Nonce, Encrypt)). The docs say to echo the
    // push's nonce, but WeChat accepts a reply with a nonce of its own (easywechat and other
    // SDKs make a fresh one), so a different nonce is not a fault as long as it is signed.
    const valid =
      /^\d{9,10}$/.test(ts) &&
      replyNonce !== '' &&
      xmlField(trimmed, 'MsgSignature') === sha1Sorted(app.token, ts, replyNonce, encrypted);
    const opened = valid ? oaDecrypt(app.encodingAesKey, encrypted) : undefined;
    if (!opened || opened.appId !== app.appId) return { kind: 'unavailable', content: UNAVAILABLE };
    xml = opened.message;
  } else if (mode === 'safe') {
    return { kind: 'unavailable', content: UNAVAILABLE };
  }
  if (!xml.startsWith('<xml>')) return { kind: 'unavailable', content: UNAVAILABLE };
  const createTime = xmlField(xml, 'CreateTime') ?? '';
  if (!/^\d{9,10}$/.test(createTime)) return { kind: 'unavailable', content: UNAVAILABLE };
  const type = xmlField(xml, 'MsgType');
  switch (type) {
    case 'text':
      return { kind: 'text', content: xmlField(xml, 'Content') ?? '' };
    case 'image':
    case 'voice':
      return { kind: type, content: xmlField(xml, 'MediaId') ?? '' };
    case 'news':
      return {
        kind: 'news',
        content: [...xml.matchAll(/<Title><!\[CDATA\[([\s\S]*?)\]\]><\/Title>/g)].map((m) => m[1]).join(' | '),
      };
    case 'transfer_customer_service':
      return { kind: 'transfer_customer_service' };
    default:
      return { kind: 'unavailable', content: UNAVAILABLE };
  }
}
