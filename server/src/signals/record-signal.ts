import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  audienceColumns,
  audienceDecisionFaults,
  isSafetyCode,
  ParentsAudienceInput,
} from '../access/family-audience.ts';
import type { FamilyStore } from '../access/family-store.ts';
import { ADULT_ROLES, CONSENT_CATEGORIES, SIGNAL_SOURCES, SIGNAL_STATUSES } from '../database/schema.ts';
import { AppError, type FieldError } from '../errors.ts';
import { IsoDate } from '../families/family.types.ts';
import { requireOpen, requireVersion } from '../families/family-guards.ts';
import { addDays, todayIso } from '../families/trajectory.ts';
import type { RequestContext, Tx } from '../http/context.ts';
import { OWN_HISTORY_DOMAIN, signalCodes } from './signal-codes.ts';

/** A signal asks its owner to look again after this long, unless another date is given. */
export const DEFAULT_REVIEW_DAYS = 182;
const MAX_REVIEW_DAYS = 2 * 366;

/** A review date lies after today and within two years. */
const isReviewDate = (date: string, today: string) => date > today && date <= addDays(today, MAX_REVIEW_DAYS);
const REVIEW_DATE_FAULT: FieldError = { field: 'body.reviewOn', message: 'a date within the next two years' };

const SignalState = {
  concernsPersonId: z.uuid().nullable().default(null),
  status: z.enum(SIGNAL_STATUSES).default('present'),
  since: IsoDate.optional(),
  source: z.enum(SIGNAL_SOURCES),
  /** The professional's own words (or the parent's, when told by the parent). */
  note: z.string().trim().max(4000).optional(),
  /** Defaults to the code's category. */
  category: z.enum(CONSENT_CATEGORIES).optional(),
  reviewOn: IsoDate.optional(),
};

export const RecordSignalInput = z.strictObject({
  code: z.string().trim().min(1).max(60),
  ...SignalState,
  /** The guide answer the signal is made from (one action in the guide; the link is kept). */
  fromAnswerId: z.uuid().optional(),
  /** Who in the family sees it in the parents' Kring, if not as the rule says (access/family-audience.ts). */
  parentsAudience: ParentsAudienceInput.optional(),
});
export const CorrectSignalInput = z.strictObject({ ...SignalState, version: z.number().int() });
export const EndSignalInput = z.strictObject({ endedOn: IsoDate.optional(), version: z.number().int() });
export const ConfirmSignalInput = z.strictObject({ reviewOn: IsoDate.optional(), version: z.number().int() });
export const SignalParams = z.strictObject({ familyId: z.uuid(), signalId: z.uuid() });

type State = z.infer<z.ZodObject<typeof SignalState>>;

/** Check a signal's state against its code and the family; every fault named by its field. */
function checkState(code: string, state: State, family: Awaited<ReturnType<FamilyStore['open']>>): FieldError[] {
  const fields: FieldError[] = [];
  const definition = signalCodes().byKey.get(code);
  if (!definition) return [{ field: 'body.code', message: 'unknown code' }];
  const today = todayIso();
  const person = state.concernsPersonId ? family.persons.find((p) => p.id === state.concernsPersonId) : undefined;
  if (state.concernsPersonId && !person) {
    fields.push({ field: 'body.concernsPersonId', message: 'not a person of this family' });
  } else {
    const subject = !person ? 'family' : (ADULT_ROLES as readonly string[]).includes(person.role) ? 'adult' : 'child';
    if (!definition.subjects.includes(subject)) {
      fields.push({
        field: 'body.concernsPersonId',
        message: `this code cannot concern ${subject === 'family' ? 'the family as a whole' : subject === 'adult' ? 'an adult' : 'a child'}`,
      });
    } else if (definition.domain === OWN_HISTORY_DOMAIN && !family.ownHistoryAllowed(person?.id ?? null)) {
      fields.push({
        field: 'body.concernsPersonId',
        message: 'this parent has not consented to recording their own history',
      });
    }
  }
  if (state.since && state.since > today) fields.push({ field: 'body.since', message: 'must not be in the future' });
  if (state.reviewOn && !isReviewDate(state.reviewOn, today)) fields.push(REVIEW_DATE_FAULT);
  return fields;
}

