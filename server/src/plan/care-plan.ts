import { randomUUID } from 'node:crypto';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { z } from 'zod';
import {
  audienceColumns,
  audienceDecisionOf,
  ParentsAudienceInput,
  requireFamilyAudienceDecision,
} from '../access/family-audience.ts';
import {
  ACTION_STATUSES,
  ADULT_ROLES,
  CONSENT_CATEGORIES,
  GOAL_STATUSES,
  type PersonRole,
  type PLAN_CHANGES,
} from '../database/schema.ts';
import { AppError } from '../errors.ts';
import { requireOpen, requireVersion } from '../families/family-guards.ts';
import { todayIso } from '../families/trajectory.ts';
import type { RequestContext, Tx } from '../http/context.ts';

/**
 * One family, one plan: goals in the parents' words, each carried by someone (a professional of
 * the team or a parent) and evaluated on a date; actions under the goals; referrals hang under a
 * goal. The family's regiehouder keeps the plan (adds and changes goals and actions); whoever
 * does an action marks it done. Every change is listed for the whole team.
 */

const IsoDate = z.iso.date();
/** Who does it: a professional assigned to the family, or a parent of the family. */
export const Owner = z.union([z.strictObject({ accountId: z.uuid() }), z.strictObject({ personId: z.uuid() })]);

export const AddGoalInput = z.strictObject({
  /** The goal as the parents put it. */
  goal: z.string().trim().min(3, 'write the goal, in the parents’ words').max(2000),
  owner: Owner,
  evaluateOn: IsoDate,
  category: z.enum(CONSENT_CATEGORIES).default('psychosocial'),
  /** Who in the family sees it in the parents' Kring, if not every adult (access/family-audience.ts). */
  parentsAudience: ParentsAudienceInput.optional(),
});
export const ChangeGoalInput = z.strictObject({
  goal: z.string().trim().min(3).max(2000).optional(),
  owner: Owner.optional(),
  evaluateOn: IsoDate.optional(),
  status: z.enum(GOAL_STATUSES).optional(),
  /** What the evaluation found (required when a goal is achieved or stopped). */
  evaluation: z.string().trim().min(3).max(2000).optional(),
  version: z.number().int().positive(),
});
export const AddActionInput = z.strictObject({
  action: z.string().trim().min(3, 'say what will be done').max(2000),
  owner: Owner,
  dueOn: IsoDate.optional(),
});
export const ChangeActionInput = z.strictObject({
  action: z.string().trim().min(3).max(2000).optional(),
  owner: Owner.optional(),
  dueOn: IsoDate.nullable().optional(),
  status: z.enum(ACTION_STATUSES).optional(),
  version: z.number().int().positive(),
});
export const GoalParams = z.strictObject({ familyId: z.uuid(), goalId: z.uuid() });
export const ActionParams = z.strictObject({ familyId: z.uuid(), actionId: z.uuid() });

type Owner = z.infer<typeof Owner>;

/** The family as the plan's commands need it: visible to the actor, open, with its team and persons. */
async function planFamily(tx: Tx, ctx: RequestContext, familyId: string) {
  const loaded = await tx.families.open(familyId, 'family.write');
  requireOpen(loaded.family);
  const team = await tx.db
    .selectFrom('care_team_professionals')
    .select(['account_id', 'is_regiehouder'])
    .where('family_id', '=', familyId)
    .where('ended_at', 'is', null)
    .execute();
  const isRegiehouder = team.some((p) => p.account_id === ctx.access.actor.accountId && p.is_regiehouder);
  return { ...loaded, team, isRegiehouder };
}

function requireRegiehouder(isRegiehouder: boolean, familyId: string): void {
  if (!isRegiehouder) {
    throw new AppError('FORBIDDEN', 'The family’s regiehouder keeps the plan: ask them to change it.', {
      refusal: { action: 'plan.write', familyId, recordType: 'family', recordId: familyId },
    });
  }
}

