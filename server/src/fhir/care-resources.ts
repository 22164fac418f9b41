import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { FamilyStore } from '../access/family-store.ts';
import type { ReferralStatus } from '../database/schema.ts';
import { guides } from '../guides/guide-definitions.ts';
import { COMMON_SEARCH, type FamilyResourceType, type FamilySource, type ParsedSearch } from './family-resources.ts';
import {
  allOf,
  among,
  commonConditions,
  meta,
  readableFamily,
  ref,
  securityOf,
  subjectCondition,
  subjectOf,
  tokenValues,
} from './family-sources.ts';
import { invalidSearch, one, parseReference } from './fhir.ts';

/**
 * The work done with the family as FHIR: the conversation guides' answers (QuestionnaireResponse),
 * one family, one plan (CarePlan and its Goals), referrals that close the loop (the ServiceRequest,
 * and its lifecycle as a Task), and the family's audit trail (AuditEvent, for its regiehouder).
 */

type Category = 'medical' | 'psychosocial' | 'social';

/** A guide key as a FHIR id (ids take no underscores). */
export const questionnaireId = (guideKey: string) => guideKey.replaceAll('_', '-');
export const questionnaireUrl = (baseUrl: string, guideKey: string) =>
  `${baseUrl}/fhir/Questionnaire/${questionnaireId(guideKey)}`;

// -------------------------------------------- QuestionnaireResponse: a guide taken with a parent

const responseSource: FamilySource<{
  id: string;
  family_id: string;
  last_updated: Date;
  sort_date: Date;
  guide_key: string;
  guide_version: number;
  concerns_person_id: string | null;
  category: Category;
  complete: boolean;
  score: number | null;
  organisation_id: string;
  account_id: string;
  created_at: Date;
  answers: {
    question_code: string;
    value: string | number | boolean;
    concerns_person_id: string | null;
    category: Category;
    organisation_id: string;
  }[];
}> = {
  query: (families, search) => {
    const questionnaire = one(search.raw, 'questionnaire');
    const key = questionnaire?.split('/').at(-1)?.split('|')[0]?.replaceAll('-', '_');
    if (questionnaire !== undefined && !guides().has(key ?? '')) {
      throw invalidSearch('questionnaire', 'A Questionnaire of Kring (Questionnaire/id or its url).');
    }
    return families.db
      .selectFrom('guide_responses as r')
      .select(['r.id', 'r.family_id', 'r.guide_key', 'r.guide_version', 'r.concerns_person_id', 'r.category'])
      .select(['r.complete', 'r.score', 'r.organisation_id', 'r.account_id', 'r.created_at'])
      .select(['r.created_at as last_updated', 'r.created_at as sort_date'])
      .select((eb) =>
        jsonArrayFrom(
          eb
            .selectFrom('guide_answers as a')
            .select(['a.question_code', 'a.value', 'a.concerns_person_id', 'a.category', 'a.organisation_id'])
            .whereRef('a.response_id', '=', 'r.id')
            .orderBy('a.answered_at'),
        ).as('answers'),
      )
      .where(readableFamily(families, search, 'r.family_id'))
      .where(
        allOf([
          ...commonConditions(search, {
            id: 'r.id',
            family: 'r.family_id',
            lastUpdated: 'r.created_at',
            date: 'r.created_at',
          }),
          subjectCondition(search, { family: 'r.family_id', person: 'r.concerns_person_id' }),
          key ? sql<boolean>`r.guide_key = ${key}` : undefined,
        ]),
      );
  },
  visible: (r, consent) => consent.mayRead(r),
  toResource: (r, { baseUrl, consent }) => {
    const guide = guides().get(r.guide_key);
    const items = new Map(guide?.items.map((item) => [item.code, item]));
    const answers = r.answers.filter(
      (a) =>
        consent.mayRead(a) &&
        (!items.get(a.question_code)?.ownHistory || consent.ownHistoryAllowed(a.concerns_person_id)),
    );
    return {
      resourceType: 'QuestionnaireResponse',
      id: r.id,
      meta: { ...meta(1, r.last_updated), security: securityOf(r.category) },
      questionnaire: `${questionnaireUrl(baseUrl, r.guide_key)}|${r.guide_version}`,
      status: r.complete ? 'completed' : 'in-progress',
      subject: subjectOf(r),
      authored: new Date(r.created_at).toISOString(),
      author: ref('Practitioner', r.account_id),
      ...(answers.length
        ? {
            item: answers.map((a) => {
              const item = items.get(a.question_code);
              const option = item?.options?.find((o) => o.value === a.value);
              return {
                linkId: a.question_code,
                ...(item ? { text: item.text.nl } : {}),
                answer: [
                  typeof a.value === 'boolean'
                    ? { valueBoolean: a.value }
                    : typeof a.value === 'number'
                      ? { valueInteger: a.value }
                      : option
                        ? {
                            valueCoding: {
                              system: `${questionnaireUrl(baseUrl, r.guide_key)}/${a.question_code}`,
                              code: option.value,
                              display: option.nl,
                            },
                          }
                        : { valueString: String(a.value) },
                ],
              };
            }),
          }
        : {}),
      ...(r.score !== null ? { extension: [{ url: 'urn:kring:questionnaire-score', valueInteger: r.score }] } : {}),
    };
  },
};

