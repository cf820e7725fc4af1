/**
 * The official-account message endpoint, without any web framework: the caller hands over
 * the query and the raw body bytes, and gets back the HTTP answer to write.
 *
 * GET  ?signature&timestamp&nonce&echostr → echostr verbatim (plaintext even in safe mode).
 * POST plaintext  ?signature&timestamp&nonce&openid              → `signature` checked
 * POST compatible/safe ?…&encrypt_type=aes&msg_signature            → `msg_signature` checked
 *      (WeChat: "不要使用 signature 验证"), body decrypted, appid checked, reply encrypted.
 *
 * Nothing reaches a handler before the signature, the decryption and the appid check pass.
 */
import { randomBytes } from 'node:crypto';
import type { MessageCrypt } from '../crypto/message-crypt';
import { signatureMatches } from '../crypto/signature';
import type { PushDeduplicator } from './dedup';
import type { MessageHandlers } from './handlers';
import { jsonToRecord, toInboundMessage, type InboundMessage } from './messages';
import { replyXml, type Reply } from './replies';
import { buildWechatXml, parseWechatXml, type XmlRecord } from './xml';

export type PushQuery = Record<string, string | string[] | undefined>;

export type PushAnswer =
  | {
      status: 200;
      contentType: string;
      body: string;
      message?: InboundMessage;
      /** Settles when a handler that missed the deadline has finished (tests await it). */
      background?: Promise<void>;
    }
  | { status: 400 | 401 | 403 | 413; problem: string };

export interface EndpointOptions {
  crypt: MessageCrypt;
  handlers: MessageHandlers;
  dedup: PushDeduplicator;
  /** WeChat waits 5 s; answer `success` a little before that and finish in the background. */
  deadlineMs?: number;
  /** Sends what a late handler still had to say (customer-service message). */
  sendLateReply?: (openid: string, reply: Reply, message: InboundMessage) => Promise<void>;
  onBackgroundError?: (err: unknown, message: InboundMessage) => void;
  maxBodyBytes?: number;
  nowSeconds?: () => number;
}

export const SUCCESS = 'success';
const DEFAULT_DEADLINE_MS = 4000;
export const DEFAULT_OA_BODY_LIMIT = 64 * 1024;

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

type BodyFormat = 'xml' | 'json';

/** Encrypted reply envelope: the request's nonce echoed, TimeStamp in seconds. */
export function sealReply(
  crypt: MessageCrypt,
  plaintext: string,
  o: { nonce: string; timestamp: number; format?: BodyFormat; random?: Buffer; key?: 'current' | 'previous' },
): string {
  const encrypted = crypt.encrypt(plaintext, { random: o.random ?? randomBytes(16), key: o.key });
  const signature = crypt.msgSignature(String(o.timestamp), o.nonce, encrypted);
  if (o.format === 'json') {
    return JSON.stringify({ Encrypt: encrypted, MsgSignature: signature, TimeStamp: o.timestamp, Nonce: o.nonce });
  }
  return buildWechatXml({ Encrypt: encrypted, MsgSignature: signature, TimeStamp: o.timestamp, Nonce: o.nonce });
}

function parseBody(text: string): { format: BodyFormat; fields: XmlRecord } | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const fields = jsonToRecord(JSON.parse(trimmed));
      return fields ? { format: 'json', fields } : undefined;
    } catch {
      return undefined;
    }
  }
  const fields = parseWechatXml(trimmed);
  return fields ? { format: 'xml', fields } : undefined;
}