/** The owner must be a professional of the family's team or an adult of the family. */
function ownerColumns(
  owner: Owner,
  family: { team: { account_id: string }[]; persons: { id: string; role: PersonRole }[] },
  field: string,
) {
  if ('accountId' in owner) {
    if (!family.team.some((p) => p.account_id === owner.accountId)) {
      throw new AppError('VALIDATION_FAILED', 'Unknown owner.', {
        fields: [{ field: `${field}.accountId`, message: 'not a professional of this family’s team' }],
      });
    }
    return { owner_account_id: owner.accountId, owner_person_id: null };
  }
  const person = family.persons.find((p) => p.id === owner.personId);
  if (!person || !(ADULT_ROLES as readonly PersonRole[]).includes(person.role)) {
    throw new AppError('VALIDATION_FAILED', 'Unknown owner.', {
      fields: [{ field: `${field}.personId`, message: 'not a parent or caregiver of this family' }],
    });
  }
  return { owner_account_id: null, owner_person_id: owner.personId };
}

async function recordChange(
  tx: Tx,
  ctx: RequestContext,
  familyId: string,
  goalId: string,
  change: (typeof PLAN_CHANGES)[number],
) {
  await tx.db
    .insertInto('plan_changes')
    .values({
      id: randomUUID(),
      family_id: familyId,
      goal_id: goalId,
      change,
      account_id: ctx.access.actor.accountId,
      organisation_id: ctx.access.organisationId,
    })
    .execute();
  await tx.audit({ action: `plan.${change}`, familyId, recordType: 'plan_goal', recordId: goalId });
}

export async function addGoal(ctx: RequestContext, familyId: string, input: z.infer<typeof AddGoalInput>) {
  return ctx.transaction(async (tx) => {
    const family = await planFamily(tx, ctx, familyId);
    requireRegiehouder(family.isRegiehouder, familyId);
    await requireFamilyAudienceDecision(tx.db, familyId, input.parentsAudience);
    const id = randomUUID();
    await tx.db
      .insertInto('plan_goals')
      .values({
        id,
        family_id: familyId,
        goal: input.goal,
        ...ownerColumns(input.owner, family, 'body.owner'),
        evaluate_on: input.evaluateOn,
        status: 'open',
        category: input.category,
        organisation_id: ctx.access.organisationId,
        account_id: ctx.access.actor.accountId,
        ...audienceColumns(input.parentsAudience, ctx.access.actor.accountId),
      })
      .execute();
    await recordChange(tx, ctx, familyId, id, 'goal_added');
    return { goalId: id };
  });
}

export async function changeGoal(
  ctx: RequestContext,
  familyId: string,
  goalId: string,
  input: z.infer<typeof ChangeGoalInput>,
) {
  return ctx.transaction(async (tx) => {
    const family = await planFamily(tx, ctx, familyId);
    requireRegiehouder(family.isRegiehouder, familyId);
    const goal = await tx.db
      .selectFrom('plan_goals')
      .selectAll()
      .where('id', '=', goalId)
      .where('family_id', '=', familyId)
      .forUpdate()
      .executeTakeFirst();
    if (!goal) throw new AppError('NOT_FOUND', 'Not found.');
    requireVersion(goal, input.version, { version: goal.version, status: goal.status });
    const closing = input.status && input.status !== 'open' && goal.status === 'open';
    if (closing && !input.evaluation) {
      throw new AppError('VALIDATION_FAILED', 'Say what the evaluation found.', {
        fields: [{ field: 'body.evaluation', message: 'required when a goal is achieved or stopped' }],
      });
    }
    await tx.db
      .updateTable('plan_goals')
      .set((eb) => ({
        ...(input.goal ? { goal: input.goal } : {}),
        ...(input.owner ? ownerColumns(input.owner, family, 'body.owner') : {}),
        ...(input.evaluateOn ? { evaluate_on: input.evaluateOn } : {}),
        ...(input.status ? { status: input.status } : {}),
        ...(input.evaluation ? { evaluation: input.evaluation } : {}),
        version: eb('version', '+', 1),
        updated_at: new Date(),
      }))
      .where('id', '=', goalId)
      .execute();
    const change =
      input.status && input.status !== goal.status
        ? input.status === 'achieved'
          ? 'goal_achieved'
          : input.status === 'stopped'
            ? 'goal_stopped'
            : 'goal_reopened'
        : 'goal_changed';
    await recordChange(tx, ctx, familyId, goalId, change);
    return { goalId, version: goal.version + 1 };
  });
}

