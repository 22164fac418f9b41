import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { CONTENT_KINDS, type ContentKind, type DB } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import { GuideDefinition, setGuidesInForce, shippedGuides } from '../guides/guide-definitions.ts';
import type { RequestContext } from '../http/context.ts';
import { InterventionDefinition, withDefaults } from '../interventions/catalogue.ts';
import { KnowledgeCards, setKnowledgeCardsInForce, shippedKnowledgeCards } from '../knowledge/knowledge.ts';
import { SignalCodeList, setSignalCodesInForce, shippedSignalCodes } from '../signals/signal-codes.ts';

/**
 * The content Kring runs on — the signal code list, the conversation guides, the knowledge cards
 * and the intervention catalogue — edited by an administrator: export, import, validation (every
 * problem named by its place), publication as a new version with a note, and the history of
 * versions. Without a published version the files in content/ are in force. A published version
 * is in force at once in the process that published it and within a minute in the others
 * (`refreshContent`). What records still use (a code, a guide) cannot be removed.
 */

const GuidesDocument = z
  .strictObject({ guides: z.array(GuideDefinition).min(1) })
  .refine((doc) => new Set(doc.guides.map((g) => g.key)).size === doc.guides.length, {
    message: 'each guide key once',
    path: ['guides'],
  });
const InterventionsDocument = z
  .strictObject({ interventions: z.array(InterventionDefinition).min(1) })
  .refine((doc) => new Set(doc.interventions.map((i) => i.key)).size === doc.interventions.length, {
    message: 'each intervention key once',
    path: ['interventions'],
  });

const SCHEMAS: Record<ContentKind, z.ZodType> = {
  signal_codes: SignalCodeList,
  guides: GuidesDocument,
  knowledge: KnowledgeCards,
  interventions: InterventionsDocument,
};

export const ContentKindParams = z.strictObject({ kind: z.enum(CONTENT_KINDS) });
export const ContentVersionParams = z.strictObject({
  kind: z.enum(CONTENT_KINDS),
  version: z.coerce.number().int().min(1),
});
export const PublishInput = z.strictObject({
  document: z.unknown(),
  note: z.string().trim().min(5, 'say in a few words what changed').max(500),
});
export const ValidateInput = z.strictObject({ document: z.unknown() });

/** The document in force as the files ship it (the catalogue: as it stands in the database). */
async function shippedDocument(db: Kysely<DB>, kind: ContentKind): Promise<unknown> {
  if (kind === 'signal_codes') return shippedSignalCodes();
  if (kind === 'knowledge') return shippedKnowledgeCards();
  if (kind === 'guides') return { guides: shippedGuides() };
  return { interventions: await currentInterventions(db) };
}

async function currentInterventions(db: Kysely<DB>) {
  const rows = await db.selectFrom('interventions').select(['definition', 'updated_at']).orderBy('key').execute();
  // Stored before entry criteria and evidence dates existed: shown with their defaults, to complete.
  return rows.map((r) => withDefaults(r.definition as Partial<InterventionDefinition>, r.updated_at));
}

/** Everything wrong with a document, each problem with its place ("body.document.codes.3.domain"). */
async function problemsOf(db: Kysely<DB>, kind: ContentKind, document: unknown) {
  const parsed = SCHEMAS[kind].safeParse(document);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues
        .slice(0, 50)
        .map((issue) => ({ field: ['body', 'document', ...issue.path.map(String)].join('.'), message: issue.message })),
    };
  }
  return { problems: await stillInUse(db, kind, parsed.data), value: parsed.data };
}

