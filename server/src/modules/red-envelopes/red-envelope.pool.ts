/**
 * A pack's live state in Redis and the Lua scripts that change it. Every key of one pack
 * carries the hash tag `{packId}`, so a script's keys sit in one slot and the same scripts run
 * on a single Redis or a Redis Cluster. Keys (docs/decisions/0025-red-envelopes.md):
 *   rp:{id}:meta     hash  groupOnly (1/0), expiresAt (ms), closed (1 once settled)
 *   rp:{id}:pool     list  shares not yet grabbed, as `index:amount`
 *   rp:{id}:grabs    hash  buyer → `index:amount:grabbedAtMs`
 *   rp:{id}:groups   set   groups the pack may be grabbed from (group-only packs)
 *   rp:{id}:members  set   buyers who opened it from an allowed group (their onward shares count)
 * Redis holds nothing that the database cannot rebuild (`load`) except grabs whose job has not
 * yet run, which the reconciliation replays from `grabs`.
 */
import type { ScriptRedis } from '../../kernel/redis';

export type Chat = 'group' | 'single' | 'none';

/** Where the buyer opened the card: the decrypted group (never the client's word), and who shared it. */
export interface OpenContext {
  chat: Chat;
  groupId: string;
  sharer: string;
}

export interface GrabRecord {
  index: number;
  amount: number;
  grabbedAt: Date;
}

export type GrabAnswer =
  | { kind: 'NOT_LOADED' }
  | { kind: 'GRABBED' | 'ALREADY_GRABBED'; grab: GrabRecord }
  | { kind: 'ALL_GONE' | 'EXPIRED' | 'GROUP_ONLY' | 'NOT_FROM_GROUP' };

export type OpenAnswer =
  | { kind: 'NOT_LOADED' }
  | {
      kind: 'CAN_GRAB' | 'ALREADY_GRABBED' | 'ALL_GONE' | 'EXPIRED' | 'GROUP_ONLY' | 'NOT_FROM_GROUP';
      mine: GrabRecord | null;
      left: number;
      grabbed: number;
    };

export interface PackSnapshot {
  groupOnly: boolean;
  expiresAt: Date;
  closed: boolean;
  /** Shares not grabbed per the database, as `index:amount`. */
  pool: string[];
  /** Grabs the database has recorded. */
  grabs: { buyerId: string; record: GrabRecord }[];
  groups: string[];
  members: string[];
}

/** How long a pack's keys outlive its expiry (the page still reads its grabs meanwhile). */
const KEEP_AFTER_EXPIRY_MS = 3 * 24 * 3600_000;

export const packKeys = (packId: string) => {
  const tag = `rp:{${packId}}`;
  return [`${tag}:meta`, `${tag}:pool`, `${tag}:grabs`, `${tag}:groups`, `${tag}:members`] as const;
};

