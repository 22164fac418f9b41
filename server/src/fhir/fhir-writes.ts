import { z } from 'zod';
import { recordContact } from '../contacts/record-contact.ts';
import {
  CONSENT_CATEGORIES,
  CONTACT_KINDS,
  OUTCOME_REASONS,
  type ReferralStatus,
  SIGNAL_SOURCES,
  SIGNAL_STATUSES,
} from '../database/schema.ts';
import { AppError, type FieldError } from '../errors.ts';
import { IsoDate } from '../families/family.types.ts';
import { guides } from '../guides/guide-definitions.ts';
import { submitGuideResponse } from '../guides/guide-responses.ts';
import type { RequestContext } from '../http/context.ts';
import { MoveReferralInput, moveReferral } from '../referrals/referral.ts';
import { correctSignal, recordSignal } from '../signals/record-signal.ts';
import { OUTCOME_REASON_SYSTEM, QUESTIONNAIRE_RESPONSE, statesByCode, TASK, TASK_STATUS } from './care-resources.ts';
import { CONTACT_KIND_SYSTEM, ENCOUNTER } from './chain-resources.ts';
import { readFamilyResource } from './family-resources.ts';
import { CONSENT_CATEGORY_SYSTEM } from './family-sources.ts';
import { type FhirResource, isId } from './fhir.ts';
import { OBSERVATION, SIGNAL_CODE_SYSTEM } from './observation.ts';
import R4_ELEMENTS from './r4-elements.json' with { type: 'json' };

/**
 * Writes through FHIR: each goes through the same command as the web app — the same validation,
 * consent checks, audit and optimistic concurrency — and answers with the resource as it now
 * reads. Errors name the FHIR element at fault (`Observation.code`), a stale If-Match is 412.
 *
 * - Observation (a signal): create, and update (a correction; the code stays);
 * - Encounter (a contact that took place): create;
 * - QuestionnaireResponse (a guide taken with a parent): create;
 * - Task (a referral's lifecycle): update of its status, with what the step needs.
 */

type Options = { baseUrl: string };
export interface Written {
  resource: FhirResource;
  created: boolean;
}

const Coding = z.looseObject({ system: z.string().optional(), code: z.string().optional() });
const CodeableConcept = z.looseObject({ coding: z.array(Coding).optional(), text: z.string().optional() });
const Reference = z.looseObject({ reference: z.string() });
const Annotation = z.looseObject({ text: z.string().max(4000) });
const Meta = z.looseObject({ security: z.array(Coding).optional() }).optional();
/** A FHIR date or dateTime whose day exists (Kring keeps the day). */
const FhirDate = z
  .string()
  .refine((value) => IsoDate.safeParse(value.slice(0, 10)).success, 'a date (YYYY-MM-DD) that exists');

/** The code of a CodeableConcept in one system, if given. */
const codeIn = (concept: z.infer<typeof CodeableConcept> | undefined, system: string) =>
  concept?.coding?.find((c) => c.system === system)?.code;
const categoryOf = (meta: z.infer<typeof Meta>) =>
  meta?.security?.find((c) => c.system === CONSENT_CATEGORY_SYSTEM)?.code;

const ELEMENTS = R4_ELEMENTS as unknown as Record<string, string[]>;

/** Where a resource carries a modifier: a modifierExtension anywhere, or implicitRules. */
function modifiersIn(value: unknown, at: string): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => modifiersIn(item, `${at}.${i}`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === 'modifierExtension' || (key === 'implicitRules' && !at.includes('.'))
      ? [`${at}.${key}`]
      : modifiersIn(child, `${at}.${key}`),
  );
}

/**
 * Parse a FHIR body with a shape; every problem named as an element of the resource. An element
 * R4 does not define for the type is refused (400), never dropped unseen; a modifier Kring does
 * not understand — it would change what the resource means — is 422.
 */
