import type { Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { authorityOver, consentOf } from '../access/family-store.ts';
import { type ConsentCategory, type DB, personOrder } from '../database/schema.ts';
import { signalCodes } from '../signals/signal-codes.ts';

/**
 * What an organisation outside the team receives with a referral or a consultation "with the
 * record": who the family is, and the current signals of the shared categories — only as far as
 * the parents' consent for that organisation reaches (per subject; a parent's own history only
 * with that parent's consent). Withdrawn consent takes effect at the next read.
 */
export async function sharedWith(
  db: Kysely<DB>,
  familyId: string,
  organisationId: string,
  categories: readonly ConsentCategory[],
) {
  const family = await db
    .selectFrom('families as f')
    .innerJoin('neighbourhoods as n', 'n.id', 'f.neighbourhood_id')
    .select(['f.language', 'f.interpreter_needed', 'n.name as neighbourhood'])
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('persons as p')
          .selectAll('p')
          .select(authorityOver('p.id'))
          .whereRef('p.family_id', '=', 'f.id')
          .orderBy(personOrder('p')),
      ).as('persons'),
      jsonArrayFrom(
        eb
          .selectFrom('consents as c')
          .selectAll('c')
          .whereRef('c.family_id', '=', 'f.id')
          .where('c.withdrawn_at', 'is', null),
      ).as('consents'),
      jsonArrayFrom(
        eb
          .selectFrom('signals as s')
          .select(['s.code', 's.status', 's.since', 's.category', 's.organisation_id', 's.concerns_person_id'])
          .whereRef('s.family_id', '=', 'f.id')
          .where('s.status', '=', 'present'),
      ).as('signals'),
    ])
    .where('f.id', '=', familyId)
    .executeTakeFirstOrThrow();
  const { maySeeSignal } = consentOf(organisationId, family.persons, family.consents);
  const codes = signalCodes();
  return {
    language: family.language,
    interpreterNeeded: family.interpreter_needed,
    neighbourhood: family.neighbourhood,
    persons: family.persons.map((p) => ({
      id: p.id,
      role: p.role,
      givenName: p.given_name,
      familyName: p.family_name,
      birthDate: p.birth_date,
      childStatus: p.child_status,
    })),
    signals: family.signals
      .filter((s) => categories.includes(s.category) && maySeeSignal(s))
      .map((s) => ({ code: s.code, since: s.since, kind: codes.kindOf.get(s.code) ?? 'stress' })),
  };
}
