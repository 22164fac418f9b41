import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { audienceColumns, ParentsAudienceInput, requireFamilyAudienceDecision } from '../access/family-audience.ts';
import { CARE_INTENSITIES, STRESS_LEVELS } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import { requireOpen, requireVersion } from '../families/family-guards.ts';
import type { RequestContext } from '../http/context.ts';
import { createTask } from '../tasks/create-task.ts';

export const RecordJudgementInput = z.strictObject({
  stressLevel: z.enum(STRESS_LEVELS),
  intensity: z.enum(CARE_INTENSITIES),
  /** Why do I think this — required, in the professional's own words. */
  rationale: z.string().trim().min(10, 'say why you think this, in your own words').max(4000),
  /** What the parents think themselves. */
  parentsView: z.string().trim().max(4000).optional(),
  parentsAskForHelp: z.boolean().nullable().default(null),
  /** The colleague asked for a second look (needed when the intensity goes up). */
  reviewerAccountId: z.uuid().optional(),
  /** Who in the family sees it in the parents' Kring, if not every adult (access/family-audience.ts). */
  parentsAudience: ParentsAudienceInput.optional(),
});

export const SecondLookInput = z.strictObject({
  decision: z.enum(['agree', 'comment']),
  comment: z.string().trim().max(4000).optional(),
  version: z.number().int(),
});

export const JudgementParams = z.strictObject({ familyId: z.uuid(), judgementId: z.uuid() });

const rank = (intensity: (typeof CARE_INTENSITIES)[number]) => CARE_INTENSITIES.indexOf(intensity);

/**
 * Record where the family stands on the stress continuum and the matching intensity of care. A
 * judgement that raises the intensity (above the one in force; the first above ordinary care
 * included) stays proposed until the named colleague — another professional in the family's team
 * — has taken a second look; otherwise it is in force at once. History is kept: each judgement is
 * its own row.
 */
export async function recordJudgement(
  ctx: RequestContext,
  familyId: string,
  input: z.infer<typeof RecordJudgementInput>,
) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    const { family } = await tx.families.open(familyId, 'family.write');
    requireOpen(family);
    const inForce = await tx.db
      .selectFrom('judgements')
      .select('intensity')
      .where('family_id', '=', familyId)
      .where('status', 'in', ['effective', 'agreed'])
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    const raises = rank(input.intensity) > rank(inForce?.intensity ?? 'ordinary');
    if (raises) {
      const reviewer = input.reviewerAccountId
        ? await tx.db
            .selectFrom('care_team_professionals')
            .select('account_id')
            .where('family_id', '=', familyId)
            .where('account_id', '=', input.reviewerAccountId)
            .where('ended_at', 'is', null)
            .executeTakeFirst()
        : undefined;
      const message = !input.reviewerAccountId
        ? 'raising the intensity needs a second look: name a colleague in the team'
        : input.reviewerAccountId === access.actor.accountId
          ? 'the second look is by a colleague, not yourself'
          : !reviewer
            ? 'not a professional in this family’s team'
            : null;
      if (message) {
        throw new AppError('VALIDATION_FAILED', 'Invalid judgement.', {
          fields: [{ field: 'body.reviewerAccountId', message }],
        });
      }
    }
    await requireFamilyAudienceDecision(tx.db, familyId, input.parentsAudience);
    const id = randomUUID();
    await tx.db
      .insertInto('judgements')
      .values({
        id,
        family_id: familyId,
        stress_level: input.stressLevel,
        intensity: input.intensity,
        rationale: input.rationale,
        parents_view: input.parentsView ?? null,
        parents_ask_for_help: input.parentsAskForHelp,
        status: raises ? 'proposed' : 'effective',
        organisation_id: access.organisationId,
        account_id: access.actor.accountId,
        reviewer_account_id: raises ? (input.reviewerAccountId ?? null) : null,
        ...audienceColumns(input.parentsAudience, access.actor.accountId),
      })
      .execute();
    if (raises && input.reviewerAccountId) {
      await createTask(tx.db, {
        kind: 'second_look',
        familyId,
        assigneeAccountId: input.reviewerAccountId,
        sourceId: id,
      });
    }
    await tx.audit({
      action: 'judgement.record',
      familyId,
      recordType: 'judgement',
      recordId: id,
      details: { status: raises ? 'proposed' : 'effective' },
    });
    return { judgementId: id, status: raises ? ('proposed' as const) : ('effective' as const) };
  });
}

/**
 * The colleague's second look at a proposed judgement: agree (it comes into force) or comment
 * (it does not; the proposer reconsiders). Never by the proposer; by any other professional in
 * the family's team who may read it.
 */
export async function secondLook(
  ctx: RequestContext,
  familyId: string,
  judgementId: string,
  input: z.infer<typeof SecondLookInput>,
) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    const { family, mayRead } = await tx.families.open(familyId, 'family.write');
    requireOpen(family);
    const judgement = await tx.db
      .selectFrom('judgements')
      .selectAll()
      .where('id', '=', judgementId)
      .where('family_id', '=', familyId)
      .forUpdate()
      .executeTakeFirst();
    if (!judgement || !mayRead(judgement)) {
      throw new AppError('NOT_FOUND', 'Not found.', {
        refusal: { action: 'family.write', familyId, recordType: 'judgement', recordId: judgementId },
      });
    }
    requireVersion(judgement, input.version, { version: judgement.version, status: judgement.status });
    if (judgement.account_id === access.actor.accountId) {
      throw new AppError('FORBIDDEN', 'A second look is by a colleague, never by the one who proposed.', {
        refusal: { action: 'family.write', familyId, recordType: 'judgement', recordId: judgementId },
      });
    }
    if (judgement.status !== 'proposed') {
      throw new AppError('INVALID_TRANSITION', 'This judgement is not waiting for a second look.');
    }
    if (input.decision === 'comment' && !input.comment) {
      throw new AppError('VALIDATION_FAILED', 'Invalid second look.', {
        fields: [{ field: 'body.comment', message: 'write your comment' }],
      });
    }
    await tx.db
      .updateTable('judgements')
      .set({
        status: input.decision === 'agree' ? 'agreed' : 'commented',
        reviewed_by_account_id: access.actor.accountId,
        review_comment: input.comment ?? null,
        reviewed_at: new Date(),
        version: judgement.version + 1,
      })
      .where('id', '=', judgementId)
      .execute();
    await tx.db
      .updateTable('tasks')
      .set({ status: 'done', completed_at: new Date() })
      .where('kind', '=', 'second_look')
      .where('source_id', '=', judgementId)
      .where('status', '=', 'open')
      .execute();
    await tx.db
      .insertInto('notifications')
      .values({
        id: randomUUID(),
        account_id: judgement.account_id,
        kind: input.decision === 'agree' ? 'second_look_agreed' : 'second_look_commented',
        task_id: null,
        family_id: familyId,
      })
      .execute();
    await tx.audit({
      action: `judgement.${input.decision}`,
      familyId,
      recordType: 'judgement',
      recordId: judgementId,
    });
    return { status: input.decision === 'agree' ? ('agreed' as const) : ('commented' as const) };
  });
}
