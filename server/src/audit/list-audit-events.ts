import { z } from 'zod';
import type { RequestContext } from '../http/context.ts';
import { anchorOf } from './checkpoints.ts';
import { describeBrokenLink, verifyAudit } from './verify-audit.ts';

/** The newest audit events, optionally of one account or action (administrators; this read is audited too). */
export function listAuditEvents(ctx: RequestContext, query: { accountId?: string; action?: string; limit: number }) {
  return ctx.transaction(async (tx) => {
    let q = tx.db
      .selectFrom('audit_events')
      .select([
        'id',
        'occurred_at as occurredAt',
        'actor_account_id as actorAccountId',
        'actor_organisation_id as actorOrganisationId',
        'actor_role as actorRole',
        'action',
        'outcome',
        'family_id as familyId',
        'record_type as recordType',
        'record_id as recordId',
        'details',
      ])
      .orderBy('occurred_at', 'desc')
      .limit(query.limit);
    if (query.accountId) q = q.where('actor_account_id', '=', query.accountId);
    if (query.action) q = q.where('action', '=', query.action);
    const events = await q.execute();
    await tx.audit({ action: 'audit.read', details: { count: events.length } });
    return { events };
  });
}

/** Verify every chain of the audit trail (what npm run audit:verify does), from the running server. */
export async function verifyAuditTrail(ctx: RequestContext) {
  const result = await verifyAudit(ctx.deps.database.db, anchorOf(ctx.config));
  await ctx.auditAlone({ action: 'audit.verify', details: { broken: result.broken.length } });
  return { ...result, ok: result.broken.length === 0, broken: result.broken.map(describeBrokenLink) };
}

export const AuditExportQuery = z.strictObject({
  familyId: z.uuid().optional(),
  organisationId: z.uuid().optional(),
  accountId: z.uuid().optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});

/** The columns of an export, in order (the CSV header). */
const EXPORT_COLUMNS = [
  'occurred_at',
  'action',
  'outcome',
  'actor_account_id',
  'actor_organisation_id',
  'actor_role',
  'family_id',
  'record_type',
  'record_id',
  'details',
  'chain_key',
  'seq',
] as const;

/** The most rows one export holds; narrow the filter for more. */
const EXPORT_LIMIT = 100_000;

function csvField(value: unknown): string {
  const text =
    value === null || value === undefined
      ? ''
      : value instanceof Date
        ? value.toISOString()
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The audit trail as CSV for an organisation's privacy officer, filtered by family, organisation,
 * acting account or period (dates inclusive, UTC). The export is itself audited.
 */
export function exportAuditEvents(ctx: RequestContext, query: z.infer<typeof AuditExportQuery>) {
  return ctx.transaction(async (tx) => {
    let q = tx.db
      .selectFrom('audit_events')
      .select([...EXPORT_COLUMNS])
      .orderBy('occurred_at')
      .orderBy('seq')
      .limit(EXPORT_LIMIT);
    if (query.familyId) q = q.where('family_id', '=', query.familyId);
    if (query.organisationId) q = q.where('actor_organisation_id', '=', query.organisationId);
    if (query.accountId) q = q.where('actor_account_id', '=', query.accountId);
    if (query.from) q = q.where('occurred_at', '>=', new Date(`${query.from}T00:00:00Z`));
    if (query.to) q = q.where('occurred_at', '<', new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86_400_000));
    const rows = await q.execute();
    await tx.audit({ action: 'audit.export', familyId: query.familyId ?? null, details: { rows: rows.length } });
    ctx.reply.header('content-type', 'text/csv; charset=utf-8');
    ctx.reply.header('content-disposition', 'attachment; filename="kring-audit.csv"');
    return `${[EXPORT_COLUMNS.join(','), ...rows.map((row) => EXPORT_COLUMNS.map((c) => csvField(row[c])).join(','))].join('\n')}\n`;
  });
}
