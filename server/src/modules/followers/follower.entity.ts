import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * The followers module's tables (their only writer): followers of the official account as
 * events and the full sync report them, what they wrote and what the shop answered (the
 * inbox), the sync's cursor, and the mirror of the account's tags.
 */
@Entity('oa_followers')
@Index('idx_oa_followers_unionid', ['unionid'])
@Index('idx_oa_followers_buyer', ['buyerId'])
export class FollowerEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  openid!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  unionid!: string | null;

  @Column({ name: 'buyer_id', type: 'varchar', length: 40, nullable: true })
  buyerId!: string | null;

  @Column({ type: 'boolean', default: false })
  subscribed!: boolean;

  @Column({ name: 'followed_at', type: 'datetime', nullable: true })
  followedAt!: Date | null;

  @Column({ name: 'unfollowed_at', type: 'datetime', nullable: true })
  unfollowedAt!: Date | null;

  @Column({ name: 'touchpoint_id', type: 'varchar', length: 40, nullable: true })
  touchpointId!: string | null;

  /** When the follower was attributed to the touchpoint: a first order counts for 30 days after. */
  @Column({ name: 'touchpoint_at', type: 'datetime', nullable: true })
  touchpointAt!: Date | null;

  @Column({ type: 'varchar', length: 60, nullable: true })
  city!: string | null;

  @Column({ name: 'tag_ids', type: 'simple-json' })
  tagIds!: number[];

  @Column({ name: 'last_interaction_at', type: 'datetime', nullable: true })
  lastInteractionAt!: Date | null;

  /** Bumped by every change: the key of its `follower.updated` event. */
  @Column({ type: 'int', default: 0 })
  version!: number;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}

/** One message in a follower's conversation: theirs (`in`) or the shop's (`out`). */
@Entity('oa_inbox_messages')
@Index('idx_oa_inbox_openid_at', ['openid', 'at'])
@Index('idx_oa_inbox_at', ['at'])
@Index('uq_oa_inbox_msg_key', ['msgKey'], { unique: true })
export class InboxMessageEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  openid!: string;

  @Column({ type: 'varchar', length: 3 })
  direction!: 'in' | 'out';

  @Column({ name: 'msg_type', type: 'varchar', length: 20 })
  msgType!: string;

  @Column({ type: 'text' })
  content!: string;

  /** WeChat's MsgId for a follower's message: a redelivered push is stored once. */
  @Column({ name: 'msg_key', type: 'varchar', length: 80, nullable: true })
  msgKey!: string | null;

  @Column({ name: 'staff_id', type: 'varchar', length: 40, nullable: true })
  staffId!: string | null;

  @Column({ type: 'datetime' })
  at!: Date;
}

/** The full sync's cursor: where the next user/get page starts, so a crash resumes there. */
@Entity('oa_follower_sync')
export class FollowerSyncEntity {
  @PrimaryColumn({ type: 'varchar', length: 20 })
  id!: string;

  @Column({ type: 'varchar', length: 10 })
  status!: 'IDLE' | 'RUNNING' | 'DONE' | 'FAILED';

  @Column({ name: 'next_openid', type: 'varchar', length: 64, nullable: true })
  nextOpenid!: string | null;

  @Column({ type: 'int', default: 0 })
  fetched!: number;

  @Column({ type: 'int', nullable: true })
  total!: number | null;

  /** A running sync holds the cursor until then; a crashed one's lease runs out. */
  @Column({ name: 'lease_until', type: 'datetime', nullable: true })
  leaseUntil!: Date | null;

  @Column({ name: 'started_at', type: 'datetime', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'datetime', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  error!: string | null;
}

/** The mirror of the account's tags (WeChat holds the truth; ids are WeChat's). */
@Entity('oa_follower_tags')
export class FollowerTagEntity {
  @PrimaryColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'varchar', length: 60 })
  name!: string;

  @Column({ type: 'int', default: 0 })
  count!: number;
}
