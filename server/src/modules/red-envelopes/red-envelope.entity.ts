import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { RedEnvelopeCouponDesign, RedEnvelopePackStatus, RedEnvelopeSplitMode } from '@chatmall/shared';

/**
 * The red-envelope module's tables (its only writer): packs, their shares (drawn at creation),
 * grabs (one per buyer, one per share), opens (who opened it from which chat through whom) and
 * the paid orders its coupons brought. docs/decisions/0025-red-envelopes.md.
 */
@Entity('red_envelope_packs')
@Index('idx_red_envelope_packs_status_expires', ['status', 'expiresAt'])
export class RedEnvelopePackEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ type: 'varchar', length: 40 })
  title!: string;

  @Column({ name: 'image_url', type: 'varchar', length: 500, nullable: true })
  imageUrl!: string | null;

  @Column({ type: 'int' })
  budget!: number;

  @Column({ type: 'int' })
  shares!: number;

  @Column({ type: 'varchar', length: 8 })
  split!: RedEnvelopeSplitMode;

  @Column({ name: 'minimum_share', type: 'int' })
  minimumShare!: number;

  @Column({ type: 'simple-json' })
  coupon!: RedEnvelopeCouponDesign;

  @Column({ name: 'coupon_template_id', type: 'varchar', length: 40 })
  couponTemplateId!: string;

  @Column({ name: 'group_only', type: 'boolean', default: false })
  groupOnly!: boolean;

  @Column({ name: 'new_buyers_only', type: 'boolean', default: false })
  newBuyersOnly!: boolean;

  @Column({ type: 'varchar', length: 12 })
  status!: RedEnvelopePackStatus;

  @Column({ name: 'expires_at', type: 'datetime' })
  expiresAt!: Date;

  @Column({ name: 'created_by', type: 'varchar', length: 40 })
  createdBy!: string;

  /** Shares (and their fen) given back when the pack expired. */
  @Column({ name: 'returned_shares', type: 'int', default: 0 })
  returnedShares!: number;

  @Column({ name: 'returned_amount', type: 'int', default: 0 })
  returnedAmount!: number;

  @Column({ name: 'settled_at', type: 'datetime', nullable: true })
  settledAt!: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}

/** One share of a pack, drawn and persisted with the pack, before anyone grabs. */
@Entity('red_envelope_shares')
export class RedEnvelopeShareEntity {
  @PrimaryColumn({ name: 'pack_id', type: 'varchar', length: 40 })
  packId!: string;

  @PrimaryColumn({ name: 'share_index', type: 'int' })
  shareIndex!: number;

  @Column({ type: 'int' })
  amount!: number;
}

/** A grab as recorded: one per (pack, buyer) and one per (pack, share), with the coupon it became. */
@Entity('red_envelope_grabs')
@Index('uq_red_envelope_grabs_share', ['packId', 'shareIndex'], { unique: true })
@Index('idx_red_envelope_grabs_coupon', ['couponId'])
export class RedEnvelopeGrabEntity {
  @PrimaryColumn({ name: 'pack_id', type: 'varchar', length: 40 })
  packId!: string;

  @PrimaryColumn({ name: 'buyer_id', type: 'varchar', length: 40 })
  buyerId!: string;

  @Column({ name: 'share_index', type: 'int' })
  shareIndex!: number;

  @Column({ type: 'int' })
  amount!: number;

  /** When Redis accepted it (Redis' clock). */
  @Column({ name: 'grabbed_at', type: 'datetime' })
  grabbedAt!: Date;

  @Column({ name: 'coupon_id', type: 'varchar', length: 40, nullable: true })
  couponId!: string | null;

  /** Why no coupon came of it (the template stopped issuing); null when it did. */
  @Column({ name: 'issue_refusal', type: 'varchar', length: 20, nullable: true })
  issueRefusal!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}

/**
 * A buyer opened the pack from a chat (`group_id` '' for a single chat or none), through a
 * sharer's card: one row per (pack, buyer, group). The earliest row is the share that brought them.
 */
@Entity('red_envelope_opens')
@Index('idx_red_envelope_opens_pack_time', ['packId', 'openedAt'])
export class RedEnvelopeOpenEntity {
  @PrimaryColumn({ name: 'pack_id', type: 'varchar', length: 40 })
  packId!: string;

  @PrimaryColumn({ name: 'buyer_id', type: 'varchar', length: 40 })
  buyerId!: string;

  @PrimaryColumn({ name: 'group_id', type: 'varchar', length: 128 })
  groupId!: string;

  /** group, single (a one-to-one chat), none (not from a chat). */
  @Column({ type: 'varchar', length: 8 })
  chat!: 'group' | 'single' | 'none';

  @Column({ name: 'sharer_id', type: 'varchar', length: 40, nullable: true })
  sharerId!: string | null;

  /** The group passed the pack's group rule (a group-only pack's member). */
  @Column({ type: 'boolean', default: false })
  allowed!: boolean;

  @Column({ name: 'opened_at', type: 'datetime' })
  openedAt!: Date;
}

/** A paid order that used one of the pack's coupons: once per order number. */
@Entity('red_envelope_orders')
@Index('idx_red_envelope_orders_pack', ['packId'])
export class RedEnvelopeOrderEntity {
  @PrimaryColumn({ name: 'order_no', type: 'varchar', length: 32 })
  orderNo!: string;

  @Column({ name: 'pack_id', type: 'varchar', length: 40 })
  packId!: string;

  @Column({ name: 'buyer_id', type: 'varchar', length: 40 })
  buyerId!: string;

  @Column({ name: 'coupon_id', type: 'varchar', length: 40 })
  couponId!: string;

  /** What the coupon took off. */
  @Column({ type: 'int' })
  discount!: number;

  /** What the order came to (its payable). */
  @Column({ type: 'int' })
  gmv!: number;

  @Column({ name: 'paid_at', type: 'datetime' })
  paidAt!: Date;
}
