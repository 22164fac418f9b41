import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { consentPersons } from '../access/family-store.ts';
import { grantOrganisationConsent, OrganisationConsentInput } from '../consent/record-consent.ts';
import { AppError } from '../errors.ts';
import { requireOpen, requireVersion } from '../families/family-guards.ts';
import { todayIso } from '../families/trajectory.ts';
import type { RequestContext } from '../http/context.ts';
import { createTask } from '../tasks/create-task.ts';

/** The handover state machine: a table, used by the commands and walked by the tests. */
export const HANDOVER_TRANSITIONS = {
  pending: ['accepted', 'declined', 'withdrawn'],
  accepted: [],
  declined: [],
  withdrawn: [],
} as const satisfies Record<string, readonly string[]>;
type HandoverStatus = keyof typeof HANDOVER_TRANSITIONS;

export function assertTransition(from: HandoverStatus, to: HandoverStatus): void {
  if (!(HANDOVER_TRANSITIONS[from] as readonly string[]).includes(to)) {
    throw new AppError('INVALID_TRANSITION', `A ${from} handover cannot become ${to}.`);
  }
}

export const SendHandoverInput = z.strictObject({
  toOrganisationId: z.uuid(),
  summary: z.string().trim().min(10, 'write a short summary for the receiver').max(4000),
  /** The sender's role ends when the receiver accepts (midwife → kraamzorg → JGZ). */
  endSenderRole: z.boolean().default(false),
  /**
   * The parents' explicit, informed consent for the receiver, recorded in the same step. Every
   * adult whose consent counts must have given it for at least one category.
   */
  consent: OrganisationConsentInput,
});

/** A warm handover: the receiving organisation gets the sender's summary and a task to accept. */
export async function sendHandover(ctx: RequestContext, familyId: string, input: z.infer<typeof SendHandoverInput>) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    const { family, persons, consents } = await tx.families.open(familyId, 'family.write');
    requireOpen(family);
    const receiver = await tx.db
      .selectFrom('organisations')
      .select(['id', 'type'])
      .where('id', '=', input.toOrganisationId)
      .where('active', '=', true)
      .executeTakeFirst();
    const inTeam = await tx.db
      .selectFrom('care_team_organisations')
      .select('id')
      .where('family_id', '=', familyId)
      .where('organisation_id', '=', input.toOrganisationId)
      .where('ended_on', 'is', null)
      .executeTakeFirst();
    if (!receiver || receiver.type === 'gemeente' || input.toOrganisationId === access.organisationId || inTeam) {
      throw new AppError('VALIDATION_FAILED', 'Invalid handover.', {
        fields: [{ field: 'body.toOrganisationId', message: 'not a care organisation outside the team' }],
      });
    }
    const consentsWritten = (
      await grantOrganisationConsent(
        tx,
        access.actor.accountId,
        { familyId, persons: consentPersons(persons), consents },
        input.toOrganisationId,
        input.consent,
      )
    ).length;
    const id = randomUUID();
    await tx.db
      .insertInto('handovers')
      .values({
        id,
        family_id: familyId,
        from_organisation_id: access.organisationId,
        to_organisation_id: input.toOrganisationId,
        summary: input.summary,
        end_sender_role: input.endSenderRole,
        created_by_account_id: access.actor.accountId,
      })
      .execute();
    await createTask(tx.db, {
      kind: 'handover_to_accept',
      familyId,
      assigneeOrganisationId: input.toOrganisationId,
      sourceId: id,
    });
    await tx.audit({
      action: 'handover.send',
      familyId,
      recordType: 'handover',
      recordId: id,
      details: { consents: consentsWritten },
    });
    return { handoverId: id };
  });
}

/** Handovers waiting for the actor's organisation: the sender's summary, who sent it, the due date. */
export async function listIncomingHandovers(ctx: RequestContext) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    const rows = await tx.db
      .selectFrom('handovers as h')
      .innerJoin('organisations as o', 'o.id', 'h.from_organisation_id')
      .innerJoin('persons as p', (join) =>
        join.onRef('p.family_id', '=', 'h.family_id').on('p.role', '=', 'pregnant_person'),
      )
      .select([
        'h.id',
        'h.family_id',
        'h.summary',
        'h.created_at',
        'h.version',
        'o.name as from_name',
        'p.given_name',
        'p.family_name',
      ])
      .where('h.to_organisation_id', '=', access.organisationId)
      .where('h.status', '=', 'pending')
      .orderBy('h.created_at')
      .execute();
    await tx.auditAll(
      rows.map((row) => ({
        action: 'handover.read',
        familyId: row.family_id,
        recordType: 'handover',
        recordId: row.id,
      })),
    );
    return {
      handovers: rows.map((r) => ({
        id: r.id,
        familyId: r.family_id,
        familyName: [r.given_name, r.family_name].filter(Boolean).join(' '),
        fromOrganisationName: r.from_name,
        summary: r.summary,
        createdAt: r.created_at.toISOString(),
        version: r.version,
      })),
    };
  });
}

