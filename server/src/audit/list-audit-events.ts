import type { RequestContext } from '../http/context.ts';
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
  const result = await verifyAudit(ctx.deps.database.db);
  await ctx.auditAlone({ action: 'audit.verify', details: { broken: result.broken.length } });
  return { ...result, ok: result.broken.length === 0, broken: result.broken.map(describeBrokenLink) };
}
