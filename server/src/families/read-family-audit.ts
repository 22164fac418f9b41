import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';

/** The family's audit trail (who looked at or changed what, when), for its regiehouder. */
export async function readFamilyAudit(ctx: RequestContext, familyId: string) {
  return ctx.transaction(async (tx) => {
    await tx.families.open(familyId, 'family.read');
    const regie = await tx.db
      .selectFrom('families')
      .select('id')
      .where('id', '=', familyId)
      .where('id', 'in', tx.families.regieIds())
      .executeTakeFirst();
    if (!regie) {
      throw new AppError('FORBIDDEN', 'Only the regiehouder reads the family’s audit trail.', {
        refusal: { action: 'family.audit.read', familyId },
      });
    }
    const events = await tx.db
      .selectFrom('audit_events as e')
      .leftJoin('organisations as o', 'o.id', 'e.actor_organisation_id')
      .leftJoin('accounts as a', 'a.id', 'e.actor_account_id')
      .select([
        'e.id',
        'e.occurred_at',
        'e.action',
        'e.outcome',
        'e.actor_role',
        'o.name as organisation',
        'a.display_name as actor',
      ])
      .where('e.family_id', '=', familyId)
      .orderBy('e.occurred_at', 'desc')
      .limit(500)
      .execute();
    await tx.audit({ action: 'family.audit.read', familyId, recordType: 'family', recordId: familyId });
    return {
      events: events.map((e) => ({
        id: e.id,
        occurredAt: e.occurred_at.toISOString(),
        action: e.action,
        outcome: e.outcome,
        role: e.actor_role,
        organisation: e.organisation,
        actor: e.actor,
      })),
    };
  });
}