export const QUESTIONNAIRE_RESPONSE: FamilyResourceType = {
  type: 'QuestionnaireResponse',
  recordType: 'guide_response',
  searchParams: [
    ...COMMON_SEARCH,
    { name: 'patient', type: 'reference', documentation: 'The person the guide was taken about.' },
    { name: 'subject', type: 'reference', documentation: 'Patient/id, or Group/id for a guide about the family.' },
    { name: 'questionnaire', type: 'reference', documentation: 'The guide (Questionnaire/id or its url).' },
    { name: 'authored', type: 'date', documentation: 'When it was taken.' },
  ],
  sortByDate: true,
  sources: [responseSource],
};

// -------------------------------------------------------------- Goal and CarePlan: one plan

const GOAL_STATUS = { open: 'active', achieved: 'completed', stopped: 'cancelled' } as const;
const ACTION_STATUS = { open: 'in-progress', done: 'completed', dropped: 'cancelled' } as const;

interface GoalFields {
  id: string;
  goal: string;
  status: keyof typeof GOAL_STATUS;
  evaluate_on: string;
  evaluation: string | null;
  category: Category;
  organisation_id: string;
  account_id: string;
  owner_person_id: string | null;
}

const goalResource = (g: GoalFields & { family_id: string; version: number; last_updated: Date | string }) => ({
  resourceType: 'Goal',
  id: g.id,
  meta: { ...meta(g.version, g.last_updated), security: securityOf(g.category) },
  lifecycleStatus: GOAL_STATUS[g.status],
  ...(g.status === 'achieved'
    ? {
        achievementStatus: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/goal-achievement', code: 'achieved' }],
        },
      }
    : {}),
  description: { text: g.goal },
  subject: ref('Group', g.family_id),
  target: [{ dueDate: g.evaluate_on }],
  expressedBy: g.owner_person_id ? ref('Patient', g.owner_person_id) : ref('Practitioner', g.account_id),
  ...(g.evaluation ? { note: [{ text: g.evaluation }] } : {}),
});

