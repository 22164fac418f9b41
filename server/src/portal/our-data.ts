import { parentSeesEntry, readerSeesChild } from '../access/family-audience.ts';
import { personOrder } from '../database/schema.ts';
import type { RequestContext } from '../http/context.ts';
import { signalCodes } from '../signals/signal-codes.ts';

import { viewsFor } from './parent-views.ts';
import { accessLogFor } from './who-looked.ts';

/**
 * "Our data" (AVG art. 15, the right of access): everything Kring holds about the family, for a
 * parent to download — machine-readable JSON, and the same shown as a page to print or save as
 * PDF. Per person (WGBO 7:456: the right of access is to data about oneself): exactly what this
 * parent may see in the parents' Kring (access/family-audience.ts) — professionals' own words
 * included, what is about the other adult not; of the other persons, only who they are; the access
 * log as "who looked" shows it to this parent. The export itself is audited.
 */
export async function exportOurData(ctx: RequestContext) {
  return ctx.transaction(async (tx) => {
    const link = await tx.families.parent('portal.export');
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
      views,
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
        .select([
          'kind',
          'child_person_id',
          'due_date',
          'birth_date',
          'birth_weight_grams',
          'pregnancy_ended_on',
          'status',
        ])
        .where('family_id', '=', familyId)
        .execute(),
      tx.db
        .selectFrom('contacts as c')
        .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
        .select(['c.occurred_on', 'c.kind', 'c.note', 'o.name as organisation'])
        .where('c.family_id', '=', familyId)
        .where(parentSeesEntry(link.reader, 'contact', 'c'))
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
          's.id',
          's.created_at',
          'o.name as organisation',
        ])
        .where('s.family_id', '=', familyId)
        .where(parentSeesEntry(link.reader, 'signal', 's'))
        .orderBy('s.created_at')
        .execute(),
      tx.db
        .selectFrom('judgements as j')
        .innerJoin('organisations as o', 'o.id', 'j.organisation_id')
        .select([
          'j.id',
          'j.stress_level',
          'j.intensity',
          'j.rationale',
          'j.parents_view',
          'j.status',
          'j.created_at',
          'o.name as organisation',
        ])
        .where('j.family_id', '=', familyId)
        .where(parentSeesEntry(link.reader, 'judgement', 'j'))
        .orderBy('j.created_at')
        .execute(),
      tx.db
        .selectFrom('plan_goals as g')
        .select(['g.goal', 'g.evaluate_on', 'g.status', 'g.evaluation'])
        .where('g.family_id', '=', familyId)
        .where(parentSeesEntry(link.reader, 'plan_goal', 'g'))
        .execute(),
      tx.db
        .selectFrom('plan_actions as pa')
        .innerJoin('plan_goals as g', 'g.id', 'pa.goal_id')
        .select(['pa.action', 'pa.due_on', 'pa.status'])
        .where('pa.family_id', '=', familyId)
        .where(parentSeesEntry(link.reader, 'plan_goal', 'g'))
        .execute(),
      tx.db
        .selectFrom('referrals as r')
        .innerJoin('organisations as o', 'o.id', 'r.to_organisation_id')
        .select(['r.intervention_key', 'r.reason', 'r.status', 'r.created_at', 'o.name as to_organisation'])
        .where('r.family_id', '=', familyId)
        .where(parentSeesEntry(link.reader, 'referral', 'r'))
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
        .where('c.person_id', '=', link.personId)
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
        .where('requested_by_person_id', '=', link.personId)
        .execute(),
      accessLogFor(tx, link).orderBy('e.occurred_at').execute(),
      viewsFor(tx, link),
    ]);
    await tx.audit({ action: 'portal.export', familyId, recordType: 'family', recordId: familyId });
    const codes = signalCodes();
    const { reader } = link;
    const nameOf = (id: string | null) => persons.find((p) => p.id === id)?.given_name ?? null;
    return {
      exportedAt: new Date().toISOString(),
      about: 'Everything Kring holds about your family (AVG art. 15). Questions: ask your care team.',
      family,
      // Who the others are; an adult's birth date and BSN are that adult's own, a child's go to
      // the adults with parental authority over that child (and, before birth, the pregnant person).
      persons: persons.map((p) =>
        p.id === link.personId || readerSeesChild(reader, p.id)
          ? p
          : { id: p.id, role: p.role, given_name: p.given_name, family_name: p.family_name },
      ),
      // A pregnancy and its end are the pregnant person's, a child's course its guardians'.
      trajectories: trajectories
        .filter((t) => t.child_person_id === null || readerSeesChild(reader, t.child_person_id))
        .map(({ child_person_id: _child, ...t }) => t),
      contacts,
      signals: signals.map(({ id, ...s }) => ({
        ...s,
        ...views(id),
        concerns: nameOf(s.concerns_person_id),
        textForParents: codes.byKey.get(s.code)?.parentNl ?? s.code,
        textForParentsEn: codes.byKey.get(s.code)?.parentEn ?? s.code,
      })),
      judgements: judgements.map(({ id, ...j }) => ({ ...j, ...views(id) })),
      plan: { goals, actions },
      referrals,
      consents: consents.map((c) => ({ ...c, person: nameOf(c.person_id) })),
      correctionAndDeletionRequests: requests,
      accessLog: audit.map(({ id: _id, held_back: _heldBack, actor_account_id: _account, ...e }) => e),
    };
  });
}
