import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { SegmentRules } from '@chatmall/shared';

/**
 * The audience module's read model (its only writer), fed by events and never by another
 * module's tables: a row per follower (follower.* events), their tags, what each buyer spent
 * and when they last paid (order.placed / order.paid / refund.succeeded), and the saved
 * segments that select over them. docs/decisions/0037-audience-read-model.md.
 */
@Entity('audience_followers')
@Index('idx_audience_followers_buyer', ['buyerId'])
export class AudienceFollowerEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  openid!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  unionid!: string | null;

  @Column({ name: 'buyer_id', type: 'varchar', length: 40, nullable: true })
  buyerId!: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  city!: string | null;

  @Column({ name: 'touchpoint_id', type: 'varchar', length: 40, nullable: true })
  touchpointId!: string | null;

  @Column({ type: 'boolean', default: false })
  following!: boolean;

  @Column({ name: 'followed_at', type: 'datetime', nullable: true })
  followedAt!: Date | null;

  /** The follower's last message or event: the 48-hour customer-service window runs from it. */
  @Column({ name: 'last_message_at', type: 'datetime', nullable: true })
  lastMessageAt!: Date | null;

  /** The membership level (member.level_changed), when the follower is a member. */
  @Column({ name: 'member_level', type: 'varchar', length: 40, nullable: true })
  memberLevel!: string | null;
}

@Entity('audience_follower_tags')
@Index('idx_audience_follower_tags_tag', ['tagId', 'openid'])
export class AudienceFollowerTagEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  openid!: string;

  @PrimaryColumn({ name: 'tag_id', type: 'int' })
  tagId!: number;
}

/** What a buyer spent (paid less refunded) and when they last paid. */
@Entity('audience_buyers')
export class AudienceBuyerEntity {
  @PrimaryColumn({ name: 'buyer_id', type: 'varchar', length: 40 })
  buyerId!: string;

  @Column({ name: 'last_order_at', type: 'datetime', nullable: true })
  lastOrderAt!: Date | null;

  @Column({ name: 'total_spend', type: 'int', default: 0 })
  totalSpend!: number;
}

/**
 * An order as the audience knows it: order.placed names its buyer, order.paid (which carries
 * only the number) counts it once (paid flips 0 → 1 under a condition), refunds take off once
 * each (refunded holds the refunded total so far).
 */
@Entity('audience_orders')
export class AudienceOrderEntity {
  @PrimaryColumn({ name: 'order_no', type: 'varchar', length: 32 })
  orderNo!: string;

  @Column({ name: 'buyer_id', type: 'varchar', length: 40 })
  buyerId!: string;

  @Column({ type: 'int', default: 0 })
  amount!: number;

  @Column({ type: 'boolean', default: false })
  paid!: boolean;

  @Column({ name: 'paid_at', type: 'datetime', nullable: true })
  paidAt!: Date | null;

  @Column({ type: 'int', default: 0 })
  refunded!: number;
}

/** A mini-program subscribe-message consent not yet used (one send each). */
@Entity('audience_consents')
export class AudienceConsentEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  openid!: string;

  @PrimaryColumn({ name: 'template_id', type: 'varchar', length: 64 })
  templateId!: string;

  @Column({ type: 'int', default: 0 })
  remaining!: number;
}

@Entity('audience_segments')
export class AudienceSegmentEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ type: 'varchar', length: 40 })
  name!: string;

  @Column({ type: 'simple-json' })
  rules!: SegmentRules;

  @Column({ name: 'created_by', type: 'varchar', length: 40 })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}
