import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { z } from 'zod';
import { REFERRAL_URGENCIES } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import { sharedWith } from '../families/shared-with.ts';
import type { RequestContext } from '../http/context.ts';
import { isLate, OPEN_REFERRAL } from './referral.ts';

export const INBOX_PAGE_SIZE = 50;
/**
 * The open inbox's order: urgent first, then soon, then the rest (oldest first within each). The
 * index referrals_inbox_idx (migration 031) holds this expression verbatim, so a page reads only
 * its own referrals; change both together.
 */
export const INBOX_URGENCY_RANK = "CASE urgency WHEN 'urgent' THEN 0 WHEN 'soon' THEN 1 ELSE 2 END";

export const InboxQuery = z.strictObject({
  view: z.enum(['open', 'closed']).default('open'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  /** Only referrals of this urgency, or from this organisation (codes and ids: no personal data). */
  urgency: z.enum(REFERRAL_URGENCIES).optional(),
  from: z.uuid('must be a UUID').optional(),
});

/**
 * The receiving organisation's referral inbox: open referrals (urgent and oldest first) or closed
 * ones, a page at a time, with the family's name (shared under the parents' consent when sent).
 * One statement with its audit event, which counts the referrals shown.
 */
export async function readInbox(ctx: RequestContext, query: z.infer<typeof InboxQuery>) {
  const access = ctx.access;
  const open = query.view === 'open';
  const db = ctx.deps.database.db;
  const statuses = open ? [...OPEN_REFERRAL] : ['declined' as const, 'completed' as const, 'cancelled' as const];
  // The page is chosen on the referrals alone (ordered, limited), then joined for its 50 rows; the
  // total is a count beside it — so a long inbox costs one index scan, not 2,000 joins.
  const page = db
    .selectFrom('referrals')
    .select(['id', 'family_id', 'from_organisation_id', 'intervention_key', 'urgency', 'status', 'sent_at'])
    .select(['expected_start_on', 'closed_at', 'version'])
    .select(open ? sql<number>`${sql.raw(INBOX_URGENCY_RANK)}`.as('rank') : sql<number>`0`.as('rank'))
    .where('to_organisation_id', '=', access.organisationId)
    .where('status', 'in', statuses)
    .$if(query.urgency !== undefined, (q) =>
      q.where('urgency', '=', query.urgency as (typeof REFERRAL_URGENCIES)[number]),
    )
    .$if(query.from !== undefined, (q) => q.where('from_organisation_id', '=', query.from as string))
    .orderBy(open ? sql.raw(INBOX_URGENCY_RANK) : sql`closed_at DESC`)
    .orderBy('sent_at')
    .limit(INBOX_PAGE_SIZE)
    .offset((query.page - 1) * INBOX_PAGE_SIZE)
    .as('r');
  const rows = await ctx.auditedRead(
    db
      .selectFrom(page)
      .innerJoin('organisations as fo', 'fo.id', 'r.from_organisation_id')
      .leftJoin('persons as main', (join) =>
        join.onRef('main.family_id', '=', 'r.family_id').on('main.role', '=', 'pregnant_person'),
      )
      .select([
        'r.id',
        'r.family_id',
        'r.intervention_key',
        'r.urgency',
        'r.status',
        'r.sent_at',
        'r.expected_start_on',
        'r.closed_at',
        'r.version',
        'fo.name as from_name',
        'main.given_name',
        'main.family_name',
      ])
      .select((eb) =>
        eb
          .selectFrom('referrals as c')
          .select(eb.fn.countAll<number>().as('n'))
          .where('c.to_organisation_id', '=', access.organisationId)
          .where('c.status', 'in', statuses)
          .$if(query.urgency !== undefined, (q) =>
            q.where('c.urgency', '=', query.urgency as (typeof REFERRAL_URGENCIES)[number]),
          )
          .$if(query.from !== undefined, (q) => q.where('c.from_organisation_id', '=', query.from as string))
          .as('total'),
      )
      .orderBy('r.rank')
      .orderBy(open ? 'r.sent_at' : sql`r.closed_at DESC`)
      .orderBy('r.sent_at'),
    { action: 'referral.inbox.read' },
    { countAs: 'referrals' },
  );
  const answerDays = ctx.config.referralAnswerDays;
  return {
    view: query.view,
    page: query.page,
    pageSize: INBOX_PAGE_SIZE,
    total: rows[0]?.total ?? 0,
    referrals: rows.map((r) => ({
      id: r.id,
      familyId: r.family_id,
      familyName: [r.given_name, r.family_name].filter(Boolean).join(' '),
      fromOrganisationName: r.from_name,
      interventionKey: r.intervention_key,
      urgency: r.urgency,
      status: r.status,
      sentAt: r.sent_at?.toISOString() ?? null,
      expectedStartOn: r.expected_start_on,
      closedAt: r.closed_at?.toISOString() ?? null,
      late: isLate(r, answerDays),
      version: r.version,
    })),
  };
}

export const ReferralParams = z.strictObject({ referralId: z.uuid() });

/**
 * One referral for its sender (a professional of the sending organisation assigned to the family)
 * or its receiver: the request, its history, and for the receiver what goes along — the family's
 * members and the current signals of the shared categories, as far as the parents' consent for
 * the receiver reaches. The receiver opening a sent referral marks it received.
 */
export async function readReferral(ctx: RequestContext, referralId: string) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    const referral = await tx.db
      .selectFrom('referrals as r')
      .innerJoin('organisations as fo', 'fo.id', 'r.from_organisation_id')
      .innerJoin('organisations as to', 'to.id', 'r.to_organisation_id')
      .innerJoin('accounts as fa', 'fa.id', 'r.from_account_id')
      .selectAll('r')
      .select(['fo.name as from_name', 'to.name as to_name', 'fa.display_name as from_professional'])
      .select((eb) =>
        jsonArrayFrom(
          eb
            .selectFrom('referral_events as e')
            .innerJoin('accounts as ea', 'ea.id', 'e.account_id')
            .innerJoin('organisations as eo', 'eo.id', 'e.organisation_id')
            .select(['e.version', 'e.status', 'e.note', 'e.at', 'ea.display_name', 'eo.name as organisation_name'])
            .whereRef('e.referral_id', '=', 'r.id')
            .orderBy('e.version'),
        ).as('events'),
      )
      .where('r.id', '=', referralId)
      .where((eb) =>
        eb.or([
          eb.and([eb('r.to_organisation_id', '=', access.organisationId), eb('r.status', '!=', 'draft')]),
          eb.and([eb('r.from_organisation_id', '=', access.organisationId), tx.families.inTeam('r.family_id')]),
        ]),
      )
      .executeTakeFirst();
    if (!referral) {
      throw new AppError('NOT_FOUND', 'Not found.', {
        refusal: { action: 'referral.read', recordType: 'referral', recordId: referralId },
      });
    }
    const isReceiver = referral.to_organisation_id === access.organisationId;
    let { status, version } = referral;
    if (isReceiver && status === 'sent') {
      status = 'received';
      version += 1;
      await tx.db
        .updateTable('referrals')
        .set({ status, version, received_at: new Date() })
        .where('id', '=', referralId)
        .execute();
      await tx.db
        .insertInto('referral_events')
        .values({
          referral_id: referralId,
          version,
          family_id: referral.family_id,
          status,
          note: null,
          account_id: access.actor.accountId,
          organisation_id: access.organisationId,
        })
        .execute();
      await tx.audit({
        action: 'referral.received',
        familyId: referral.family_id,
        recordType: 'referral',
        recordId: referralId,
      });
    }
    await tx.audit({
      action: 'referral.read',
      familyId: referral.family_id,
      recordType: 'referral',
      recordId: referralId,
    });
    const shared = isReceiver
      ? await sharedWith(tx.db, referral.family_id, access.organisationId, referral.shared_categories)
      : null;
    return {
      id: referral.id,
      familyId: referral.family_id,
      fromOrganisationName: referral.from_name,
      fromProfessionalName: referral.from_professional,
      toOrganisationId: referral.to_organisation_id,
      toOrganisationName: referral.to_name,
      interventionKey: referral.intervention_key,
      reason: referral.reason,
      reasonToProceed: referral.reason_to_proceed,
      urgency: referral.urgency,
      sharedCategories: referral.shared_categories,
      status,
      sentAt: referral.sent_at?.toISOString() ?? null,
      expectedStartOn: referral.expected_start_on,
      helpReceived: referral.help_received,
      outcomeReason: referral.outcome_reason,
      outcomeNote: referral.outcome_note,
      alternative: referral.alternative,
      late: isLate({ status, sent_at: referral.sent_at }, ctx.config.referralAnswerDays),
      side: isReceiver ? ('receiver' as const) : ('sender' as const),
      version,
      events: referral.events.map((e) => ({
        status: e.status,
        note: e.note,
        at: new Date(e.at).toISOString(),
        professionalName: e.display_name,
        organisationName: e.organisation_name,
      })),
      shared,
    };
  });
}