export async function addAction(
  ctx: RequestContext,
  familyId: string,
  goalId: string,
  input: z.infer<typeof AddActionInput>,
) {
  return ctx.transaction(async (tx) => {
    const family = await planFamily(tx, ctx, familyId);
    requireRegiehouder(family.isRegiehouder, familyId);
    const goal = await tx.db
      .selectFrom('plan_goals')
      .select('id')
      .where('id', '=', goalId)
      .where('family_id', '=', familyId)
      .executeTakeFirst();
    if (!goal) throw new AppError('NOT_FOUND', 'Not found.');
    const id = randomUUID();
    await tx.db
      .insertInto('plan_actions')
      .values({
        id,
        goal_id: goalId,
        family_id: familyId,
        action: input.action,
        ...ownerColumns(input.owner, family, 'body.owner'),
        due_on: input.dueOn ?? null,
        status: 'open',
        account_id: ctx.access.actor.accountId,
      })
      .execute();
    await recordChange(tx, ctx, familyId, goalId, 'action_added');
    return { actionId: id };
  });
}

/** The regiehouder changes an action; the professional who does it may mark it done (or reopen it). */
export async function changeAction(
  ctx: RequestContext,
  familyId: string,
  actionId: string,
  input: z.infer<typeof ChangeActionInput>,
) {
  return ctx.transaction(async (tx) => {
    const family = await planFamily(tx, ctx, familyId);
    const action = await tx.db
      .selectFrom('plan_actions')
      .selectAll()
      .where('id', '=', actionId)
      .where('family_id', '=', familyId)
      .forUpdate()
      .executeTakeFirst();
    if (!action) throw new AppError('NOT_FOUND', 'Not found.');
    const ownsIt = action.owner_account_id === ctx.access.actor.accountId;
    const onlyStatus = input.action === undefined && input.owner === undefined && input.dueOn === undefined;
    if (!family.isRegiehouder && !(ownsIt && onlyStatus)) requireRegiehouder(false, familyId);
    requireVersion(action, input.version, { version: action.version, status: action.status });
    await tx.db
      .updateTable('plan_actions')
      .set((eb) => ({
        ...(input.action ? { action: input.action } : {}),
        ...(input.owner ? ownerColumns(input.owner, family, 'body.owner') : {}),
        ...(input.dueOn !== undefined ? { due_on: input.dueOn } : {}),
        ...(input.status ? { status: input.status } : {}),
        version: eb('version', '+', 1),
        updated_at: new Date(),
      }))
      .where('id', '=', actionId)
      .execute();
    const change =
      input.status && input.status !== action.status
        ? input.status === 'done'
          ? 'action_done'
          : input.status === 'dropped'
            ? 'action_dropped'
            : 'action_reopened'
        : 'action_changed';
    await recordChange(tx, ctx, familyId, action.goal_id, change);
    return { actionId, version: action.version + 1 };
  });
}

/** How many recent changes the plan shows. */
const RECENT_CHANGES = 20;

/**
 * The plan as the team sees it: goals the actor's organisation may read (the parents' consent for
 * their category), their actions and referrals, who keeps the plan, and the recent changes. One
 * statement with its audit event.
 */
