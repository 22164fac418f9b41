import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { identifies, requireIdentification } from '../care-team/team.ts';
import { ADULT_ROLES, type DB, personOrder } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import { IdentifyInput } from '../families/family.types.ts';
import type { RequestContext, Tx } from '../http/context.ts';
import { createTask } from '../tasks/create-task.ts';
import { alertIfUnusual } from './break-glass-oversight.ts';

/**
 * The recorded exceptions to the consent model: a Meldcode report (meldcode.ts) and break the
 * glass (here). Each is recorded with its reason and reviewed afterwards; the parents are told
 * unless that would endanger the child.
 */
export const BreakTheGlassInput = IdentifyInput.extend({
  // A real sentence: a stock word or 25 × "a" is no reason to open a family's record.
  reason: z
    .string()
    .trim()
    .min(20, 'describe the acute situation in a sentence or two')
    .max(2000)
    .refine(
      (text) => text.split(/\s+/).filter((word) => /\p{L}{2,}/u.test(word)).length >= 5,
      'describe the acute situation in a sentence or two',
    ),
  /** Telling the parents would endanger the child: they are not shown this access. */
  endangersChild: z.boolean().default(false),
});

/**
 * Break the glass: in an acute safety situation a professional outside the team finds a family by
 * exact BSN (or exact family name and date of birth) after stating a reason, and may read its
 * record — everything, whatever the parents consented to, except a parent's own history — for a
 * few hours. The access is audited as an emergency, and the regiehouder gets a task to review it.
 */
export async function breakTheGlass(ctx: RequestContext, input: z.infer<typeof BreakTheGlassInput>) {
  const access = ctx.access;
  requireIdentification(input);
  return ctx.transaction(async (tx) => {
    const match = await tx.db
      .selectFrom('persons as p')
      .select('p.family_id')
      .where(identifies('p', input))
      .where('p.role', 'in', [...ADULT_ROLES])
      .limit(1)
      .executeTakeFirst();
    if (!match) {
      throw new AppError('NOT_FOUND', 'No family matches exactly.', { refusal: { action: 'family.emergency' } });
    }
    const familyId = match.family_id;
    const expiresAt = new Date(Date.now() + ctx.config.breakGlassHours * 3600_000);
    const id = randomUUID();
    await tx.db
      .insertInto('consent_overrides')
      .values({
        id,
        family_id: familyId,
        kind: 'break_the_glass',
        organisation_id: access.organisationId,
        account_id: access.actor.accountId,
        reason: input.reason,
        expires_at: expiresAt,
        parents_informed: !input.endangersChild,
      })
      .execute();
    const regiehouder = await regiehouderOf(tx.db, familyId);
    if (regiehouder) {
      await createTask(tx.db, {
        kind: 'override_review',
        familyId,
        assigneeAccountId: regiehouder.account_id,
        sourceId: id,
      });
    }
    await alertIfUnusual(tx.db, {
      accountId: access.actor.accountId,
      reason: input.reason,
      dailyLimit: ctx.config.breakGlassDailyLimit,
    });
    await tx.audit({
      action: 'family.emergency_access',
      familyId,
      recordType: 'consent_override',
      recordId: id,
      details: { hours: ctx.config.breakGlassHours, parentsInformed: !input.endangersChild },
    });
    return { familyId, expiresAt: expiresAt.toISOString() };
  });
}

/** The family's regiehouder (account and organisation), if it has one. */
export function regiehouderOf(db: Kysely<DB>, familyId: string) {
  return db
    .selectFrom('care_team_professionals')
    .select(['account_id', 'organisation_id'])
    .where('family_id', '=', familyId)
    .where('is_regiehouder', '=', true)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
}

/**
 * Who reviews a sharing without consent: a break-the-glass access, the family's regiehouder; a
 * Meldcode report, a colleague of the reporting organisation — never the reporter (four eyes).
 */
function mayReview(
  override: { kind: 'meldcode' | 'break_the_glass'; account_id: string; route_organisation_id: string | null },
  regiehouderAccountId: string | undefined,
  access: RequestContext['access'],
): boolean {
  return override.kind === 'break_the_glass'
    ? regiehouderAccountId === access.actor.accountId
    : override.route_organisation_id === access.organisationId && override.account_id !== access.actor.accountId;
}

export const ReviewInput = z.strictObject({ note: z.string().trim().min(3, 'write what you found').max(2000) });
export const OverrideParams = z.strictObject({ familyId: z.uuid(), overrideId: z.uuid() });

/**
 * Review a sharing without consent: a break-the-glass access by the family's regiehouder; a
 * Meldcode report by a colleague of the reporting organisation (not the reporter: four eyes).
 */