function parseBody<S extends z.ZodType>(type: string, schema: S, body: unknown): z.infer<S> {
  if (typeof body !== 'object' || body === null || (body as { resourceType?: unknown }).resourceType !== type) {
    throw new AppError('VALIDATION_FAILED', `The body is not a ${type}.`, {
      fields: [{ field: `${type}.resourceType`, message: `must be ${type}` }],
    });
  }
  const known = new Set(['resourceType', ...(ELEMENTS[type] ?? [])]);
  const unknown = Object.keys(body).filter((key) => !known.has(key.replace(/^_/, '')));
  if (unknown.length) {
    throw new AppError('VALIDATION_FAILED', `Elements that ${type} does not have in FHIR R4.`, {
      fields: unknown.map((key) => ({
        field: `${type}.${key}`,
        message: 'not an element of this resource in FHIR R4',
      })),
    });
  }
  const modifiers = modifiersIn(body, type);
  if (modifiers.length) {
    throw new AppError('UNPROCESSABLE', 'A modifier Kring does not understand would change what the resource means.', {
      fields: modifiers.map((field) => ({ field, message: 'a modifier Kring does not understand' })),
    });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', `Invalid ${type}.`, {
      fields: parsed.error.issues.map((issue) => ({
        field: [type, ...issue.path.map(String)].join('.'),
        message: issue.message,
      })),
    });
  }
  return parsed.data;
}

const invalid = (type: string, fields: FieldError[]) =>
  new AppError('VALIDATION_FAILED', `Invalid ${type}.`, { fields });

/**
 * Run a web-app command for a FHIR write: its field errors renamed to the resource's elements, a
 * stale version answered as the failed precondition FHIR expects.
 */
async function viaCommand<T>(type: string, elements: Record<string, string>, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === 'STALE_VERSION') {
      throw new AppError('PRECONDITION_FAILED', 'The If-Match version is not the current one.', { data: error.data });
    }
    if (!error.fields) throw error;
    throw new AppError(error.code, error.message, {
      fields: error.fields.map((f) => {
        const name = f.field.replace(/^body\./, '').split('.')[0] ?? '';
        return { field: elements[name] ?? type, message: f.message };
      }),
      ...(error.refusal ? { refusal: error.refusal } : {}),
      ...(error.data ? { data: error.data } : {}),
    });
  }
}

