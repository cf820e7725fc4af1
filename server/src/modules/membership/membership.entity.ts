/**
 * The membership module's tables (written only by it): the programme (one row per shop), the
 * members with their cached balances, the points ledger and its lots, the stored-value ledger,
 * top-ups, used member codes and card sync state. Ledgers are append-only; every change of a
 * cached balance is a conditional update in the transaction that appends its entry.
 */
import type { ProgrammeSettings } from '@chatmall/shared';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity('membership_programmes')
export class MembershipProgrammeEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ type: 'simple-json' })
  settings!: ProgrammeSettings;

  @Column({ type: 'int' })
  version!: number;

  /** The WeChat member card class made for this shop (card/create), once. */
  @Column({ name: 'card_id', type: 'varchar', length: 64, nullable: true })
  cardId!: string | null;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}

/**
 * One member per buyer. `points`, `balance_principal` and `balance_bonus` are the ledgers'
 * sums, cached; `spend_total` and `growth` (net of refunds) decide the level.
 */
@Entity('members')
@Index('uq_members_buyer', ['buyerId'], { unique: true })
@Index('uq_members_member_no', ['memberNo'], { unique: true })
@Index('idx_members_phone', ['phone'])
@Index('idx_members_level', ['levelIndex', 'id'])
export class MemberEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'buyer_id', type: 'varchar', length: 40 })
  buyerId!: string;

  /** 10 digits, printed on the card and carried by the member code. */
  @Column({ name: 'member_no', type: 'varchar', length: 10 })
  memberNo!: string;

  @Column({ type: 'varchar', length: 24 })
  phone!: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  name!: string | null;

  @Column({ name: 'level_index', type: 'int', default: 0 })
  levelIndex!: number;

  @Column({ name: 'spend_total', type: 'int', default: 0 })
  spendTotal!: number;

  @Column({ type: 'int', default: 0 })
  growth!: number;

  @Column({ type: 'int', default: 0 })
  points!: number;

  @Column({ name: 'balance_principal', type: 'int', default: 0 })
  balancePrincipal!: number;

  @Column({ name: 'balance_bonus', type: 'int', default: 0 })
  balanceBonus!: number;

  /** Key of the member code's HMAC (hex); never leaves the server. */
  @Column({ name: 'code_secret', type: 'varchar', length: 64 })
  codeSecret!: string;

  /** The user card's code in WeChat's card pack, once taken; null before. */
  @Column({ name: 'card_code', type: 'varchar', length: 40, nullable: true })
  cardCode!: string | null;

  @Column({ name: 'card_status', type: 'varchar', length: 8, default: 'NONE' })
  cardStatus!: 'NONE' | 'ACTIVE' | 'REMOVED';

  @CreateDateColumn({ name: 'joined_at' })
  joinedAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}

/** One change of a member's points. `source_key` is the business key: one entry per cause. */
@Entity('points_entries')
@Index('uq_points_entries_source', ['sourceKey'], { unique: true })
@Index('idx_points_entries_member', ['memberId', 'id'])
@Index('idx_points_entries_order', ['orderNo'])
export class PointsEntryEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'member_id', type: 'varchar', length: 40 })
  memberId!: string;

  @Column({ type: 'varchar', length: 8 })
  kind!: string;

  @Column({ type: 'int' })
  delta!: number;

  @Column({ name: 'balance_after', type: 'int' })
  balanceAfter!: number;

  @Column({ name: 'source_key', type: 'varchar', length: 120 })
  sourceKey!: string;

  @Column({ type: 'varchar', length: 40 })
  record!: string;

  @Column({ name: 'order_no', type: 'varchar', length: 32, nullable: true })
  orderNo!: string | null;

  @Column({ name: 'actor_id', type: 'varchar', length: 40, nullable: true })
  actorId!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  reason!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}

/**
 * Points that came in together and expire together: an earning entry's lot. Spending takes
 * from the lots that expire first (FIFO); `remaining` sums to the member's points.
 */
