/**
 * Entity ids carry a prefix that says what they are (`prod_…`, `sku_…`) followed by a
 * time-ordered random part, so they sort by creation and are safe to show in URLs.
 * Isomorphic: uses the Web Crypto API that both Node 20 and browsers provide.
 */
import { z } from 'zod';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

export const idPrefixes = {
  category: 'cat',
  product: 'prod',
  sku: 'sku',
  buyer: 'buyer',
  staff: 'staff',
  session: 'sess',
  address: 'addr',
  order: 'ord',
  orderLine: 'line',
  cartItem: 'cart',
  audit: 'audit',
  payment: 'pay',
  payNotification: 'pn',
  refund: 'rf',
  review: 'rev',
  buyerUpload: 'upl',
  couponTemplate: 'cpt',
  coupon: 'cpn',
  redEnvelopePack: 'rp',
  member: 'mbr',
  pointsEntry: 'pte',
  walletEntry: 'wle',
  topUp: 'tup',
} as const;
export type IdKind = keyof typeof idPrefixes;

// Ids are made on hot paths (every payment notification makes one): the random bytes are
// drawn a block at a time, one Web Crypto call per 4 KiB instead of one per id. Each byte is
// used once; ids are identifiers, never secrets (tokens come from node:crypto directly).
const pool = new Uint8Array(4096);
let used = pool.length;

function randomBytes(n: number): Uint8Array {
  if (used + n > pool.length) {
    globalThis.crypto.getRandomValues(pool);
    used = 0;
  }
  used += n;
  return pool.subarray(used - n, used);
}

let lastTime = -1;
let lastRand: number[] = [];

/**
 * `newId('product')` → `prod_01hx3k…` (10 time characters + 16 random characters). Ids made in
 * one process sort in the order they were made, also within one millisecond (the random part
 * then counts up from the previous id's, as ULIDs do): an order's lines listed by id are in the
 * order the buyer put them. An explicit earlier `now` (demo history) gets its own time.
 */
export function newId(kind: IdKind, now: number = Date.now()): string {
  let rand: number[];
  if (now === lastTime) {
    rand = [...lastRand];
    for (let i = rand.length - 1; i >= 0; i--) {
      rand[i] = (rand[i] + 1) % 32;
      if (rand[i] !== 0) break;
    }
  } else {
    rand = Array.from(randomBytes(16), (b) => b % 32);
  }
  lastTime = now;
  lastRand = rand;
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return `${idPrefixes[kind]}_${time}${rand.map((d) => ALPHABET[d]).join('')}`;
}

export function idSchema(kind: IdKind) {
  const prefix = idPrefixes[kind];
  return z.string().regex(new RegExp(`^${prefix}_[0-9a-z]{1,40}$`), `must be a ${kind} id (${prefix}_…)`);
}
