/**
 * `wx.addCard`'s cardExt (WECHAT-MARKETING.md §8): a JSON string with timestamp and nonce_str
 * (each different per request), outer_str (echoed as OuterStr in user_get_card), code/openid for
 * custom-code or bound cards, and a signature: sha1 of the values of api_ticket, timestamp,
 * nonce_str, card_id, code and openid sorted lexicographically BY VALUE and concatenated (empty
 * code/openid count as empty strings; card_id is signed but not inside cardExt). The api_ticket
 * is `GET /cgi-bin/ticket/getticket?type=wx_card` (7200 s; not the jsapi_ticket).
 */
import { createHash, randomBytes } from 'node:crypto';

export function cardSignature(values: readonly string[]): string {
  return createHash('sha1')
    .update([...values].sort().join(''))
    .digest('hex');
}

export interface CardExtInput {
  apiTicket: string;
  cardId: string;
  outerStr?: string;
  code?: string;
  openid?: string;
  /** Seconds, as a string; now by default. */
  timestamp?: string;
  nonceStr?: string;
}

/** The `{cardId, cardExt}` entry of `wx.addCard({cardList})`. */
export function cardExtFor(i: CardExtInput): { cardId: string; cardExt: string } {
  const timestamp = i.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonceStr = i.nonceStr ?? randomBytes(12).toString('base64url').slice(0, 16);
  const signature = cardSignature([i.apiTicket, timestamp, nonceStr, i.cardId, i.code ?? '', i.openid ?? '']);
  const ext: Record<string, string> = { timestamp, nonce_str: nonceStr, signature };
  if (i.code) ext.code = i.code;
  if (i.openid) ext.openid = i.openid;
  if (i.outerStr !== undefined) ext.outer_str = i.outerStr;
  return { cardId: i.cardId, cardExt: JSON.stringify(ext) };
}
