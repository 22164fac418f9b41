import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import { type FamilyReader, familySafetyConcern } from '../access/family-audience.ts';
import { authorityOver, consentPersons } from '../access/family-store.ts';
import { consentersFor, consentFor } from '../consent/consent-rules.ts';
import { CONSENT_CATEGORIES, type ConsentCategory } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import { todayIso } from '../families/trajectory.ts';
import type { RequestContext, Tx } from '../http/context.ts';
import { createTask } from '../tasks/create-task.ts';
import { familySharingOf } from './family-sharing.ts';

/**
 * Consent in the parents' own Kring: for every organisation of the care team and every category,
 * what this parent allowed, and whether the family's consent is complete; one action gives or
 * withdraws it. A withdrawal counts at once for every later access (consent is read per request),
 * and the organisation gets a task saying so.
 */

export const ConsentChangeInput = z.strictObject({
  organisationId: z.uuid(),
  category: z.enum(CONSENT_CATEGORIES),
  given: z.boolean(),
});

async function consentState(tx: Tx, familyId: string, personId: string) {
  const [team, persons, consents] = await Promise.all([
    tx.db
      .selectFrom('care_team_organisations as cto')
      .innerJoin('organisations as o', 'o.id', 'cto.organisation_id')
      .select(['o.id', 'o.name', 'o.type'])
      .where('cto.family_id', '=', familyId)
      .where('cto.ended_on', 'is', null)
      .orderBy('cto.started_on')
      .execute(),
    tx.db
      .selectFrom('persons as p')
      .select(['p.id', 'p.role', 'p.birth_date', 'p.child_status', 'p.given_name'])
      .select(authorityOver('p.id'))
      .where('p.family_id', '=', familyId)
      .execute(),
    tx.db
      .selectFrom('consents')
      .select(['id', 'person_id', 'organisation_id', 'category'])
      .where('family_id', '=', familyId)
      .where('purpose', '=', 'share')
      .where('withdrawn_at', 'is', null)
      .execute(),
  ]);
  const people = consentPersons(persons);
  const active = consents
    .filter((c) => c.organisation_id && c.category)
    .map((c) => ({
      personId: c.person_id,
      organisationId: c.organisation_id as string,
      category: c.category as ConsentCategory,
    }));
  // The others whose consent counts for the family as a whole (the other parent with authority).
  const others = consentersFor(null, people, todayIso()).filter((p) => p.id !== personId);
  const nameOf = (id: string) => persons.find((p) => p.id === id)?.given_name ?? null;
  return {
    team,
    consents,
    organisations: team.map((o) => {
      const family = consentFor(o.id, people, active, CONSENT_CATEGORIES, { today: todayIso() });
      return {
        organisationId: o.id,
        name: o.name,
        type: o.type,
        categories: CONSENT_CATEGORIES.map((category) => ({
          category,
          mine: active.some((c) => c.personId === personId && c.organisationId === o.id && c.category === category),
          familyComplete: family.find((f) => f.category === category)?.complete ?? false,
          /** What each other person whose consent counts chose. */
          others: others.map((other) => ({
            givenName: nameOf(other.id),
            given: active.some((c) => c.personId === other.id && c.organisationId === o.id && c.category === category),
          })),
        })),
      };
    }),
  };
}

/** This parent's consent page: per organisation and category, theirs, the family's and (where shown) the other's. */
async function consentView(tx: Tx, link: { familyId: string; personId: string; reader: FamilyReader }) {
  const { organisations } = await consentState(tx, link.familyId, link.personId);
  const familySharing = await familySharingOf(tx, link);
  // Where the family has a safety concern, a parent does not see the other parent's choices (the
  // rule is the family audience's); whether consent is complete still shows.
  const concern = familySafetyConcern(link.familyId, link.reader.routeSignals);
  const { rows } = await sql<{ safety: boolean }>`SELECT ${concern} AS safety`.execute(tx.db);
  const othersShown = rows[0]?.safety === false;
  return {
    organisations: organisations.map((o) => ({
      ...o,
      categories: o.categories.map((c) => ({ ...c, others: othersShown ? c.others : [] })),
    })),
    othersShown,
    familySharing,
  };
}

/** What this parent allowed, per organisation of the team and category (audited). */
export async function readOurConsent(ctx: RequestContext) {
  return ctx.transaction(async (tx) => {
    const link = await tx.families.parent('portal.consent');
    const view = await consentView(tx, link);
    await tx.audit({
      action: 'portal.consent_read',
      familyId: link.familyId,
      recordType: 'family',
      recordId: link.familyId,
    });
    return view;
  });
}

/** Give or withdraw this parent's consent for one organisation of the team and one category. */
export async function changeOurConsent(ctx: RequestContext, input: z.infer<typeof ConsentChangeInput>) {
  return ctx.transaction(async (tx) => {
    const link = await tx.families.parent('portal.consent');
    const { team, consents } = await consentState(tx, link.familyId, link.personId);
    if (!team.some((o) => o.id === input.organisationId)) {
      throw new AppError('VALIDATION_FAILED', 'This organisation is not in your care team.', {
        fields: [{ field: 'body.organisationId', message: 'not in the care team' }],
      });
    }
    const mine = consents.filter(
      (c) =>
        c.person_id === link.personId && c.organisation_id === input.organisationId && c.category === input.category,
    );
    let changed = false;
    if (input.given && mine.length === 0) {
      await tx.db
        .insertInto('consents')
        .values({
          id: randomUUID(),
          family_id: link.familyId,
          person_id: link.personId,
          purpose: 'share',
          organisation_id: input.organisationId,
          category: input.category,
          given_how: 'portal',
          recorded_by_account_id: ctx.access.actor.accountId,
        })
        .execute();
      changed = true;
    }
    if (!input.given && mine.length > 0) {
      await tx.db
        .updateTable('consents')
        .set({ withdrawn_at: new Date(), withdrawn_by_account_id: ctx.access.actor.accountId })
        .where(
          'id',
          'in',
          mine.map((c) => c.id),
        )
        .execute();
      changed = true;
    }
    if (changed) {
      await createTask(tx.db, {
        kind: 'consent_changed',
        familyId: link.familyId,
        assigneeOrganisationId: input.organisationId,
        details: { category: input.category, given: input.given },
      });
      await tx.audit({
        action: input.given ? 'consent.record' : 'consent.withdraw',
        familyId: link.familyId,
        recordType: 'family',
        recordId: link.familyId,
        details: { organisationId: input.organisationId, category: input.category, byParent: true },
      });
    }
    return consentView(tx, link);
  });
}
