import { randomUUID } from 'node:crypto';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { z } from 'zod';
import { readContentFile } from '../content/content-file.ts';
import { MELDCODE_OUTCOMES } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import { requireOpen, requireVersion } from '../families/family-guards.ts';
import { todayIso } from '../families/trajectory.ts';
import type { RequestContext, Tx } from '../http/context.ts';
import { createTask } from '../tasks/create-task.ts';

/**
 * The Meldcode route: five steps, each dated and signed by a professional of the family's team,
 * in order; the afwegingskader's questions and where each answer leads are data
 * (content/meldcode.json). A report to Veilig Thuis shares information without the parents'
 * consent: it is recorded as a consent override with its reason and flagged for review. The route
 * belongs to the organisation that runs it, and is not shown to the parents until a professional
 * decides so (recorded).
 */
const Text = z.strictObject({ nl: z.string().min(1), en: z.string().min(1) });
const Lead = z.union([
  z.strictObject({ next: z.string() }),
  z.strictObject({ outcome: z.enum(['no_suspicion', 'report', 'help']) }),
]);
const Decision = z.enum(MELDCODE_OUTCOMES);

export const MeldcodeDefinition = z
  .strictObject({
    version: z.number().int().positive(),
    description: z.string(),
    steps: z.array(z.strictObject({ step: z.number().int().min(1).max(5), title: Text, what: Text })).length(5),
    questions: z.array(z.strictObject({ key: z.string().regex(/^[a-z_]+$/), text: Text, yes: Lead, no: Lead })).min(1),
    outcomes: z.record(
      z.enum(['no_suspicion', 'report', 'help']),
      z.strictObject({ text: Text, decisions: z.array(Decision).min(1) }),
    ),
  })
  .superRefine((definition, ctx) => {
    const keys = new Set(definition.questions.map((q) => q.key));
    definition.questions.forEach((question, i) => {
      for (const answer of ['yes', 'no'] as const) {
        const lead = question[answer];
        if ('next' in lead && !keys.has(lead.next)) {
          ctx.addIssue({
            code: 'custom',
            path: ['questions', i, answer, 'next'],
            message: `unknown question "${lead.next}"`,
          });
        }
      }
    });
  });
export type MeldcodeDefinition = z.infer<typeof MeldcodeDefinition>;

let cached: MeldcodeDefinition | undefined;

export function meldcode(): MeldcodeDefinition {
  cached ??= readContentFile('meldcode.json', MeldcodeDefinition, 'meldcode');
  return cached;
}

/**
 * Walk the afwegingskader with the given answers, from its first question: the outcome, or the
 * first question that needs an answer (or an answer that was not asked).
 */
export function weigh(
  definition: MeldcodeDefinition,
  answers: Record<string, boolean>,
): { outcome: 'no_suspicion' | 'report' | 'help'; path: string[] } | { missing: string } | { extra: string } {
  const byKey = new Map(definition.questions.map((q) => [q.key, q]));
  const path: string[] = [];
  let question = definition.questions[0];
  while (question) {
    const answer = answers[question.key];
    if (answer === undefined) return { missing: question.key };
    path.push(question.key);
    const lead = answer ? question.yes : question.no;
    if ('outcome' in lead) {
      const extra = Object.keys(answers).find((key) => !path.includes(key));
      return extra ? { extra } : { outcome: lead.outcome, path };
    }
    question = byKey.get(lead.next);
  }
  return { missing: 'unknown' };
}

const Note = z.string().trim().min(3).max(4000);
const HappenedOn = z.iso.date();

/** What each step records. */
export const StepInput = z.discriminatedUnion('step', [
  z.strictObject({
    step: z.literal(1),
    happenedOn: HappenedOn,
    signalIds: z.array(z.uuid()).min(1, 'link at least one signal'),
    note: Note,
  }),
  z.strictObject({
    step: z.literal(2),
    happenedOn: HappenedOn,
    /** Who was consulted (name and role), and what they advised. */
    colleague: z.string().trim().min(3).max(200),
    advice: Note,
    veiligThuisConsulted: z.boolean(),
    /** An injury assessment (letselduiding) by a forensic physician was asked for. */
    injuryAssessment: z.boolean().default(false),
    consultationIds: z.array(z.uuid()).max(10).default([]),
  }),
  z.strictObject({
    step: z.literal(3),
    happenedOn: HappenedOn,
    held: z.boolean(),
    withWhom: z.string().trim().min(2).max(200).optional(),
    /** What was discussed and what the parents said (held), or why it was not held (safety). */
    note: Note,
  }),
  z.strictObject({
    step: z.literal(4),
    happenedOn: HappenedOn,
    answers: z.record(z.string(), z.boolean()),
    note: Note,
  }),
  z.strictObject({
    step: z.literal(5),
    happenedOn: HappenedOn,
    decision: Decision,
    reason: Note,
    /** When reporting: the Veilig Thuis organisation, and whether the parents are told (and why not). */
    reportedToOrganisationId: z.uuid().optional(),
    parentsInformed: z.boolean().optional(),
    followUpOn: z.iso.date().optional(),
  }),
]);
export type StepInput = z.infer<typeof StepInput>;

