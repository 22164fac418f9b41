import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { parentSeesEntry } from '../access/family-audience.ts';
import { AppError } from '../errors.ts';
import type { RequestContext, Tx } from '../http/context.ts';

/**
 * A parent's own view beside a signal or the care judgement — per parent (PRODUCT.md point 10):
 * professionals see each view with its author; the other adult sees it only if its author chooses,
 * and only beside an entry that adult may see. Empty takes it back.
 */

export const ParentsViewInput = z.strictObject({
  view: z.string().trim().max(2000),
  /** Let the other adults of the family read this view too (they still see only entries they may see). */
  showToFamily: z.boolean().default(false),
});

type ViewRecordType = 'signal' | 'judgement';

/** The parents' views beside an entry, as an answer carries them: this parent's own, and those the other adults show the family. */
export const ParentViewsShape = {
  myView: z.object({ view: z.string(), shownToFamily: z.boolean() }).nullable(),
  othersViews: z.array(z.object({ givenName: z.string().nullable(), view: z.string() })),
};

/**
 * Per entry: this parent's own view, and the views the other adults chose to show the family —
 * all of the family's at once (a few), so it runs beside the entries' own queries.
 */
export async function viewsFor(tx: Tx, link: { familyId: string; personId: string }) {
  const rows = await tx.db
    .selectFrom('parent_views as v')
    .innerJoin('persons as p', 'p.id', 'v.person_id')
    .select(['v.record_id', 'v.person_id', 'v.view', 'v.shown_to_family', 'p.given_name'])
    .where('v.family_id', '=', link.familyId)
    .where((eb) => eb.or([eb('v.person_id', '=', link.personId), eb('v.shown_to_family', '=', true)]))
    .orderBy('v.updated_at')
    .execute();
  return (recordId: string) => {
    const mine = rows.find((r) => r.record_id === recordId && r.person_id === link.personId);
    return {
      myView: mine ? { view: mine.view, shownToFamily: mine.shown_to_family } : null,
      othersViews: rows
        .filter((r) => r.record_id === recordId && r.person_id !== link.personId)
        .map((r) => ({ givenName: r.given_name, view: r.view })),
    };
  };
}

/** Write (or, empty, take back) this parent's view beside an entry they may see; 404 otherwise. */
export async function setParentView(
  ctx: RequestContext,
  recordType: ViewRecordType,
  recordId: string,
  input: z.infer<typeof ParentsViewInput>,
) {
  return ctx.transaction(async (tx) => {
    const link = await tx.families.parent('portal.recorded');
    const table = recordType === 'signal' ? 'signals' : 'judgements';
    const entry = await tx.db
      .selectFrom(`${table} as x` as 'signals as x')
      .select('x.id')
      .where('x.id', '=', recordId)
      .where('x.family_id', '=', link.familyId)
      .where(parentSeesEntry(link.reader, recordType, 'x'))
      .executeTakeFirst();
    if (!entry) {
      throw new AppError('NOT_FOUND', 'Not found.', {
        refusal: { action: 'portal.parents_view', recordType, recordId },
      });
    }
    if (input.view) {
      await tx.db
        .insertInto('parent_views')
        .values({
          id: randomUUID(),
          family_id: link.familyId,
          record_type: recordType,
          record_id: recordId,
          person_id: link.personId,
          view: input.view,
          shown_to_family: input.showToFamily,
        })
        .onConflict((oc) =>
          oc.columns(['record_type', 'record_id', 'person_id']).doUpdateSet({
            view: input.view,
            shown_to_family: input.showToFamily,
            updated_at: new Date(),
          }),
        )
        .execute();
    } else {
      await tx.db
        .deleteFrom('parent_views')
        .where('record_type', '=', recordType)
        .where('record_id', '=', recordId)
        .where('person_id', '=', link.personId)
        .execute();
    }
    // Recorded against the entry: the other adult's "who looked" shows it only if they see the entry.
    await tx.audit({ action: 'portal.parents_view', familyId: link.familyId, recordType, recordId });
    return { ok: true as const };
  });
}