// The group rule, shared by the open and grab scripts. A group-only pack is grabbed only from a
// group chat, and only from a group it was shared into: the first group it is opened in, or a
// group that a member (a buyer who opened it from an allowed group) shared it onward to.
const GROUP_RULE = `
local function groupRule(groupOnly, buyer, chat, group, sharer)
  if groupOnly ~= '1' then return nil end
  if chat ~= 'group' or group == '' then return 'NOT_FROM_GROUP' end
  if redis.call('SISMEMBER', KEYS[4], group) == 0 then
    if redis.call('SCARD', KEYS[4]) == 0 or (sharer ~= '' and redis.call('SISMEMBER', KEYS[5], sharer) == 1) then
      redis.call('SADD', KEYS[4], group)
    else
      return 'GROUP_ONLY'
    end
  end
  redis.call('SADD', KEYS[5], buyer)
  return nil
end
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

/** ARGV: buyer, chat, group, sharer. Dedupe, expiry, group rule, pop, record — one atomic step. */
const GRAB = `${GROUP_RULE}
local meta = redis.call('HMGET', KEYS[1], 'groupOnly', 'expiresAt', 'closed')
if not meta[2] then return {'NOT_LOADED'} end
local mine = redis.call('HGET', KEYS[3], ARGV[1])
if mine then return {'ALREADY_GRABBED', mine} end
local now = nowMs()
if meta[3] == '1' or now >= tonumber(meta[2]) then return {'EXPIRED'} end
local refused = groupRule(meta[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4])
if refused then return {refused} end
local share = redis.call('LPOP', KEYS[2])
if not share then return {'ALL_GONE'} end
local record = share .. ':' .. now
redis.call('HSET', KEYS[3], ARGV[1], record)
return {'GRABBED', record}
`;

/** ARGV: buyer, chat, group, sharer. The page's state; applies the group rule as an open does. */
const OPEN = `${GROUP_RULE}
local meta = redis.call('HMGET', KEYS[1], 'groupOnly', 'expiresAt', 'closed')
if not meta[2] then return {'NOT_LOADED'} end
local left = redis.call('LLEN', KEYS[2])
local grabbed = redis.call('HLEN', KEYS[3])
local mine = redis.call('HGET', KEYS[3], ARGV[1])
if mine then return {'ALREADY_GRABBED', mine, left, grabbed} end
if meta[3] == '1' or nowMs() >= tonumber(meta[2]) then return {'EXPIRED', '', left, grabbed} end
local refused = groupRule(meta[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4])
if refused then return {refused, '', left, grabbed} end
if left == 0 then return {'ALL_GONE', '', left, grabbed} end
return {'CAN_GRAB', '', left, grabbed}
`;

/**
 * ARGV: groupOnly, expiresAt, closed, keepUntil, then counted lists: pool entries, grab
 * (buyer, record) pairs, groups, members. Loads a pack only when Redis does not have it (its
 * meta is gone: a flush, a restart without data, a failover); a second loader does nothing.
 */
const LOAD = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5])
local i = 5
local n = tonumber(ARGV[i])
for j = 1, n do redis.call('RPUSH', KEYS[2], ARGV[i + j]) end
i = i + n + 1
n = tonumber(ARGV[i])
for j = 1, n do redis.call('HSET', KEYS[3], ARGV[i + 2 * j - 1], ARGV[i + 2 * j]) end
i = i + 2 * n + 1
n = tonumber(ARGV[i])
for j = 1, n do redis.call('SADD', KEYS[4], ARGV[i + j]) end
i = i + n + 1
n = tonumber(ARGV[i])
for j = 1, n do redis.call('SADD', KEYS[5], ARGV[i + j]) end
redis.call('HSET', KEYS[1], 'groupOnly', ARGV[1], 'expiresAt', ARGV[2], 'closed', ARGV[3])
for k = 1, 5 do redis.call('PEXPIREAT', KEYS[k], ARGV[4]) end
return 1
`;

/** Stops grabs for good (settlement): returns 1 when the pack was loaded. */
const CLOSE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'closed', '1')
redis.call('DEL', KEYS[2])
return 1
`;

/** ARGV: buyer, record. Forgets a grab the database refused (its share went to someone else). */
const FORGET = `
if redis.call('HGET', KEYS[3], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[3], ARGV[1]) end
return 0
`;

/**
 * ARGV: (buyer, record) pairs the database has recorded and Redis does not know of: each buyer
 * is remembered as having grabbed (dedupe), and their share taken out of the pool.
 */
const RESTORE = `
local n = 0
for i = 1, #ARGV, 2 do
  redis.call('HSETNX', KEYS[3], ARGV[i], ARGV[i + 1])
  local index, amount = string.match(ARGV[i + 1], '^(%d+):(%d+):')
  n = n + redis.call('LREM', KEYS[2], 0, index .. ':' .. amount)
