import type { Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Access } from '../access/access.ts';
import { consentFor } from '../consent/consent-rules.ts';
import { CONSENT_CATEGORIES, type ConsentCategory, type DB } from '../database/schema.ts';
import type { RequestContext } from '../http/context.ts';
import type { FamilyRecordResponse } from './family.types.ts';
import { scheduleFor } from './jgz-schedule.ts';
import { todayIso as today, trajectoryOn } from './trajectory.ts';

/** Birth weight under 2500 g counts as low (WHO). */
export const LOW_BIRTH_WEIGHT_GRAMS = 2500;

/**
 * The family with its persons and active consents in one statement, only if the actor may see it
 * (the family scope of the access decision point).
 */
function familyQuery(db: Kysely<DB>, access: Access, familyId: string) {
  return db
    .selectFrom('families as f')
    .innerJoin('neighbourhoods as n', 'n.id', 'f.neighbourhood_id')
    .selectAll('f')
    .select('n.name as neighbourhood')
    .select((eb) => [
      jsonArrayFrom(
        eb.selectFrom('persons as p').selectAll('p').whereRef('p.family_id', '=', 'f.id').orderBy('p.created_at'),
      ).as('persons'),
      jsonArrayFrom(
        eb
          .selectFrom('consents as c')
          .selectAll('c')
          .whereRef('c.family_id', '=', 'f.id')
          .where('c.withdrawn_at', 'is', null)
          .orderBy('c.recorded_at'),
      ).as('consents'),
    ])
    .where('f.id', '=', familyId)
    .where(access.familyScope('f.id'));
}

type LoadedFamily = NonNullable<Awaited<ReturnType<ReturnType<typeof familyQuery>['executeTakeFirst']>>>;

/** What the organisation's consent allows: per category, and whether one entry may be read. */
function consentOf(organisationId: string, persons: LoadedFamily['persons'], consents: LoadedFamily['consents']) {
  const mine = consentFor(
    organisationId,
    persons.map((p) => ({ id: p.id, role: p.role, parentalAuthority: p.parental_authority })),
    consents
      .filter((c) => c.purpose === 'share' && c.organisation_id && c.category)
      .map((c) => ({
        personId: c.person_id,
        organisationId: c.organisation_id as string,
        category: c.category as ConsentCategory,
      })),
    CONSENT_CATEGORIES,
  );
  const allowed = new Set(mine.filter((c) => c.complete).map((c) => c.category));
  /** An entry is readable when it is the organisation's own, or its category is consented. */
  const mayRead = (entry: { organisation_id: string; category: ConsentCategory }) =>
    entry.organisation_id === organisationId || allowed.has(entry.category);
  return { mine, mayRead };
}

/**
 * Load a family the actor may see (404 otherwise, audited) with what their organisation's consent
 * allows: the categories it may read, and whether the actor is regiehouder.
 */
export async function loadVisibleFamily(
  db: Kysely<DB>,
  access: Access,
  familyId: string,
  action: 'family.read' | 'family.write',
) {
  const family = await familyQuery(db, access, familyId).executeTakeFirst();
  if (!family) throw access.familyNotFound(action, familyId);
  const { persons, consents } = family;
  return { family, persons, consents, ...consentOf(access.organisationId, persons, consents) };
}

