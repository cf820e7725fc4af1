/** Records who changed what. Written in the same transaction as the change it describes. */
import { newId } from '@chatmall/shared';
import type { EntityManager } from 'typeorm';
import { AuditLogEntity } from './audit-log.entity';
import type { StaffPrincipal } from './principal';

export async function recordAudit(
  tx: EntityManager,
  actor: StaffPrincipal,
  action: string,
  entity: string,
  entityId: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await tx.getRepository(AuditLogEntity).insert({
    id: newId('audit'),
    actorId: actor.staffId,
    actorRole: actor.role,
    action,
    entity,
    entityId,
    detail: detail as never,
  });
}
