import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** Who changed what in the shop: products, prices, stock, orders, refunds. Append-only. */
@Entity('audit_log')
@Index('idx_audit_entity', ['entity', 'entityId'])
export class AuditLogEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'actor_id', type: 'varchar', length: 40 })
  actorId!: string;

  @Column({ name: 'actor_role', type: 'varchar', length: 16 })
  actorRole!: string;

  /** e.g. `order.ship`, `product.price`, `sku.stock`. */
  @Column({ type: 'varchar', length: 48 })
  action!: string;

  @Column({ type: 'varchar', length: 32 })
  entity!: string;

  @Column({ name: 'entity_id', type: 'varchar', length: 40 })
  entityId!: string;

  @Column({ type: 'simple-json' })
  detail!: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