/** Everything the family record page needs, in one request; audited as one read. */
export async function openFamilyRecord(ctx: RequestContext, familyId: string): Promise<FamilyRecordResponse> {
  const access = ctx.access;
  // One statement for the whole page and its audit event: the family, and each part as a JSON array.
  const [family] = await ctx.auditedRead(
    familyQuery(ctx.deps.database.db, access, familyId).select((eb) => [
      jsonArrayFrom(
        eb.selectFrom('trajectories as t').selectAll('t').whereRef('t.family_id', '=', 'f.id').orderBy('t.created_at'),
      ).as('trajectories'),
      jsonArrayFrom(
        eb
          .selectFrom('care_team_organisations as cto')
          .innerJoin('organisations as o', 'o.id', 'cto.organisation_id')
          .select(['cto.organisation_id', 'cto.started_on', 'o.name', 'o.type'])
          .whereRef('cto.family_id', '=', 'f.id')
          .where('cto.ended_on', 'is', null)
          .orderBy('cto.started_on'),
      ).as('team'),
      jsonArrayFrom(
        eb
          .selectFrom('care_team_professionals as ctp')
          .innerJoin('accounts as a', 'a.id', 'ctp.account_id')
          .select(['ctp.organisation_id', 'ctp.account_id', 'ctp.is_regiehouder', 'a.display_name', 'a.discipline'])
          .whereRef('ctp.family_id', '=', 'f.id')
          .where('ctp.ended_at', 'is', null),
      ).as('professionals'),
      jsonArrayFrom(
        eb
          .selectFrom('contacts as c')
          .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
          .innerJoin('accounts as a', 'a.id', 'c.account_id')
          .selectAll('c')
          .select(['o.name as organisation_name', 'o.type as organisation_type', 'a.display_name as professional_name'])
          .whereRef('c.family_id', '=', 'f.id')
          .orderBy('c.occurred_on', 'desc'),
      ).as('contacts'),
      jsonArrayFrom(
        eb
          .selectFrom('handovers as h')
          .innerJoin('organisations as fo', 'fo.id', 'h.from_organisation_id')
          .innerJoin('organisations as to', 'to.id', 'h.to_organisation_id')
          .select(['h.id', 'h.status', 'h.summary', 'h.created_at', 'fo.name as from_name', 'to.name as to_name'])
          .whereRef('h.family_id', '=', 'f.id')
          .orderBy('h.created_at', 'desc'),
      ).as('handovers'),
    ]),
    { action: 'family.read', familyId, recordType: 'family', recordId: familyId },
    { onlyIfFound: true },
  );
  if (!family) throw access.familyNotFound('family.read', familyId);
  const { persons, consents, trajectories, team, professionals, contacts, handovers } = family;
  const { mine, mayRead } = consentOf(access.organisationId, persons, consents);

  const now = today();
  const jgzContacts = contacts
    .filter((c) => c.organisation_type === 'jgz')
    .map((c) => ({ occurredOn: c.occurred_on, kind: c.kind, trajectoryId: c.trajectory_id }));
  const visibleContacts = contacts.filter(mayRead);

  return {
    family: {
      id: family.id,
      status: family.status,
      version: family.version,
      street: family.street,
      houseNumber: family.house_number,
      postcode: family.postcode,
      city: family.city,
      neighbourhood: family.neighbourhood,
      language: family.language,
      interpreterNeeded: family.interpreter_needed,
    },
    persons: persons.map((p) => ({
      id: p.id,
      role: p.role,
      givenName: p.given_name,
      familyName: p.family_name,
      birthDate: p.birth_date,
      bsn: p.bsn,
      parentalAuthority: p.parental_authority,
      childStatus: p.child_status,
    })),
    trajectories: trajectories.map((t) => {
      const view = t.due_date
        ? trajectoryOn({ dueDate: t.due_date, birthDate: t.birth_date, pregnancyEndedOn: t.pregnancy_ended_on }, now)
        : null;
      return {
        id: t.id,
        kind: t.kind,
        childPersonId: t.child_person_id,
        status: t.status,
        dueDate: t.due_date,
        lmpDate: t.lmp_date,
        birthDate: t.birth_date,
        birthWeightGrams: t.birth_weight_grams,
        birthPlace: t.birth_place,
        pregnancyEndedOn: t.pregnancy_ended_on,
        version: t.version,
        view: view && {
          ...view,
          lowBirthWeight: t.birth_weight_grams !== null && t.birth_weight_grams < LOW_BIRTH_WEIGHT_GRAMS,
        },
        schedule:
          t.birth_date && t.status === 'open'
            ? scheduleFor(
                t.birth_date,
                jgzContacts.filter((c) => c.trajectoryId === null || c.trajectoryId === t.id),
                now,
              )
            : [],
      };
    }),
    team: team.map((member) => ({
      organisationId: member.organisation_id,
      organisationName: member.name,
      organisationType: member.type,
      startedOn: member.started_on,
      professionals: professionals
        .filter((p) => p.organisation_id === member.organisation_id)
        .map((p) => ({
          accountId: p.account_id,
          name: p.display_name,
          discipline: p.discipline,
          isRegiehouder: p.is_regiehouder,
        })),
    })),
    consent: {
      mine,
      entries: consents.map((c) => ({
        id: c.id,
        personId: c.person_id,
        purpose: c.purpose,
        organisationId: c.organisation_id,
        category: c.category,
        givenHow: c.given_how,
        recordedAt: new Date(c.recorded_at).toISOString(),
      })),
    },
    contacts: visibleContacts.map((c) => ({
      id: c.id,
      occurredOn: c.occurred_on,
      kind: c.kind,
      organisationId: c.organisation_id,
      organisationName: c.organisation_name,
      professionalName: c.professional_name,
      presentPersonIds: c.present_person_ids,
      othersPresent: c.others_present,
      note: c.note,
      category: c.category,
      version: c.version,
    })),
    withheldEntries: contacts.length - visibleContacts.length,
    handovers: handovers.map((h) => ({
      id: h.id,
      fromOrganisationName: h.from_name,
      toOrganisationName: h.to_name,
      status: h.status,
      summary: h.summary,
      createdAt: new Date(h.created_at).toISOString(),
    })),
    me: {
      isRegiehouder: professionals.some((p) => p.account_id === access.actor.accountId && p.is_regiehouder),
      organisationId: access.organisationId,
    },
  };
}
