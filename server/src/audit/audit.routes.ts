import { z } from 'zod';
import { BreakGlassLogQuery, listBreakGlassAccesses } from '../consent/break-glass-oversight.ts';
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

const BreakGlassAccess = z.object({
  id: z.uuid(),
  familyId: z.uuid(),
  createdAt: z.date().transform((d) => d.toISOString()),
  expiresAt: z
    .date()
    .nullable()
    .transform((d) => d?.toISOString() ?? null),
  professional: z.string(),
  organisation: z.string(),
  reason: z.string(),
  parentsInformed: z.boolean(),
  reviewStatus: z.enum(['to_review', 'reviewed']),
  reviewNote: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z
    .date()
    .nullable()
    .transform((d) => d?.toISOString() ?? null),
});

export const auditRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/admin/break-glass',
    summary: 'Every break-the-glass access in a period (default the last 90 days), with reason and review (audited)',
    tag: 'audit',
    auth: 'session',
    permission: 'audit.read',
    query: BreakGlassLogQuery,
    response: z.object({ from: z.string(), to: z.string(), accesses: z.array(BreakGlassAccess) }),
    handler: (ctx, { query }) => listBreakGlassAccesses(ctx, query),
  }),
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
    summary: "The administrator's open alerts (a broken audit chain; unusual break-the-glass use)",
    tag: 'audit',
    auth: 'session',
    permission: 'audit.verify',
    response: z.object({
      alerts: z.array(
        z.discriminatedUnion('kind', [
          z.object({
            id: z.uuid(),
            kind: z.literal('audit_chain_broken'),
            createdAt: z.date().transform((d) => d.toISOString()),
            brokenChains: z.number(),
            firstBreaks: z.string(),
          }),
          z.object({
            id: z.uuid(),
            kind: z.literal('break_glass_alert'),
            createdAt: z.date().transform((d) => d.toISOString()),
            professional: z.string(),
            organisation: z.string(),
            accesses: z.number(),
            families: z.number(),
            sameReasonFamilies: z.number(),
            why: z.array(z.enum(['same_reason', 'many_accesses'])),
          }),
        ]),
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
