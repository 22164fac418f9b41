import { randomUUID } from 'node:crypto';
import type { SystemScopes } from '../access/access.ts';
import { Access, type Actor } from '../access/access.ts';
import { FamilyStore } from '../access/family-store.ts';
import { writeAudits } from '../audit/write-audit.ts';
import { textArray } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import { type AppDeps, auditSourceFor, type RequestContext } from '../http/context.ts';
import { AUDIT_EVENT, CARE_PLAN, GOAL, QUESTIONNAIRE_RESPONSE, SERVICE_REQUEST, TASK } from './care-resources.ts';
import { CARE_TEAM, CONSENT, ENCOUNTER, EPISODE_OF_CARE, GROUP, RELATED_PERSON } from './chain-resources.ts';
import { type FamilyResourceType, findVisible } from './family-resources.ts';
import { dateCondition, invalidSearch, isId, toPatient } from './fhir.ts';
import { OBSERVATION } from './observation.ts';
import { PATIENT_COLUMNS } from './patient.ts';
import { PROVENANCE } from './provenance.ts';
import { scopeAllows } from './smart.ts';

/**
 * Bulk export ($export, HL7 Bulk Data Access IG): a region or an organisation takes its data out
 * of Kring without asking us. The kick-off (`Prefer: respond-async`) starts a background job bound
 * to the account that asked (a person or an organisation's system); the job reads the families
 * the account may read in batches, through the same engine, consent and audit as a search (each
 * family exported is audited on its own trail), and writes NDJSON files per resource type. The
 * status URL answers 202 with progress, then the manifest; files expire after a day.
 */

const FAMILY_TYPES: readonly FamilyResourceType[] = [
  GROUP,
  RELATED_PERSON,
  CARE_TEAM,
  EPISODE_OF_CARE,
  ENCOUNTER,
  OBSERVATION,
  PROVENANCE,
  QUESTIONNAIRE_RESPONSE,
  CARE_PLAN,
  GOAL,
  SERVICE_REQUEST,
  TASK,
  CONSENT,
  AUDIT_EVENT,
];
/** What an export can hold: every type made from the family record, and the persons. */
export const EXPORT_TYPES = ['Patient', ...FAMILY_TYPES.map((t) => t.type)];
const BY_TYPE = new Map(FAMILY_TYPES.map((t) => [t.type, t]));

/**
 * Families read per batch (one transaction each), batches read at a time (one is mapped in the
 * process while the database reads the other), and the largest NDJSON file part. Tests make them
 * small to run many batches and parts side by side.
 */
export const exportTuning = { batchFamilies: 250, parallelBatches: 2, partBytes: 8 * 1024 * 1024 };
export const EXPORT_HOURS = 24;
const NDJSON_TYPES = ['application/fhir+ndjson', 'application/ndjson', 'ndjson'];

export interface ExportRequest {
  level: 'system' | 'patient' | 'group';
  groupId?: string;
  query: Record<string, string | string[]>;
  prefer: string | undefined;
  requestUrl: string;
}

/** GET [base]/$export, Patient/$export, Group/[id]/$export: check, record and start the job; 202. */
export async function kickOffExport(ctx: RequestContext, request: ExportRequest): Promise<{ statusUrl: string }> {
  const access = ctx.access;
  if (!request.prefer || !/respond-async/.test(request.prefer)) {
    throw new AppError('VALIDATION_FAILED', 'A bulk export runs asynchronously: send Prefer: respond-async.', {
      fields: [{ field: 'header.prefer', message: 'must include respond-async' }],
    });
  }
  const single = (name: string) => {
    const value = request.query[name];
    if (Array.isArray(value)) throw invalidSearch(name, 'Give this parameter once.');
    return value;
  };
  for (const name of Object.keys(request.query)) {
    if (!['_type', '_since', '_outputFormat'].includes(name))
      throw invalidSearch(name, `$export has no parameter "${name}".`);
  }
  const format = single('_outputFormat');
  if (format !== undefined && !NDJSON_TYPES.includes(format)) {
    throw invalidSearch('_outputFormat', 'Kring exports application/fhir+ndjson.');
  }
  const typeList = single('_type');
  const types = typeList === undefined ? EXPORT_TYPES : [...new Set(typeList.split(',').map((t) => t.trim()))];
  for (const type of types) {
    if (!EXPORT_TYPES.includes(type)) throw invalidSearch('_type', `One or more of ${EXPORT_TYPES.join(', ')}.`);
    if (ctx.scopes && !scopeAllows(ctx.scopes, type, 'read')) {
      throw new AppError('FORBIDDEN', `The token's scope does not allow to read ${type}.`, {
        refusal: { action: 'fhir.export' },
      });
    }
  }
  const sinceText = single('_since');
  let since: Date | null = null;
  if (sinceText !== undefined) {
    since = new Date(sinceText);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(sinceText) || Number.isNaN(since.getTime())) {
      throw invalidSearch('_since', 'An instant, e.g. 2026-01-01T00:00:00Z.');
    }
  }
  if (request.level === 'group') {
    const groupId = request.groupId ?? '';
    const family = isId(groupId)
      ? await ctx.deps.database.db
          .selectFrom('families')
          .select('id')
          .where('id', '=', groupId)
          .where('id', 'in', ctx.families.readableIds({ emergency: false }))
          .executeTakeFirst()
      : undefined;
    if (!family) {
      throw new AppError('NOT_FOUND', 'Not found.', {
        refusal: { action: 'family.read', recordType: 'family', ...(isId(groupId) ? { recordId: groupId } : {}) },
      });
    }
  }
  const id = randomUUID();
  await ctx.transaction(async (tx) => {
    await tx.db
      .insertInto('fhir_exports')
      .values({
        id,
        account_id: access.actor.accountId,
        level: request.level,
        group_id: request.groupId ?? null,
        types: textArray(types),
        since,
        request_url: request.requestUrl,
        expires_at: new Date(Date.now() + EXPORT_HOURS * 3_600_000),
      })
      .execute();
    await tx.audit({
      action: 'fhir.export.start',
      recordType: 'fhir_export',
      recordId: id,
      details: { level: request.level, types: types.join(','), since: sinceText ?? null },
    });
  });
  // The job runs beside the request; its own failures end up in the status, never in the answer.
  void runExport(ctx.deps, access.actor, ctx.scopes, id);
  return { statusUrl: `${ctx.config.publicUrl}/fhir/$export-status/${id}` };
}

