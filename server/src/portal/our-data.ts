import { personOrder } from '../database/schema.ts';
import type { RequestContext } from '../http/context.ts';
import { signalCodes } from '../signals/signal-codes.ts';
import { parentLink, signalVisibleTo } from './parent-link.ts';

/**
 * "Our data" (AVG art. 15, the right of access): everything Kring holds about the family, for a
 * parent to download — machine-readable JSON, and the same shown as a page to print or save as
 * PDF. Professionals' own words are included (they are data about the family); another person's
 * own childhood history is not, and neither are the steps of a Meldcode route held back from the
 * parents (until its professionals decide they may see it). The export itself is audited.
 */
export async function exportOurData(ctx: RequestContext) {
  return ctx.transaction(async (tx) => {
    const link = await parentLink(ctx, tx, 'portal.export');
    const { familyId } = link;
    const [
      family,
      persons,
      trajectories,
      contacts,
      signals,
      judgements,
      goals,
      actions,
      referrals,
      consents,
      requests,
      audit,
    ] = await Promise.all([
      tx.db
        .selectFrom('families')
        .select([
          'street',
          'house_number',
          'postcode',
          'city',
          'language',
          'interpreter_needed',
          'status',
          'created_at',
        ])
        .where('id', '=', familyId)
        .executeTakeFirstOrThrow(),
      tx.db
        .selectFrom('persons')
        .select(['id', 'role', 'given_name', 'family_name', 'birth_date', 'bsn', 'child_status', 'sex'])
        .where('family_id', '=', familyId)
        .orderBy(personOrder('persons'))
        .execute(),
      tx.db
        .selectFrom('trajectories')
        .select(['kind', 'due_date', 'birth_date', 'birth_weight_grams', 'pregnancy_ended_on', 'status'])
        .where('family_id', '=', familyId)
        .execute(),
      tx.db
        .selectFrom('contacts as c')
        .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
        .select(['c.occurred_on', 'c.kind', 'c.note', 'o.name as organisation'])
        .where('c.family_id', '=', familyId)
        .orderBy('c.occurred_on')
        .execute(),
      tx.db
        .selectFrom('signals as s')
        .innerJoin('organisations as o', 'o.id', 's.organisation_id')
        .select([
          's.code',
          's.concerns_person_id',
          's.status',
          's.since',
          's.source',
          's.note',
          's.parents_view',
          's.created_at',
          'o.name as organisation',
        ])
        .where('s.family_id', '=', familyId)
        .orderBy('s.created_at')
        .execute(),
      tx.db
        .selectFrom('judgements as j')
        .innerJoin('organisations as o', 'o.id', 'j.organisation_id')
        .select([
          'j.stress_level',
          'j.intensity',
          'j.rationale',
          'j.parents_view',
          'j.status',
          'j.created_at',
          'o.name as organisation',
        ])
        .where('j.family_id', '=', familyId)
        .orderBy('j.created_at')
        .execute(),
      tx.db
        .selectFrom('plan_goals')
        .select(['goal', 'evaluate_on', 'status', 'evaluation'])
        .where('family_id', '=', familyId)
        .execute(),
      tx.db
        .selectFrom('plan_actions')
        .select(['action', 'due_on', 'status'])
        .where('family_id', '=', familyId)
        .execute(),
      tx.db
        .selectFrom('referrals as r')
        .innerJoin('organisations as o', 'o.id', 'r.to_organisation_id')
        .select(['r.intervention_key', 'r.reason', 'r.status', 'r.created_at', 'o.name as to_organisation'])
        .where('r.family_id', '=', familyId)
        .execute(),
      tx.db
        .selectFrom('consents as c')
        .leftJoin('organisations as o', 'o.id', 'c.organisation_id')
        .select([
          'c.person_id',
          'c.purpose',
          'c.category',
          'c.given_how',
          'c.recorded_at',
          'c.withdrawn_at',
          'o.name as organisation',
        ])
        .where('c.family_id', '=', familyId)
        .execute(),
      tx.db
        .selectFrom('data_requests')
        .select([
          'kind',
          'record_type',
          'request_text',
          'status',
          'decision_ground',
          'decision_reason',
          'created_at',
          'decided_at',
        ])
        .where('family_id', '=', familyId)
        .execute(),
      tx.db
        .selectFrom('audit_events as e')
        .leftJoin('organisations as o', 'o.id', 'e.actor_organisation_id')
        .select(['e.occurred_at', 'e.action', 'e.outcome', 'e.actor_role', 'o.name as organisation'])
        .where('e.family_id', '=', familyId)
        .where((eb) =>
          eb.or([
            eb('e.action', 'not like', 'meldcode.%'),
            eb(
              'e.record_id',
              'in',
              eb
                .selectFrom('meldcode_routes')
                .select('id')
                .where('family_id', '=', familyId)
                .where('shown_to_parents', '=', true),
            ),
          ]),
        )
        .orderBy('e.occurred_at')
        .execute(),
    ]);
    await tx.audit({ action: 'portal.export', familyId, recordType: 'family', recordId: familyId });
    const codes = signalCodes();
    const nameOf = (id: string | null) => persons.find((p) => p.id === id)?.given_name ?? null;
    return {
      exportedAt: new Date().toISOString(),
      about: 'Everything Kring holds about your family (AVG art. 15). Questions: ask your care team.',
      family,
      persons,
      trajectories,
      contacts,
      signals: signals.filter(signalVisibleTo(link.personId)).map((s) => ({
        ...s,
        concerns: nameOf(s.concerns_person_id),
        textForParents: codes.byKey.get(s.code)?.parentNl ?? s.code,
        textForParentsEn: codes.byKey.get(s.code)?.parentEn ?? s.code,
      })),
      judgements,
      plan: { goals, actions },
      referrals,
      consents: consents.map((c) => ({ ...c, person: nameOf(c.person_id) })),
      correctionAndDeletionRequests: requests,
      accessLog: audit,
    };
  });
}