/** Keys that records use may not disappear: a family's picture or answers would lose their meaning. */
async function stillInUse(db: Kysely<DB>, kind: ContentKind, value: unknown) {
  const missing = (used: string[], kept: Set<string>, field: string, what: string) =>
    used
      .filter((key) => !kept.has(key))
      .map((key) => ({ field, message: `${what} "${key}" is in use and cannot be removed` }));
  if (kind === 'signal_codes') {
    const used = await db.selectFrom('signals').select('code').distinct().execute();
    const kept = new Set((value as SignalCodeList).codes.map((c) => c.key));
    return missing(
      used.map((u) => u.code),
      kept,
      'body.document.codes',
      'code',
    );
  }
  if (kind === 'guides') {
    const used = await db.selectFrom('guide_responses').select('guide_key').distinct().execute();
    const kept = new Set((value as z.infer<typeof GuidesDocument>).guides.map((g) => g.key));
    return missing(
      used.map((u) => u.guide_key),
      kept,
      'body.document.guides',
      'guide',
    );
  }
  if (kind === 'interventions') {
    const used = await sql<{ key: string }>`
      SELECT intervention_key AS key FROM intervention_offers
      UNION SELECT intervention_key FROM referrals WHERE intervention_key IS NOT NULL`.execute(db);
    const kept = new Set((value as z.infer<typeof InterventionsDocument>).interventions.map((i) => i.key));
    return missing(
      used.rows.map((u) => u.key),
      kept,
      'body.document.interventions',
      'intervention',
    );
  }
  return [];
}

/** Put a document in force in this process (the catalogue lives in the database: see publish). */
function apply(kind: ContentKind, document: unknown | undefined) {
  if (kind === 'signal_codes') setSignalCodesInForce(document as SignalCodeList | undefined);
  if (kind === 'knowledge') setKnowledgeCardsInForce(document as z.infer<typeof KnowledgeCards> | undefined);
  if (kind === 'guides') setGuidesInForce((document as z.infer<typeof GuidesDocument> | undefined)?.guides);
}

let inForce = new Map<ContentKind, number>();

/**
 * Bring this process's content up to the newest published versions (at start, and every minute
 * from the start script): one small query when nothing changed.
 */
export async function refreshContent(db: Kysely<DB>): Promise<void> {
  const newest = await db
    .selectFrom('content_versions')
    .select(['kind', (eb) => eb.fn.max('version').as('version')])
    .groupBy('kind')
    .execute();
  const latest = new Map(newest.map((row) => [row.kind, Number(row.version)]));
  for (const kind of CONTENT_KINDS) {
    const version = latest.get(kind) ?? 0;
    if (inForce.get(kind) === version) continue;
    const row =
      version === 0
        ? undefined
        : await db
            .selectFrom('content_versions')
            .select('document')
            .where('kind', '=', kind)
            .where('version', '=', version)
            .executeTakeFirst();
    apply(kind, row?.document);
  }
  inForce = new Map(CONTENT_KINDS.map((kind) => [kind, latest.get(kind) ?? 0]));
}

/** Every kind with its version in force (0: as shipped) and its last publication. */
export async function listContent(ctx: RequestContext) {
  ctx.access.requireRole('content.manage');
  const rows = await ctx.deps.database.db
    .selectFrom('content_versions as v')
    .innerJoin('accounts as a', 'a.id', 'v.created_by_account_id')
    .select(['v.kind', 'v.version', 'v.created_at', 'a.display_name'])
    .orderBy('v.version', 'desc')
    .execute();
  return {
    kinds: CONTENT_KINDS.map((kind) => {
      const last = rows.find((r) => r.kind === kind);
      return {
        kind,
        version: last?.version ?? 0,
        publishedAt: last?.created_at ?? null,
        publishedBy: last?.display_name ?? null,
      };
    }),
  };
}

