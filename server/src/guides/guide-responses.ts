import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { z } from 'zod';
import { ADULT_ROLES } from '../database/schema.ts';
import { AppError, type FieldError } from '../errors.ts';
import { requireOpen } from '../families/family-guards.ts';
import type { RequestContext } from '../http/context.ts';
import { type AnswerValue, answerProblem, guides, scoreOf } from './guide-definitions.ts';

export const GuideParams = z.strictObject({ familyId: z.uuid(), guideKey: z.string().max(60) });
export const PrepareGuideQuery = z.strictObject({ personId: z.uuid().optional() });

export const SubmitGuideInput = z.strictObject({
  guideKey: z.string().max(60),
  /** The adult the guide was taken with (null for a guide about the family as a whole). */
  concernsPersonId: z.uuid().nullable().default(null),
  answers: z
    .array(
      z.union([
        z.strictObject({ code: z.string().max(80), value: z.union([z.string().max(4000), z.number(), z.boolean()]) }),
        /** Confirm an earlier answer in the chain instead of asking again. */
        z.strictObject({ code: z.string().max(80), confirmAnswerId: z.uuid() }),
      ]),
    )
    .min(1)
    .max(60),
});

/** The guide with this key, or a 400 naming the field that carried it. */
function guideOrRefuse(key: string, field: 'params.guideKey' | 'body.guideKey') {
  const guide = guides().get(key);
  if (!guide)
    throw new AppError('VALIDATION_FAILED', 'Unknown guide.', { fields: [{ field, message: 'unknown guide' }] });
  return guide;
}

/** The family with its guide answers for some question codes, in one statement with the audit event. */
async function readAnswers(ctx: RequestContext, familyId: string, codes: string[] | null, action: string) {
  const access = ctx.access;
  const [family] = await ctx.auditedRead(
    ctx.families.query(familyId).select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('guide_answers as ga')
          .innerJoin('organisations as gao', 'gao.id', 'ga.organisation_id')
          .innerJoin('accounts as gaa', 'gaa.id', 'ga.account_id')
          .selectAll('ga')
          .select(['gao.name as organisation_name', 'gaa.display_name as professional_name'])
          .whereRef('ga.family_id', '=', 'f.id')
          .$if(codes !== null, (qb) => qb.where(sql<boolean>`ga.question_code = ANY(${codes ?? []}::text[])`))
          .orderBy('ga.answered_at', 'desc'),
      ).as('answers'),
      jsonArrayFrom(
        eb
          .selectFrom('guide_responses as gr')
          .innerJoin('organisations as gro', 'gro.id', 'gr.organisation_id')
          .innerJoin('accounts as gra', 'gra.id', 'gr.account_id')
          .selectAll('gr')
          .select(['gro.name as organisation_name', 'gra.display_name as professional_name'])
          .whereRef('gr.family_id', '=', 'f.id')
          .orderBy('gr.created_at', 'desc'),
      ).as('responses'),
    ]),
    { action, familyId, recordType: 'family', recordId: familyId },
    { onlyIfFound: true },
  );
  if (!family) throw access.familyNotFound('family.read', familyId);
  const { mayRead } = ctx.families.consent(family);
  return {
    family,
    answers: family.answers.filter(mayRead),
    responses: family.responses.filter(mayRead),
    hidden: family.answers.length - family.answers.filter(mayRead).length,
  };
}

/**
 * Open a guide for a person: the questions with why they are asked, and for each question already
 * answered in the chain (about the same person; visible under the parents' consent — otherwise its
 * existence is not shown either) who asked it, when, where, and the answer, to confirm instead of
 * asking again. Also the number of questions the chain did not ask twice in this family.
 */
export async function prepareGuide(ctx: RequestContext, familyId: string, guideKey: string, personId: string | null) {
  const guide = guideOrRefuse(guideKey, 'params.guideKey');
  const { answers } = await readAnswers(
    ctx,
    familyId,
    guide.items.map((i) => i.code),
    'guide.prepare',
  );
  const earlier = guide.items.flatMap((item) => {
    const latest = answers.find((a) => a.question_code === item.code && a.concerns_person_id === personId);
    return latest
      ? [
          {
            code: item.code,
            answerId: latest.id,
            value: latest.value,
            answeredAt: new Date(latest.answered_at).toISOString(),
            organisationName: latest.organisation_name,
            professionalName: latest.professional_name,
            confirmed: latest.confirmed_from_answer_id !== null,
          },
        ]
      : [];
  });
  return { guide, earlier };
}

/** The family's guide responses the actor may read, with their answers, scores and who took them. */
export async function listGuideResponses(ctx: RequestContext, familyId: string) {
  const { answers, responses } = await readAnswers(ctx, familyId, null, 'guide.read');
  return {
    notAskedTwice: answers.filter((a) => a.confirmed_from_answer_id !== null).length,
    responses: responses.map((r) => {
      const guide = guides().get(r.guide_key);
      const score = r.score;
      const band =
        score !== null ? guide?.instrument?.scoring.bands.find((b) => score >= b.min && score <= b.max) : undefined;
      return {
        id: r.id,
        guideKey: r.guide_key,
        guideVersion: r.guide_version,
        concernsPersonId: r.concerns_person_id,
        score,
        band: band ? { nl: band.nl, en: band.en } : null,
        complete: r.complete,
        attention: r.attention,
        organisationName: r.organisation_name,
        professionalName: r.professional_name,
        createdAt: new Date(r.created_at).toISOString(),
        answers: answers
          .filter((a) => a.response_id === r.id)
          .map((a) => ({
            id: a.id,
            code: a.question_code,
            value: a.value,
            confirmed: a.confirmed_from_answer_id !== null,
          })),
      };
    }),
  };
}

