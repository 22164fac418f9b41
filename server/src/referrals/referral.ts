import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { audienceColumns, ParentsAudienceInput, requireFamilyAudienceDecision } from '../access/family-audience.ts';
import { consentPersons } from '../access/family-store.ts';
import { grantOrganisationConsent, requireSharingConsent } from '../consent/record-consent.ts';
import {
  CONSENT_CATEGORIES,
  OUTCOME_REASONS,
  REFERRAL_URGENCIES,
  type ReferralStatus,
  textArray,
} from '../database/schema.ts';
import { AppError } from '../errors.ts';
import { requireOpen, requireVersion } from '../families/family-guards.ts';
import { type IsoDate, todayIso } from '../families/trajectory.ts';
import type { RequestContext, Tx } from '../http/context.ts';
import { type InterventionDefinition, withDefaults } from '../interventions/catalogue.ts';
import { factsOf, notProposedBecause } from '../interventions/find-interventions.ts';
import { createTask } from '../tasks/create-task.ts';

/**
 * A referral's life: a table, used by the commands and walked by the tests. "sent → accepted"
 * passes through "received" on the way (opening it in the inbox, or answering it at once).
 */
export const REFERRAL_TRANSITIONS = {
  draft: ['sent', 'cancelled'],
  sent: ['received', 'accepted', 'declined', 'cancelled'],
  received: ['accepted', 'declined', 'cancelled'],
  accepted: ['started', 'cancelled'],
  started: ['completed', 'cancelled'],
  declined: [],
  completed: [],
  cancelled: [],
} as const satisfies Record<ReferralStatus, readonly ReferralStatus[]>;

/** Which side of a referral may make each move: the sending organisation or the receiving one. */
const MOVED_BY: Record<ReferralStatus, 'sender' | 'receiver' | 'either'> = {
  draft: 'sender',
  sent: 'sender',
  received: 'receiver',
  accepted: 'receiver',
  declined: 'receiver',
  started: 'receiver',
  completed: 'receiver',
  cancelled: 'either',
};

/** Waiting for an answer from the receiving organisation. */
export const UNANSWERED: readonly ReferralStatus[] = ['sent', 'received'];
export const OPEN_REFERRAL: readonly ReferralStatus[] = ['sent', 'received', 'accepted', 'started'];

