import { z } from 'zod';
import { AudienceDecisionResponse } from '../access/family-audience.ts';
import {
  ACTION_STATUSES,
  CONSENT_CATEGORIES,
  GOAL_STATUSES,
  PLAN_CHANGES,
  REFERRAL_STATUSES,
} from '../database/schema.ts';
import { FamilyIdParams } from '../families/family.types.ts';
import { defineRoute } from '../http/route.ts';
import {
  ActionParams,
  AddActionInput,
  AddGoalInput,
  addAction,
  addGoal,
  ChangeActionInput,
  ChangeGoalInput,
  changeAction,
  changeGoal,
  GoalParams,
  readPlan,
} from './care-plan.ts';

const OwnerResponse = z.object({
  kind: z.enum(['professional', 'parent']),
  id: z.uuid(),
  name: z.string().nullable(),
  role: z.string().optional(),
});

const PlanResponse = z.object({
  regiehouder: z.object({ name: z.string(), organisationName: z.string() }).nullable(),
  mayEdit: z.boolean(),
  goals: z.array(
    z.object({
      id: z.uuid(),
      goal: z.string(),
      owner: OwnerResponse,
      evaluateOn: z.string(),
      evaluationDue: z.boolean(),
      status: z.enum(GOAL_STATUSES),
      evaluation: z.string().nullable(),
      category: z.enum(CONSENT_CATEGORIES),
      organisationName: z.string(),
      parentsAudience: AudienceDecisionResponse,
      version: z.number(),
      actions: z.array(
        z.object({
          id: z.uuid(),
          action: z.string(),
          owner: OwnerResponse,
          dueOn: z.string().nullable(),
          status: z.enum(ACTION_STATUSES),
          version: z.number(),
          mayUpdate: z.boolean(),
        }),
      ),
      referrals: z.array(
        z.object({
          id: z.uuid(),
          interventionKey: z.string().nullable(),
          toOrganisationName: z.string(),
          status: z.enum(REFERRAL_STATUSES),
        }),
      ),
    }),
  ),
  /** Goals withheld from the actor's organisation for lack of consent (their number only). */
  withheld: z.number(),
  changes: z.array(
    z.object({
      goalId: z.uuid(),
      change: z.enum(PLAN_CHANGES),
      at: z.string(),
      professionalName: z.string(),
      organisationName: z.string(),
    }),
  ),
});
export type PlanResponse = z.infer<typeof PlanResponse>;

export const planRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/families/:familyId/plan',
    summary: "The family's plan: goals, actions, referrals under them, recent changes (audited)",
    tag: 'plan',
    auth: 'session',
    permission: 'family.read',
    params: FamilyIdParams,
    response: PlanResponse,
    handler: (ctx, { params }) => readPlan(ctx, params.familyId),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/families/:familyId/plan/goals',
    summary: 'Add a goal (the regiehouder)',
    tag: 'plan',
    auth: 'session',
    permission: 'family.write',
    params: FamilyIdParams,
    body: AddGoalInput,
    status: 201,
    response: z.object({ goalId: z.uuid() }),
    handler: (ctx, { params, body }) => addGoal(ctx, params.familyId, body),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/families/:familyId/plan/goals/:goalId',
    summary: 'Change a goal, or evaluate it (the regiehouder; optimistic concurrency)',
    tag: 'plan',
    auth: 'session',
    permission: 'family.write',
    params: GoalParams,
    body: ChangeGoalInput,
    response: z.object({ goalId: z.uuid(), version: z.number() }),
    handler: (ctx, { params, body }) => changeGoal(ctx, params.familyId, params.goalId, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/families/:familyId/plan/goals/:goalId/actions',
    summary: 'Add an action under a goal (the regiehouder)',
    tag: 'plan',
    auth: 'session',
    permission: 'family.write',
    params: GoalParams,
    body: AddActionInput,
    status: 201,
    response: z.object({ actionId: z.uuid() }),
    handler: (ctx, { params, body }) => addAction(ctx, params.familyId, params.goalId, body),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/families/:familyId/plan/actions/:actionId',
    summary: 'Change an action, or mark it done (the regiehouder, or the professional who does it)',
    tag: 'plan',
    auth: 'session',
    permission: 'family.write',
    params: ActionParams,
    body: ChangeActionInput,
    response: z.object({ actionId: z.uuid(), version: z.number() }),
    handler: (ctx, { params, body }) => changeAction(ctx, params.familyId, params.actionId, body),
  }),
];