export const RouteParams = z.strictObject({ routeId: z.uuid() });
export const StartRouteInput = z.strictObject({ reason: Note });
export const VisibilityInput = z.strictObject({
  shownToParents: z.boolean(),
  reason: Note,
  version: z.number().int().positive(),
});

/** A route of the actor's organisation about a family the actor may see, locked for an update. */
async function loadRoute(tx: Tx, ctx: RequestContext, routeId: string, lock: boolean) {
  const access = ctx.access;
  let query = tx.db
    .selectFrom('meldcode_routes')
    .selectAll()
    .where('id', '=', routeId)
    .where('organisation_id', '=', access.organisationId)
    .where(tx.families.inTeam('meldcode_routes.family_id'));
  if (lock) query = query.forUpdate();
  const route = await query.executeTakeFirst();
  if (!route) {
    throw new AppError('NOT_FOUND', 'Not found.', {
      refusal: { action: 'meldcode.read', recordType: 'meldcode_route', recordId: routeId },
    });
  }
  return route;
}

export async function startRoute(ctx: RequestContext, familyId: string, input: z.infer<typeof StartRouteInput>) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    const { family } = await tx.families.open(familyId, 'family.write');
    requireOpen(family);
    const open = await tx.db
      .selectFrom('meldcode_routes')
      .select('id')
      .where('family_id', '=', familyId)
      .where('organisation_id', '=', access.organisationId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (open) {
      throw new AppError('ALREADY_EXISTS', 'Your organisation already has an open Meldcode route for this family.', {
        data: { routeId: open.id },
      });
    }
    const id = randomUUID();
    await tx.db
      .insertInto('meldcode_routes')
      .values({
        id,
        family_id: familyId,
        organisation_id: access.organisationId,
        started_by_account_id: access.actor.accountId,
        started_reason: input.reason,
        meldcode_version: meldcode().version,
        status: 'open',
      })
      .execute();
    await tx.audit({ action: 'meldcode.start', familyId, recordType: 'meldcode_route', recordId: id });
    return { routeId: id };
  });
}

