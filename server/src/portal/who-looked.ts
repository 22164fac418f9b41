import type { RequestContext } from '../http/context.ts';
import { parentLink } from './parent-link.ts';

/**
 * "Who looked at our record" in the parents' own Kring: the family's audit trail in plain terms —
 * which organisation, in which role, looked at or changed which part, and when. Professionals'
 * names are not shown (the organisation and role are). What is held back from the parents (the
 * steps of a Meldcode route) stays out of this list too.
 */
export async function readWhoLooked(ctx: RequestContext) {
  return ctx.transaction(async (tx) => {
    const link = await parentLink(ctx, tx, 'portal.audit');
    const events = await tx.db
      .selectFrom('audit_events as e')
      .leftJoin('organisations as o', 'o.id', 'e.actor_organisation_id')
      .select(['e.id', 'e.occurred_at', 'e.action', 'e.outcome', 'e.actor_role', 'o.name as organisation'])
      .where('e.family_id', '=', link.familyId)
      // Meldcode steps only of a route its professionals decided the parents may see.
      .where((eb) =>
        eb.or([
          eb('e.action', 'not like', 'meldcode.%'),
          eb(
            'e.record_id',
            'in',
            eb
              .selectFrom('meldcode_routes')
              .select('id')
              .where('family_id', '=', link.familyId)
              .where('shown_to_parents', '=', true),
          ),
        ]),
      )
      .orderBy('e.occurred_at', 'desc')
      .limit(300)
      .execute();
    await tx.audit({
      action: 'portal.audit_read',
      familyId: link.familyId,
      recordType: 'family',
      recordId: link.familyId,
    });
    return {
      events: events.map((e) => {
        const [area = 'family', ...rest] = e.action.split('.');
        const verb = rest.at(-1) ?? '';
        return {
          id: e.id,
          occurredAt: e.occurred_at.toISOString(),
          organisation: e.organisation,
          role: e.actor_role,
          area,
          kind:
            e.actor_role === 'parent'
              ? ('parent' as const)
              : e.action === 'family.emergency_access'
                ? ('emergency' as const)
                : e.outcome === 'refused'
                  ? ('refused' as const)
                  : /read|list|search|open|export/.test(verb) || e.action === 'family.read'
                    ? ('looked' as const)
                    : ('changed' as const),
        };
      }),
    };
  });
}
