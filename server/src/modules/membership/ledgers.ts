/**
 * The two ledgers' writes, inside the caller's transaction. Every change first locks the
 * member's row, then appends its entry under a unique business key (a repeat is a no-op that
 * answers null), then moves the cached balance by a conditional update that can never make
 * it negative. The entry, the lots and the cached balance commit together or not at all.
 */
import { ErrorCode, mulDivFloor, newId, type PointsEntryKind, type WalletEntryKind } from '@chatmall/shared';
import type { EntityManager } from 'typeorm';
import { insertIgnore, isSqlite, lockForUpdate } from '../../kernel/dialect';
import { AppError, NotFoundError } from '../../kernel/errors';
import { execute } from '../../kernel/sql';
import { MemberEntity, PointsLotEntity } from './membership.entity';

export class InsufficientBalanceError extends AppError {
  constructor(field = 'body.amount') {
    super(ErrorCode.INSUFFICIENT_BALANCE, '余额不足 The balance does not cover this amount.', [
      { path: field, message: 'is more than the balance' },
    ]);
  }
}
export class InsufficientPointsError extends AppError {
  constructor(field = 'body.points') {
    super(ErrorCode.INSUFFICIENT_POINTS, '积分不足 Not enough points.', [
      { path: field, message: 'is more than the points held' },
    ]);
  }
}

/** `record` texts are at most 40 characters here (WeChat shows 14 of them on the card). */
const clip = (text: string, max = 40) => Array.from(text).slice(0, max).join('');
const sqliteDate = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

/** The member's row, locked until the transaction ends (SQLite: the transaction holds the file). */
export async function lockMember(tx: EntityManager, memberId: string): Promise<MemberEntity> {
  const m = await lockForUpdate(
    tx.getRepository(MemberEntity).createQueryBuilder('m').where('m.id = :memberId', { memberId }),
  ).getOne();
  if (!m) throw new NotFoundError('Member');
  return m;
}

export interface PointsChange {
  kind: PointsEntryKind;
  /** Positive in, negative out. 0 is recorded (an order that earned nothing still closes its key). */
  delta: number;
  sourceKey: string;
  record: string;
  orderNo?: string | null;
  actorId?: string | null;
  reason?: string | null;
  /** For credits: when the lot expires (null: never). */
  expiresAt?: Date | null;
  /** For debits: take from this lot first (a reversal takes back its own order's points). */
  lotFirst?: string;
}

export interface AppliedPoints {
  entryId: string;
  delta: number;
  balanceAfter: number;
}

/**
 * Appends one points entry and moves the balance and the lots. Null when the key was
 * already applied. A debit beyond the balance throws INSUFFICIENT_POINTS (nothing written).
 * The member's row must be locked by the caller (`lockMember`).
 */
export async function applyPoints(tx: EntityManager, memberId: string, c: PointsChange): Promise<AppliedPoints | null> {
  const entryId = newId('pointsEntry');
  const inserted = await execute(
    tx,
    `${insertIgnore(tx)} INTO points_entries (id, member_id, kind, delta, balance_after, source_key, record, order_no, actor_id, reason) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`,
    [
      entryId,
      memberId,
      c.kind,
      c.delta,
      c.sourceKey,
      clip(c.record),
      c.orderNo ?? null,
      c.actorId ?? null,
      c.reason ? clip(c.reason, 100) : null,
    ],
  );
  if (!inserted) return null;
  if (c.delta > 0) {
    await execute(tx, 'UPDATE members SET points = points + ? WHERE id = ?', [c.delta, memberId]);
    await tx.getRepository(PointsLotEntity).insert({
      id: entryId,
      memberId,
      earned: c.delta,
      remaining: c.delta,
      expiresAt: c.expiresAt ?? null,
    });
  } else if (c.delta < 0) {
    const take = -c.delta;
    const moved = await execute(tx, 'UPDATE members SET points = points - ? WHERE id = ? AND points >= ?', [
      take,
      memberId,
      take,
    ]);
    if (!moved) throw new InsufficientPointsError();
    await takeFromLots(tx, memberId, take, c.lotFirst);
  }
  const [{ points }] = (await tx.query('SELECT points FROM members WHERE id = ?', [memberId])) as { points: number }[];
  await execute(tx, 'UPDATE points_entries SET balance_after = ? WHERE id = ?', [Number(points), entryId]);
  return { entryId, delta: c.delta, balanceAfter: Number(points) };
}