/** The job: the account's families in batches, each type through the engine, files per type. */
export async function runExport(deps: AppDeps, actor: Actor, scopes: SystemScopes | null, exportId: string) {
  const db = deps.database.db;
  const access = new Access(actor);
  const source = auditSourceFor(actor, 'bulk-export', exportId);
  try {
    const job = await db
      .updateTable('fhir_exports')
      .set({ status: 'running' })
      .where('id', '=', exportId)
      .where('status', '=', 'queued')
      .returningAll()
      .executeTakeFirst();
    if (!job) return;
    // Break-the-glass opens one record for a few hours, never a bulk copy that outlives it.
    let families = db
      .selectFrom('families')
      .select('id')
      .where('id', 'in', new FamilyStore(db, access).readableIds({ emergency: false }));
    if (job.group_id) families = families.where('id', '=', job.group_id);
    const ids = (await families.orderBy('id').execute()).map((f) => f.id);
    await db.updateTable('fhir_exports').set({ families_total: ids.length }).where('id', '=', exportId).execute();
    const types = job.types.filter((t) => !scopes || scopeAllows(scopes, t, 'read'));
    const since = job.since ? new Date(job.since).toISOString() : null;
    const files = new Map<string, { lines: string[]; bytes: number }>();
    let part = 0;
    // A part is taken from the file before it is written, so a batch running beside it starts a new one.
    const flush = async (type: string) => {
      const file = files.get(type);
      if (!file || file.lines.length === 0) return;
      files.set(type, { lines: [], bytes: 0 });
      part += 1;
      await db
        .insertInto('fhir_export_files')
        .values({ export_id: exportId, part, type, resources: file.lines.length, body: `${file.lines.join('\n')}\n` })
        .execute();
    };
    const add = (type: string, resource: unknown) => {
      const line = JSON.stringify(resource);
      const file = files.get(type) ?? { lines: [], bytes: 0 };
      file.lines.push(line);
      file.bytes += line.length + 1;
      files.set(type, file);
    };
    const baseUrl = deps.config.publicUrl;
    let familiesDone = 0;
    let cancelled = false;
    const exportBatch = async (batch: string[]) => {
      // One transaction per batch: what is read and the audit of reading it commit together.
      await db.transaction().execute(async (tx) => {
        const counts = new Map<string, number>();
        const count = (familyId: string) => counts.set(familyId, (counts.get(familyId) ?? 0) + 1);
        const families = new FamilyStore(tx, access);
        const consents = await families.consents(batch);
        const search = {
          raw: {},
          lastUpdated: since
            ? [(column: Parameters<typeof dateCondition>[0]) => dateCondition(column, `ge${since}`, '_since')]
            : [],
          date: [],
          families: batch,
        };
        for (const type of types) {
          if (type === 'Patient') {
            let persons = tx
              .selectFrom('persons as p')
              .select(PATIENT_COLUMNS)
              .where('p.family_id', '=', (eb) => eb.fn.any(eb.val(batch)));
            if (since) persons = persons.where('p.created_at', '>=', new Date(since));
            for (const person of await persons.orderBy('p.id').execute()) {
              add('Patient', toPatient(person));
              count(person.family_id);
            }
            continue;
          }
          const familyType = BY_TYPE.get(type) as FamilyResourceType;
          for (const found of await findVisible(families, familyType, search, { consents })) {
            add(type, found.source.toResource(found.row, { baseUrl, consent: found.consent }));
            count(found.row.family_id);
          }
        }
        await writeAudits(
          tx,
          source,
          [...counts].map(([familyId, resources]) => ({
            action: 'fhir.export.read',
            familyId,
            recordType: 'fhir_export',
            recordId: exportId,
            details: { resources },
          })),
        );
      });
      // Full parts are written after the batch's transaction (one connection may be all there is).
      for (const [type, file] of files) if (file.bytes >= exportTuning.partBytes) await flush(type);
      familiesDone += batch.length;
      await db.updateTable('fhir_exports').set({ families_done: familiesDone }).where('id', '=', exportId).execute();
    };
    let next = 0;
    const worker = async () => {
      while (!cancelled && next < ids.length) {
        const batch = ids.slice(next, next + exportTuning.batchFamilies);
        next += exportTuning.batchFamilies;
        const status = await db
          .selectFrom('fhir_exports')
          .select('status')
          .where('id', '=', exportId)
          .executeTakeFirst();
        if (status?.status !== 'running') cancelled = true;
        else await exportBatch(batch);
      }
    };
    await Promise.all(Array.from({ length: exportTuning.parallelBatches }, worker));
    if (cancelled) return;
    for (const type of files.keys()) await flush(type);
    await db
      .updateTable('fhir_exports')
      .set({ status: 'done', finished_at: new Date() })
      .where('id', '=', exportId)
      .where('status', '=', 'running')
      .execute();
  } catch (error) {
    await db
      .updateTable('fhir_exports')
      .set({ status: 'failed', finished_at: new Date(), error: 'The export stopped on an error of ours.' })
      .where('id', '=', exportId)
      .execute()
      .catch(() => undefined);
    console.error(JSON.stringify({ msg: 'bulk export failed', exportId, error: (error as Error).name }));
  }
}

