/** Records who changed what. Written in the same transaction as the change it describes. */
import { newId } from '@chatmall/shared';
import type { EntityManager } from 'typeorm';
import { AuditLogEntity } from './audit-log.entity';
import type { StaffPrincipal } from './principal';

/** The shop itself acting (a job, an expiry): audited as `system`. */
export interface SystemActor {
  kind: 'system';
}
export const SYSTEM_ACTOR: SystemActor = Object.freeze({ kind: 'system' as const });

export async function recordAudit(
  tx: EntityManager,
  actor: StaffPrincipal | SystemActor,
  action: string,
  entity: string,
  entityId: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await tx.getRepository(AuditLogEntity).insert({
    id: newId('audit'),
    actorId: actor.kind === 'system' ? 'system' : actor.staffId,
    actorRole: actor.kind === 'system' ? 'system' : actor.role,
    action,
    entity,
    entityId,
    detail: detail as never,
  });
}
