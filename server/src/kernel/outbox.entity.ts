import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Events written in the same transaction as the change they announce, and turned into
 * jobs only after commit. `(topic, event_key)` is unique: the business key makes an event
 * exist at most once however often the change is attempted.
 */
@Entity('outbox_events')
@Index('uq_outbox_topic_key', ['topic', 'eventKey'], { unique: true })
@Index('idx_outbox_pending', ['dispatchedAt'])
export class OutboxEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ type: 'varchar', length: 48 })
  topic!: string;

  @Column({ name: 'event_key', type: 'varchar', length: 64 })
  eventKey!: string;

  @Column({ type: 'simple-json' })
  payload!: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'dispatched_at', type: 'datetime', nullable: true })
  dispatchedAt!: Date | null;
}

/** One row per side effect of an event that has run: the effect never runs twice. */
@Entity('outbox_effects')
export class OutboxEffectEntity {
  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 40 })
  eventId!: string;

  @PrimaryColumn({ type: 'varchar', length: 48 })
  effect!: string;

  @CreateDateColumn({ name: 'done_at' })
  doneAt!: Date;
}
