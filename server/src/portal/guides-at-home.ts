import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ADULT_ROLES } from '../database/schema.ts';
import { AppError, type FieldError } from '../errors.ts';
import { type AnswerValue, answerProblem, guides, scoreOf } from '../guides/guide-definitions.ts';
import type { RequestContext } from '../http/context.ts';
import { createTask } from '../tasks/create-task.ts';

/**
 * Before a visit: a professional sends a parent a conversation guide to answer at home, in Dutch
 * or English. Each question shows why it is asked and whether it was already answered in the
 * chain (then the parent need not answer again); every question may be skipped. The answers are
 * kept as the sending organisation's guide response, answered by the parent, and the sender gets
 * a task to read them.
 */

export const SendGuideInput = z.strictObject({ guideKey: z.string().max(60), personId: z.uuid() });
export const GuideRequestParams = z.strictObject({ requestId: z.uuid('must be a UUID') });
export const HomeAnswersInput = z.strictObject({
  answers: z
    .array(
      z.strictObject({ code: z.string().max(80), value: z.union([z.string().max(4000), z.number(), z.boolean()]) }),
    )
    .max(60),
});

export async function sendGuideToParent(ctx: RequestContext, familyId: string, input: z.infer<typeof SendGuideInput>) {
  const access = ctx.access;
  const guide = guides().get(input.guideKey);
  if (guide?.for !== 'adult' || guide.instrument) {
    throw new AppError('VALIDATION_FAILED', 'Invalid guide.', {
      fields: [{ field: 'body.guideKey', message: 'a conversation guide taken with a parent' }],
    });
  }
  return ctx.transaction(async (tx) => {
    const { persons } = await tx.families.open(familyId, 'family.write');
    const person = persons.find((p) => p.id === input.personId);
    if (!person || !(ADULT_ROLES as readonly string[]).includes(person.role)) {
      throw new AppError('VALIDATION_FAILED', 'Invalid guide.', {
        fields: [{ field: 'body.personId', message: 'not a parent or caregiver of this family' }],
      });
    }
    const id = randomUUID();
    await tx.db
      .insertInto('guide_requests')
      .values({
        id,
        family_id: familyId,
        guide_key: guide.key,
        person_id: person.id,
        organisation_id: access.organisationId,
        sent_by_account_id: access.actor.accountId,
      })
      .execute();
    await tx.audit({
      action: 'guide.send',
      familyId,
      recordType: 'guide_request',
      recordId: id,
      details: { guide: guide.key },
    });
    return { id };
  });
}

/** The guides waiting for this parent, each question with why it is asked and what was already answered. */
export async function readHomeGuides(ctx: RequestContext) {
  return ctx.transaction(async (tx) => {
    const link = await tx.families.parent('portal.guides');
    const requests = await tx.db
      .selectFrom('guide_requests as r')
      .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
      .select(['r.id', 'r.guide_key', 'r.created_at', 'o.name as organisation'])
      .where('r.family_id', '=', link.familyId)
      .where('r.person_id', '=', link.personId)
      .where('r.status', '=', 'open')
      .orderBy('r.created_at')
      .execute();
    const answered = await tx.db
      .selectFrom('guide_answers as a')
      .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
      .select(['a.question_code', 'a.value', 'a.answered_at', 'o.name as organisation'])
      .where('a.family_id', '=', link.familyId)
      .where('a.concerns_person_id', '=', link.personId)
      .orderBy('a.answered_at', 'desc')
      .execute();
    await tx.audit({
      action: 'portal.guides_read',
      familyId: link.familyId,
      recordType: 'family',
      recordId: link.familyId,
    });
    return {
      requests: requests.flatMap((r) => {
        const guide = guides().get(r.guide_key);
        if (!guide) return [];
        return [
          {
            id: r.id,
            organisation: r.organisation,
            sentAt: r.created_at.toISOString(),
            title: guide.title,
            items: guide.items
              .filter((item) => !item.ownHistory)
              .map((item) => {
                const earlier = answered.find((a) => a.question_code === item.code);
                return {
                  code: item.code,
                  type: item.type,
                  text: item.text,
                  why: item.why,
                  options: item.options?.map((o) => ({ value: o.value, nl: o.nl, en: o.en })) ?? null,
                  alreadyAnswered: earlier
                    ? {
                        value: earlier.value,
                        organisation: earlier.organisation,
                        on: new Date(earlier.answered_at).toISOString(),
                      }
                    : null,
                };
              }),
          },
        ];
      }),
    };
  });
}