const goalSource: FamilySource<GoalFields & { family_id: string; version: number; last_updated: Date }> = {
  query: (families, search) => {
    const statuses = tokenValues(search, 'lifecycle-status', 'http://hl7.org/fhir/goal-status', {
      active: ['open'],
      completed: ['achieved'],
      cancelled: ['stopped'],
    });
    return families.db
      .selectFrom('plan_goals as g')
      .select(['g.id', 'g.family_id', 'g.version', 'g.goal', 'g.status', 'g.evaluate_on', 'g.evaluation'])
      .select(['g.category', 'g.organisation_id', 'g.account_id', 'g.owner_person_id', 'g.updated_at as last_updated'])
      .where(readableFamily(families, search, 'g.family_id'))
      .where(
        allOf([
          ...commonConditions(search, { id: 'g.id', family: 'g.family_id', lastUpdated: 'g.updated_at' }),
          subjectCondition(search, { family: 'g.family_id' }),
          statuses ? among(sql`g.status`, statuses) : undefined,
        ]),
      );
  },
  visible: (g, consent) => consent.mayRead(g),
  toResource: goalResource,
};

export const GOAL: FamilyResourceType = {
  type: 'Goal',
  recordType: 'plan_goal',
  searchParams: [
    ...COMMON_SEARCH,
    { name: 'patient', type: 'reference', documentation: "A person of the family: the family's goals." },
    { name: 'subject', type: 'reference', documentation: 'The family (Group/id) or a person of it.' },
    { name: 'lifecycle-status', type: 'token', documentation: 'active, completed (achieved) or cancelled (stopped).' },
  ],
  sortByDate: false,
  sources: [goalSource],
};

/** The family's one plan: its goals (those the actor may read) and the actions agreed for them. */
const carePlanSource: FamilySource<{
  id: string;
  family_id: string;
  last_updated: Date;
  version: number;
  status: 'open' | 'closed';
  goals: (GoalFields & {
    actions: { id: string; action: string; status: keyof typeof ACTION_STATUS; due_on: string | null }[];
  })[];
}> = {
  query: (families, search) =>
    families.db
      .selectFrom('families as f')
      .select(['f.id', 'f.id as family_id', 'f.version', 'f.status'])
      .select(sql<Date>`(SELECT max(pg.updated_at) FROM plan_goals pg WHERE pg.family_id = f.id)`.as('last_updated'))
      .select((eb) =>
        jsonArrayFrom(
          eb
            .selectFrom('plan_goals as g')
            .select(['g.id', 'g.goal', 'g.status', 'g.evaluate_on', 'g.evaluation', 'g.category'])
            .select(['g.organisation_id', 'g.account_id', 'g.owner_person_id'])
            .select((inner) =>
              jsonArrayFrom(
                inner
                  .selectFrom('plan_actions as pa')
                  .select(['pa.id', 'pa.action', 'pa.status', 'pa.due_on'])
                  .whereRef('pa.goal_id', '=', 'g.id')
                  .orderBy('pa.created_at'),
              ).as('actions'),
            )
            .whereRef('g.family_id', '=', 'f.id')
            .orderBy('g.created_at'),
        ).as('goals'),
      )
      .where(readableFamily(families, search, 'f.id'))
      .where(sql<boolean>`EXISTS (SELECT 1 FROM plan_goals pg WHERE pg.family_id = f.id)`)
      .where(
        allOf([
          ...commonConditions(search, {
            id: 'f.id',
            family: 'f.id',
            lastUpdated: sql`(SELECT max(pg.updated_at) FROM plan_goals pg WHERE pg.family_id = f.id)`,
          }),
          subjectCondition(search, { family: 'f.id' }),
        ]),
      ),
  visible: (p, consent) => p.goals.some((g) => consent.mayRead(g)),
  toResource: (p, { consent }) => {
    const goals = p.goals.filter((g) => consent.mayRead(g));
    return {
      resourceType: 'CarePlan',
      id: p.id,
      meta: meta(p.version, p.last_updated),
      status: p.status === 'open' && goals.some((g) => g.status === 'open') ? 'active' : 'completed',
      intent: 'plan',
      title: 'Eén gezin, één plan',
      subject: ref('Group', p.family_id),
      careTeam: [ref('CareTeam', p.family_id)],
      goal: goals.map((g) => ref('Goal', g.id)),
      activity: goals.flatMap((g) =>
        g.actions.map((a) => ({
          detail: {
            status: ACTION_STATUS[a.status],
            description: a.action,
            goal: [ref('Goal', g.id)],
            ...(a.due_on ? { scheduledString: a.due_on } : {}),
          },
        })),
      ),
    };
  },
};

