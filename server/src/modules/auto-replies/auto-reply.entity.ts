import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { AutoReplyContent, KeywordMatch } from '@chatmall/shared';

/** Keyword rules, tried by priority (higher first), then age. The auto-replies module writes them. */
@Entity('oa_keyword_rules')
@Index('idx_oa_keyword_rules_order', ['priority', 'createdAt'])
export class KeywordRuleEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ type: 'varchar', length: 60 })
  name!: string;

  @Column({ type: 'varchar', length: 8 })
  match!: KeywordMatch;

  @Column({ type: 'varchar', length: 200 })
  pattern!: string;

  @Column({ type: 'int' })
  priority!: number;

  @Column({ type: 'simple-json' })
  reply!: AutoReplyContent;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}

/**
 * Named settings of the account's replies: `welcome:shop`, `welcome:<touchpointId>`,
 * `default`, `menu:draft`, `menu:published` — each a JSON value.
 */
@Entity('oa_reply_settings')
export class ReplySettingEntity {
  @PrimaryColumn({ type: 'varchar', length: 60 })
  name!: string;

  @Column({ type: 'simple-json' })
  value!: unknown;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
