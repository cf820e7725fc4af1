import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type {
  CampaignAudience,
  CampaignChannel,
  CampaignContent,
  CampaignCounts,
  CampaignPauseReason,
  CampaignStatus,
  RecipientStatus,
} from '@chatmall/shared';

/**
 * The campaigns module's tables (its only writer): campaigns, one recipient row per
 * (campaign, openid), the per-follower monthly mass-send count, clicks on tracked links and
 * the orders they brought. docs/decisions/0035-campaign-fan-out.md, 0036.
 */
@Entity('campaigns')
@Index('idx_campaigns_status', ['status'])
export class CampaignEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ type: 'varchar', length: 40 })
  name!: string;

  @Column({ type: 'varchar', length: 12 })
  channel!: CampaignChannel;

  @Column({ type: 'simple-json' })
  content!: CampaignContent;

  @Column({ type: 'simple-json' })
  audience!: CampaignAudience;

  @Column({ type: 'varchar', length: 20 })
  status!: CampaignStatus;

  @Column({ name: 'pause_reason', type: 'varchar', length: 12, nullable: true })
  pauseReason!: CampaignPauseReason | null;

  @Column({ name: 'resume_at', type: 'datetime', nullable: true })
  resumeAt!: Date | null;

  @Column({ name: 'scheduled_at', type: 'datetime', nullable: true })
  scheduledAt!: Date | null;

  @Column({ name: 'approval_needed', type: 'boolean', default: false })
  approvalNeeded!: boolean;

  @Column({ name: 'approved_by', type: 'varchar', length: 40, nullable: true })
  approvedBy!: string | null;

  /** Where planning stopped (the last openid whose recipient row exists); null before it starts. */
  @Column({ name: 'plan_cursor', type: 'varchar', length: 64, nullable: true })
  planCursor!: string | null;

  @Column({ type: 'boolean', default: false })
  planned!: boolean;

  /** Each resume dispatches the waiting recipients again under new job ids. */
  @Column({ type: 'int', default: 0 })
  round!: number;

  /** The counts when the campaign ended (live counts come from the recipients). */
  @Column({ name: 'final_counts', type: 'simple-json', nullable: true })
  finalCounts!: CampaignCounts | null;

  @Column({ name: 'created_by', type: 'varchar', length: 40 })
  createdBy!: string;

  @Column({ name: 'started_at', type: 'datetime', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'datetime', nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}

@Entity('campaign_recipients')
@Index('idx_campaign_recipients_status', ['campaignId', 'status'])
@Index('idx_campaign_recipients_msg', ['msgId'])
export class CampaignRecipientEntity {
  @PrimaryColumn({ name: 'campaign_id', type: 'varchar', length: 40 })
  campaignId!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  openid!: string;

  @Column({ type: 'varchar', length: 10 })
  status!: RecipientStatus;

  @Column({ type: 'varchar', length: 24, nullable: true })
  reason!: string | null;

  /** WeChat's msgid (template) or msg_id (mass), as a string: it can exceed 2^53. */
  @Column({ name: 'msg_id', type: 'varchar', length: 24, nullable: true })
  msgId!: string | null;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  /** A mass send counted this recipient in their month (so a retry does not count twice). */
  @Column({ type: 'boolean', default: false })
  counted!: boolean;

  @Column({ name: 'sent_at', type: 'datetime', nullable: true })
  sentAt!: Date | null;
}

/** Mass messages a follower received in a China-time calendar month (WeChat allows 4). */
@Entity('campaign_mass_months')
export class CampaignMassMonthEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  openid!: string;

  @PrimaryColumn({ type: 'varchar', length: 7 })
  month!: string;

  @Column({ type: 'int', default: 0 })
  received!: number;
}

/** A buyer opened a campaign's tracked link. */
@Entity('campaign_clicks')
@Index('idx_campaign_clicks_buyer', ['buyerId', 'clickedAt'])
@Index('idx_campaign_clicks_campaign', ['campaignId'])
export class CampaignClickEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'campaign_id', type: 'varchar', length: 40 })
  campaignId!: string;

  @Column({ name: 'buyer_id', type: 'varchar', length: 40 })
  buyerId!: string;

  @Column({ name: 'clicked_at', type: 'datetime' })
  clickedAt!: Date;
}

/** A paid order within 7 days of the buyer's last click on a campaign's link: one campaign per order. */
@Entity('campaign_orders')
@Index('idx_campaign_orders_campaign', ['campaignId'])
export class CampaignOrderEntity {
  @PrimaryColumn({ name: 'order_no', type: 'varchar', length: 32 })
  orderNo!: string;

  @Column({ name: 'campaign_id', type: 'varchar', length: 40 })
  campaignId!: string;

  @Column({ name: 'buyer_id', type: 'varchar', length: 40 })
  buyerId!: string;

  @Column({ type: 'int' })
  amount!: number;

  @Column({ type: 'int', default: 0 })
  refunded!: number;

  @Column({ name: 'paid_at', type: 'datetime' })
  paidAt!: Date;
}

/**
 * A delivery receipt as WeChat pushed it (TEMPLATESENDJOBFINISH per follower; MASSSENDJOBFINISH
 * per job, openid `*`). Kept so a receipt that arrives before the send's own record is applied
 * once the record is written.
 */
@Entity('campaign_receipts')
export class CampaignReceiptEntity {
  @PrimaryColumn({ name: 'msg_id', type: 'varchar', length: 24 })
  msgId!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  openid!: string;

  @Column({ type: 'varchar', length: 40 })
  status!: string;

  @Column({ name: 'received_at', type: 'datetime' })
  receivedAt!: Date;
}
