import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { type FamilyReader, familyReader, parentSeesEntry } from '../access/family-audience.ts';
import { AppError } from '../errors.ts';
import { requireFamilyPersons, requireVersion } from '../families/family-guards.ts';
import { addMonths, todayIso } from '../families/trajectory.ts';
import type { RequestContext, Tx } from '../http/context.ts';
import { createTask } from '../tasks/create-task.ts';

/**
 * Parents' requests to correct or delete what is recorded (AVG art. 16/17, WGBO art. 7:454/7:455).
 * A professional of the team records one on the parents' behalf; the organisation that owns the
 * entry decides within a month (AVG art. 12(3)), with a legal ground and its reason. A granted
 * deletion of a signal or contact deletes it (the audit keeps only ids); a correction is made by
 * the owner with the record's own correction tools, and the decision says what was corrected.
 */

export const DATA_REQUEST_KINDS = ['correction', 'deletion'] as const;
export const RECORD_TYPES = ['signal', 'contact', 'other'] as const;
export const DECISIONS = ['granted', 'partly_granted', 'refused'] as const;
/**
 * The grounds on which a request may be refused, by kind: a deletion only when keeping the entry
 * is of substantial importance to someone else (such as the child's safety) or a law requires it
 * (WGBO 7:455); a correction when the entry is accurate, or is a professional's judgement rather
 * than a fact — the parents' own view is then added beside it (WGBO 7:454(2)).
 */
export const REFUSAL_GROUNDS = {
  deletion: ['interest_of_other', 'legal_obligation'],
  correction: ['accurate', 'professional_judgement'],
} as const;

export const DataRequestInput = z.strictObject({
  kind: z.enum(DATA_REQUEST_KINDS),
  recordType: z.enum(RECORD_TYPES),
  recordId: z.uuid().optional(),
  requestedByPersonId: z.uuid().optional(),
  text: z.string().trim().min(5, 'say in a few words what the parents ask').max(4000),
});

export const DecisionInput = z.strictObject({
  decision: z.enum(DECISIONS),
  ground: z.string().max(40).optional(),
  reason: z.string().trim().min(10, 'give the reason in a sentence').max(4000),
  version: z.number().int().min(1),
});

const TABLES = { signal: 'signals', contact: 'contacts' } as const;

/** The organisation that owns an entry: whoever recorded it; for "other", the recording organisation. */
async function ownerOf(
  tx: Tx,
  familyId: string,
  input: z.infer<typeof DataRequestInput>,
  own: string,
): Promise<string> {
  if (input.recordType === 'other') {
    if (input.recordId) {
      throw new AppError('VALIDATION_FAILED', 'Invalid request.', {
        fields: [{ field: 'body.recordId', message: 'only for a signal or a contact' }],
      });
    }
    return own;
  }
  const requester = input.requestedByPersonId
    ? await familyReader(tx.db, familyId, input.requestedByPersonId)
    : undefined;
  const entry = input.recordId
    ? await tx.db
        .selectFrom(`${TABLES[input.recordType]} as x` as 'signals as x')
        .select('x.organisation_id')
        .where('x.id', '=', input.recordId)
        .where('x.family_id', '=', familyId)
        // A parent asks only about what that parent may see (PRODUCT.md point 10).
        .$if(requester !== undefined, (q) =>
          q.where(parentSeesEntry(requester as FamilyReader, input.recordType as 'signal' | 'contact', 'x')),
        )
        .executeTakeFirst()
    : undefined;
  if (!entry) {
    throw new AppError('VALIDATION_FAILED', 'Invalid request.', {
      fields: [
        requester
          ? { field: 'body.recordId', message: 'not something this parent may see' }
          : { field: 'body.recordId', message: `not a ${input.recordType} of this family` },
      ],
    });
  }
  return entry.organisation_id;
}