/**
 * Accept (or decline) a handover to the actor's organisation. Accepting makes the organisation a
 * team member with the actor assigned; when the sender asked, its role ends and the regiehouder
 * role passes to the actor.
 */
export async function decideHandover(
  ctx: RequestContext,
  handoverId: string,
  decision: 'accepted' | 'declined',
  version: number,
) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    const handover = await tx.db
      .selectFrom('handovers')
      .selectAll()
      .where('id', '=', handoverId)
      .where('to_organisation_id', '=', access.organisationId)
      .forUpdate()
      .executeTakeFirst();
    if (!handover)
      throw new AppError('NOT_FOUND', 'Not found.', {
        refusal: { action: 'handover.receive', recordType: 'handover', recordId: handoverId },
      });
    requireVersion(handover, version, { version: handover.version, status: handover.status });
    assertTransition(handover.status, decision);
    const now = todayIso();
    await tx.db
      .updateTable('handovers')
      .set((eb) => ({
        status: decision,
        decided_by_account_id: access.actor.accountId,
        decided_at: new Date(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', handoverId)
      .execute();
    await tx.db
      .updateTable('tasks')
      .set({ status: 'done', completed_at: new Date() })
      .where('kind', '=', 'handover_to_accept')
      .where('source_id', '=', handoverId)
      .execute();
    if (decision === 'accepted') {
      let senderWasRegiehouder = false;
      if (handover.end_sender_role) {
        const ended = await tx.db
          .updateTable('care_team_professionals')
          .set({ ended_at: new Date(), reason: 'handover' })
          .where('family_id', '=', handover.family_id)
          .where('organisation_id', '=', handover.from_organisation_id)
          .where('ended_at', 'is', null)
          .returning('is_regiehouder')
          .execute();
        senderWasRegiehouder = ended.some((e) => e.is_regiehouder);
        await tx.db
          .updateTable('care_team_organisations')
          .set({ ended_on: now })
          .where('family_id', '=', handover.family_id)
          .where('organisation_id', '=', handover.from_organisation_id)
          .where('ended_on', 'is', null)
          .execute();
      }
      await tx.db
        .insertInto('care_team_organisations')
        .values({
          id: randomUUID(),
          family_id: handover.family_id,
          organisation_id: access.organisationId,
          started_on: now,
        })
        .execute();
      await tx.db
        .insertInto('care_team_professionals')
        .values({
          id: randomUUID(),
          family_id: handover.family_id,
          organisation_id: access.organisationId,
          account_id: access.actor.accountId,
          is_regiehouder: senderWasRegiehouder,
          reason: 'handover',
        })
        .execute();
    }
    await tx.audit({
      action: `handover.${decision === 'accepted' ? 'accept' : 'decline'}`,
      familyId: handover.family_id,
      recordType: 'handover',
      recordId: handoverId,
    });
    return { familyId: handover.family_id, status: decision };
  });
}

export const SentHandoversQuery = z.strictObject({
  by: z.enum(['me', 'organisation']).default('me'),
});

/**
 * What I (or my organisation) handed over, newest first (the last 200): to whom, when, whether it
 * was accepted and by whom, and the family's name where the reader may still see the family.
 * One audited read.
 */
export async function listSentHandovers(ctx: RequestContext, query: z.infer<typeof SentHandoversQuery>) {
  const access = ctx.access;
  const rows = await ctx.auditedRead(
    ctx.deps.database.db
      .selectFrom('handovers as h')
      .innerJoin('organisations as o', 'o.id', 'h.to_organisation_id')
      .leftJoin('accounts as d', 'd.id', 'h.decided_by_account_id')
      .select([
        'h.id',
        'h.family_id',
        'h.status',
        'h.created_at',
        'h.decided_at',
        'o.name as to_name',
        'd.display_name as decided_by',
      ])
      .select(ctx.families.nameIfVisible('h.family_id').as('family_name'))
      .where(
        query.by === 'me' ? 'h.created_by_account_id' : 'h.from_organisation_id',
        '=',
        query.by === 'me' ? access.actor.accountId : access.organisationId,
      )
      .orderBy('h.created_at', 'desc')
      .limit(200),
    { action: 'handover.sent.read' },
    { countAs: 'handovers' },
  );
  return {
    by: query.by,
    handovers: rows.map((r) => ({
      id: r.id,
      familyId: r.family_id,
      familyName: r.family_name,
      toOrganisationName: r.to_name,
      status: r.status,
      sentAt: r.created_at.toISOString(),
      decidedAt: r.decided_at?.toISOString() ?? null,
      decidedBy: r.decided_by,
    })),
  };
}