/** Sign the next step; each step once, in order, by a professional of the team. */
export async function signStep(ctx: RequestContext, routeId: string, input: StepInput) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    const route = await loadRoute(tx, ctx, routeId, true);
    if (route.status !== 'open') throw new AppError('INVALID_TRANSITION', 'This Meldcode route is closed.');
    const signed = await tx.db
      .selectFrom('meldcode_steps')
      .select(['step', 'content'])
      .where('route_id', '=', routeId)
      .orderBy('step')
      .execute();
    const next = signed.length + 1;
    if (input.step !== next) {
      throw new AppError(
        'INVALID_TRANSITION',
        input.step < next ? `Step ${input.step} is already signed.` : `Step ${next} comes first.`,
        { data: { nextStep: next } },
      );
    }
    if (input.happenedOn > todayIso()) {
      throw new AppError('VALIDATION_FAILED', 'A step cannot happen in the future.', {
        fields: [{ field: 'body.happenedOn', message: 'in the future' }],
      });
    }
    const content = await checkStep(tx, ctx, route, input, signed);
    await tx.db
      .insertInto('meldcode_steps')
      .values({
        route_id: routeId,
        step: input.step,
        family_id: route.family_id,
        content: JSON.stringify(content),
        happened_on: input.happenedOn,
        signed_by_account_id: access.actor.accountId,
        organisation_id: access.organisationId,
      })
      .execute();
    if (input.step === 5) {
      const decision = input.decision;
      await tx.db
        .updateTable('meldcode_routes')
        .set((eb) => ({ status: 'closed', outcome: decision, closed_at: new Date(), version: eb('version', '+', 1) }))
        .where('id', '=', routeId)
        .execute();
      if (decision === 'report' || decision === 'report_and_help') {
        const overrideId = randomUUID();
        await tx.db
          .insertInto('consent_overrides')
          .values({
            id: overrideId,
            family_id: route.family_id,
            kind: 'meldcode',
            organisation_id: input.reportedToOrganisationId as string,
            account_id: access.actor.accountId,
            reason: input.reason,
            source_id: routeId,
            parents_informed: input.parentsInformed ?? false,
          })
          .execute();
        // Four eyes on every sharing without consent: the organisation reviews it.
        await createTask(tx.db, {
          kind: 'override_review',
          familyId: route.family_id,
          assigneeOrganisationId: access.organisationId,
          sourceId: overrideId,
        });
        await tx.audit({
          action: 'consent.override',
          familyId: route.family_id,
          recordType: 'consent_override',
          recordId: overrideId,
          details: { kind: 'meldcode' },
        });
      }
      if (input.followUpOn) {
        await createTask(tx.db, {
          kind: 'meldcode_follow_up',
          familyId: route.family_id,
          assigneeAccountId: access.actor.accountId,
          sourceId: routeId,
          dueOn: input.followUpOn,
        });
      }
    } else {
      await tx.db
        .updateTable('meldcode_routes')
        .set((eb) => ({ version: eb('version', '+', 1) }))
        .where('id', '=', routeId)
        .execute();
    }
    await tx.audit({
      action: `meldcode.step${input.step}`,
      familyId: route.family_id,
      recordType: 'meldcode_route',
      recordId: routeId,
    });
    return { routeId, step: input.step, closed: input.step === 5 };
  });
}

/** Check a step's content against the family and the earlier steps; returns what is stored. */
async function checkStep(
  tx: Tx,
  ctx: RequestContext,
  route: { family_id: string },
  input: StepInput,
  signed: { step: number; content: Record<string, unknown> }[],
): Promise<Record<string, unknown>> {
  const { step: _step, happenedOn: _on, ...content } = input;
  const fail = (field: string, message: string): never => {
    throw new AppError('VALIDATION_FAILED', 'This step is not complete.', {
      fields: [{ field: `body.${field}`, message }],
    });
  };
  if (input.step === 1) {
    const found = await tx.db
      .selectFrom('signals')
      .select('id')
      .where('family_id', '=', route.family_id)
      .where('id', 'in', input.signalIds)
      .execute();
    if (found.length !== new Set(input.signalIds).size) fail('signalIds', 'not signals of this family');
  }
  if (input.step === 2 && input.consultationIds.length) {
    const found = await tx.db
      .selectFrom('consultations')
      .select('id')
      .where('asked_by_account_id', '=', ctx.access.actor.accountId)
      .where('id', 'in', input.consultationIds)
      .execute();
    if (found.length !== new Set(input.consultationIds).size) fail('consultationIds', 'not your consultations');
  }
  if (input.step === 3 && input.held && !input.withWhom) fail('withWhom', 'say with whom you talked');
  if (input.step === 4) {
    const result = weigh(meldcode(), input.answers);
    if ('missing' in result) fail(`answers.${result.missing}`, 'answer this question');
    if ('extra' in result) fail(`answers.${result.extra}`, 'not asked on this path');
    if ('outcome' in result) return { ...content, outcome: result.outcome, path: result.path };
  }
  if (input.step === 5) {
    const weighing = signed.find((s) => s.step === 4)?.content.outcome as 'no_suspicion' | 'report' | 'help';
    const allowed = meldcode().outcomes[weighing]?.decisions ?? [];
    if (!allowed.includes(input.decision)) {
      fail('decision', `after the weighing ("${weighing}") the decision is one of: ${allowed.join(', ')}`);
    }
    const reporting = input.decision === 'report' || input.decision === 'report_and_help';
    if (reporting) {
      if (!input.reportedToOrganisationId)
        fail('reportedToOrganisationId', 'the Veilig Thuis organisation reported to');
      const vt = await tx.db
        .selectFrom('organisations')
        .select('id')
        .where('id', '=', input.reportedToOrganisationId as string)
        .where('type', '=', 'veilig_thuis')
        .executeTakeFirst();
      if (!vt) fail('reportedToOrganisationId', 'not a Veilig Thuis organisation');
      if (input.parentsInformed === undefined) fail('parentsInformed', 'say whether the parents are told');
    }
    if (input.decision !== 'no_suspicion' && !input.followUpOn) fail('followUpOn', 'set when you follow up');
  }
  return content;
}