export async function reviewOverride(
  ctx: RequestContext,
  familyId: string,
  overrideId: string,
  input: z.infer<typeof ReviewInput>,
) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    const override = await overrideToReview(tx, access, overrideId, 'consent.override_review', familyId);
    if (override.review_status === 'reviewed')
      throw new AppError('INVALID_TRANSITION', 'This has been reviewed already.');
    await tx.db
      .updateTable('consent_overrides')
      .set({
        review_status: 'reviewed',
        review_note: input.note,
        reviewed_by_account_id: access.actor.accountId,
        reviewed_at: new Date(),
      })
      .where('id', '=', overrideId)
      .execute();
    await tx.db
      .updateTable('tasks')
      .set({ status: 'done', completed_at: new Date() })
      .where('kind', '=', 'override_review')
      .where('source_id', '=', overrideId)
      .execute();
    await tx.audit({
      action: 'consent.override_review',
      familyId,
      recordType: 'consent_override',
      recordId: overrideId,
    });
    return { overrideId, reviewStatus: 'reviewed' as const };
  });
}

export const InformParentsInput = z.strictObject({
  reason: z.string().trim().min(5, 'say why (at least 5 characters)').max(2000),
});

/**
 * Show the parents, after all, a break-the-glass access recorded as "parents not informed": the
 * regiehouder (who reviews it) decides, with a reason. Their *Wie keek mee* shows it from then on —
 * still held back from a parent the family's safety concern does not protect (portal/who-looked.ts).
 */
export async function informParents(
  ctx: RequestContext,
  familyId: string,
  overrideId: string,
  input: z.infer<typeof InformParentsInput>,
) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    const override = await overrideToReview(tx, access, overrideId, 'consent.override_inform', familyId);
    if (override.kind !== 'break_the_glass' || override.parents_informed) {
      throw new AppError(
        'INVALID_TRANSITION',
        'The parents are informed of this already, or it is no emergency access.',
      );
    }
    await tx.db
      .updateTable('consent_overrides')
      .set({
        parents_informed: true,
        parents_informed_reason: input.reason,
        parents_informed_by_account_id: access.actor.accountId,
      })
      .where('id', '=', overrideId)
      .execute();
    await tx.audit({
      action: 'consent.override_inform',
      familyId,
      recordType: 'consent_override',
      recordId: overrideId,
    });
    return { ok: true as const };
  });
}

/**
 * A sharing without consent, for the one who is to review it — who need not be in the family's
 * team (a colleague of the reporter is often not): the reviewer reads exactly what the review
 * needs, audited as a review. Anyone else in the team gets 403; outside it, 404.
 */
async function overrideToReview(
  tx: Tx,
  access: RequestContext['access'],
  overrideId: string,
  action: 'consent.override_review' | 'consent.override_review_read' | 'consent.override_inform',
  familyId?: string,
) {
  const override = await tx.db
    .selectFrom('consent_overrides as co')
    .leftJoin('meldcode_routes as mr', 'mr.id', 'co.source_id')
    .selectAll('co')
    .select(['mr.organisation_id as route_organisation_id', 'mr.started_reason as route_reason'])
    .where('co.id', '=', overrideId)
    .$if(familyId !== undefined, (q) => q.where('co.family_id', '=', familyId as string))
    .forUpdate('co')
    .executeTakeFirst();
  const refusal = { action, familyId: override?.family_id, recordType: 'consent_override', recordId: overrideId };
  if (!override) throw new AppError('NOT_FOUND', 'Not found.', { refusal });
  const regiehouder = await regiehouderOf(tx.db, override.family_id);
  if (!mayReview(override, regiehouder?.account_id, access)) {
    const inTeam = await tx.db
      .selectFrom('families as f')
      .select('f.id')
      .where('f.id', '=', override.family_id)
      .where(tx.families.inTeam('f.id'))
      .executeTakeFirst();
    if (!inTeam) throw new AppError('NOT_FOUND', 'Not found.', { refusal });
    throw new AppError(
      'FORBIDDEN',
      override.kind === 'break_the_glass'
        ? 'The family’s regiehouder reviews an emergency access.'
        : 'A colleague of the reporter reviews a report (four eyes).',
      { refusal },
    );
  }
  return override;
}

export const OverrideIdParams = z.strictObject({ overrideId: z.uuid() });

/**
 * What the reviewer of a sharing without consent reads: who shared what kind of access, with
 * which organisation, why, whether the parents were told, and — for a Meldcode report — the
 * route's reason and its weighing and decision; the family only by the pregnant person's name.
 */
