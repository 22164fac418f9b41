import { z } from 'zod';
import { defineRoute } from '../http/route.ts';
import { acknowledgeAlert, listAlerts } from './daily-chain-check.ts';
import { AuditExportQuery, exportAuditEvents, listAuditEvents, verifyAuditTrail } from './list-audit-events.ts';

const AuditEventsQuery = z.strictObject({
  accountId: z.uuid().optional(),
  action: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const AuditEventResponse = z.object({
  id: z.uuid(),
  occurredAt: z.date().transform((d) => d.toISOString()),
  actorAccountId: z.uuid().nullable(),
  actorOrganisationId: z.uuid().nullable(),
  actorRole: z.string().nullable(),
  action: z.string(),
  outcome: z.enum(['success', 'refused', 'failed']),
  familyId: z.uuid().nullable(),
  recordType: z.string().nullable(),
  recordId: z.uuid().nullable(),
  details: z.record(z.string(), z.unknown()),
});

export const auditRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/audit-events',
    summary: 'The newest audit events (administrators; this read is audited too)',
    tag: 'audit',
    auth: 'session',
    permission: 'audit.read',
    query: AuditEventsQuery,
    response: z.object({ events: z.array(AuditEventResponse) }),
    handler: (ctx, { query }) => listAuditEvents(ctx, query),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/audit-events/export',
    summary: 'The audit trail as CSV, filtered by family, organisation, account or period (administrators; audited)',
    tag: 'audit',
    auth: 'session',
    permission: 'audit.read',
    query: AuditExportQuery,
    response: z.string(),
    handler: (ctx, { query }) => exportAuditEvents(ctx, query),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/audit-events/verify',
    summary: 'Verify every hash chain of the audit trail (what npm run audit:verify does)',
    tag: 'audit',
    auth: 'session',
    permission: 'audit.verify',
    response: z.object({ chains: z.number(), events: z.number(), ok: z.boolean(), broken: z.array(z.string()) }),
    handler: (ctx) => verifyAuditTrail(ctx),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/admin/alerts',
    summary: "The administrator's open alerts (a break found by the daily audit-chain check)",
    tag: 'audit',
    auth: 'session',
    permission: 'audit.verify',
    response: z.object({
      alerts: z.array(
        z.object({
          id: z.uuid(),
          kind: z.string(),
          createdAt: z.date().transform((d) => d.toISOString()),
          brokenChains: z.number(),
          firstBreaks: z.string(),
        }),
      ),
    }),
    handler: (ctx) => listAlerts(ctx),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/admin/alerts/:taskId/acknowledge',
    summary: 'Take up an alert: it closes for every administrator (audited)',
    tag: 'audit',
    auth: 'session',
    permission: 'audit.verify',
    params: z.strictObject({ taskId: z.uuid('must be a UUID') }),
    response: z.object({ closed: z.number() }),
    handler: (ctx, { params }) => acknowledgeAlert(ctx, params.taskId),
  }),
];