/** Record whether the parents may see the route (the parent portal honours it), and why. */
export async function setParentsVisibility(
  ctx: RequestContext,
  routeId: string,
  input: z.infer<typeof VisibilityInput>,
) {
  return ctx.transaction(async (tx) => {
    const route = await loadRoute(tx, ctx, routeId, true);
    requireVersion(route, input.version, { version: route.version, shownToParents: route.shown_to_parents });
    await tx.db
      .updateTable('meldcode_routes')
      .set((eb) => ({
        shown_to_parents: input.shownToParents,
        shown_decision_reason: input.reason,
        shown_decided_by_account_id: ctx.access.actor.accountId,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', routeId)
      .execute();
    await tx.audit({
      action: 'meldcode.parents_visibility',
      familyId: route.family_id,
      recordType: 'meldcode_route',
      recordId: routeId,
      details: { shownToParents: input.shownToParents },
    });
    return { routeId, shownToParents: input.shownToParents, version: route.version + 1 };
  });
}

/** The route read back as one document: every step with what it recorded, who signed it and when. */
export async function readRoute(ctx: RequestContext, routeId: string) {
  return ctx.transaction(async (tx) => {
    const route = await loadRoute(tx, ctx, routeId, false);
    const steps = await tx.db
      .selectFrom('meldcode_steps as s')
      .innerJoin('accounts as a', 'a.id', 's.signed_by_account_id')
      .innerJoin('organisations as o', 'o.id', 's.organisation_id')
      .select(['s.step', 's.content', 's.happened_on', 's.signed_at', 'a.display_name', 'o.name as organisation_name'])
      .where('s.route_id', '=', routeId)
      .orderBy('s.step')
      .execute();
    const started = await tx.db
      .selectFrom('accounts')
      .select('display_name')
      .where('id', '=', route.started_by_account_id)
      .executeTakeFirstOrThrow();
    await tx.audit({
      action: 'meldcode.read',
      familyId: route.family_id,
      recordType: 'meldcode_route',
      recordId: routeId,
    });
    return {
      id: route.id,
      familyId: route.family_id,
      status: route.status,
      outcome: route.outcome,
      startedBy: started.display_name,
      startedReason: route.started_reason,
      startedAt: route.created_at.toISOString(),
      closedAt: route.closed_at?.toISOString() ?? null,
      shownToParents: route.shown_to_parents,
      shownDecisionReason: route.shown_decision_reason,
      meldcodeVersion: route.meldcode_version,
      version: route.version,
      nextStep: route.status === 'open' ? steps.length + 1 : null,
      steps: steps.map((s) => ({
        step: s.step,
        content: s.content,
        happenedOn: s.happened_on,
        signedAt: s.signed_at.toISOString(),
        signedBy: s.display_name,
        organisationName: s.organisation_name,
      })),
    };
  });
}

/** The routes of the actor's organisation for a family (open ones first). */
export async function familyRoutes(ctx: RequestContext, familyId: string) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    await tx.families.open(familyId, 'family.read');
    const routes = await tx.db
      .selectFrom('meldcode_routes as r')
      .select(['r.id', 'r.status', 'r.outcome', 'r.created_at', 'r.closed_at', 'r.shown_to_parents'])
      .select((eb) =>
        jsonArrayFrom(eb.selectFrom('meldcode_steps as s').select('s.step').whereRef('s.route_id', '=', 'r.id')).as(
          'steps',
        ),
      )
      .where('r.family_id', '=', familyId)
      .where('r.organisation_id', '=', access.organisationId)
      .orderBy('r.status', 'desc')
      .orderBy('r.created_at', 'desc')
      .execute();
    await tx.audit({ action: 'meldcode.list', familyId, recordType: 'family', recordId: familyId });
    return {
      routes: routes.map((r) => ({
        id: r.id,
        status: r.status,
        outcome: r.outcome,
        startedAt: r.created_at.toISOString(),
        closedAt: r.closed_at?.toISOString() ?? null,
        shownToParents: r.shown_to_parents,
        stepsSigned: r.steps.length,
      })),
    };
  });
}