export const CARE_PLAN: FamilyResourceType = {
  type: 'CarePlan',
  recordType: 'plan',
  searchParams: [
    ...COMMON_SEARCH,
    { name: 'patient', type: 'reference', documentation: "A person of the family: the family's plan." },
    { name: 'subject', type: 'reference', documentation: 'The family (Group/id) or a person of it.' },
  ],
  sortByDate: false,
  sources: [carePlanSource],
};

// ------------------------------------------------- ServiceRequest and Task: a referral

type ReferralRow = {
  id: string;
  family_id: string;
  last_updated: Date;
  sort_date: Date;
  version: number;
  status: ReferralStatus;
  from_organisation_id: string;
  from_account_id: string;
  to_organisation_id: string;
  intervention_key: string | null;
  reason: string;
  urgency: 'routine' | 'soon' | 'urgent';
  expected_start_on: string | null;
  help_received: boolean | null;
  outcome_reason: string | null;
  outcome_note: string | null;
  created_at: Date;
};

/** The referral's state as the ServiceRequest's status, and as the Task's. */
const REQUEST_STATUS: Record<ReferralStatus, string> = {
  draft: 'draft',
  sent: 'active',
  received: 'active',
  accepted: 'active',
  started: 'active',
  declined: 'revoked',
  cancelled: 'revoked',
  completed: 'completed',
};
export const TASK_STATUS: Record<ReferralStatus, string> = {
  draft: 'draft',
  sent: 'requested',
  received: 'received',
  accepted: 'accepted',
  declined: 'rejected',
  started: 'in-progress',
  completed: 'completed',
  cancelled: 'cancelled',
};
const PRIORITY = { routine: 'routine', soon: 'urgent', urgent: 'asap' } as const;
export const REFERRAL_STATUS_SYSTEM = 'urn:kring:referral-status';
export const OUTCOME_REASON_SYSTEM = 'urn:kring:referral-outcome-reason';

/** FHIR status code → the referral states it stands for. */
export const statesByCode = (table: Record<ReferralStatus, string>) => {
  const byCode: Record<string, ReferralStatus[]> = {};
  for (const [kring, code] of Object.entries(table) as [ReferralStatus, string][]) {
    byCode[code] = [...(byCode[code] ?? []), kring];
  }
  return byCode;
};

/**
 * The referrals the actor may see, as the referral pages decide it: those of the families they
 * may read (a draft only for its own organisation), and those sent to their organisation.
 */
function referrals(
  families: FamilyStore,
  search: ParsedSearch,
  statusTable: Record<ReferralStatus, string>,
  system: string,
) {
  const statuses = tokenValues(search, 'status', system, statesByCode(statusTable));
  const owner = one(search.raw, 'owner');
  const ownerId = owner === undefined ? undefined : parseReference(owner, 'owner', ['Organization']).id;
  const own = families.access.actor.organisationId;
  return families.db
    .selectFrom('referrals as r')
    .select(['r.id', 'r.family_id', 'r.version', 'r.status', 'r.from_organisation_id', 'r.from_account_id'])
    .select(['r.to_organisation_id', 'r.intervention_key', 'r.reason', 'r.urgency', 'r.expected_start_on'])
    .select(['r.help_received', 'r.outcome_reason', 'r.outcome_note', 'r.created_at', 'r.created_at as sort_date'])
    .select(
      sql<Date>`GREATEST(r.created_at, r.sent_at, r.received_at, r.accepted_at, r.started_at, r.closed_at)`.as(
        'last_updated',
      ),
    )
    .where((eb) =>
      eb.or([
        eb.and([
          readableFamily(families, search, 'r.family_id'),
          eb.or([eb('r.status', '!=', 'draft'), eb('r.from_organisation_id', '=', own)]),
        ]),
        eb.and([eb('r.to_organisation_id', '=', own), eb('r.status', '!=', 'draft')]),
      ]),
    )
    .where(
      allOf([
        ...commonConditions(search, {
          id: 'r.id',
          family: 'r.family_id',
          lastUpdated: sql`GREATEST(r.created_at, r.sent_at, r.received_at, r.accepted_at, r.started_at, r.closed_at)`,
          date: 'r.created_at',
        }),
        subjectCondition(search, { family: 'r.family_id' }),
        statuses ? among(sql`r.status`, statuses) : undefined,
        ownerId ? sql<boolean>`r.to_organisation_id = ${ownerId}` : undefined,
      ]),
    );
}