/** The parent's answers (any question may be skipped): kept as the sending organisation's response. */
export async function answerAtHome(ctx: RequestContext, requestId: string, input: z.infer<typeof HomeAnswersInput>) {
  return ctx.transaction(async (tx) => {
    const link = await tx.families.parent('portal.guides');
    const request = await tx.db
      .selectFrom('guide_requests')
      .selectAll()
      .where('id', '=', requestId)
      .where('family_id', '=', link.familyId)
      .where('person_id', '=', link.personId)
      .forUpdate()
      .executeTakeFirst();
    if (!request) {
      throw new AppError('NOT_FOUND', 'Not found.', {
        refusal: { action: 'portal.guide_answer', recordType: 'guide_request', recordId: requestId },
      });
    }
    if (request.status !== 'open')
      throw new AppError('INVALID_TRANSITION', 'These questions have been answered already.');
    const guide = guides().get(request.guide_key);
    if (!guide) throw new AppError('NOT_FOUND', 'Not found.');
    const fields: FieldError[] = [];
    const values = new Map<string, AnswerValue>();
    for (const [i, answer] of input.answers.entries()) {
      const item = guide.items.find((it) => it.code === answer.code && !it.ownHistory);
      if (!item || values.has(answer.code)) {
        fields.push({
          field: `body.answers.${i}.code`,
          message: item ? 'answered twice' : 'not a question of this guide',
        });
        continue;
      }
      if (answer.value === '') continue; // skipped
      const problem = answerProblem(item, answer.value);
      if (problem) {
        fields.push({ field: `body.answers.${i}.value`, message: `must be ${problem}` });
        continue;
      }
      values.set(item.code, answer.value);
    }
    if (fields.length) throw new AppError('VALIDATION_FAILED', 'Invalid answers.', { fields });
    const { score, complete, attention } = scoreOf(guide, values);
    const responseId = randomUUID();
    await tx.db
      .insertInto('guide_responses')
      .values({
        id: responseId,
        family_id: link.familyId,
        guide_key: guide.key,
        guide_version: guide.version,
        concerns_person_id: link.personId,
        score,
        complete,
        attention,
        organisation_id: request.organisation_id,
        account_id: ctx.access.actor.accountId,
      })
      .execute();
    if (values.size) {
      await tx.db
        .insertInto('guide_answers')
        .values(
          [...values].map(([code, value]) => ({
            id: randomUUID(),
            response_id: responseId,
            family_id: link.familyId,
            question_code: code,
            concerns_person_id: link.personId,
            value: JSON.stringify(value),
            confirmed_from_answer_id: null,
            organisation_id: request.organisation_id,
            account_id: ctx.access.actor.accountId,
          })),
        )
        .execute();
    }
    await tx.db
      .updateTable('guide_requests')
      .set({ status: 'answered', answered_at: new Date(), response_id: responseId })
      .where('id', '=', requestId)
      .execute();
    await createTask(tx.db, {
      kind: 'guide_answered',
      familyId: link.familyId,
      assigneeAccountId: request.sent_by_account_id,
      sourceId: responseId,
    });
    await tx.audit({
      action: 'guide.answer',
      familyId: link.familyId,
      recordType: 'guide_response',
      recordId: responseId,
    });
    return { answered: values.size, skipped: guide.items.filter((i) => !i.ownHistory).length - values.size };
  });
}
