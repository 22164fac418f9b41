import type { Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { z } from 'zod';
import { authorityOver, consentOf } from '../access/family-store.ts';
import { type ConsentCategory, type DB, PERSON_ROLES, personOrder, SIGNAL_SOURCES } from '../database/schema.ts';
import { signalCodes } from '../signals/signal-codes.ts';

/** What went along with a referral or a consultation, for the receiver (null once it is closed). */
export const SharedWithResponse = z
  .object({
    language: z.string().nullable(),
    interpreterNeeded: z.boolean(),
    neighbourhood: z.string(),
    persons: z.array(
      z.object({
        id: z.uuid(),
        role: z.enum(PERSON_ROLES),
        givenName: z.string().nullable(),
        familyName: z.string().nullable(),
        birthDate: z.string().nullable(),
        childStatus: z.string().nullable(),
        dueDate: z.string().nullable(),
      }),
    ),
    signals: z.array(
      z.object({
        code: z.string(),
        since: z.string().nullable(),
        kind: z.enum(['stress', 'protective']),
        source: z.enum(SIGNAL_SOURCES),
        note: z.string().nullable(),
        organisationName: z.string(),
        concerns: z.string().nullable(),
      }),
    ),
    /** The persons who consented to sharing this with the receiver. */
    consentedBy: z.array(z.object({ name: z.string(), role: z.enum(PERSON_ROLES).nullable() })),
  })
  .nullable();

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
          .innerJoin('organisations as so', 'so.id', 's.organisation_id')
          .select([
            's.code',
            's.status',
            's.since',
            's.source',
            's.note',
            's.category',
            's.organisation_id',
            's.concerns_person_id',
            'so.name as organisation_name',
          ])
          .whereRef('s.family_id', '=', 'f.id')
          .where('s.status', '=', 'present')
          .orderBy('s.since'),
      ).as('signals'),
      jsonArrayFrom(
        eb
          .selectFrom('trajectories as t')
          .select(['t.child_person_id', 't.due_date'])
          .whereRef('t.family_id', '=', 'f.id')
          .where('t.kind', '=', 'child'),
      ).as('children'),
    ])
    .where('f.id', '=', familyId)
    .executeTakeFirstOrThrow();
  const { maySeeSignal } = consentOf(organisationId, family.persons, family.consents);
  const codes = signalCodes();
  const nameOf = (personId: string) => {
    const person = family.persons.find((p) => p.id === personId);
    return person ? [person.given_name, person.family_name].filter(Boolean).join(' ') : '';
  };
  // Who consented to sharing with this organisation, for what was shared (the parents, by name).
  const consentedBy = [
    ...new Set(
      family.consents
        .filter(
          (c) =>
            c.purpose === 'share' &&
            c.organisation_id === organisationId &&
            categories.includes(c.category as ConsentCategory),
        )
        .map((c) => c.person_id),
    ),
  ].map((personId) => ({ name: nameOf(personId), role: family.persons.find((p) => p.id === personId)?.role ?? null }));
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
      /** For a child not yet born: the due date (the child's age is what a question often turns on). */
      dueDate: family.children.find((c) => c.child_person_id === p.id)?.due_date ?? null,
    })),
    /** The signals of the shared categories, with the professional's own words and where they come from. */
    signals: family.signals
      .filter((s) => categories.includes(s.category) && maySeeSignal(s))
      .map((s) => ({
        code: s.code,
        since: s.since,
        kind: codes.kindOf.get(s.code) ?? 'stress',
        source: s.source,
        note: s.note,
        organisationName: s.organisation_name,
        concerns: s.concerns_person_id ? nameOf(s.concerns_person_id) : null,
      })),
    consentedBy,
  };
}
