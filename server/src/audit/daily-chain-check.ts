import type { Kysely } from 'kysely';
import type { DB } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';
import { createTask } from '../tasks/create-task.ts';
import type { CheckpointAnchor } from './checkpoints.ts';
import { describeBrokenLink, verifyAudit } from './verify-audit.ts';
import { writeAudit } from './write-audit.ts';

const SYSTEM = { accountId: null, organisationId: null, role: 'system', clientAddress: null, correlationId: null };

/**
 * The daily check of every audit chain (run from the hourly sweep, once a day). Its outcome is
 * itself audited. On a break, every active administrator gets an alert task — one open alert each,
 * however many days the break stays — naming the broken links by chain key (ids, no content).
 */
export async function checkAuditChains(db: Kysely<DB>, anchor?: CheckpointAnchor) {
  const result = await verifyAudit(db, anchor);
  await db.transaction().execute(async (tx) => {
    await writeAudit(tx, SYSTEM, {
      action: 'audit.chain_check',
      outcome: result.broken.length ? 'failed' : 'success',
      details: { chains: result.chains, events: result.events, broken: result.broken.length },
    });
    if (result.broken.length === 0) return;
    const admins = await tx
      .selectFrom('accounts')
      .select('id')
      .where('kind', '=', 'admin')
      .where('active', '=', true)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('tasks')
              .select('tasks.id')
              .whereRef('tasks.assignee_account_id', '=', 'accounts.id')
              .where('tasks.kind', '=', 'audit_chain_broken')
              .where('tasks.status', '=', 'open'),
          ),
        ),
      )
      .execute();
    for (const admin of admins) {
      await createTask(tx, {
        kind: 'audit_chain_broken',
        familyId: null,
        assigneeAccountId: admin.id,
        details: {
          brokenChains: result.broken.length,
          firstBreaks: result.broken.slice(0, 5).map(describeBrokenLink).join('\n'),
        },
      });
    }
  });
  return result;
}

/** The alerts an administrator is given: a broken audit chain, unusual break-the-glass use. */
const ALERT_KINDS = ['audit_chain_broken', 'break_glass_alert'] as const;

/** The administrator's open alerts (their own tasks: not audited; names, no family data). */
export async function listAlerts(ctx: RequestContext) {
  ctx.access.requireRole('audit.verify');
  const rows = await ctx.deps.database.db
    .selectFrom('tasks')
    .leftJoin('accounts as a', (join) =>
      join.on((eb) => eb.and([eb('tasks.kind', '=', 'break_glass_alert'), eb('a.id', '=', eb.ref('tasks.source_id'))])),
    )
    .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select([
      'tasks.id',
      'tasks.kind',
      'tasks.details',
      'tasks.created_at as createdAt',
      'a.display_name as professional',
      'o.name as organisation',
    ])
    .where('tasks.assignee_account_id', '=', ctx.access.actor.accountId)
    .where('tasks.kind', 'in', ALERT_KINDS)
    .where('tasks.status', '=', 'open')
    .orderBy('tasks.created_at')
    .execute();
  return {
    alerts: rows.map((row) =>
      row.kind === 'break_glass_alert'
        ? {
            id: row.id,
            kind: 'break_glass_alert' as const,
            createdAt: row.createdAt,
            professional: row.professional ?? '',
            organisation: row.organisation ?? '',
            accesses: Number(row.details.accesses ?? 0),
            families: Number(row.details.families ?? 0),
            sameReasonFamilies: Number(row.details.sameReasonFamilies ?? 0),
            why: String(row.details.why ?? '')
              .split(',')
              .filter((w): w is 'same_reason' | 'many_accesses' => w === 'same_reason' || w === 'many_accesses'),
          }
        : {
            id: row.id,
            kind: 'audit_chain_broken' as const,
            createdAt: row.createdAt,
            brokenChains: Number(row.details.brokenChains ?? 0),
            firstBreaks: String(row.details.firstBreaks ?? ''),
          },
    ),
  };
}

/**
 * An administrator takes up the alert: it closes for every administrator (one person handles it),
 * audited. A broken chain stays visible to `npm run audit:verify` and the next daily check; unusual
 * break-the-glass use raises a new alert when it goes on.
 */
export async function acknowledgeAlert(ctx: RequestContext, taskId: string) {
  ctx.access.requireRole('audit.verify');
  return ctx.transaction(async (tx) => {
    const task = await tx.db
      .selectFrom('tasks')
      .select(['id', 'kind', 'source_id'])
      .where('id', '=', taskId)
      .where('assignee_account_id', '=', ctx.access.actor.accountId)
      .where('kind', 'in', ALERT_KINDS)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (!task) {
      throw new AppError('NOT_FOUND', 'Not found.', {
        refusal: { action: 'audit.alert_acknowledged', recordType: 'task', recordId: taskId },
      });
    }
    const closed = await tx.db
      .updateTable('tasks')
      .set((eb) => ({ status: 'done', completed_at: new Date(), version: eb('version', '+', 1) }))
      .where('kind', '=', task.kind)
      .where('status', '=', 'open')
      .where((eb) => (task.source_id ? eb('source_id', '=', task.source_id) : eb.lit(true)))
      .executeTakeFirst();
    await tx.audit({ action: 'audit.alert_acknowledged', recordType: 'task', recordId: taskId });
    return { closed: Number(closed.numUpdatedRows) };
  });
}