export const SentQuery = z.strictObject({
  /** The actor's own referrals, or every one their organisation sent. */
  by: z.enum(['me', 'organisation']).default('me'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});

/**
 * What I (or my organisation) referred: newest first, a page at a time, with the receiver, the
 * status, whether the answer is late, and the family's name where the reader may still see the
 * family. One statement with its audit event, which counts the referrals shown.
 */
export async function readSent(ctx: RequestContext, query: z.infer<typeof SentQuery>) {
  const access = ctx.access;
  const db = ctx.deps.database.db;
  const sender =
    query.by === 'me'
      ? ({ column: 'from_account_id', id: access.actor.accountId } as const)
      : ({ column: 'from_organisation_id', id: access.organisationId } as const);
  const page = db
    .selectFrom('referrals')
    .selectAll()
    .where(sender.column, '=', sender.id)
    .orderBy('created_at', 'desc')
    .limit(INBOX_PAGE_SIZE)
    .offset((query.page - 1) * INBOX_PAGE_SIZE)
    .as('r');
  const rows = await ctx.auditedRead(
    db
      .selectFrom(page)
      .innerJoin('organisations as ro', 'ro.id', 'r.to_organisation_id')
      .innerJoin('accounts as fa', 'fa.id', 'r.from_account_id')
      .select([
        'r.id',
        'r.family_id',
        'r.intervention_key',
        'r.urgency',
        'r.status',
        'r.sent_at',
        'r.expected_start_on',
        'r.closed_at',
        'r.created_at',
        'r.version',
        'ro.name as to_name',
        'fa.display_name as from_professional',
      ])
      .select((eb) => [
        ctx.families.nameIfVisible('r.family_id').as('family_name'),
        eb
          .selectFrom('referrals as c')
          .select(eb.fn.countAll<number>().as('n'))
          .where(sender.column, '=', sender.id)
          .as('total'),
      ])
      .orderBy('r.created_at', 'desc'),
    { action: 'referral.sent.read' },
    { countAs: 'referrals' },
  );
  const answerDays = ctx.config.referralAnswerDays;
  return {
    by: query.by,
    page: query.page,
    pageSize: INBOX_PAGE_SIZE,
    total: Number(rows[0]?.total ?? 0),
    referrals: rows.map((r) => ({
      id: r.id,
      familyId: r.family_id,
      familyName: r.family_name,
      toOrganisationName: r.to_name,
      fromProfessionalName: r.from_professional,
      interventionKey: r.intervention_key,
      urgency: r.urgency,
      status: r.status,
      sentAt: r.sent_at?.toISOString() ?? null,
      expectedStartOn: r.expected_start_on,
      closedAt: r.closed_at?.toISOString() ?? null,
      late: isLate(r, answerDays),
      version: r.version,
    })),
  };
}