@Entity('points_lots')
@Index('idx_points_lots_member', ['memberId', 'expiresAt', 'id'])
@Index('idx_points_lots_expiry', ['expiresAt', 'remaining'])
export class PointsLotEntity {
  /** The id of the entry that brought the points in. */
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'member_id', type: 'varchar', length: 40 })
  memberId!: string;

  @Column({ type: 'int' })
  earned!: number;

  @Column({ type: 'int' })
  remaining!: number;

  /** null: never expires. Far future sorts last: lots without expiry are spent after dated ones. */
  @Column({ name: 'expires_at', type: 'datetime', nullable: true })
  expiresAt!: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}

/** One change of a member's stored value, principal and bonus apart. */
@Entity('wallet_entries')
@Index('uq_wallet_entries_source', ['sourceKey'], { unique: true })
@Index('idx_wallet_entries_member', ['memberId', 'id'])
export class WalletEntryEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'member_id', type: 'varchar', length: 40 })
  memberId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  @Column({ type: 'int' })
  principal!: number;

  @Column({ type: 'int' })
  bonus!: number;

  @Column({ name: 'principal_after', type: 'int' })
  principalAfter!: number;

  @Column({ name: 'bonus_after', type: 'int' })
  bonusAfter!: number;

  @Column({ name: 'source_key', type: 'varchar', length: 120 })
  sourceKey!: string;

  @Column({ type: 'varchar', length: 40 })
  record!: string;

  /** The top-up's out_trade_no, the order number, or the till's request id. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  ref!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}

/** A stored-value top-up paid through WeChat Pay. PENDING → PAID → REFUNDING → REFUNDED; PENDING → CLOSED unpaid. */
@Entity('top_ups')
@Index('uq_top_ups_out_trade_no', ['outTradeNo'], { unique: true })
@Index('uq_top_ups_request', ['memberId', 'requestKey'], { unique: true })
@Index('idx_top_ups_out_refund_no', ['outRefundNo'])
export class TopUpEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'member_id', type: 'varchar', length: 40 })
  memberId!: string;

  @Column({ name: 'buyer_id', type: 'varchar', length: 40 })
  buyerId!: string;

  @Column({ name: 'request_key', type: 'varchar', length: 64 })
  requestKey!: string;

  @Column({ name: 'out_trade_no', type: 'varchar', length: 32 })
  outTradeNo!: string;

  @Column({ type: 'int' })
  pay!: number;

  @Column({ type: 'int' })
  bonus!: number;

  @Column({ type: 'varchar', length: 12 })
  status!: 'PENDING' | 'PAID' | 'REFUNDING' | 'REFUNDED' | 'CLOSED';

  @Column({ name: 'prepay_id', type: 'varchar', length: 64, nullable: true })
  prepayId!: string | null;

  @Column({ name: 'transaction_id', type: 'varchar', length: 40, nullable: true })
  transactionId!: string | null;

  @Column({ name: 'out_refund_no', type: 'varchar', length: 64, nullable: true })
  outRefundNo!: string | null;

  @Column({ name: 'paid_at', type: 'datetime', nullable: true })
  paidAt!: Date | null;

  @Column({ name: 'refunded_at', type: 'datetime', nullable: true })
  refundedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}

/** A member code that was used at the counter: one row per (member, second it was made). */
@Entity('member_code_uses')
@Index('uq_member_code_uses', ['memberId', 'step'], { unique: true })
export class MemberCodeUseEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'member_id', type: 'varchar', length: 40 })
  memberId!: string;

  /** The second the code was made (epoch seconds, as text: portable and past 2038). */
  @Column({ type: 'varchar', length: 16 })
  step!: string;

  @Column({ name: 'staff_id', type: 'varchar', length: 40 })
  staffId!: string;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}

/** A change of a member's cumulative spend and growth (an order paid or refunded, a counter sale). */
@Entity('member_growth_entries')
@Index('uq_member_growth_entries_source', ['sourceKey'], { unique: true })
@Index('idx_member_growth_entries_member', ['memberId', 'id'])
export class MemberGrowthEntryEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'member_id', type: 'varchar', length: 40 })
  memberId!: string;

  @Column({ name: 'source_key', type: 'varchar', length: 120 })
  sourceKey!: string;

  /** Fen, negative for a refund. */
  @Column({ type: 'int' })
  spend!: number;

  @Column({ type: 'int' })
  growth!: number;

  @Column({ name: 'level_after', type: 'int' })
  levelAfter!: number;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
