/**
 * The cardExt signature for wx.addCard (WECHAT-MARKETING.md §8): sha1 of the values sorted by
 * value, empty code and openid included; the derived vectors from the notes.
 */
import { cardExtFor, cardSignature } from '../../src/wechat/cards/card-ext';

const ticket = 'sandbox_wx_card_ticket_001';
const cardId = 'pFS7Fjg8kV1IdDz01r4SQwMkuCKc';

it('matches the derived vectors, with and without code and openid', () => {
  expect(cardSignature([ticket, '1714036504', 'Wm3WZYTPz0wzccnW', cardId, '', ''])).toBe(
    '70421b6b84316f706db42ed4b361b8f483c810d8',
  );
  expect(
    cardSignature([ticket, '1714036504', 'Wm3WZYTPz0wzccnW', cardId, '123456789012', 'oFS7Fjl0WsZ9AMZqrI80nbIq8xrA']),
  ).toBe('a832a68049de4428cd193272ff968a9618b4a79a');
});

it('builds the cardExt string: timestamp, nonce, outer_str and the signature; card_id signed but not inside', () => {
  const { cardExt } = cardExtFor({
    apiTicket: ticket,
    cardId,
    outerStr: '1234567890',
    timestamp: '1714036504',
    nonceStr: 'Wm3WZYTPz0wzccnW',
  });
  expect(JSON.parse(cardExt)).toEqual({
    timestamp: '1714036504',
    nonce_str: 'Wm3WZYTPz0wzccnW',
    outer_str: '1234567890',
    signature: '70421b6b84316f706db42ed4b361b8f483c810d8',
  });
  // Two calls never share a nonce (WeChat refuses a repeated one).
  const a = JSON.parse(cardExtFor({ apiTicket: ticket, cardId }).cardExt);
  const b = JSON.parse(cardExtFor({ apiTicket: ticket, cardId }).cardExt);
  expect(a.nonce_str).not.toBe(b.nonce_str);
});
