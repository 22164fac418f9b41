import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { everyoneWhoConsents } from '../consent/consent-rules.ts';
import type { DB } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';
import type { IdentifyInput, RegisterFamilyInput } from './family.types.ts';
import { grantParentalAuthority } from './parental-authority.ts';
import { dueDateFromLmp, todayIso as today } from './trajectory.ts';

/**
 * Is someone with this BSN, or this family name and date of birth, already in Kring? Answers only
 * yes or no: the caller learns nothing of the record (nor whether the actor could see it).
 */
export async function isAlreadyRegistered(db: Kysely<DB>, who: z.infer<typeof IdentifyInput>): Promise<boolean> {
  const bsn = who.bsn;
  const byName =
    who.familyName && who.birthDate ? { name: who.familyName.toLowerCase(), birthDate: who.birthDate } : null;
  if (!bsn && !byName) return false;
  const match = await db
    .selectFrom('persons')
    .select('id')
    .where((eb) =>
      eb.or([
        ...(bsn ? [eb('bsn', '=', bsn)] : []),
        ...(byName
          ? [eb.and([eb(eb.fn('lower', ['family_name']), '=', byName.name), eb('birth_date', '=', byName.birthDate)])]
          : []),
      ]),
    )
    .where('role', 'in', ['pregnant_person', 'partner', 'caregiver'])
    .limit(1)
    .executeTakeFirst();
  return match !== undefined;
}

/**
 * Register a family: the persons (the expected children included), a trajectory per expected child
 * (or a preconception registration), the registering organisation in the care team with the actor
 * as regiehouder, and the consent the parents gave that organisation.
 */
export async function registerFamily(ctx: RequestContext, input: RegisterFamilyInput): Promise<{ familyId: string }> {
  const access = ctx.access;
  const organisationId = access.organisationId;
  const now = today();

  // Every check of the form itself is the schema's (family.types.ts), so all come in one answer.
  const dueDate =
    input.pregnancy?.dueDate ?? (input.pregnancy?.lmpDate ? dueDateFromLmp(input.pregnancy.lmpDate) : null);
  const adults = [input.pregnantPerson, ...input.caregivers];
  return ctx.transaction(async (tx) => {
    const area = await tx.db
      .selectFrom('postcode_areas')
      .select('neighbourhood_id')
      .where('postcode4', '=', input.address.postcode.slice(0, 4))
      .executeTakeFirst();
    if (!area) {
      throw new AppError('VALIDATION_FAILED', 'Invalid registration.', {
        fields: [{ field: 'body.address.postcode', message: 'this postcode is outside the region' }],
      });
    }

    for (const person of adults) {
      if (await isAlreadyRegistered(tx.db, person)) {
        throw new AppError('ALREADY_EXISTS', 'This person is already registered in Kring.', {
          data: { canRequestToJoin: true },
        });
      }
    }

    const familyId = randomUUID();
    await tx.db
      .insertInto('families')
      .values({
        id: familyId,
        street: input.address.street ?? null,
        house_number: input.address.houseNumber ?? null,
        postcode: input.address.postcode,
        city: input.address.city ?? null,
        neighbourhood_id: area.neighbourhood_id,
        language: input.language,
        interpreter_needed: input.interpreterNeeded,
        registered_by_organisation_id: organisationId,
      })
      .execute();

    const persons = [
      { role: 'pregnant_person' as const, ...input.pregnantPerson },
      ...input.caregivers.map((c) => ({ ...c })),
    ].map((person) => {
      const id = randomUUID();
      return {
        id,
        family_id: familyId,
        role: person.role,
        given_name: person.givenName,
        family_name: person.familyName,
        birth_date: person.birthDate,
        bsn: person.bsn ?? null,
        parental_authority: person.parentalAuthority,
        child_status: null,
      };
    });
    const expectedChildren = Array.from({ length: dueDate ? (input.pregnancy?.expectedChildren ?? 1) : 0 }, () => ({
      id: randomUUID(),
      family_id: familyId,
      role: 'child' as const,
      given_name: null,
      family_name: input.pregnantPerson.familyName,
      birth_date: null,
      bsn: null,
      parental_authority: false,
      child_status: 'expected' as const,
    }));
    const siblings = input.siblings.map((s) => ({
      id: randomUUID(),
      family_id: familyId,
      role: 'sibling' as const,
      given_name: s.givenName,
      family_name: s.familyName,
      birth_date: s.birthDate,
      bsn: null,
      parental_authority: false,
      child_status: 'born' as const,
      sex: s.sex ?? null,
    }));
    await tx.db
      .insertInto('persons')
      .values([...persons, ...expectedChildren, ...siblings])
      .execute();

    const trajectories = dueDate
      ? expectedChildren.map((child) => ({
          id: randomUUID(),
          family_id: familyId,
          child_person_id: child.id,
          kind: 'child' as const,
          due_date: dueDate,
          lmp_date: input.pregnancy?.lmpDate ?? null,
        }))
      : [
          {
            id: randomUUID(),
            family_id: familyId,
            child_person_id: null,
            kind: 'preconception' as const,
            due_date: null,
            lmp_date: null,
          },
        ];
    await tx.db.insertInto('trajectories').values(trajectories).execute();

    await tx.db
      .insertInto('care_team_organisations')
      .values({ id: randomUUID(), family_id: familyId, organisation_id: organisationId, started_on: now })
      .execute();
    await tx.db
      .insertInto('care_team_professionals')
      .values({
        id: randomUUID(),
        family_id: familyId,
        organisation_id: organisationId,
        account_id: access.actor.accountId,
        is_regiehouder: true,
      })
      .execute();

    // Parental authority as registered: each adult marked with it holds it over every child of
    // this registration (the expected child: the intention; changed per child on the record).
    const children = [...expectedChildren, ...siblings].map((c) => c.id);
    const holders = persons.filter((p) => p.parental_authority).map((p) => p.id);
    await grantParentalAuthority(tx.db, {
      familyId,
      childIds: children,
      adultIds: holders,
      accountId: access.actor.accountId,
    });

    // The consent given at registration covers the family as a whole and each of its members:
    // it is recorded for everyone whose consent counts for any of them.
    const people = [...persons, ...expectedChildren, ...siblings].map((p) => ({
      id: p.id,
      role: p.role,
      authorityOver: holders.includes(p.id) ? children : [],
      birthDate: p.birth_date,
      childStatus: p.child_status,
    }));
    const consenting = everyoneWhoConsents(people, now);
    const consentRows = consenting.flatMap((adult) =>
      input.consent.categories.map((category) => ({
        id: randomUUID(),
        family_id: familyId,
        person_id: adult.id,
        purpose: 'share' as const,
        organisation_id: organisationId,
        category,
        // Present whenever a category is (the schema's refinement).
        given_how: input.consent.givenHow ?? 'verbal',
        recorded_by_account_id: access.actor.accountId,
      })),
    );
    if (consentRows.length) await tx.db.insertInto('consents').values(consentRows).execute();

    await tx.audit({
      action: 'family.register',
      familyId,
      recordType: 'family',
      recordId: familyId,
      details: { persons: persons.length + expectedChildren.length + siblings.length, preconception: !dueDate },
    });
    return { familyId };
  });
}