/** Monday to Friday between two dates (after `from`, up to and including `to`). */
export function workingDaysBetween(from: IsoDate, to: IsoDate): number {
  let days = 0;
  const day = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T00:00:00Z`).getTime();
  while (day.getTime() < end) {
    day.setUTCDate(day.getUTCDate() + 1);
    const weekday = day.getUTCDay();
    if (weekday !== 0 && weekday !== 6) days++;
  }
  return days;
}

/** Unanswered after the region's number of working days. */
export function isLate(
  referral: { status: ReferralStatus; sent_at: Date | string | null },
  answerDays: number,
  today: IsoDate = todayIso(),
): boolean {
  if (!UNANSWERED.includes(referral.status) || !referral.sent_at) return false;
  const sentOn = new Date(referral.sent_at).toISOString().slice(0, 10);
  return workingDaysBetween(sentOn, today) > answerDays;
}

export const SendReferralInput = z.strictObject({
  /** Chosen by the client once per form: a double click or a retried request makes one referral. */
  idempotencyKey: z.uuid(),
  toOrganisationId: z.uuid(),
  /** The intervention asked for; null for a referral for assessment. */
  interventionKey: z.string().min(1).max(100).nullable(),
  reason: z.string().trim().min(10, 'say in your own words why you refer').max(4000),
  urgency: z.enum(REFERRAL_URGENCIES),
  /** The categories of information that go along; each needs the parents' consent for the receiver. */
  sharedCategories: z.array(z.enum(CONSENT_CATEGORIES)).min(1, 'choose what goes along').max(3),
  /** Needed when the Gezondheidsraad rule does not propose the intervention for this family. */
  reasonToProceed: z.string().trim().min(10).max(2000).optional(),
  /** The parents consent now, for the shared categories: recorded in the same step. */
  consentGivenHow: z.enum(['verbal', 'written']).optional(),
  /** Save as a draft instead of sending. */
  draft: z.boolean().default(false),
  /** The goal of the family's plan this referral serves. */
  goalId: z.uuid().optional(),
  /** Who in the family sees it in the parents' Kring, if not every adult (access/family-audience.ts). */
  parentsAudience: ParentsAudienceInput.optional(),
});

/**
 * Refer a family to an organisation, for an intervention or for assessment. What goes along must
 * be covered by the parents' consent for the receiver (or be given now); a relationship
 * intervention the rule does not propose needs a reason to go on. The receiver gets a task.
 */
export async function sendReferral(ctx: RequestContext, familyId: string, input: z.infer<typeof SendReferralInput>) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    const family = await tx.families.facts(familyId, 'write').executeTakeFirst();
    if (!family) throw access.familyNotFound('family.write', familyId);
    const existing = await findByIdempotencyKey(tx, access.actor.accountId, input.idempotencyKey);
    if (existing) return sameRequest(existing, familyId);
    requireOpen(family);
    const receiver = await tx.db
      .selectFrom('organisations')
      .select(['id', 'type'])
      .where('id', '=', input.toOrganisationId)
      .where('active', '=', true)
      .executeTakeFirst();
    if (!receiver || receiver.type === 'gemeente') {
      throw new AppError('VALIDATION_FAILED', 'Invalid referral.', {
        fields: [{ field: 'body.toOrganisationId', message: 'not an active care organisation' }],
      });
    }
    // Given only when Kring does not propose the intervention (entry criteria, the Gezondheidsraad rule).
    let reasonToProceed: string | null = null;
    if (input.interventionKey) {
      const intervention = await tx.db
        .selectFrom('interventions as i')
        .leftJoin('intervention_offers as io', (join) =>
          join.onRef('io.intervention_key', '=', 'i.key').on('io.organisation_id', '=', input.toOrganisationId),
        )
        .select(['i.definition', 'io.organisation_id as offered_by'])
        .where('i.key', '=', input.interventionKey)
        .executeTakeFirst();
      if (!intervention) {
        throw new AppError('VALIDATION_FAILED', 'Unknown intervention.', {
          fields: [{ field: 'body.interventionKey', message: 'not in the catalogue' }],
        });
      }
      if (!intervention.offered_by) {
        throw new AppError('VALIDATION_FAILED', 'This organisation does not offer the intervention.', {
          fields: [{ field: 'body.toOrganisationId', message: 'does not offer this intervention' }],
        });
      }
      const notProposed = notProposedBecause(
        withDefaults(intervention.definition as Partial<InterventionDefinition>, new Date()),
        factsOf(family, tx.families.consent(family)),
      );
      if (notProposed.length) {
        if (!input.reasonToProceed) {
          const entry = notProposed.some((reason) => reason !== 'relationship_rule');
          throw new AppError(
            'VALIDATION_FAILED',
            entry
              ? 'The family does not meet this intervention’s entry criteria now: give your reason to go on.'
              : 'Interventions aimed at the parent-child relationship are offered only to families with stress factors, a disturbed parent-child relationship, or who ask for help (Gezondheidsraad). None of these is recorded: give your reason to go on.',
            {
              fields: [
                {
                  field: 'body.reasonToProceed',
                  message: entry
                    ? 'required: the family does not meet the entry criteria'
                    : 'required: the Gezondheidsraad rule is not met',
                },
              ],
            },
          );
        }
        reasonToProceed = input.reasonToProceed;
      }
    }
    if (input.goalId) {
      const goal = await tx.db
        .selectFrom('plan_goals')
        .select('id')
        .where('id', '=', input.goalId)
        .where('family_id', '=', familyId)
        .executeTakeFirst();
      if (!goal) {
        throw new AppError('VALIDATION_FAILED', 'Unknown goal.', {
          fields: [{ field: 'body.goalId', message: 'not a goal of this family’s plan' }],
        });
      }
    }
    await requireFamilyAudienceDecision(tx.db, familyId, input.parentsAudience);
    const id = randomUUID();
    // The idempotency key's unique index makes a concurrent duplicate wait here, then do nothing.
    const inserted = await tx.db
      .insertInto('referrals')
      .values({
        id,
        family_id: familyId,
        from_organisation_id: access.organisationId,
        from_account_id: access.actor.accountId,
        to_organisation_id: input.toOrganisationId,
        intervention_key: input.interventionKey,
        reason: input.reason,
        reason_to_proceed: reasonToProceed,
        urgency: input.urgency,
        shared_categories: textArray(input.sharedCategories),
        status: input.draft ? 'draft' : 'sent',
        idempotency_key: input.idempotencyKey,
        sent_at: input.draft ? null : new Date(),
        goal_id: input.goalId ?? null,
        ...audienceColumns(input.parentsAudience, access.actor.accountId),
      })
      .onConflict((oc) => oc.columns(['from_account_id', 'idempotency_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      const winner = await findByIdempotencyKey(tx, access.actor.accountId, input.idempotencyKey);
      if (winner) return sameRequest(winner, familyId);
    }
    let consentsWritten = 0;
    if (!input.draft) {
      if (input.consentGivenHow) {
        consentsWritten = (
          await grantOrganisationConsent(
            tx,
            access.actor.accountId,
            { familyId, persons: consentPersons(family.persons), consents: family.consents },
            input.toOrganisationId,
            { categories: input.sharedCategories, givenHow: input.consentGivenHow },
          )
        ).length;
      } else {
        requireSharingConsent(
          { id: familyId, persons: consentPersons(family.persons), consents: family.consents },
          input.toOrganisationId,
          input.sharedCategories,
          'referral.send',
        );
      }
    }
    await addEvent(tx, ctx, { id, family_id: familyId }, input.draft ? 'draft' : 'sent', 1, input.reason);
    if (!input.draft) await askReceiver(tx, id, familyId, input.toOrganisationId);
    await tx.audit({
      action: input.draft ? 'referral.draft' : 'referral.send',
      familyId,
      recordType: 'referral',
      recordId: id,
      details: { consents: consentsWritten, proceededAgainstRule: reasonToProceed !== null },
    });
    return { referralId: id, status: (input.draft ? 'draft' : 'sent') as ReferralStatus };
  });
}

async function findByIdempotencyKey(tx: Tx, accountId: string, key: string) {
  return tx.db
    .selectFrom('referrals')
    .select(['id', 'status', 'family_id'])
    .where('from_account_id', '=', accountId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

function sameRequest(existing: { id: string; status: ReferralStatus; family_id: string }, familyId: string) {
  if (existing.family_id !== familyId) {
    throw new AppError('VALIDATION_FAILED', 'This idempotency key was used for another referral.', {
      fields: [{ field: 'body.idempotencyKey', message: 'already used for another family' }],
    });
  }
  return { referralId: existing.id, status: existing.status };
}

async function askReceiver(tx: Tx, referralId: string, familyId: string, organisationId: string) {
  await createTask(tx.db, {
    kind: 'referral_to_answer',
    familyId,
    assigneeOrganisationId: organisationId,
    sourceId: referralId,
  });
}

async function addEvent(
  tx: Tx,
  ctx: RequestContext,
  referral: { id: string; family_id: string },
  status: ReferralStatus,
  version: number,
  note: string | null,
) {
  await tx.db
    .insertInto('referral_events')
    .values({
      referral_id: referral.id,
      version,
      family_id: referral.family_id,
      status,
      note,
      account_id: ctx.access.actor.accountId,
      organisation_id: ctx.access.organisationId,
    })
    .execute();
}

const Version = { version: z.number().int().positive() };
export const MoveReferralInput = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('sent'), ...Version, consentGivenHow: z.enum(['verbal', 'written']).optional() }),
  z.strictObject({ status: z.literal('received'), ...Version }),
  z.strictObject({
    status: z.literal('accepted'),
    ...Version,
    expectedStartOn: z.iso.date(),
    note: z.string().trim().max(2000).optional(),
  }),
  z.strictObject({
    status: z.literal('declined'),
    ...Version,
    reason: z.enum(OUTCOME_REASONS),
    alternative: z.string().trim().min(3, 'suggest an alternative, or say that there is none').max(2000),
    note: z.string().trim().max(2000).optional(),
  }),
  z.strictObject({ status: z.literal('started'), ...Version, note: z.string().trim().max(2000).optional() }),
  z.strictObject({
    status: z.literal('completed'),
    ...Version,
    /** Did the family really receive the help? If not, why. */
    helpReceived: z.boolean(),
    reason: z.enum(OUTCOME_REASONS).optional(),
    outcome: z.string().trim().min(3, 'write a short outcome').max(2000),
  }),
  z.strictObject({
    status: z.literal('cancelled'),
    ...Version,
    reason: z.enum(OUTCOME_REASONS),
    note: z.string().trim().min(3, 'say why').max(2000),
  }),
]);
export type MoveReferralInput = z.infer<typeof MoveReferralInput>;

/**
 * Move a referral on: the sender sends a draft; the receiver answers (accept with an expected
 * start, or decline with a reason and an alternative), starts and completes it with an outcome
 * that says whether help was really received; either side may cancel with a reason. Accepting
 * makes the receiving organisation a member of the family's team, with the actor assigned.
 */
export async function moveReferral(ctx: RequestContext, referralId: string, input: MoveReferralInput) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    const referral = await tx.db
      .selectFrom('referrals')
      .selectAll()
      .where('id', '=', referralId)
      .where((eb) =>
        eb.or([
          eb('to_organisation_id', '=', access.organisationId),
          eb.and([eb('from_organisation_id', '=', access.organisationId), tx.families.inTeam('referrals.family_id')]),
        ]),
      )
      .forUpdate()
      .executeTakeFirst();
    const refusal = { action: 'referral.move', recordType: 'referral', recordId: referralId };
    if (!referral || (referral.status === 'draft' && referral.from_organisation_id !== access.organisationId)) {
      throw new AppError('NOT_FOUND', 'Not found.', { refusal });
    }
    requireVersion(referral, input.version, { version: referral.version, status: referral.status });
    const allowed = REFERRAL_TRANSITIONS[referral.status] as readonly ReferralStatus[];
    if (!allowed.includes(input.status)) {
      throw new AppError('INVALID_TRANSITION', `A ${referral.status} referral cannot become ${input.status}.`);
    }
    const side = MOVED_BY[input.status];
    const isSender = referral.from_organisation_id === access.organisationId;
    const isReceiver = referral.to_organisation_id === access.organisationId;
    if ((side === 'sender' && !isSender) || (side === 'receiver' && !isReceiver)) {
      throw new AppError(
        'FORBIDDEN',
        `Only the ${side === 'sender' ? 'sending' : 'receiving'} organisation may do this.`,
        {
          refusal: { ...refusal, familyId: referral.family_id },
        },
      );
    }
    if (input.status === 'completed' && !input.helpReceived && !input.reason) {
      throw new AppError('VALIDATION_FAILED', 'Say why the help was not received.', {
        fields: [{ field: 'body.reason', message: 'required when help was not received' }],
      });
    }
    const now = new Date();
    let consentsWritten = 0;
    if (input.status === 'sent') {
      const family = await tx.families.facts(referral.family_id, 'write').executeTakeFirst();
      if (!family) throw access.familyNotFound('family.write', referral.family_id);
      requireOpen(family);
      if (input.consentGivenHow) {
        consentsWritten = (
          await grantOrganisationConsent(
            tx,
            access.actor.accountId,
            { familyId: referral.family_id, persons: consentPersons(family.persons), consents: family.consents },
            referral.to_organisation_id,
            { categories: referral.shared_categories, givenHow: input.consentGivenHow },
          )
        ).length;
      } else {
        requireSharingConsent(
          { id: referral.family_id, persons: consentPersons(family.persons), consents: family.consents },
          referral.to_organisation_id,
          referral.shared_categories,
          'referral.send',
        );
      }
      await askReceiver(tx, referral.id, referral.family_id, referral.to_organisation_id);
    }
    const closing = input.status === 'declined' || input.status === 'completed' || input.status === 'cancelled';
    await tx.db
      .updateTable('referrals')
      .set((eb) => ({
        status: input.status,
        version: eb('version', '+', 1),
        ...(input.status === 'sent' ? { sent_at: now } : {}),
        ...(input.status !== 'sent' && input.status !== 'cancelled' && !referral.received_at
          ? { received_at: now }
          : {}),
        ...(input.status === 'accepted' ? { accepted_at: now, expected_start_on: input.expectedStartOn } : {}),
        ...(input.status === 'started' ? { started_at: now } : {}),
        ...(closing ? { closed_at: now } : {}),
        ...(input.status === 'declined'
          ? {
              help_received: false,
              outcome_reason: input.reason,
              alternative: input.alternative,
              outcome_note: input.note ?? null,
            }
          : {}),
        ...(input.status === 'completed'
          ? {
              help_received: input.helpReceived,
              outcome_reason: input.helpReceived ? null : (input.reason ?? null),
              outcome_note: input.outcome,
            }
          : {}),
        ...(input.status === 'cancelled'
          ? { help_received: false, outcome_reason: input.reason, outcome_note: input.note }
          : {}),
      }))
      .where('id', '=', referralId)
      .execute();
    if (input.status !== 'sent' && input.status !== 'received') {
      await tx.db
        .updateTable('tasks')
        .set({ status: 'done', completed_at: now })
        .where('kind', 'in', ['referral_to_answer', 'referral_late'])
        .where('source_id', '=', referralId)
        .where('status', '=', 'open')
        .execute();
    }
    if (input.status === 'accepted')
      await joinTeam(tx, referral.family_id, access.organisationId, access.actor.accountId);
    const note =
      'note' in input && input.note
        ? input.note
        : input.status === 'completed'
          ? input.outcome
          : input.status === 'declined'
            ? input.alternative
            : null;
    await addEvent(tx, ctx, referral, input.status, referral.version + 1, note ?? null);
    await tx.audit({
      action: `referral.${input.status}`,
      familyId: referral.family_id,
      recordType: 'referral',
      recordId: referralId,
      ...(consentsWritten ? { details: { consents: consentsWritten } } : {}),
    });
    return { referralId, status: input.status, version: referral.version + 1, familyId: referral.family_id };
  });
}

/** The receiving organisation joins the family's team on accepting (consent was checked when sent). */
async function joinTeam(tx: Tx, familyId: string, organisationId: string, accountId: string) {
  const today = todayIso();
  if (!(await tx.families.isTeamMember(familyId, organisationId))) {
    await tx.db
      .insertInto('care_team_organisations')
      .values({ id: randomUUID(), family_id: familyId, organisation_id: organisationId, started_on: today })
      .execute();
  }
  const assigned = await tx.db
    .selectFrom('care_team_professionals')
    .select('id')
    .where('family_id', '=', familyId)
    .where('account_id', '=', accountId)
    .where('organisation_id', '=', organisationId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  if (!assigned) {
    await tx.db
      .insertInto('care_team_professionals')
      .values({
        id: randomUUID(),
        family_id: familyId,
        organisation_id: organisationId,
        account_id: accountId,
        is_regiehouder: false,
        reason: 'referral',
      })
      .execute();
  }
}