/** The export of this account, or 404 (an export is bound to the one who asked). */
async function ownExport(ctx: RequestContext, id: string) {
  const job = isId(id)
    ? await ctx.deps.database.db
        .selectFrom('fhir_exports')
        .selectAll()
        .where('id', '=', id)
        .where('account_id', '=', ctx.access.actor.accountId)
        .where('expires_at', '>', new Date())
        .executeTakeFirst()
    : undefined;
  if (!job)
    throw new AppError('NOT_FOUND', 'Not found.', { refusal: { action: 'fhir.export', recordType: 'fhir_export' } });
  return job;
}

/** GET $export-status/[id]: 202 with progress while it runs; the manifest when done. */
export async function exportStatus(ctx: RequestContext, id: string) {
  const job = await ownExport(ctx, id);
  if (job.status === 'queued' || job.status === 'running') {
    const progress = job.families_total ? `${job.families_done} of ${job.families_total} families` : 'starting';
    return { done: false as const, progress };
  }
  // A cancelled export is gone (as the IG says); a failed one says it was our failure.
  if (job.status === 'cancelled') throw new AppError('NOT_FOUND', 'Not found.');
  if (job.status !== 'done') throw new AppError('INTERNAL', job.error ?? 'The export failed.');
  const files = await ctx.deps.database.db
    .selectFrom('fhir_export_files')
    .select(['part', 'type', 'resources'])
    .where('export_id', '=', id)
    .orderBy('part')
    .execute();
  return {
    done: true as const,
    manifest: {
      transactionTime: new Date(job.created_at).toISOString(),
      request: job.request_url,
      requiresAccessToken: true,
      output: files.map((f) => ({
        type: f.type,
        url: `${ctx.config.publicUrl}/fhir/$export-file/${id}/${f.part}`,
        count: f.resources,
      })),
      error: [],
    },
  };
}

/** GET $export-file/[id]/[part]: one NDJSON file, for the one who asked, until it expires. */
export async function exportFile(ctx: RequestContext, id: string, part: number) {
  const job = await ownExport(ctx, id);
  // Only a finished export's files are served (a failed one may hold parts of a batch it undid).
  if (job.status !== 'done') throw new AppError('NOT_FOUND', 'Not found.');
  const file = await ctx.deps.database.db
    .selectFrom('fhir_export_files')
    .select(['body', 'type', 'resources'])
    .where('export_id', '=', job.id)
    .where('part', '=', part)
    .executeTakeFirst();
  if (!file) throw new AppError('NOT_FOUND', 'Not found.');
  await ctx.transaction((tx) =>
    tx.audit({
      action: 'fhir.export.download',
      recordType: 'fhir_export',
      recordId: id,
      details: { part, type: file.type },
    }),
  );
  return file.body;
}

/** DELETE $export-status/[id]: stop the job and drop its files. */
export async function cancelExport(ctx: RequestContext, id: string) {
  const job = await ownExport(ctx, id);
  await ctx.transaction(async (tx) => {
    await tx.db
      .updateTable('fhir_exports')
      .set({ status: 'cancelled', finished_at: new Date() })
      .where('id', '=', job.id)
      .execute();
    await tx.db.deleteFrom('fhir_export_files').where('export_id', '=', job.id).execute();
    await tx.audit({ action: 'fhir.export.cancel', recordType: 'fhir_export', recordId: id });
  });
}

/** The sweep drops exports whose files expired. */
export async function deleteExpiredExports(deps: AppDeps): Promise<number> {
  const deleted = await deps.database.db.deleteFrom('fhir_exports').where('expires_at', '<=', new Date()).execute();
  return Number(deleted[0]?.numDeletedRows ?? 0);
}