/** FIFO: the lots that expire first give first (lots that never expire last), oldest first within. */
async function takeFromLots(tx: EntityManager, memberId: string, points: number, lotFirst?: string): Promise<void> {
  const lots = (await tx.query(
    'SELECT id, remaining FROM points_lots WHERE member_id = ? AND remaining > 0 ' +
      'ORDER BY CASE WHEN expires_at IS NULL THEN 1 ELSE 0 END, expires_at, id',
    [memberId],
  )) as { id: string; remaining: number }[];
  if (lotFirst) lots.sort((a, b) => (a.id === lotFirst ? -1 : b.id === lotFirst ? 1 : 0));
  let left = points;
  for (const lot of lots) {
    if (left === 0) break;
    const take = Math.min(left, Number(lot.remaining));
    const changed = await execute(
      tx,
      'UPDATE points_lots SET remaining = remaining - ? WHERE id = ? AND remaining >= ?',
      [take, lot.id, take],
    );
    if (changed) left -= take;
  }
  // The member's row is locked and its points equal the lots' sum, so this cannot happen;
  // if the two ever disagree the transaction is refused rather than leave them apart.
  if (left > 0) throw new Error(`points lots of ${memberId} are short of the cached balance`);
}

/** Lots whose expiry has passed and that still hold points, oldest expiry first. */
export async function dueLots(
  em: EntityManager,
  now: Date,
  limit: number,
): Promise<{ id: string; memberId: string; remaining: number }[]> {
  const rows = (await em.query(
    'SELECT id, member_id AS memberId, remaining FROM points_lots WHERE expires_at IS NOT NULL AND expires_at <= ? AND remaining > 0 ORDER BY expires_at, id LIMIT ?',
    [isSqlite(em) ? sqliteDate(now) : now, limit],
  )) as { id: string; memberId: string; remaining: number }[];
  return rows.map((r) => ({ ...r, remaining: Number(r.remaining) }));
}

export interface WalletChange {
  kind: WalletEntryKind;
  /** Positive in, negative out, each part apart. */
  principal: number;
  bonus: number;
  sourceKey: string;
  record: string;
  ref?: string | null;
}

export interface AppliedWallet {
  entryId: string;
  principal: number;
  bonus: number;
  principalAfter: number;
  bonusAfter: number;
}

/**
 * Appends one stored-value entry and moves the cached parts by a conditional update that
 * keeps each part ≥ 0 (else INSUFFICIENT_BALANCE and nothing written). Null when the key was
 * already applied. The member's row must be locked by the caller.
 */
export async function applyWallet(tx: EntityManager, memberId: string, c: WalletChange): Promise<AppliedWallet | null> {
  const entryId = newId('walletEntry');
  const inserted = await execute(
    tx,
    `${insertIgnore(tx)} INTO wallet_entries (id, member_id, kind, principal, bonus, principal_after, bonus_after, source_key, record, ref) VALUES (?, ?, ?, ?, ?, 0, 0, ?, ?, ?)`,
    [entryId, memberId, c.kind, c.principal, c.bonus, c.sourceKey, clip(c.record), c.ref ?? null],
  );
  if (!inserted) return null;
  const moved = await execute(
    tx,
    'UPDATE members SET balance_principal = balance_principal + ?, balance_bonus = balance_bonus + ? ' +
      'WHERE id = ? AND balance_principal + ? >= 0 AND balance_bonus + ? >= 0',
    [c.principal, c.bonus, memberId, c.principal, c.bonus],
  );
  if (!moved) throw new InsufficientBalanceError();
  const [after] = (await tx.query('SELECT balance_principal AS p, balance_bonus AS b FROM members WHERE id = ?', [
    memberId,
  ])) as { p: number; b: number }[];
  const principalAfter = Number(after.p);
  const bonusAfter = Number(after.b);
  await execute(tx, 'UPDATE wallet_entries SET principal_after = ?, bonus_after = ? WHERE id = ?', [
    principalAfter,
    bonusAfter,
    entryId,
  ]);
  return { entryId, principal: c.principal, bonus: c.bonus, principalAfter, bonusAfter };
}

/**
 * How a spend of `amount` splits between principal and bonus: in proportion to what the
 * member holds (bonus rounded down, the rest from principal), so a later refund of the spend
 * returns each part in the same proportion (docs/decisions/0030-stored-value.md).
 */
export function splitSpend(amount: number, principal: number, bonus: number): { principal: number; bonus: number } {
  const total = principal + bonus;
  if (amount > total) return { principal: amount, bonus: 0 }; // refused by the conditional update
  const fromBonus = total === 0 ? 0 : Math.min(bonus, mulDivFloor(amount, bonus, total));
  let fromPrincipal = amount - fromBonus;
  // Rounding can ask one fen too many of principal: the bonus gives it instead.
  if (fromPrincipal > principal) fromPrincipal = principal;
  return { principal: fromPrincipal, bonus: amount - fromPrincipal };
}