export class OfficialAccountEndpoint {
  private readonly deadlineMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: EndpointOptions) {
    this.deadlineMs = opts.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.now = opts.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  }

  /** URL verification when the merchant saves the server URL in the WeChat admin. */
  verifyUrl(query: PushQuery): PushAnswer {
    const timestamp = one(query.timestamp) ?? '';
    const nonce = one(query.nonce) ?? '';
    const echostr = one(query.echostr);
    if (!signatureMatches(this.opts.crypt.signature(timestamp, nonce), one(query.signature))) {
      return { status: 401, problem: 'signature does not match' };
    }
    if (echostr === undefined) return { status: 400, problem: 'echostr is missing' };
    return { status: 200, contentType: 'text/plain; charset=utf-8', body: echostr };
  }

  async receive(query: PushQuery, rawBody: Buffer): Promise<PushAnswer> {
    if (rawBody.length > (this.opts.maxBodyBytes ?? DEFAULT_OA_BODY_LIMIT)) {
      return { status: 413, problem: 'body too large' };
    }
    const timestamp = one(query.timestamp) ?? '';
    const nonce = one(query.nonce) ?? '';
    const encrypted = one(query.encrypt_type) === 'aes';
    const { crypt } = this.opts;

    if (!encrypted && !signatureMatches(crypt.signature(timestamp, nonce), one(query.signature))) {
      return { status: 401, problem: 'signature does not match' };
    }
    const outer = parseBody(rawBody.toString('utf8'));
    if (!outer) return { status: 400, problem: 'body is not a well-formed WeChat push' };

    let fields = outer.fields;
    let keyUsed: 'current' | 'previous' = 'current';
    if (encrypted) {
      const cipherText = typeof fields.Encrypt === 'string' ? fields.Encrypt : '';
      if (!cipherText) return { status: 400, problem: 'Encrypt is missing' };
      if (!signatureMatches(crypt.msgSignature(timestamp, nonce, cipherText), one(query.msg_signature))) {
        return { status: 401, problem: 'msg_signature does not match' };
      }
      const opened = crypt.decrypt(cipherText);
      if (!opened.ok) {
        return opened.reason === 'wrong-appid'
          ? { status: 403, problem: 'the message is for another appid' }
          : { status: 400, problem: 'Encrypt could not be decrypted' };
      }
      const inner = parseBody(opened.message);
      if (!inner) return { status: 400, problem: 'the decrypted message is not well-formed' };
      fields = inner.fields;
      keyUsed = opened.key;
    }
    const parsed = toInboundMessage(fields);
    if (!parsed.ok) return { status: 400, problem: parsed.problem };
    const message = parsed.message;

    if (!(await this.opts.dedup.claim(message))) {
      return { status: 200, contentType: 'text/plain; charset=utf-8', body: SUCCESS, message };
    }
    const { reply, background } = await this.runWithinDeadline(message);
    if (!reply) return { status: 200, contentType: 'text/plain; charset=utf-8', body: SUCCESS, message, background };

    const xml = replyXml(message, reply, this.now());
    if (!encrypted)
      return { status: 200, contentType: 'application/xml; charset=utf-8', body: xml, message, background };
    const body = sealReply(crypt, xml, { nonce, timestamp: this.now(), format: outer.format, key: keyUsed });
    const contentType = outer.format === 'json' ? 'application/json; charset=utf-8' : 'application/xml; charset=utf-8';
    return { status: 200, contentType, body, message, background };
  }

  /**
   * The 5-second rule: a handler that has not answered by the deadline gets `success` sent
   * for it and keeps running; if it then has something to say, that goes out as a
   * customer-service message. A handler that fails in time gives the push back (so WeChat's
   * retry is handled) and the failure becomes a 500.
   */
  private async runWithinDeadline(message: InboundMessage): Promise<{ reply?: Reply; background?: Promise<void> }> {
    const work = Promise.resolve().then(() => this.opts.handlers.dispatch(message));
    let timer: NodeJS.Timeout | undefined;
    const late = Symbol('late');
    const deadline = new Promise<typeof late>((resolve) => {
      timer = setTimeout(() => resolve(late), this.deadlineMs);
    });
    try {
      const first = await Promise.race([work, deadline]);
      if (first !== late) return { reply: first ?? undefined };
    } catch (err) {
      await this.opts.dedup.release(message).catch(() => undefined);
      throw err;
    } finally {
      clearTimeout(timer);
    }
    const background = work
      .then(async (reply) => {
        if (reply && this.opts.sendLateReply) await this.opts.sendLateReply(message.fromUserName, reply, message);
      })
      .catch((err: unknown) => this.opts.onBackgroundError?.(err, message));
    return { background };
  }
}