end
return n
`;

type Scripted = {
  rpGrab(...args: string[]): Promise<unknown>;
  rpOpen(...args: string[]): Promise<unknown>;
  rpLoad(...args: string[]): Promise<unknown>;
  rpClose(...args: string[]): Promise<unknown>;
  rpForget(...args: string[]): Promise<unknown>;
  rpRestore(...args: string[]): Promise<unknown>;
};

const defined = new WeakSet<object>();

export function parseRecord(value: string): GrabRecord {
  const [index, amount, at] = value.split(':').map(Number);
  return { index, amount, grabbedAt: new Date(at) };
}

export const recordOf = (g: GrabRecord) => `${g.index}:${g.amount}:${g.grabbedAt.getTime()}`;

export class RedEnvelopePool {
  private readonly r: ScriptRedis & Scripted;

  constructor(redis: ScriptRedis) {
    if (!defined.has(redis)) {
      // defineCommand sends EVALSHA and falls back to EVAL when Redis lost its script cache.
      redis.defineCommand('rpGrab', { numberOfKeys: 5, lua: GRAB });
      redis.defineCommand('rpOpen', { numberOfKeys: 5, lua: OPEN });
      redis.defineCommand('rpLoad', { numberOfKeys: 5, lua: LOAD });
      redis.defineCommand('rpClose', { numberOfKeys: 5, lua: CLOSE });
      redis.defineCommand('rpForget', { numberOfKeys: 5, lua: FORGET });
      redis.defineCommand('rpRestore', { numberOfKeys: 5, lua: RESTORE });
      defined.add(redis);
    }
    this.r = redis as ScriptRedis & Scripted;
  }

  get client(): ScriptRedis {
    return this.r;
  }

  async grab(packId: string, buyerId: string, at: OpenContext): Promise<GrabAnswer> {
    const out = (await this.r.rpGrab(...packKeys(packId), buyerId, at.chat, at.groupId, at.sharer)) as string[];
    const kind = out[0];
    if (kind === 'GRABBED' || kind === 'ALREADY_GRABBED') return { kind, grab: parseRecord(out[1]) };
    return { kind } as GrabAnswer;
  }

  async open(packId: string, buyerId: string, at: OpenContext): Promise<OpenAnswer> {
    const out = (await this.r.rpOpen(...packKeys(packId), buyerId, at.chat, at.groupId, at.sharer)) as (
      string | number
    )[];
    if (out[0] === 'NOT_LOADED') return { kind: 'NOT_LOADED' };
    return {
      kind: out[0] as Exclude<OpenAnswer['kind'], 'NOT_LOADED'>,
      mine: out[1] ? parseRecord(String(out[1])) : null,
      left: Number(out[2]),
      grabbed: Number(out[3]),
    };
  }

  /** Loads the pack when Redis lacks it; true when this call loaded it. */
  async load(packId: string, s: PackSnapshot): Promise<boolean> {
    const args = [
      s.groupOnly ? '1' : '0',
      String(s.expiresAt.getTime()),
      s.closed ? '1' : '0',
      String(s.expiresAt.getTime() + KEEP_AFTER_EXPIRY_MS),
      String(s.pool.length),
      ...s.pool,
      String(s.grabs.length),
      ...s.grabs.flatMap((g) => [g.buyerId, recordOf(g.record)]),
      String(s.groups.length),
      ...s.groups,
      String(s.members.length),
      ...s.members,
    ];
    return (await this.r.rpLoad(...packKeys(packId), ...args)) === 1;
  }

  async isLoaded(packId: string): Promise<boolean> {
    return (await this.r.exists(packKeys(packId)[0])) === 1;
  }

  async close(packId: string): Promise<boolean> {
    return (await this.r.rpClose(...packKeys(packId))) === 1;
  }

  async forget(packId: string, buyerId: string, record: GrabRecord): Promise<boolean> {
    return (await this.r.rpForget(...packKeys(packId), buyerId, recordOf(record))) === 1;
  }

  /** Puts recorded grabs Redis lost back into its record, their shares out of the pool; how many were in it. */
  async restore(packId: string, grabs: { buyerId: string; record: GrabRecord }[]): Promise<number> {
    let n = 0;
    for (let i = 0; i < grabs.length; i += 250)
      n += Number(
        await this.r.rpRestore(
          ...packKeys(packId),
          ...grabs.slice(i, i + 250).flatMap((g) => [g.buyerId, recordOf(g.record)]),
        ),
      );
    return n;
  }

  /** Every grab Redis accepted for the pack. */
  async grabs(packId: string): Promise<Map<string, GrabRecord>> {
    const all = await this.r.hgetall(packKeys(packId)[2]);
    return new Map(Object.entries(all).map(([buyer, v]) => [buyer, parseRecord(v)]));
  }

  async mine(packId: string, buyerId: string): Promise<GrabRecord | null> {
    const v = await this.r.hget(packKeys(packId)[2], buyerId);
    return v ? parseRecord(v) : null;
  }

  async left(packId: string): Promise<number> {
    return this.r.llen(packKeys(packId)[1]);
  }
}