/** Record a parent's request (told to a professional of the team); the owning organisation decides. */
export async function recordDataRequest(
  ctx: RequestContext,
  familyId: string,
  input: z.infer<typeof DataRequestInput>,
) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    await tx.families.open(familyId, 'family.write');
    if (input.requestedByPersonId) {
      await requireFamilyPersons(tx.db, familyId, [input.requestedByPersonId], 'body.requestedByPersonId');
    }
    return fileDataRequest(tx, familyId, input, {
      accountId: access.actor.accountId,
      organisationId: access.organisationId,
    });
  });
}

/**
 * File a request: the owner of the entry (for "something else", the given organisation) gets a
 * task due in a month (AVG art. 12(3)). Shared by the team's form and the parents' own Kring.
 */
export async function fileDataRequest(
  tx: Tx,
  familyId: string,
  input: z.infer<typeof DataRequestInput>,
  by: { accountId: string; organisationId: string },
) {
  const owner = await ownerOf(tx, familyId, input, by.organisationId);
  const id = randomUUID();
  const due = addMonths(todayIso(), 1);
  await tx.db
    .insertInto('data_requests')
    .values({
      id,
      family_id: familyId,
      kind: input.kind,
      record_type: input.recordType,
      record_id: input.recordId ?? null,
      requested_by_person_id: input.requestedByPersonId ?? null,
      request_text: input.text,
      owner_organisation_id: owner,
      recorded_by_account_id: by.accountId,
      answer_due_on: due,
    })
    .execute();
  await createTask(tx.db, {
    kind: 'data_request_to_decide',
    familyId,
    assigneeOrganisationId: owner,
    sourceId: id,
    dueOn: due,
    details: { kind: input.kind, recordType: input.recordType },
  });
  await tx.audit({
    action: 'data_request.record',
    familyId,
    recordType: 'data_request',
    recordId: id,
    details: { kind: input.kind, recordType: input.recordType },
  });
  return { id, answerDueOn: due };
}

/** The family's requests and their decisions, for the team. */
export async function listDataRequests(ctx: RequestContext, familyId: string) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    await tx.families.open(familyId, 'family.read');
    const rows = await tx.db
      .selectFrom('data_requests as r')
      .innerJoin('organisations as o', 'o.id', 'r.owner_organisation_id')
      .innerJoin('accounts as a', 'a.id', 'r.recorded_by_account_id')
      .leftJoin('accounts as d', 'd.id', 'r.decided_by_account_id')
      .leftJoin('signals as rs', (join) => join.onRef('rs.id', '=', 'r.record_id').on('r.record_type', '=', 'signal'))
      .leftJoin('contacts as rc', (join) => join.onRef('rc.id', '=', 'r.record_id').on('r.record_type', '=', 'contact'))
      .select((eb) => eb.fn.coalesce('rs.concerns_person_id', 'rc.concerns_person_id').as('concerns_person_id'))
      .select([
        'r.id',
        'r.kind',
        'r.record_type',
        'r.record_id',
        'r.requested_by_person_id',
        'r.request_text',
        'r.owner_organisation_id',
        'o.name as owner_name',
        'a.display_name as recorded_by',
        'r.created_at',
        'r.answer_due_on',
        'r.status',
        'r.decision_ground',
        'r.decision_reason',
        'd.display_name as decided_by',
        'r.decided_at',
        'r.version',
      ])
      .where('r.family_id', '=', familyId)
      .orderBy('r.created_at', 'desc')
      .execute();
    await tx.audit({ action: 'data_request.list', familyId, recordType: 'family', recordId: familyId });
    return {
      requests: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        recordType: r.record_type,
        recordId: r.record_id,
        requestedByPersonId: r.requested_by_person_id,
        /** Whom the entry is about: the deciding professional sees when that is not the requester. */
        concernsPersonId: r.concerns_person_id,
        text: r.request_text,
        ownerOrganisationId: r.owner_organisation_id,
        ownerName: r.owner_name,
        recordedBy: r.recorded_by,
        createdAt: r.created_at,
        answerDueOn: r.answer_due_on,
        status: r.status,
        ground: r.decision_ground,
        reason: r.decision_reason,
        decidedBy: r.decided_by,
        decidedAt: r.decided_at,
        version: r.version,
        mayDecide: r.status === 'open' && r.owner_organisation_id === access.actor.organisationId,
      })),
    };
  });
}