/** One kind: the document in force (for editing and export) and the history of versions. */
export async function readContent(ctx: RequestContext, kind: ContentKind) {
  ctx.access.requireRole('content.manage');
  const { db } = ctx.deps.database;
  const history = await db
    .selectFrom('content_versions as v')
    .innerJoin('accounts as a', 'a.id', 'v.created_by_account_id')
    .select(['v.version', 'v.note', 'v.created_at', 'a.display_name'])
    .where('v.kind', '=', kind)
    .orderBy('v.version', 'desc')
    .execute();
  const newest = history[0];
  const document =
    kind === 'interventions' || !newest
      ? await shippedDocument(db, kind)
      : (
          await db
            .selectFrom('content_versions')
            .select('document')
            .where('kind', '=', kind)
            .where('version', '=', newest.version)
            .executeTakeFirstOrThrow()
        ).document;
  return {
    kind,
    version: newest?.version ?? 0,
    document,
    history: history.map((h) => ({
      version: h.version,
      note: h.note,
      publishedAt: h.created_at,
      publishedBy: h.display_name,
    })),
  };
}

/** An earlier version's document (to compare, export or put back by publishing it again). */
export async function readContentVersion(ctx: RequestContext, kind: ContentKind, version: number) {
  ctx.access.requireRole('content.manage');
  const row = await ctx.deps.database.db
    .selectFrom('content_versions')
    .select('document')
    .where('kind', '=', kind)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', 'Not found.', { refusal: { action: 'content.read' } });
  return { kind, version, document: row.document };
}

/** Check a document without publishing it: every problem, by place. */
export async function validateContent(ctx: RequestContext, kind: ContentKind, document: unknown) {
  ctx.access.requireRole('content.manage');
  const { problems } = await problemsOf(ctx.deps.database.db, kind, document);
  return { ok: problems.length === 0, problems };
}

/** Publish a new version: validated whole, kept with its note, in force at once. Audited. */
export async function publishContent(ctx: RequestContext, kind: ContentKind, input: z.infer<typeof PublishInput>) {
  ctx.access.requireRole('content.manage');
  const result = await ctx.transaction(async (tx) => {
    // One publication per kind at a time: the version numbers stay a gapless sequence.
    await sql`SELECT pg_advisory_xact_lock(20011002, ${CONTENT_KINDS.indexOf(kind)})`.execute(tx.db);
    const { problems, value } = await problemsOf(tx.db, kind, input.document);
    if (problems.length || value === undefined) {
      throw new AppError('VALIDATION_FAILED', 'The content has problems; nothing was published.', { fields: problems });
    }
    const last = await tx.db
      .selectFrom('content_versions')
      .select((eb) => eb.fn.max('version').as('version'))
      .where('kind', '=', kind)
      .executeTakeFirst();
    const version = Number(last?.version ?? 0) + 1;
    await tx.db
      .insertInto('content_versions')
      .values({
        kind,
        version,
        document: JSON.stringify(value),
        note: input.note,
        created_by_account_id: ctx.access.actor.accountId,
      })
      .execute();
    if (kind === 'interventions')
      await replaceCatalogue(tx.db, value as z.infer<typeof InterventionsDocument>, version, ctx);
    await tx.audit({ action: 'content.publish', details: { kind, version } });
    return { kind, version, value };
  });
  apply(kind, result.value);
  inForce.set(kind, result.version);
  return { kind, version: result.version };
}

/** The catalogue lives in the interventions table: the published list becomes its content. */
async function replaceCatalogue(
  db: Kysely<DB>,
  doc: z.infer<typeof InterventionsDocument>,
  version: number,
  ctx: RequestContext,
) {
  const keys = doc.interventions.map((i) => i.key);
  await db.deleteFrom('interventions').where('key', 'not in', keys).execute();
  for (const intervention of doc.interventions) {
    await db
      .insertInto('interventions')
      .values({
        key: intervention.key,
        definition: JSON.stringify(intervention),
        catalogue_version: version,
        source: 'import',
        updated_by_account_id: ctx.access.actor.accountId,
      })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          definition: JSON.stringify(intervention),
          source: 'import',
          updated_at: new Date(),
          updated_by_account_id: ctx.access.actor.accountId,
        }),
      )
      .execute();
  }
}