export function stateRow(code: string, state: State) {
  const definition = signalCodes().byKey.get(code);
  return {
    concerns_person_id: state.concernsPersonId,
    status: state.status,
    since: state.since ?? null,
    source: state.source,
    note: state.note ?? null,
    category: state.category ?? definition?.category ?? 'psychosocial',
    review_on: state.status === 'present' ? (state.reviewOn ?? addDays(todayIso(), DEFAULT_REVIEW_DAYS)) : null,
  };
}

export async function keepVersion(
  tx: Tx,
  signalId: string,
  familyId: string,
  version: number,
  change: 'recorded' | 'corrected' | 'ended' | 'confirmed',
  state: Record<string, unknown>,
  accountId: string,
) {
  await tx.db
    .insertInto('signal_versions')
    .values({
      signal_id: signalId,
      version,
      family_id: familyId,
      change,
      state: JSON.stringify(state),
      changed_by_account_id: accountId,
    })
    .execute();
}

/** Record an observation about the family: a stress factor or a protective factor. */
export async function recordSignal(ctx: RequestContext, familyId: string, input: z.infer<typeof RecordSignalInput>) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    const family = await tx.families.open(familyId, 'family.write');
    requireOpen(family.family);
    const fields = checkState(input.code, input, family);
    if (input.fromAnswerId) {
      const answer = await tx.db
        .selectFrom('guide_answers')
        .select(['organisation_id', 'category', 'concerns_person_id'])
        .where('id', '=', input.fromAnswerId)
        .where('family_id', '=', familyId)
        .executeTakeFirst();
      if (!answer || !family.mayRead(answer)) {
        fields.push({ field: 'body.fromAnswerId', message: 'not an answer in this family' });
      }
    }
    fields.push(
      ...(await audienceDecisionFaults(
        tx.db,
        familyId,
        { concernsPersonId: input.concernsPersonId, safety: isSafetyCode(input.code) },
        input.parentsAudience?.persons ?? null,
        'body.parentsAudience',
      )),
    );
    if (fields.length) throw new AppError('VALIDATION_FAILED', 'Invalid signal.', { fields });
    const id = randomUUID();
    const row = stateRow(input.code, input);
    await tx.db
      .insertInto('signals')
      .values({
        id,
        family_id: familyId,
        code: input.code,
        code_list_version: signalCodes().version,
        ...row,
        ended_on: input.status === 'no_longer_present' ? todayIso() : null,
        organisation_id: access.organisationId,
        account_id: access.actor.accountId,
        from_answer_id: input.fromAnswerId ?? null,
        ...audienceColumns(input.parentsAudience, access.actor.accountId),
      })
      .execute();
    await keepVersion(tx, id, familyId, 1, 'recorded', { code: input.code, ...row }, access.actor.accountId);
    await tx.audit({ action: 'signal.record', familyId, recordType: 'signal', recordId: id });
    return { signalId: id };
  });
}

/** The signal, for a change by a professional of the organisation that recorded it. */
async function loadOwnSignal(ctx: RequestContext, tx: Tx, familyId: string, signalId: string) {
  const access = ctx.access;
  const family = await tx.families.open(familyId, 'family.write');
  requireOpen(family.family);
  const signal = await tx.db
    .selectFrom('signals')
    .selectAll()
    .where('id', '=', signalId)
    .where('family_id', '=', familyId)
    .forUpdate()
    .executeTakeFirst();
  if (!signal || !family.maySeeSignal(signal)) {
    throw new AppError('NOT_FOUND', 'Not found.', {
      refusal: { action: 'family.write', familyId, recordType: 'signal', recordId: signalId },
    });
  }
  if (signal.organisation_id !== access.organisationId) {
    throw new AppError('FORBIDDEN', 'Only the organisation that recorded a signal can change it.', {
      refusal: { action: 'family.write', familyId, recordType: 'signal', recordId: signalId },
    });
  }
  return { family, signal };
}

const currentState = (s: { version: number; status: string; since: string | null; review_on: string | null }) => ({
  version: s.version,
  status: s.status,
  since: s.since,
  reviewOn: s.review_on,
});