const serviceRequestSource: FamilySource<ReferralRow> = {
  query: (families, search) => referrals(families, search, REQUEST_STATUS, 'http://hl7.org/fhir/request-status'),
  toResource: (r) => ({
    resourceType: 'ServiceRequest',
    id: r.id,
    meta: meta(r.version, r.last_updated),
    status: REQUEST_STATUS[r.status],
    intent: 'order',
    category: [{ coding: [{ system: 'http://snomed.info/sct', code: '3457005', display: 'Patient referral' }] }],
    priority: PRIORITY[r.urgency],
    code: r.intervention_key
      ? { coding: [{ system: 'urn:kring:intervention', code: r.intervention_key }] }
      : { text: 'Beoordeling (assessment)' },
    subject: ref('Group', r.family_id),
    authoredOn: new Date(r.created_at).toISOString(),
    requester: ref('Practitioner', r.from_account_id),
    performer: [ref('Organization', r.to_organisation_id)],
    reasonCode: [{ text: r.reason }],
  }),
};

export const SERVICE_REQUEST: FamilyResourceType = {
  type: 'ServiceRequest',
  recordType: 'referral',
  searchParams: [
    ...COMMON_SEARCH,
    { name: 'patient', type: 'reference', documentation: "A person of the family: the family's referrals." },
    { name: 'subject', type: 'reference', documentation: 'The family (Group/id) or a person of it.' },
    { name: 'status', type: 'token', documentation: 'draft, active, revoked (declined or cancelled) or completed.' },
  ],
  sortByDate: false,
  sources: [serviceRequestSource],
};

const taskSource: FamilySource<ReferralRow> = {
  query: (families, search) => referrals(families, search, TASK_STATUS, 'http://hl7.org/fhir/task-status'),
  toResource: (r) => ({
    resourceType: 'Task',
    id: r.id,
    meta: meta(r.version, r.last_updated),
    basedOn: [ref('ServiceRequest', r.id)],
    status: TASK_STATUS[r.status],
    businessStatus: { coding: [{ system: REFERRAL_STATUS_SYSTEM, code: r.status }] },
    ...(r.outcome_reason
      ? {
          statusReason: {
            coding: [{ system: OUTCOME_REASON_SYSTEM, code: r.outcome_reason }],
            ...(r.outcome_note ? { text: r.outcome_note } : {}),
          },
        }
      : {}),
    intent: 'order',
    focus: ref('ServiceRequest', r.id),
    for: ref('Group', r.family_id),
    authoredOn: new Date(r.created_at).toISOString(),
    lastModified: new Date(r.last_updated).toISOString(),
    requester: ref('Practitioner', r.from_account_id),
    owner: ref('Organization', r.to_organisation_id),
    ...(r.expected_start_on ? { restriction: { period: { start: r.expected_start_on } } } : {}),
    ...(r.help_received !== null
      ? {
          output: [
            {
              type: {
                coding: [{ system: 'urn:kring:referral-output', code: 'help-received' }],
                text: 'Hulp echt ontvangen',
              },
              valueBoolean: r.help_received,
            },
          ],
        }
      : {}),
  }),
};