/**
 * The owning organisation decides. A refusal (or partial grant) names a ground the law allows for
 * this kind; a granted deletion of a signal or contact deletes the entry and its history.
 */
export async function decideDataRequest(
  ctx: RequestContext,
  familyId: string,
  requestId: string,
  input: z.infer<typeof DecisionInput>,
) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    await tx.families.open(familyId, 'family.write');
    const request = await tx.db
      .selectFrom('data_requests')
      .selectAll()
      .where('id', '=', requestId)
      .where('family_id', '=', familyId)
      .forUpdate()
      .executeTakeFirst();
    if (!request) {
      throw new AppError('NOT_FOUND', 'Not found.', {
        refusal: { action: 'data_request.decide', familyId, recordType: 'data_request', recordId: requestId },
      });
    }
    if (request.owner_organisation_id !== access.organisationId) {
      throw new AppError('FORBIDDEN', 'Only the organisation that owns the entry decides.', {
        refusal: { action: 'data_request.decide', familyId, recordType: 'data_request', recordId: requestId },
      });
    }
    if (request.status !== 'open') throw new AppError('INVALID_TRANSITION', 'This request has been decided.');
    requireVersion(request, input.version, { version: request.version, status: request.status });
    const grounds: readonly string[] = REFUSAL_GROUNDS[request.kind];
    if (input.decision !== 'granted' && !grounds.includes(input.ground ?? '')) {
      throw new AppError('VALIDATION_FAILED', 'Invalid decision.', {
        fields: [{ field: 'body.ground', message: `one of ${grounds.join(', ')}` }],
      });
    }
    if (input.decision === 'granted' && input.ground) {
      throw new AppError('VALIDATION_FAILED', 'Invalid decision.', {
        fields: [{ field: 'body.ground', message: 'only for a refusal or a partial grant' }],
      });
    }
    const deleted =
      request.kind === 'deletion' && input.decision === 'granted' && request.record_id
        ? await deleteEntry(tx, request.record_type, request.record_id)
        : 0;
    await tx.db
      .updateTable('data_requests')
      .set({
        status: input.decision,
        decision_ground: input.ground ?? null,
        decision_reason: input.reason,
        decided_by_account_id: access.actor.accountId,
        decided_at: new Date(),
        version: request.version + 1,
      })
      .where('id', '=', requestId)
      .execute();
    await tx.db
      .updateTable('tasks')
      .set({ status: 'done', completed_at: new Date() })
      .where('kind', '=', 'data_request_to_decide')
      .where('source_id', '=', requestId)
      .where('status', '=', 'open')
      .execute();
    await tx.audit({
      action: 'data_request.decide',
      familyId,
      recordType: 'data_request',
      recordId: requestId,
      details: { decision: input.decision, ground: input.ground ?? null, entriesDeleted: deleted },
    });
    return { status: input.decision, entriesDeleted: deleted };
  });
}

async function deleteEntry(tx: Tx, recordType: 'signal' | 'contact' | 'other', recordId: string): Promise<number> {
  // Work that waits on the entry (a review of a signal) goes with it.
  await tx.db
    .updateTable('tasks')
    .set({ status: 'cancelled', completed_at: new Date() })
    .where('source_id', '=', recordId)
    .where('status', '=', 'open')
    .execute();
  if (recordType === 'signal') {
    const versions = await tx.db.deleteFrom('signal_versions').where('signal_id', '=', recordId).executeTakeFirst();
    const signal = await tx.db.deleteFrom('signals').where('id', '=', recordId).executeTakeFirst();
    return Number(versions.numDeletedRows) + Number(signal.numDeletedRows);
  }
  if (recordType === 'contact') {
    const contact = await tx.db.deleteFrom('contacts').where('id', '=', recordId).executeTakeFirst();
    return Number(contact.numDeletedRows);
  }
  return 0;
}
