import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { DB } from '../database/schema.ts';
import { IsoDate } from '../families/family.types.ts';
import type { RequestContext } from '../http/context.ts';
import { createTask } from '../tasks/create-task.ts';

/**
 * The privacy officer's oversight of break-the-glass (issue 22): unusual use raises an alert for
 * every administrator, and an administrator's page lists every access with its reason and review.
 * The professional who broke the glass is not told of the alert.
 */

/** A reason compared as words: case, punctuation and spacing do not make a stock reason new. */
const normalised = (reason: ReturnType<typeof sql<string>>) =>
  sql<string>`btrim(regexp_replace(lower(${reason}), '[^[:alnum:]]+', ' ', 'g'))`;

/**
 * After a professional broke the glass (in the same transaction): the same reason for more than one
 * family, or more accesses than the configured number, within 24 hours, alerts every active
 * administrator — one open alert per professional, brought up to date while it stays open.
 */
export async function alertIfUnusual(
  tx: Kysely<DB>,
  access: { accountId: string; reason: string; dailyLimit: number },
): Promise<void> {
  const counts = await tx
    .selectFrom('consent_overrides')
    .select((eb) => [
      eb.fn.count<string>('family_id').distinct().as('families'),
      eb.fn
        .count<string>(
          sql`DISTINCT CASE WHEN ${normalised(sql`reason`)} = ${normalised(sql`${access.reason}`)} THEN family_id END`,
        )
        .as('sameReason'),
      eb.fn.countAll<string>().as('accesses'),
    ])
    .where('kind', '=', 'break_the_glass')
    .where('account_id', '=', access.accountId)
    .where('created_at', '>', sql<Date>`now() - interval '24 hours'`)
    .executeTakeFirstOrThrow();
  const accesses = Number(counts.accesses);
  const sameReason = Number(counts.sameReason);
  const why = [...(sameReason > 1 ? ['same_reason'] : []), ...(accesses > access.dailyLimit ? ['many_accesses'] : [])];
  if (why.length === 0) return;
  const details = {
    accountId: access.accountId,
    accesses,
    families: Number(counts.families),
    sameReasonFamilies: sameReason,
    why: why.join(','),
  };
  const updated = await tx
    .updateTable('tasks')
    .set((eb) => ({ details: JSON.stringify(details), version: eb('version', '+', 1) }))
    .where('kind', '=', 'break_glass_alert')
    .where('source_id', '=', access.accountId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) > 0) return;
  const admins = await tx
    .selectFrom('accounts')
    .select('id')
    .where('kind', '=', 'admin')
    .where('active', '=', true)
    .execute();
  for (const admin of admins) {
    await createTask(tx, {
      kind: 'break_glass_alert',
      familyId: null,
      assigneeAccountId: admin.id,
      sourceId: access.accountId,
      details,
    });
  }
}

export const BreakGlassLogQuery = z.strictObject({
  from: IsoDate.optional(),
  to: IsoDate.optional(),
});

/**
 * Every break-the-glass access in a period (default: the last 90 days), newest first, for the
 * privacy officer: who, of which organisation, when, the reason, whether the parents are informed,
 * and the review. Audited as a read (reasons may describe a family's situation).
 */
export async function listBreakGlassAccesses(ctx: RequestContext, query: z.infer<typeof BreakGlassLogQuery>) {
  ctx.access.requireRole('audit.read');
  const to = query.to ?? new Date().toISOString().slice(0, 10);
  const from = query.from ?? new Date(Date.now() - 90 * 86400_000).toISOString().slice(0, 10);
  return ctx
    .auditedRead(
      ctx.deps.database.db
        .selectFrom('consent_overrides as co')
        .innerJoin('accounts as a', 'a.id', 'co.account_id')
        .innerJoin('organisations as o', 'o.id', 'co.organisation_id')
        .leftJoin('accounts as r', 'r.id', 'co.reviewed_by_account_id')
        .select([
          'co.id',
          'co.family_id as familyId',
          'co.created_at as createdAt',
          'co.expires_at as expiresAt',
          'a.display_name as professional',
          'o.name as organisation',
          'co.reason',
          'co.parents_informed as parentsInformed',
          'co.review_status as reviewStatus',
          'co.review_note as reviewNote',
          'r.display_name as reviewedBy',
          'co.reviewed_at as reviewedAt',
        ])
        .where('co.kind', '=', 'break_the_glass')
        .where('co.created_at', '>=', sql<Date>`${from}::date`)
        .where('co.created_at', '<', sql<Date>`${to}::date + 1`)
        .orderBy('co.created_at', 'desc')
        .limit(1000),
      { action: 'break_glass.list' },
      { countAs: 'count' },
    )
    .then((accesses) => ({ from, to, accesses }));
}
