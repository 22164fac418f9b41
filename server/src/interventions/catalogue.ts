import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { readContentFile } from '../content/content-file.ts';
import { CARE_INTENSITIES, type DB } from '../database/schema.ts';
import { AppError, type FieldError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';
import { signalCodes } from '../signals/signal-codes.ts';
import { EVIDENCE_LEVELS } from './evidence-levels.ts';

export { EVIDENCE_LEVELS };

/**
 * The intervention catalogue: what works for whom. Kring ships a starter catalogue as data
 * (content/interventions.json); an administrator adds or replaces interventions by CSV import.
 * Both land in the `interventions` table, validated; the region's offers of them (who offers it,
 * capacity, waiting time, contact) are the sociale kaart in `intervention_offers`.
 */
export const INTERVENTION_PHASES = ['preconception', 'pregnancy', 'after_birth'] as const;
export const WORKS_ON = [
  'lifestyle',
  'parent_child_relationship',
  'stress_mental_health',
  'trauma',
  'practical_social_support',
  'group_care',
] as const;

const Text = z.strictObject({ nl: z.string().trim().min(1), en: z.string().trim().min(1) });

export const InterventionDefinition = z
  .strictObject({
    key: z.string().regex(/^[a-z0-9_]+$/, 'lower-case letters, digits and _ only'),
    name: Text,
    description: Text,
    phases: z.array(z.enum(INTERVENTION_PHASES)).min(1),
    /** The child's age in months after birth for which it is meant; null when age does not matter. */
    ageMonths: z.strictObject({ from: z.number().int().min(0), to: z.number().int().min(0) }).nullable(),
    intensity: z.enum(CARE_INTENSITIES),
    worksOn: z.array(z.enum(WORKS_ON)).min(1),
    targetGroup: Text,
    eligibility: Text,
    /**
     * When a family can start, as data the finder checks: the phases of entry, the weeks of
     * pregnancy, the child's age in months at entry, and whether only a first pregnancy is meant.
     * A family outside it is not proposed the intervention (it shows why).
     */
    enrolment: z.strictObject({
      phases: z.array(z.enum(INTERVENTION_PHASES)).min(1),
      pregnancyWeeks: z.strictObject({ from: z.number().int().min(0), to: z.number().int().max(42) }).optional(),
      childAgeMonths: z.strictObject({ from: z.number().int().min(0), to: z.number().int().min(0) }).optional(),
      firstChildOnly: z.boolean().optional(),
    }),
    evidence: z.enum(EVIDENCE_LEVELS),
    /** Where the evidence level comes from: the databank (NJi, Loket Gezond Leven) and its page. */
    evidenceSource: z.string().trim().min(1),
    /** The day the databank gave the level; null when not assessed or not found. */
    evidenceDate: z.iso.date().nullable(),
    /** The day Kring last checked the level against its source. */
    evidenceCheckedOn: z.iso.date(),
    /** False when the level could not be confirmed at its source: shown as "te controleren". */
    evidenceVerified: z.boolean(),
    caveats: Text,
    /** The signal codes it addresses: the "fit" with a family's current signals. */
    addresses: z.array(
      z.string().refine((code) => signalCodes().byKey.has(code), {
        error: (issue) => `unknown signal code "${String(issue.input)}"`,
      }),
    ),
  })
  .superRefine((definition, ctx) => {
    if (definition.ageMonths && definition.ageMonths.from > definition.ageMonths.to) {
      ctx.addIssue({ code: 'custom', path: ['ageMonths'], message: 'from is after to' });
    }
    for (const range of ['pregnancyWeeks', 'childAgeMonths'] as const) {
      const value = definition.enrolment[range];
      if (value && value.from > value.to) {
        ctx.addIssue({ code: 'custom', path: ['enrolment', range], message: 'from is after to' });
      }
    }
    // A level confirmed at its source carries the day it was given.
    if (definition.evidence !== 'not_assessed' && definition.evidenceVerified && !definition.evidenceDate) {
      ctx.addIssue({ code: 'custom', path: ['evidenceDate'], message: 'the day the level was given' });
    }
  });
export type InterventionDefinition = z.infer<typeof InterventionDefinition>;

export const CatalogueFile = z
  .strictObject({
    version: z.number().int().positive(),
    description: z.string(),
    interventions: z.array(InterventionDefinition).min(1),
  })
  .refine((file) => new Set(file.interventions.map((i) => i.key)).size === file.interventions.length, {
    message: 'each intervention key once',
    path: ['interventions'],
  });

let shipped: z.infer<typeof CatalogueFile> | undefined;

/** The starter catalogue as shipped; the error names the place at fault. */
export function shippedCatalogue(): z.infer<typeof CatalogueFile> {
  shipped ??= readContentFile('interventions.json', CatalogueFile, 'intervention catalogue');
  return shipped;
}

/**
 * Bring the shipped catalogue into the database: new interventions are added and those still as
 * shipped follow a newer file; what an administrator imported or published is left alone. Safe when several
 * processes start together (one upsert statement).
 */
export async function syncCatalogue(db: Kysely<DB>): Promise<void> {
  const file = shippedCatalogue();
  await sql`
    INSERT INTO interventions (key, definition, catalogue_version, source)
    SELECT item->>'key', item, ${file.version}, 'catalogue'
    FROM jsonb_array_elements(${JSON.stringify(file.interventions)}::jsonb) AS item
    -- Once an administrator published a catalogue, that one is in force, not the file.
    WHERE NOT EXISTS (SELECT 1 FROM content_versions WHERE kind = 'interventions')
    ON CONFLICT (key) DO UPDATE SET definition = EXCLUDED.definition,
      catalogue_version = EXCLUDED.catalogue_version, updated_at = now()
    WHERE interventions.source = 'catalogue' AND interventions.catalogue_version < EXCLUDED.catalogue_version
  `.execute(db);
}

/**
 * A definition stored before the catalogue carried entry criteria and the evidence level's dates
 * (an import or a publication of an earlier release): entry follows its phases and ages, and its
 * level counts as "te controleren" until it is checked.
 */
export function withDefaults(definition: Partial<InterventionDefinition>, storedAt: Date): InterventionDefinition {
  const full = definition as InterventionDefinition;
  return {
    ...full,
    enrolment: full.enrolment ?? {
      phases: full.phases,
      ...(full.ageMonths ? { childAgeMonths: full.ageMonths } : {}),
    },
    evidenceDate: full.evidenceDate ?? null,
    evidenceCheckedOn: full.evidenceCheckedOn ?? storedAt.toISOString().slice(0, 10),
    evidenceVerified: full.evidenceVerified ?? false,
  };
}

/** Every intervention with the organisations that offer it (the sociale kaart). */
export async function loadCatalogue(db: Kysely<DB>) {
  const rows = await db
    .selectFrom('interventions as i')
    .select(['i.key', 'i.definition', 'i.source', 'i.updated_at'])
    .select((eb) =>
      sql<
        {
          organisation_id: string;
          organisation_name: string;
          organisation_type: string;
          capacity_per_month: number | null;
          waiting_weeks: number;
          contact: string;
          updated_at: string;
        }[]
      >`coalesce((SELECT jsonb_agg(jsonb_build_object('organisation_id', o.id, 'organisation_name', o.name,
          'organisation_type', o.type, 'capacity_per_month', io.capacity_per_month,
          'waiting_weeks', io.waiting_weeks, 'contact', io.contact, 'updated_at', io.updated_at)
          ORDER BY io.waiting_weeks, o.name)
        FROM intervention_offers io JOIN organisations o ON o.id = io.organisation_id AND o.active
        WHERE io.intervention_key = ${eb.ref('i.key')}), '[]'::jsonb)`.as('offers'),
    )
    .execute();
  return rows
    .map((row) => ({
      definition: withDefaults(row.definition as Partial<InterventionDefinition>, row.updated_at),
      source: row.source,
      updatedAt: row.updated_at.toISOString(),
      offers: row.offers.map((o) => ({
        organisationId: o.organisation_id,
        organisationName: o.organisation_name,
        organisationType: o.organisation_type,
        capacityPerMonth: o.capacity_per_month,
        waitingWeeks: o.waiting_weeks,
        contact: o.contact,
        updatedAt: o.updated_at,
      })),
    }))
    .sort((a, b) => a.definition.name.nl.localeCompare(b.definition.name.nl, 'nl'));
}
export type CatalogueEntry = Awaited<ReturnType<typeof loadCatalogue>>[number];

/** The columns of a catalogue CSV, in this order, with a header row. Lists are separated by ";". */
export const CSV_COLUMNS = [
  'key',
  'name_nl',
  'name_en',
  'description_nl',
  'description_en',
  'phases',
  'age_from_months',
  'age_to_months',
  'intensity',
  'works_on',
  'target_group_nl',
  'target_group_en',
  'eligibility_nl',
  'eligibility_en',
  'evidence',
  'evidence_source',
  'caveats_nl',
  'caveats_en',
  'addresses',
] as const;

/**
 * Columns a catalogue CSV may add (older files without them still import): the evidence level's
 * date and check, and the entry criteria. Without them an imported level counts as "te
 * controleren" and entry follows the intervention's phases and ages.
 */
export const OPTIONAL_CSV_COLUMNS = [
  'evidence_date',
  'evidence_checked_on',
  'evidence_verified',
  'enrol_phases',
  'enrol_pregnancy_weeks_from',
  'enrol_pregnancy_weeks_to',
  'enrol_first_child_only',
] as const;

/** RFC 4180 CSV (quotes, doubled quotes, line breaks inside quotes); each record with its first line. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const input = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < input.length; i++) {
    const char = input[i];
    if (quoted) {
      if (char === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line++;
        field += char;
      }
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && input[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.some((f) => f !== '')) records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      line++;
      recordLine = line;
    } else field += char;
  }
  fields.push(field);
  if (fields.some((f) => f !== '')) records.push({ line: recordLine, fields });
  return records;
}

const list = (value: string) =>
  value
    .split(';')
    .map((v) => v.trim())
    .filter(Boolean);

/** One CSV row as a definition (zod reports what is wrong). */
function definitionFromRow(
  row: Record<(typeof CSV_COLUMNS)[number], string> & Partial<Record<(typeof OPTIONAL_CSV_COLUMNS)[number], string>>,
): unknown {
  const from = row.age_from_months.trim();
  const to = row.age_to_months.trim();
  const weeksFrom = row.enrol_pregnancy_weeks_from?.trim() ?? '';
  const weeksTo = row.enrol_pregnancy_weeks_to?.trim() ?? '';
  const enrolPhases = list(row.enrol_phases ?? '');
  const ageMonths =
    from === '' && to === '' ? null : { from: Number(from || Number.NaN), to: Number(to || Number.NaN) };
  return {
    key: row.key.trim(),
    name: { nl: row.name_nl, en: row.name_en },
    description: { nl: row.description_nl, en: row.description_en },
    phases: list(row.phases),
    ageMonths,
    intensity: row.intensity.trim(),
    worksOn: list(row.works_on),
    targetGroup: { nl: row.target_group_nl, en: row.target_group_en },
    eligibility: { nl: row.eligibility_nl, en: row.eligibility_en },
    enrolment: {
      phases: enrolPhases.length ? enrolPhases : list(row.phases),
      ...(weeksFrom !== '' || weeksTo !== ''
        ? { pregnancyWeeks: { from: Number(weeksFrom || 0), to: Number(weeksTo || 42) } }
        : {}),
      ...(ageMonths ? { childAgeMonths: ageMonths } : {}),
      ...(row.enrol_first_child_only?.trim() === 'yes' ? { firstChildOnly: true } : {}),
    },
    evidence: row.evidence.trim(),
    evidenceSource: row.evidence_source,
    evidenceDate: row.evidence_date?.trim() || null,
    evidenceCheckedOn: row.evidence_checked_on?.trim() || new Date().toISOString().slice(0, 10),
    evidenceVerified: row.evidence_verified?.trim() === 'yes',
    caveats: { nl: row.caveats_nl, en: row.caveats_en },
    addresses: list(row.addresses),
  };
}

/** The CSV column that holds a definition's field, for error messages. */
function columnOf(pathParts: PropertyKey[]): string {
  const [first, second] = pathParts.map(String);
  const byField: Record<string, string> = {
    key: 'key',
    phases: 'phases',
    ageMonths: second ? `age_${second}_months` : 'age_from_months',
    intensity: 'intensity',
    worksOn: 'works_on',
    evidence: 'evidence',
    evidenceSource: 'evidence_source',
    evidenceDate: 'evidence_date',
    evidenceCheckedOn: 'evidence_checked_on',
    enrolment: second === 'pregnancyWeeks' ? 'enrol_pregnancy_weeks_from' : 'enrol_phases',
    addresses: 'addresses',
    targetGroup: `target_group_${second ?? 'nl'}`,
  };
  return byField[first ?? ''] ?? `${first}_${second ?? 'nl'}`;
}

/**
 * Import a catalogue CSV: every row is validated first, and a file with any bad row imports
 * nothing; the answer names each bad row by its line number and column. Good files add new
 * interventions and replace existing ones (marked as imported, so a newer shipped file leaves them).
 */
export async function importCatalogueCsv(ctx: RequestContext, csv: string) {
  ctx.access.requireRole('content.manage');
  const records = parseCsv(csv);
  const [header, ...rows] = records;
  const problems: FieldError[] = [];
  const headerNames = header?.fields.map((f) => f.trim()) ?? [];
  const missing = CSV_COLUMNS.filter((c) => !headerNames.includes(c));
  const known: readonly string[] = [...CSV_COLUMNS, ...OPTIONAL_CSV_COLUMNS];
  const unknown = headerNames.filter((c) => !known.includes(c));
  if (!header || missing.length || unknown.length) {
    throw new AppError('VALIDATION_FAILED', 'The CSV header does not match the catalogue columns.', {
      fields: [
        {
          field: 'body.csv',
          message: `line 1: ${[
            missing.length ? `missing column(s): ${missing.join(', ')}` : '',
            unknown.length ? `unknown column(s): ${unknown.join(', ')}` : '',
          ]
            .filter(Boolean)
            .join('; ')}`,
        },
      ],
    });
  }
  if (rows.length === 0) {
    throw new AppError('VALIDATION_FAILED', 'The CSV has no rows.', {
      fields: [{ field: 'body.csv', message: 'no interventions after the header' }],
    });
  }
  const definitions: InterventionDefinition[] = [];
  const seen = new Map<string, number>();
  for (const record of rows) {
    if (record.fields.length !== headerNames.length) {
      problems.push({
        field: 'body.csv',
        message: `line ${record.line}: ${record.fields.length} columns, expected ${headerNames.length}`,
      });
      continue;
    }
    const row = Object.fromEntries(headerNames.map((name, i) => [name, record.fields[i] ?? ''])) as Record<
      (typeof CSV_COLUMNS)[number],
      string
    >;
    const result = InterventionDefinition.safeParse(definitionFromRow(row));
    if (!result.success) {
      for (const issue of result.error.issues) {
        problems.push({ field: 'body.csv', message: `line ${record.line}, ${columnOf(issue.path)}: ${issue.message}` });
      }
      continue;
    }
    const earlier = seen.get(result.data.key);
    if (earlier) {
      problems.push({ field: 'body.csv', message: `line ${record.line}, key: also on line ${earlier}` });
      continue;
    }
    seen.set(result.data.key, record.line);
    definitions.push(result.data);
  }
  if (problems.length) {
    throw new AppError('VALIDATION_FAILED', `${problems.length} problem(s) in the CSV; nothing was imported.`, {
      fields: problems,
    });
  }
  const version = shippedCatalogue().version;
  return ctx.transaction(async (tx) => {
    await sql`
      INSERT INTO interventions (key, definition, catalogue_version, source, updated_by_account_id)
      SELECT item->>'key', item, ${version}, 'import', ${ctx.access.actor.accountId}
      FROM jsonb_array_elements(${JSON.stringify(definitions)}::jsonb) AS item
      ON CONFLICT (key) DO UPDATE SET definition = EXCLUDED.definition, source = 'import',
        updated_by_account_id = EXCLUDED.updated_by_account_id, updated_at = now()
    `.execute(tx.db);
    await tx.audit({ action: 'catalogue.import', details: { interventions: definitions.length } });
    return { imported: definitions.length, keys: definitions.map((d) => d.key) };
  });
}

export const OfferInput = z.strictObject({
  waitingWeeks: z.number().int().min(0).max(104),
  capacityPerMonth: z.number().int().min(0).max(10_000).nullable(),
  contact: z.string().trim().min(3).max(300),
  /** Whether the organisation offers it (false: it no longer does). */
  offered: z.boolean().default(true),
});
export const OfferParams = z.strictObject({ interventionKey: z.string().min(1).max(100) });

/**
 * An organisation keeps its own line on the sociale kaart: whether it offers an intervention, with
 * its current waiting time, capacity and contact. A professional of that organisation sets it.
 */
export async function setOwnOffer(ctx: RequestContext, interventionKey: string, input: z.infer<typeof OfferInput>) {
  const organisationId = ctx.access.organisationId;
  return ctx.transaction(async (tx) => {
    const intervention = await tx.db
      .selectFrom('interventions')
      .select('key')
      .where('key', '=', interventionKey)
      .executeTakeFirst();
    if (!intervention) {
      throw new AppError('NOT_FOUND', 'Not found.', {
        refusal: { action: 'catalogue.offer', recordType: 'organisation', recordId: organisationId },
      });
    }
    if (input.offered) {
      await tx.db
        .insertInto('intervention_offers')
        .values({
          intervention_key: interventionKey,
          organisation_id: organisationId,
          waiting_weeks: input.waitingWeeks,
          capacity_per_month: input.capacityPerMonth,
          contact: input.contact,
        })
        .onConflict((oc) =>
          oc.columns(['intervention_key', 'organisation_id']).doUpdateSet({
            waiting_weeks: input.waitingWeeks,
            capacity_per_month: input.capacityPerMonth,
            contact: input.contact,
            updated_at: new Date(),
          }),
        )
        .execute();
    } else {
      await tx.db
        .deleteFrom('intervention_offers')
        .where('intervention_key', '=', interventionKey)
        .where('organisation_id', '=', organisationId)
        .execute();
    }
    await tx.audit({
      action: input.offered ? 'catalogue.offer_set' : 'catalogue.offer_removed',
      recordType: 'organisation',
      recordId: organisationId,
      details: { intervention: interventionKey, waitingWeeks: input.waitingWeeks },
    });
    return { interventionKey, offered: input.offered };
  });
}