/** The family and person a subject names; a person outside the actor's reach is not found (audited). */
async function subjectOf(ctx: RequestContext, type: string, reference: string) {
  const match = /^(Patient|Group)\/([^/]+)$/.exec(reference.replace(/^.*\/(Patient|Group)\//, '$1/'));
  if (!match || !isId(match[2] as string)) {
    throw invalid(type, [{ field: `${type}.subject`, message: 'a reference to Patient/id or Group/id' }]);
  }
  const id = match[2] as string;
  if (match[1] === 'Group') return { familyId: id, personId: null };
  const person = await ctx.deps.database.db
    .selectFrom('persons')
    .select('family_id')
    .where('id', '=', id)
    .where(ctx.families.readable('persons.family_id'))
    .executeTakeFirst();
  if (!person) {
    throw new AppError('NOT_FOUND', 'Not found.', {
      refusal: { action: 'family.write', recordType: 'person', recordId: id },
    });
  }
  return { familyId: person.family_id, personId: id };
}

/** The version an update is based on, from If-Match (`W/"3"`); required, so no change is blind. */
export function ifMatchVersion(header: string | undefined): number {
  if (header === undefined) {
    throw new AppError('PRECONDITION_REQUIRED', 'Send If-Match with the version (ETag) you read.');
  }
  const match = /^(?:W\/)?"(\d+)"$/.exec(header.trim());
  if (!match) throw new AppError('PRECONDITION_FAILED', 'If-Match must be an ETag of this resource, as W/"version".');
  return Number(match[1]);
}

// ------------------------------------------------------------------ Observation (a signal)

const ObservationBody = z.looseObject({
  status: z.enum(['final', 'amended', 'corrected'], { message: 'a signal is final (or amended, corrected)' }),
  code: CodeableConcept,
  subject: Reference,
  effectivePeriod: z.looseObject({ start: FhirDate.optional() }).optional(),
  effectiveDateTime: FhirDate.optional(),
  valueCodeableConcept: CodeableConcept.optional(),
  method: CodeableConcept,
  note: z.array(Annotation).max(1).optional(),
  meta: Meta,
});

const OBSERVATION_ELEMENTS = {
  code: 'Observation.code',
  concernsPersonId: 'Observation.subject',
  status: 'Observation.valueCodeableConcept',
  since: 'Observation.effectivePeriod.start',
  source: 'Observation.method',
  note: 'Observation.note',
  category: 'Observation.meta.security',
  reviewOn: 'Observation',
};

/** The signal's state as the web app's commands take it. */
function signalState(body: z.infer<typeof ObservationBody>) {
  const fields: FieldError[] = [];
  const status = codeIn(body.valueCodeableConcept, 'urn:kring:signal-status') ?? 'present';
  if (!(SIGNAL_STATUSES as readonly string[]).includes(status)) {
    fields.push({
      field: 'Observation.valueCodeableConcept',
      message: `one of ${SIGNAL_STATUSES.join(', ')} (urn:kring:signal-status)`,
    });
  }
  const source = codeIn(body.method, 'urn:kring:signal-source');
  if (!source || !(SIGNAL_SOURCES as readonly string[]).includes(source)) {
    fields.push({
      field: 'Observation.method',
      message: `one of ${SIGNAL_SOURCES.join(', ')} (urn:kring:signal-source)`,
    });
  }
  const category = categoryOf(body.meta);
  if (category !== undefined && !(CONSENT_CATEGORIES as readonly string[]).includes(category)) {
    fields.push({
      field: 'Observation.meta.security',
      message: `one of ${CONSENT_CATEGORIES.join(', ')} (${CONSENT_CATEGORY_SYSTEM})`,
    });
  }
  if (fields.length) throw invalid('Observation', fields);
  const since = (body.effectivePeriod?.start ?? body.effectiveDateTime)?.slice(0, 10);
  return {
    status: status as (typeof SIGNAL_STATUSES)[number],
    source: source as (typeof SIGNAL_SOURCES)[number],
    ...(since ? { since } : {}),
    ...(body.note?.[0] ? { note: body.note[0].text } : {}),
    ...(category ? { category: category as (typeof CONSENT_CATEGORIES)[number] } : {}),
  };
}

export async function createObservation(ctx: RequestContext, raw: unknown, options: Options): Promise<Written> {
  const body = parseBody('Observation', ObservationBody, raw);
  const code = codeIn(body.code, SIGNAL_CODE_SYSTEM);
  if (!code) {
    throw invalid('Observation', [
      {
        field: 'Observation.code',
        message: `a signal code of ${SIGNAL_CODE_SYSTEM} (a care-intensity judgement is made in Kring, with a colleague)`,
      },
    ]);
  }
  const state = signalState(body);
  const subject = await subjectOf(ctx, 'Observation', body.subject.reference);
  const { signalId } = await viaCommand('Observation', OBSERVATION_ELEMENTS, () =>
    recordSignal(ctx, subject.familyId, { code, concernsPersonId: subject.personId, ...state }),
  );
  return { resource: await readFamilyResource(ctx, OBSERVATION, signalId, options), created: true };
}

export async function updateObservation(
  ctx: RequestContext,
  id: string,
  raw: unknown,
  ifMatch: string | undefined,
  options: Options,
): Promise<Written> {
  const version = ifMatchVersion(ifMatch);
  const body = parseBody('Observation', ObservationBody, raw);
  const signal = isId(id)
    ? await ctx.deps.database.db
        .selectFrom('signals')
        .select(['family_id', 'code'])
        .where('id', '=', id)
        .where(ctx.families.readable('signals.family_id'))
        .executeTakeFirst()
    : undefined;
  if (!signal) {
    throw new AppError('NOT_FOUND', 'Not found.', {
      refusal: { action: 'family.write', recordType: 'signal', ...(isId(id) ? { recordId: id } : {}) },
    });
  }
  if (codeIn(body.code, SIGNAL_CODE_SYSTEM) !== signal.code) {
    throw invalid('Observation', [
      { field: 'Observation.code', message: "a signal's code does not change: end it and record a new one" },
    ]);
  }
  const state = signalState(body);
  const subject = await subjectOf(ctx, 'Observation', body.subject.reference);
  const familyId = signal.family_id;
  if (subject.familyId !== familyId) {
    throw invalid('Observation', [{ field: 'Observation.subject', message: 'a person of the same family' }]);
  }
  await viaCommand('Observation', OBSERVATION_ELEMENTS, () =>
    correctSignal(ctx, familyId, id, { concernsPersonId: subject.personId, ...state, version }),
  );
  return { resource: await readFamilyResource(ctx, OBSERVATION, id, options), created: false };
}

// ------------------------------------------------------------------ Encounter (a contact)

const EncounterBody = z.looseObject({
  status: z.literal('finished', { message: 'Kring records contacts that took place (finished)' }),
  type: z.array(CodeableConcept).min(1),
  subject: Reference,
  period: z.looseObject({ start: FhirDate }),
  episodeOfCare: z.array(Reference).max(1).optional(),
  meta: Meta,
});

export async function createEncounter(ctx: RequestContext, raw: unknown, options: Options): Promise<Written> {
  const body = parseBody('Encounter', EncounterBody, raw);
  const kind = body.type.map((t) => codeIn(t, CONTACT_KIND_SYSTEM)).find(Boolean);
  const fields: FieldError[] = [];
  if (!kind || !(CONTACT_KINDS as readonly string[]).includes(kind)) {
    fields.push({ field: 'Encounter.type', message: `one of ${CONTACT_KINDS.join(', ')} (${CONTACT_KIND_SYSTEM})` });
  }
  const episode = body.episodeOfCare?.[0]?.reference.split('/').at(-1);
  if (episode !== undefined && !isId(episode)) {
    fields.push({ field: 'Encounter.episodeOfCare', message: 'a reference to EpisodeOfCare/id' });
  }
  const category = categoryOf(body.meta);
  if (category !== undefined && !(CONSENT_CATEGORIES as readonly string[]).includes(category)) {
    fields.push({ field: 'Encounter.meta.security', message: `one of ${CONSENT_CATEGORIES.join(', ')}` });
  }
  if (fields.length) throw invalid('Encounter', fields);
  const subject = await subjectOf(ctx, 'Encounter', body.subject.reference);
  const { contactId } = await viaCommand(
    'Encounter',
    {
      occurredOn: 'Encounter.period.start',
      kind: 'Encounter.type',
      trajectoryId: 'Encounter.episodeOfCare',
      concernsPersonId: 'Encounter.subject',
      category: 'Encounter.meta.security',
    },
    () =>
      recordContact(ctx, subject.familyId, {
        occurredOn: body.period.start.slice(0, 10),
        kind: kind as (typeof CONTACT_KINDS)[number],
        trajectoryId: episode ?? null,
        concernsPersonId: subject.personId,
        presentPersonIds: [],
        interpreterUsed: false,
        category: (category ?? 'medical') as (typeof CONSENT_CATEGORIES)[number],
      }),
  );
  return { resource: await readFamilyResource(ctx, ENCOUNTER, contactId, options), created: true };
}

// ---------------------------------------------- QuestionnaireResponse (a guide taken)

const AnswerValue = z.looseObject({
  valueString: z.string().max(4000).optional(),
  valueInteger: z.number().int().optional(),
  valueBoolean: z.boolean().optional(),
  valueCoding: Coding.optional(),
});
const ResponseBody = z.looseObject({
  questionnaire: z.string(),
  status: z.enum(['completed', 'in-progress']),
  subject: Reference,
  item: z
    .array(z.looseObject({ linkId: z.string().max(80), answer: z.array(AnswerValue).length(1) }))
    .min(1)
    .max(60),
});

export async function createQuestionnaireResponse(
  ctx: RequestContext,
  raw: unknown,
  options: Options,
): Promise<Written> {
  const body = parseBody('QuestionnaireResponse', ResponseBody, raw);
  const guideKey = body.questionnaire.split('|')[0]?.split('/').at(-1)?.replaceAll('-', '_') ?? '';
  if (!guides().has(guideKey)) {
    throw invalid('QuestionnaireResponse', [
      { field: 'QuestionnaireResponse.questionnaire', message: 'a Questionnaire of Kring (its url)' },
    ]);
  }
  const answers = body.item.map((item, i) => {
    const a = item.answer[0] as z.infer<typeof AnswerValue>;
    const value = a.valueString ?? a.valueInteger ?? a.valueBoolean ?? a.valueCoding?.code;
    if (value === undefined) {
      throw invalid('QuestionnaireResponse', [
        {
          field: `QuestionnaireResponse.item.${i}.answer`,
          message: 'a valueString, valueInteger, valueBoolean or valueCoding',
        },
      ]);
    }
    return { code: item.linkId, value };
  });
  const subject = await subjectOf(ctx, 'QuestionnaireResponse', body.subject.reference);
  const { responseId } = await viaCommand(
    'QuestionnaireResponse',
    {
      guideKey: 'QuestionnaireResponse.questionnaire',
      concernsPersonId: 'QuestionnaireResponse.subject',
      answers: 'QuestionnaireResponse.item',
    },
    () => submitGuideResponse(ctx, subject.familyId, { guideKey, concernsPersonId: subject.personId, answers }),
  );
  return { resource: await readFamilyResource(ctx, QUESTIONNAIRE_RESPONSE, responseId, options), created: true };
}

// ------------------------------------------------------------ Task (a referral's lifecycle)

const TaskBody = z.looseObject({
  status: z.string(),
  statusReason: CodeableConcept.optional(),
  note: z.array(Annotation).max(1).optional(),
  restriction: z.looseObject({ period: z.looseObject({ start: FhirDate.optional() }).optional() }).optional(),
  output: z.array(z.looseObject({ type: CodeableConcept, valueBoolean: z.boolean().optional() })).optional(),
});

/** Task status → the referral state (one each, as TASK_STATUS maps them). */
const REFERRAL_BY_TASK_STATUS = Object.fromEntries(
  Object.entries(statesByCode(TASK_STATUS)).map(([code, [state]]) => [code, state as ReferralStatus]),
);

export async function updateTask(
  ctx: RequestContext,
  id: string,
  raw: unknown,
  ifMatch: string | undefined,
  options: Options,
): Promise<Written> {
  const version = ifMatchVersion(ifMatch);
  const body = parseBody('Task', TaskBody, raw);
  const status = REFERRAL_BY_TASK_STATUS[body.status];
  if (!status || status === 'draft') {
    throw invalid('Task', [
      {
        field: 'Task.status',
        message: `one of ${Object.keys(REFERRAL_BY_TASK_STATUS)
          .filter((s) => s !== 'draft')
          .join(', ')}`,
      },
    ]);
  }
  const current = await readFamilyResource(ctx, TASK, id, options);
  if (current.status === body.status) return { resource: current, created: false };
  const reason = codeIn(body.statusReason, OUTCOME_REASON_SYSTEM);
  const note = body.note?.[0]?.text;
  const helpReceived = body.output?.find(
    (o) => codeIn(o.type, 'urn:kring:referral-output') === 'help-received',
  )?.valueBoolean;
  const move = MoveReferralInput.safeParse({
    status,
    version,
    ...(status === 'accepted'
      ? { expectedStartOn: body.restriction?.period?.start?.slice(0, 10), ...(note ? { note } : {}) }
      : {}),
    ...(status === 'declined' ? { reason, alternative: note } : {}),
    ...(status === 'started' && note ? { note } : {}),
    ...(status === 'completed' ? { helpReceived, outcome: note, ...(reason ? { reason } : {}) } : {}),
    ...(status === 'cancelled' ? { reason, note } : {}),
  });
  const elements: Record<string, string> = {
    expectedStartOn: 'Task.restriction.period.start',
    reason: 'Task.statusReason',
    alternative: 'Task.note',
    note: 'Task.note',
    outcome: 'Task.note',
    helpReceived: 'Task.output',
    status: 'Task.status',
    version: 'Task',
  };
  if (!move.success) {
    throw invalid(
      'Task',
      move.error.issues.map((issue) => ({
        field: elements[String(issue.path[0])] ?? 'Task',
        message:
          String(issue.path[0]) === 'reason'
            ? `one of ${OUTCOME_REASONS.join(', ')} (${OUTCOME_REASON_SYSTEM})`
            : issue.message,
      })),
    );
  }
  await viaCommand('Task', elements, () => moveReferral(ctx, id, move.data));
  return { resource: await readFamilyResource(ctx, TASK, id, options), created: false };
}