/** Correct a signal (its status, dates, source, words, category or whom it concerns); history is kept. */
export async function correctSignal(
  ctx: RequestContext,
  familyId: string,
  signalId: string,
  input: z.infer<typeof CorrectSignalInput>,
) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    const { family, signal } = await loadOwnSignal(ctx, tx, familyId, signalId);
    requireVersion(signal, input.version, currentState(signal));
    const fields = checkState(signal.code, input, family);
    if (fields.length) throw new AppError('VALIDATION_FAILED', 'Invalid signal.', { fields });
    const row = stateRow(signal.code, input);
    const endedOn = input.status === 'no_longer_present' ? (signal.ended_on ?? todayIso()) : null;
    await tx.db
      .updateTable('signals')
      .set({ ...row, ended_on: endedOn, version: signal.version + 1, updated_at: new Date() })
      .where('id', '=', signalId)
      .execute();
    await keepVersion(
      tx,
      signalId,
      familyId,
      signal.version + 1,
      'corrected',
      { code: signal.code, ...row },
      access.actor.accountId,
    );
    await closeReviewTasks(tx, signalId);
    await tx.audit({ action: 'signal.correct', familyId, recordType: 'signal', recordId: signalId });
    return { ok: true as const };
  });
}

/** End a signal: no longer present since a date (today by default). It stays in the history. */
export async function endSignal(
  ctx: RequestContext,
  familyId: string,
  signalId: string,
  input: z.infer<typeof EndSignalInput>,
) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    const { signal } = await loadOwnSignal(ctx, tx, familyId, signalId);
    requireVersion(signal, input.version, currentState(signal));
    if (signal.status === 'no_longer_present')
      throw new AppError('INVALID_TRANSITION', 'This signal has already ended.');
    const endedOn = input.endedOn ?? todayIso();
    if (endedOn > todayIso() || (signal.since && endedOn < signal.since)) {
      throw new AppError('VALIDATION_FAILED', 'Invalid end.', {
        fields: [{ field: 'body.endedOn', message: 'between the signal’s start and today' }],
      });
    }
    await tx.db
      .updateTable('signals')
      .set({
        status: 'no_longer_present',
        ended_on: endedOn,
        review_on: null,
        version: signal.version + 1,
        updated_at: new Date(),
      })
      .where('id', '=', signalId)
      .execute();
    await keepVersion(tx, signalId, familyId, signal.version + 1, 'ended', { endedOn }, access.actor.accountId);
    await closeReviewTasks(tx, signalId);
    await tx.audit({ action: 'signal.end', familyId, recordType: 'signal', recordId: signalId });
    return { ok: true as const };
  });
}

/** Confirm at review that a signal still holds, with the next review date. */
export async function confirmSignal(
  ctx: RequestContext,
  familyId: string,
  signalId: string,
  input: z.infer<typeof ConfirmSignalInput>,
) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    const { signal } = await loadOwnSignal(ctx, tx, familyId, signalId);
    requireVersion(signal, input.version, currentState(signal));
    if (signal.status !== 'present') throw new AppError('INVALID_TRANSITION', 'Only a present signal is confirmed.');
    const today = todayIso();
    const reviewOn = input.reviewOn ?? addDays(today, DEFAULT_REVIEW_DAYS);
    if (!isReviewDate(reviewOn, today)) {
      throw new AppError('VALIDATION_FAILED', 'Invalid review date.', { fields: [REVIEW_DATE_FAULT] });
    }
    await tx.db
      .updateTable('signals')
      .set({ review_on: reviewOn, version: signal.version + 1, updated_at: new Date() })
      .where('id', '=', signalId)
      .execute();
    await keepVersion(tx, signalId, familyId, signal.version + 1, 'confirmed', { reviewOn }, access.actor.accountId);
    await closeReviewTasks(tx, signalId);
    await tx.audit({ action: 'signal.confirm', familyId, recordType: 'signal', recordId: signalId });
    return { ok: true as const };
  });
}

async function closeReviewTasks(tx: Tx, signalId: string) {
  await tx.db
    .updateTable('tasks')
    .set({ status: 'done', completed_at: new Date() })
    .where('kind', '=', 'signal_review')
    .where('source_id', '=', signalId)
    .where('status', '=', 'open')
    .execute();
}