/**
 * Save the answers of a guide taken with a person (one request for the whole guide): each answer
 * checked against its question's type; a confirmed earlier answer is copied with the link kept
 * (a question not asked twice); instruments scored as published (incomplete when an item is
 * missing); a parent's own-history question only with that parent's consent.
 */
export async function submitGuideResponse(
  ctx: RequestContext,
  familyId: string,
  input: z.infer<typeof SubmitGuideInput>,
) {
  const access = ctx.access;
  const guide = guideOrRefuse(input.guideKey, 'body.guideKey');
  return ctx.transaction(async (tx) => {
    const family = await tx.families.open(familyId, 'family.write');
    requireOpen(family.family);
    const fields: FieldError[] = [];
    const person = input.concernsPersonId ? family.persons.find((p) => p.id === input.concernsPersonId) : undefined;
    if (guide.for === 'adult' && !(person && (ADULT_ROLES as readonly string[]).includes(person.role))) {
      fields.push({ field: 'body.concernsPersonId', message: 'this guide is taken with an adult of this family' });
    }
    if (guide.for === 'family' && input.concernsPersonId) {
      fields.push({ field: 'body.concernsPersonId', message: 'this guide concerns the family as a whole' });
    }
    const earlierIds = input.answers.flatMap((a) => ('confirmAnswerId' in a ? [a.confirmAnswerId] : []));
    const earlier = earlierIds.length
      ? await tx.db
          .selectFrom('guide_answers')
          .selectAll()
          .where('id', 'in', earlierIds)
          .where('family_id', '=', familyId)
          .execute()
      : [];
    const values = new Map<string, AnswerValue>();
    const rows: { code: string; value: AnswerValue; confirmedFrom: string | null }[] = [];
    for (const [i, answer] of input.answers.entries()) {
      const item = guide.items.find((it) => it.code === answer.code);
      const at = `body.answers.${i}`;
      if (!item) {
        fields.push({ field: `${at}.code`, message: 'not a question of this guide' });
        continue;
      }
      if (values.has(item.code)) {
        fields.push({ field: `${at}.code`, message: 'answered twice' });
        continue;
      }
      if (item.ownHistory && !family.ownHistoryAllowed(input.concernsPersonId)) {
        fields.push({
          field: `${at}.code`,
          message: 'this parent has not consented to recording their own history',
        });
        continue;
      }
      let value: AnswerValue;
      let confirmedFrom: string | null = null;
      if ('confirmAnswerId' in answer && item.kind !== 'factual') {
        fields.push({ field: `${at}.confirmAnswerId`, message: 'asked again: only a factual question is confirmed' });
        continue;
      }
      if ('confirmAnswerId' in answer) {
        const source = earlier.find((e) => e.id === answer.confirmAnswerId);
        if (
          !source ||
          source.question_code !== item.code ||
          source.concerns_person_id !== input.concernsPersonId ||
          !family.mayRead(source)
        ) {
          fields.push({
            field: `${at}.confirmAnswerId`,
            message: 'not an earlier answer to this question',
          });
          continue;
        }
        value = source.value;
        confirmedFrom = source.id;
      } else {
        value = answer.value;
        const problem = answerProblem(item, value);
        if (problem) {
          fields.push({ field: `${at}.value`, message: `must be ${problem}` });
          continue;
        }
      }
      values.set(item.code, value);
      rows.push({ code: item.code, value, confirmedFrom });
    }
    if (fields.length) throw new AppError('VALIDATION_FAILED', 'Invalid answers.', { fields });
    const { score, complete, attention } = scoreOf(guide, values);
    const responseId = randomUUID();
    await tx.db
      .insertInto('guide_responses')
      .values({
        id: responseId,
        family_id: familyId,
        guide_key: guide.key,
        guide_version: guide.version,
        concerns_person_id: input.concernsPersonId,
        score,
        complete,
        attention,
        organisation_id: access.organisationId,
        account_id: access.actor.accountId,
      })
      .execute();
    const answerRows = rows.map((row) => ({
      id: randomUUID(),
      response_id: responseId,
      family_id: familyId,
      question_code: row.code,
      concerns_person_id: input.concernsPersonId,
      value: JSON.stringify(row.value),
      confirmed_from_answer_id: row.confirmedFrom,
      organisation_id: access.organisationId,
      account_id: access.actor.accountId,
    }));
    await tx.db.insertInto('guide_answers').values(answerRows).execute();
    await tx.audit({
      action: 'guide.answer',
      familyId,
      recordType: 'guide_response',
      recordId: responseId,
      details: { answers: rows.length, confirmed: rows.filter((r) => r.confirmedFrom).length },
    });
    return {
      responseId,
      score,
      complete,
      attention,
      answers: answerRows.map((a) => ({ code: a.question_code, answerId: a.id })),
    };
  });
}