export async function readPlan(ctx: RequestContext, familyId: string) {
  const access = ctx.access;
  const [family] = await ctx.auditedRead(
    ctx.families
      .query(familyId)
      .select((eb) => [
        jsonArrayFrom(
          eb
            .selectFrom('plan_goals as g')
            .innerJoin('organisations as go', 'go.id', 'g.organisation_id')
            .selectAll('g')
            .select('go.name as organisation_name')
            .whereRef('g.family_id', '=', 'f.id')
            .orderBy('g.created_at'),
        ).as('goals'),
        jsonArrayFrom(
          eb
            .selectFrom('plan_actions as pa')
            .selectAll('pa')
            .whereRef('pa.family_id', '=', 'f.id')
            .orderBy('pa.created_at'),
        ).as('actions'),
        jsonArrayFrom(
          eb
            .selectFrom('plan_changes as pc')
            .innerJoin('accounts as pca', 'pca.id', 'pc.account_id')
            .innerJoin('organisations as pco', 'pco.id', 'pc.organisation_id')
            .select(['pc.goal_id', 'pc.change', 'pc.at', 'pca.display_name', 'pco.name as organisation_name'])
            .whereRef('pc.family_id', '=', 'f.id')
            .orderBy('pc.at', 'desc')
            .limit(RECENT_CHANGES),
        ).as('changes'),
        jsonArrayFrom(
          eb
            .selectFrom('referrals as r')
            .innerJoin('organisations as ro', 'ro.id', 'r.to_organisation_id')
            .select(['r.id', 'r.goal_id', 'r.intervention_key', 'r.status', 'ro.name as to_name'])
            .whereRef('r.family_id', '=', 'f.id')
            .where('r.goal_id', 'is not', null)
            .where('r.status', '!=', 'draft'),
        ).as('referrals'),
        jsonArrayFrom(
          eb
            .selectFrom('care_team_professionals as ctp')
            .innerJoin('accounts as ca', 'ca.id', 'ctp.account_id')
            .innerJoin('organisations as co', 'co.id', 'ctp.organisation_id')
            .select(['ctp.account_id', 'ctp.is_regiehouder', 'ca.display_name', 'co.name as organisation_name'])
            .whereRef('ctp.family_id', '=', 'f.id')
            .where('ctp.ended_at', 'is', null),
        ).as('team'),
      ]),
    { action: 'plan.read', familyId, recordType: 'family', recordId: familyId },
    { onlyIfFound: true },
  );
  if (!family) throw access.familyNotFound('family.read', familyId);
  const { mayRead } = ctx.families.consent(family);
  const visible = family.goals.filter(mayRead);
  const visibleIds = new Set(visible.map((g) => g.id));
  const regiehouder = family.team.find((p) => p.is_regiehouder);
  const isRegiehouder = regiehouder?.account_id === access.actor.accountId;
  const today = todayIso();
  const ownerOf = (row: { owner_account_id: string | null; owner_person_id: string | null }) => {
    if (row.owner_account_id) {
      const professional = family.team.find((p) => p.account_id === row.owner_account_id);
      return {
        kind: 'professional' as const,
        id: row.owner_account_id,
        name: professional ? `${professional.display_name} (${professional.organisation_name})` : null,
      };
    }
    const person = family.persons.find((p) => p.id === row.owner_person_id);
    return {
      kind: 'parent' as const,
      id: row.owner_person_id as string,
      name: person ? [person.given_name, person.family_name].filter(Boolean).join(' ') : null,
      role: person?.role,
    };
  };
  return {
    regiehouder: regiehouder
      ? { name: regiehouder.display_name, organisationName: regiehouder.organisation_name }
      : null,
    mayEdit: isRegiehouder && family.status === 'open',
    goals: visible.map((g) => ({
      id: g.id,
      goal: g.goal,
      owner: ownerOf(g),
      evaluateOn: g.evaluate_on,
      evaluationDue: g.status === 'open' && g.evaluate_on <= today,
      status: g.status,
      evaluation: g.evaluation,
      category: g.category,
      organisationName: g.organisation_name,
      parentsAudience: audienceDecisionOf(g),
      version: g.version,
      actions: family.actions
        .filter((a) => a.goal_id === g.id)
        .map((a) => ({
          id: a.id,
          action: a.action,
          owner: ownerOf(a),
          dueOn: a.due_on,
          status: a.status,
          version: a.version,
          mayUpdate: family.status === 'open' && (isRegiehouder || a.owner_account_id === access.actor.accountId),
        })),
      referrals: family.referrals
        .filter((r) => r.goal_id === g.id)
        .map((r) => ({
          id: r.id,
          interventionKey: r.intervention_key,
          toOrganisationName: r.to_name,
          status: r.status,
        })),
    })),
    withheld: family.goals.length - visible.length,
    changes: family.changes
      .filter((c) => visibleIds.has(c.goal_id))
      .map((c) => ({
        goalId: c.goal_id,
        change: c.change,
        at: new Date(c.at).toISOString(),
        professionalName: c.display_name,
        organisationName: c.organisation_name,
      })),
  };
}