export const TASK: FamilyResourceType = {
  type: 'Task',
  recordType: 'referral',
  searchParams: [
    ...COMMON_SEARCH,
    { name: 'patient', type: 'reference', documentation: "A person of the family: the family's referrals." },
    { name: 'owner', type: 'reference', documentation: 'The receiving organisation (Organization/id).' },
    {
      name: 'status',
      type: 'token',
      documentation: 'draft, requested, received, accepted, rejected, in-progress, completed or cancelled.',
    },
  ],
  sortByDate: false,
  sources: [taskSource],
};

// ------------------------------------------------- AuditEvent: the family's audit trail

const auditSource: FamilySource<{
  id: string;
  family_id: string;
  last_updated: Date;
  sort_date: Date;
  action: string;
  outcome: 'success' | 'refused' | 'failed';
  actor_account_id: string | null;
  actor_organisation_id: string | null;
  actor_role: string | null;
  record_type: string | null;
}> = {
  query: (families, search) => {
    const agent = one(search.raw, 'agent');
    const agentId = agent === undefined ? undefined : parseReference(agent, 'agent', ['Practitioner']).id;
    return families.db
      .selectFrom('audit_events as e')
      .select(['e.id', 'e.action', 'e.outcome', 'e.actor_account_id', 'e.actor_organisation_id', 'e.actor_role'])
      .select(['e.record_type', 'e.occurred_at as last_updated', 'e.occurred_at as sort_date'])
      .select(sql<string>`e.family_id`.as('family_id'))
      .where('e.family_id', 'in', families.regieIds())
      .where(
        allOf([
          ...commonConditions(search, {
            id: 'e.id',
            family: 'e.family_id',
            lastUpdated: 'e.occurred_at',
            date: 'e.occurred_at',
          }),
          subjectCondition(search, { family: 'e.family_id' }),
          agentId ? sql<boolean>`e.actor_account_id = ${agentId}` : undefined,
        ]),
      );
  },
  toResource: (e) => {
    const verb = e.action.split('.').at(-1) ?? '';
    return {
      resourceType: 'AuditEvent',
      id: e.id,
      meta: meta(1, e.last_updated),
      type: {
        system: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
        code: 'rest',
        display: 'RESTful Operation',
      },
      subtype: [{ system: 'urn:kring:audit-action', code: e.action }],
      action: /read|search|list|open|export/.test(verb) ? 'R' : 'E',
      recorded: new Date(e.last_updated).toISOString(),
      outcome: e.outcome === 'success' ? '0' : e.outcome === 'refused' ? '4' : '8',
      agent: [
        {
          ...(e.actor_role ? { role: [{ coding: [{ system: 'urn:kring:actor-role', code: e.actor_role }] }] } : {}),
          ...(e.actor_account_id ? { who: ref('Practitioner', e.actor_account_id) } : { who: { display: 'Kring' } }),
          requestor: true,
        },
      ],
      source: {
        observer: e.actor_organisation_id ? ref('Organization', e.actor_organisation_id) : { display: 'Kring' },
      },
      entity: [
        {
          what: ref('Group', e.family_id),
          ...(e.record_type ? { type: { system: 'urn:kring:record-type', code: e.record_type } } : {}),
        },
      ],
    };
  },
};

export const AUDIT_EVENT: FamilyResourceType = {
  type: 'AuditEvent',
  recordType: 'audit_event',
  searchParams: [
    ...COMMON_SEARCH,
    { name: 'entity', type: 'reference', documentation: 'The family (Group/id) or a person of it (Patient/id).' },
    { name: 'agent', type: 'reference', documentation: 'Who did it (Practitioner/id).' },
    { name: 'date', type: 'date', documentation: 'When.' },
  ],
  sortByDate: true,
  sources: [auditSource],
};
