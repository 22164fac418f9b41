import { z } from 'zod';
import { parentSeesEntry } from '../access/family-audience.ts';
import { fileDataRequest } from '../data-requests/data-requests.ts';
import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';
import { parentText, signalCodes } from '../signals/signal-codes.ts';
import { mainContactOf } from './parent-link.ts';
import { viewsFor } from './parent-views.ts';

/**
 * "What is recorded and why" in the parents' own Kring: the signals about the family in the
 * wording written for parents (each code has one), who recorded them and when, and the care
 * intensity judged with its own words for parents; beside each signal each parent can put their
 * own view (parent-views.ts), which professionals see next to theirs. Each parent sees only what the family rule
 * lets them see (access/family-audience.ts): what is about the other adult stays theirs.
 */

export const ParentRequestInput = z.strictObject({
  kind: z.enum(['correction', 'deletion']),
  /** A signal shown to the parent, or none for something else (described in the text). */
  signalId: z.uuid().optional(),
  text: z.string().trim().min(5, 'say in a few words what is not right').max(4000),
});

export const SignalIdParams = z.strictObject({ signalId: z.uuid('must be a UUID') });
export const JudgementIdParams = z.strictObject({ judgementId: z.uuid('must be a UUID') });

export async function readWhatIsRecorded(ctx: RequestContext) {
  return ctx.transaction(async (tx) => {
    const link = await tx.families.parent('portal.recorded');
    const [signals, judgement, requests, meldcode, views] = await Promise.all([
      tx.db
        .selectFrom('signals as s')
        .innerJoin('organisations as o', 'o.id', 's.organisation_id')
        .leftJoin('accounts as a', 'a.id', 's.account_id')
        .select([
          's.id',
          's.code',
          's.concerns_person_id',
          's.status',
          's.since',
          's.created_at',
          'o.name as organisation',
          'a.discipline',
          'a.kind',
        ])
        .where('s.family_id', '=', link.familyId)
        .where(parentSeesEntry(link.reader, 'signal', 's'))
        .orderBy('s.created_at', 'desc')
        .execute(),
      tx.db
        .selectFrom('judgements as j')
        .innerJoin('organisations as o', 'o.id', 'j.organisation_id')
        .select(['j.id', 'j.stress_level', 'j.intensity', 'j.created_at', 'o.name as organisation'])
        .where('j.family_id', '=', link.familyId)
        .where('j.status', 'in', ['effective', 'agreed'])
        .where(parentSeesEntry(link.reader, 'judgement', 'j'))
        .orderBy('j.created_at', 'desc')
        .executeTakeFirst(),
      tx.db
        .selectFrom('data_requests as r')
        .innerJoin('organisations as o', 'o.id', 'r.owner_organisation_id')
        // The signal a request is about, while it is still in the record (a granted deletion removes it).
        .leftJoin('signals as rs', (join) => join.onRef('rs.id', '=', 'r.record_id').on('r.record_type', '=', 'signal'))
        .select([
          'r.id',
          'r.kind',
          'r.record_id',
          'r.record_type',
          'rs.code as signal_code',
          'r.request_text',
          'r.status',
          'r.decision_ground',
          'r.decision_reason',
          'r.answer_due_on',
          'r.created_at',
          'r.decided_at',
          'o.name as organisation',
        ])
        .where('r.family_id', '=', link.familyId)
        // A request and its decision are the requesting parent's own.
        .where('r.requested_by_person_id', '=', link.personId)
        .orderBy('r.created_at', 'desc')
        .execute(),
      // A Meldcode route only once its professionals decided the parents may see it (recorded).
      tx.db
        .selectFrom('meldcode_routes as m')
        .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
        .select(['m.id', 'm.status', 'm.outcome', 'm.created_at', 'm.closed_at', 'o.name as organisation'])
        .where('m.family_id', '=', link.familyId)
        .where('m.shown_to_parents', '=', true)
        .orderBy('m.created_at')
        .execute(),
      viewsFor(tx, link),
    ]);
    await tx.audit({
      action: 'portal.recorded_read',
      familyId: link.familyId,
      recordType: 'family',
      recordId: link.familyId,
    });
    const codes = signalCodes();
    return {
      signals: signals.map((s) => {
        const code = codes.byKey.get(s.code);
        return {
          id: s.id,
          kind: codes.kindOf.get(s.code) ?? 'stress',
          text: parentText(code, s.code),
          concernsPersonId: s.concerns_person_id,
          current: s.status === 'present',
          since: s.since,
          recordedAt: s.created_at.toISOString(),
          recordedBy: s.kind === 'parent' ? null : { organisation: s.organisation, role: s.discipline },
          byParents: s.kind === 'parent',
          ...views(s.id),
        };
      }),
      meldcode: meldcode.map((m) => ({
        id: m.id,
        organisation: m.organisation,
        startedAt: m.created_at.toISOString(),
        closedAt: m.closed_at?.toISOString() ?? null,
        outcome: m.outcome,
      })),
      requests: requests.map((r) => ({
        id: r.id,
        kind: r.kind,
        signalId: r.record_id,
        /** What the request is about, in the parents' words; null for "something else" or an entry no longer there. */
        about: r.signal_code ? parentText(codes.byKey.get(r.signal_code), r.signal_code) : null,
        recordType: r.record_type,
        decidedAt: r.decided_at?.toISOString() ?? null,
        text: r.request_text,
        status: r.status,
        ground: r.decision_ground,
        reason: r.decision_reason,
        answerDueOn: r.answer_due_on,
        organisation: r.organisation,
      })),
      judgement: judgement
        ? {
            id: judgement.id,
            stressLevel: judgement.stress_level,
            intensity: judgement.intensity,
            ...views(judgement.id),
            organisation: judgement.organisation,
            on: judgement.created_at.toISOString(),
          }
        : null,
    };
  });
}

/**
 * The parents ask themselves to correct or delete: about a signal they see, or something else. It
 * reaches the organisation that owns the entry (for something else, their main contact's), which
 * decides within a month; they see the decision and its reason here.
 */
export async function fileParentRequest(ctx: RequestContext, input: z.infer<typeof ParentRequestInput>) {
  return ctx.transaction(async (tx) => {
    const link = await tx.families.parent('portal.recorded');
    if (input.signalId) {
      const signal = await tx.db
        .selectFrom('signals')
        .select('signals.id')
        .where('signals.id', '=', input.signalId)
        .where('signals.family_id', '=', link.familyId)
        .where(parentSeesEntry(link.reader, 'signal', 'signals'))
        .executeTakeFirst();
      if (!signal) {
        throw new AppError('VALIDATION_FAILED', 'Invalid request.', {
          fields: [{ field: 'body.signalId', message: 'not something recorded about your family' }],
        });
      }
    }
    const contact = await mainContactOf(tx, link.familyId);
    return fileDataRequest(
      tx,
      link.familyId,
      {
        kind: input.kind,
        recordType: input.signalId ? 'signal' : 'other',
        recordId: input.signalId,
        requestedByPersonId: link.personId,
        text: input.text,
      },
      {
        accountId: ctx.access.actor.accountId,
        organisationId: contact.organisationId,
      },
    );
  });
}