export async function readOverrideForReview(ctx: RequestContext, overrideId: string) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    const override = await overrideToReview(tx, access, overrideId, 'consent.override_review_read');
    const [by, family, steps] = await Promise.all([
      tx.db
        .selectFrom('accounts as a')
        .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
        .select(['a.display_name', 'o.name as organisation_name'])
        .where('a.id', '=', override.account_id)
        .executeTakeFirstOrThrow(),
      tx.db
        .selectFrom('persons')
        .select(['given_name', 'family_name'])
        .where('family_id', '=', override.family_id)
        .where('role', 'in', [...ADULT_ROLES])
        .orderBy(personOrder('persons'))
        .executeTakeFirst(),
      override.source_id
        ? tx.db
            .selectFrom('meldcode_steps')
            .select(['step', 'content', 'happened_on'])
            .where('route_id', '=', override.source_id)
            .where('step', 'in', [4, 5])
            .orderBy('step')
            .execute()
        : Promise.resolve([]),
    ]);
    const sharedWith = await tx.db
      .selectFrom('organisations')
      .select('name')
      .where('id', '=', override.organisation_id)
      .executeTakeFirstOrThrow();
    await tx.audit({
      action: 'consent.override_review_read',
      familyId: override.family_id,
      recordType: 'consent_override',
      recordId: overrideId,
    });
    const step = (n: number) => steps.find((s) => s.step === n)?.content as Record<string, unknown> | undefined;
    return {
      id: override.id,
      familyId: override.family_id,
      family: [family?.given_name, family?.family_name].filter(Boolean).join(' '),
      kind: override.kind,
      reason: override.reason,
      byName: by.display_name,
      byOrganisation: by.organisation_name,
      sharedWith: sharedWith.name,
      at: override.created_at.toISOString(),
      expiresAt: override.expires_at?.toISOString() ?? null,
      parentsInformed: override.parents_informed,
      reviewStatus: override.review_status,
      reviewNote: override.review_note,
      route: override.source_id
        ? {
            reason: override.route_reason ?? '',
            outcome: (step(4)?.outcome as string | undefined) ?? null,
            decision: (step(5)?.decision as string | undefined) ?? null,
            decisionReason: (step(5)?.reason as string | undefined) ?? null,
          }
        : null,
    };
  });
}

/**
 * What was shared without the parents' consent, for the family's team: break-the-glass accesses
 * (who, from which organisation, why, until when) and Meldcode reports — the latter only for the
 * organisation that ran the route.
 */
export async function familyOverrides(ctx: RequestContext, familyId: string) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    await tx.families.open(familyId, 'family.write');
    const regiehouder = await regiehouderOf(tx.db, familyId);
    const rows = await tx.db
      .selectFrom('consent_overrides as co')
      .innerJoin('accounts as a', 'a.id', 'co.account_id')
      .innerJoin('organisations as o', 'o.id', 'co.organisation_id')
      .leftJoin('meldcode_routes as mr', 'mr.id', 'co.source_id')
      .leftJoin('accounts as r', 'r.id', 'co.reviewed_by_account_id')
      .select([
        'co.id',
        'co.kind',
        'co.reason',
        'co.created_at',
        'co.expires_at',
        'co.parents_informed',
        'co.review_status',
        'co.review_note',
        'co.reviewed_at',
        'co.account_id',
        'mr.organisation_id as route_organisation_id',
        'a.display_name',
        'o.name as organisation_name',
        'r.display_name as reviewed_by_name',
      ])
      .where('co.family_id', '=', familyId)
      .where((eb) =>
        eb.or([eb('co.kind', '=', 'break_the_glass'), eb('mr.organisation_id', '=', access.organisationId)]),
      )
      .orderBy('co.created_at', 'desc')
      .execute();
    await tx.audit({ action: 'consent.override_list', familyId, recordType: 'family', recordId: familyId });
    return {
      overrides: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        reason: r.reason,
        byName: r.display_name,
        organisationName: r.organisation_name,
        at: r.created_at.toISOString(),
        expiresAt: r.expires_at?.toISOString() ?? null,
        parentsInformed: r.parents_informed,
        reviewStatus: r.review_status,
        reviewNote: r.review_note,
        reviewedByName: r.reviewed_by_name,
        reviewedAt: r.reviewed_at?.toISOString() ?? null,
        mayReview: r.review_status === 'to_review' && mayReview(r, regiehouder?.account_id, access),
        mayInformParents:
          r.kind === 'break_the_glass' && !r.parents_informed && mayReview(r, regiehouder?.account_id, access),
      })),
    };
  });
}
