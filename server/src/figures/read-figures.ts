import { type Kysely, type RawBuilder, sql } from 'kysely';
import { z } from 'zod';
import type { DB } from '../database/schema.ts';
import { ORGANISATION_TYPES } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import { addMonths, type IsoDate, todayIso } from '../families/trajectory.ts';
import { FIGURE_PHASES, INDICATORS, type Indicator, SUPPRESSION_THRESHOLD } from './indicators.ts';
import { STOCK_MONTHS } from './refresh-figures.ts';
import { type CountRow, type CountTable, type ShownTable, suppressLinked } from './suppression.ts';

/**
 * The municipality's dashboard: every indicator for the analyst's region, as tables by period and
 * by neighbourhood (referrals also by intervention and evidence level), read from the newest
 * figures refresh and suppressed before they leave. Nothing here can name a family: the rows are
 * periods, neighbourhoods (by CBS code), interventions and evidence levels.
 */

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM');

export const FigureFilters = z.strictObject({
  from: Month.optional(),
  to: Month.optional(),
  granularity: z.enum(['month', 'quarter']).default('month'),
  /** A neighbourhood of the region, by its CBS code. */
  neighbourhood: z.string().max(20).optional(),
  phase: z.enum(FIGURE_PHASES).optional(),
  organisationType: z.enum(ORGANISATION_TYPES).optional(),
});
export type FigureFilters = z.output<typeof FigureFilters>;

/** Why a cell is not shown: small (fewer than the threshold of families), or protected (hidden so that a small one cannot be worked out). */
const HiddenAs = z.enum(['small', 'protected']).nullable();

const Row = z.object({
  key: z.string(),
  cells: z.array(z.number().nullable()),
  total: z.number().nullable(),
  hiddenAs: z.array(HiddenAs),
  totalHiddenAs: HiddenAs,
  median: z.number().nullable(),
  p90: z.number().nullable(),
});
const Table = z.object({
  dimension: z.enum(['period', 'neighbourhood', 'intervention', 'evidence']),
  rows: z.array(Row),
  total: Row.nullable(),
});

export const Figures = z.object({
  region: z.object({ name: z.string(), cbsCode: z.string() }),
  refreshedAt: z.string().nullable(),
  threshold: z.number(),
  consentRule: z.enum(['required', 'anonymous']),
  filters: z.object({
    from: z.string(),
    to: z.string(),
    granularity: z.enum(['month', 'quarter']),
    neighbourhood: z.string().nullable(),
    phase: z.string().nullable(),
    organisationType: z.string().nullable(),
  }),
  neighbourhoods: z.array(z.object({ code: z.string(), name: z.string() })),
  /** What the phase and organisation-type filters accept. */
  phases: z.array(z.string()),
  organisationTypes: z.array(z.string()),
  interventions: z.array(z.object({ key: z.string(), name: z.string() })),
  indicators: z.array(
    z.object({
      key: z.string(),
      unit: z.string(),
      buckets: z.array(z.string()),
      psychosocial: z.boolean(),
      stats: z.enum(['weeks', 'days']).nullable(),
      tables: z.array(Table),
    }),
  ),
});
export type Figures = z.infer<typeof Figures>;

const fieldError = (field: string, message: string) =>
  new AppError('VALIDATION_FAILED', message, { fields: [{ field: `query.${field}`, message }] });

const firstOfMonth = (month: string): IsoDate => `${month}-01`;
const quarterOf = (month: IsoDate): string =>
  `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;

interface Window {
  from: IsoDate;
  to: IsoDate;
  /** Each period's key and the month whose end a stock is counted at. */
  periods: { key: string; stockMonth: IsoDate }[];
}

/** The period asked for, checked: not in the future, not reversed, within what the figures hold. */
export function windowOf(filters: FigureFilters, today: IsoDate = todayIso()): Window {
  const current = firstOfMonth(today.slice(0, 7));
  const to = filters.to ? firstOfMonth(filters.to) : current;
  const from = filters.from ? firstOfMonth(filters.from) : addMonths(to, -11);
  if (to > current) throw fieldError('to', 'The period cannot end in the future.');
  if (from > to) throw fieldError('from', 'The period must start before it ends.');
  const earliest = addMonths(current, -(STOCK_MONTHS - 1));
  if (from < earliest)
    throw fieldError('from', `The figures go back ${STOCK_MONTHS} months, to ${earliest.slice(0, 7)}.`);
  const months: IsoDate[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) months.push(m);
  if (filters.granularity === 'month')
    return { from, to, periods: months.map((m) => ({ key: m.slice(0, 7), stockMonth: m })) };
  const byQuarter = new Map<string, IsoDate>();
  for (const m of months) byQuarter.set(quarterOf(m), m);
  return { from, to, periods: [...byQuarter].map(([key, stockMonth]) => ({ key, stockMonth })) };
}

/** percentile_cont over a histogram of [value, how many]: linear between the two nearest. */
export function percentile(histogram: [number, number][], p: number): number {
  const sorted = [...histogram].sort((a, b) => a[0] - b[0]);
  const n = sorted.reduce((sum, [, count]) => sum + count, 0);
  const at = (index: number) => {
    let seen = 0;
    for (const [value, count] of sorted) {
      seen += count;
      if (index < seen) return value;
    }
    return sorted.at(-1)?.[0] ?? 0;
  };
  const position = p * (n - 1);
  const low = at(Math.floor(position));
  const high = at(Math.ceil(position));
  return Math.round((low + (high - low) * (position - Math.floor(position))) * 10) / 10;
}

interface Grouped {
  indicator: string;
  row_key: string | null;
  bucket: string | null;
  g_row: number;
  g_bucket: number;
  value: number;
  families: number;
  median: number | null;
  p90: number | null;
}

/** Build a count table from grouping-set rows: cells, row totals, column totals, grand total. */
function countTable(indicator: Indicator, grouped: Grouped[], rowKeys: string[], withTotal: boolean): CountTable {
  // A grouping set's row or bucket is null when it was rolled up (GROUPING() = 1): a total.
  const keyOf = (row: string | null, bucket: string | null) => `${row ?? '\u0000'}|${bucket ?? '\u0000'}`;
  const byKey = new Map(
    grouped
      .filter((g) => g.indicator === indicator.key)
      .map((g) => [keyOf(g.g_row ? null : g.row_key, g.g_bucket ? null : g.bucket), g]),
  );
  const zero = { value: 0, families: 0 };
  const find = (row: string | null, bucket: string | null) => byKey.get(keyOf(row, bucket));
  const rowOf = (key: string | null): CountRow => {
    const total = find(key, null);
    return {
      key: key ?? 'total',
      cells: indicator.buckets.map((bucket) => {
        const g = find(key, bucket);
        return g ? { value: g.value, families: g.families } : zero;
      }),
      total: total ? { value: total.value, families: total.families } : zero,
      median: total?.median ?? null,
      p90: total?.p90 ?? null,
    };
  };
  return { rows: rowKeys.map(rowOf), total: withTotal ? rowOf(null) : null };
}

const GROUPING = (row: RawBuilder<unknown>) =>
  sql`GROUPING SETS ((indicator, ${row}, bucket), (indicator, ${row}), (indicator, bucket), (indicator))`;

type Dimension = Figures['indicators'][number]['tables'][number]['dimension'];
/** The dashboard before suppression: for the tests, which check every count by hand. Never sent. */
export type CountedFigures = Omit<Figures, 'indicators'> & {
  indicators: (Omit<Figures['indicators'][number], 'tables'> & {
    tables: ({ dimension: Dimension } & CountTable)[];
  })[];
};

/**
 * The counts of the newest refresh, per question asked, kept in this process until the next
 * refresh (at most a few hundred questions; the oldest goes first).
 */
class CountCache {
  private refreshId = '';
  private readonly entries = new Map<string, Promise<Grouped[][]>>();

  get(refreshId: string, key: string, compute: () => Promise<Grouped[][]>): Promise<Grouped[][]> {
    if (refreshId !== this.refreshId) {
      this.entries.clear();
      this.refreshId = refreshId;
    }
    let entry = this.entries.get(key);
    if (!entry) {
      entry = compute();
      entry.catch(() => this.entries.delete(key));
      this.entries.set(key, entry);
      if (this.entries.size > 300) this.entries.delete(this.entries.keys().next().value as string);
    }
    return entry;
  }
}
const counted = new CountCache();

/** The dashboard for an analyst's municipality, every table suppressed. */
export async function readFigures(
  db: Kysely<DB>,
  municipalityId: string,
  filters: FigureFilters,
  options: { consentRequired: boolean; language: 'nl' | 'en'; today?: IsoDate },
): Promise<Figures> {
  const counted = await countFigures(db, municipalityId, filters, options);
  const hoodCode = counted.filters.neighbourhood;
  return {
    ...counted,
    indicators: counted.indicators.map((indicator) => {
      const stock = INDICATORS.find((i) => i.key === indicator.key)?.source === 'stock';
      // The row every table of the indicator shows: the whole window for the region (or for the
      // chosen neighbourhood) — a stock's last period, an event's total — suppressed alike in all.
      const shared = indicator.tables.map(({ dimension, ...table }) => ({
        table,
        row:
          dimension === 'period'
            ? stock
              ? table.rows.length - 1
              : -1
            : dimension === 'neighbourhood' && hoodCode
              ? table.rows.findIndex((row) => row.key === hoodCode)
              : -1,
      }));
      const shown = suppressLinked(shared, SUPPRESSION_THRESHOLD);
      return {
        ...indicator,
        tables: indicator.tables.map(({ dimension }, i) => ({ dimension, ...(shown[i] as ShownTable) })),
      };
    }),
  };
}

/** Every indicator's counts for the region, from the newest refresh (not yet suppressed). */
export async function countFigures(
  db: Kysely<DB>,
  municipalityId: string,
  filters: FigureFilters,
  options: { consentRequired: boolean; language: 'nl' | 'en'; today?: IsoDate },
): Promise<CountedFigures> {
  const window = windowOf(filters, options.today);
  const municipality = await db
    .selectFrom('municipalities')
    .select(['name', 'cbs_code'])
    .where('id', '=', municipalityId)
    .executeTakeFirstOrThrow();
  const hoods = await db
    .selectFrom('neighbourhoods')
    .select(['id', 'name', 'cbs_code'])
    .where('municipality_id', '=', municipalityId)
    .orderBy('name')
    .execute();
  const hood = filters.neighbourhood ? hoods.find((h) => h.cbs_code === filters.neighbourhood) : undefined;
  if (filters.neighbourhood && !hood)
    throw fieldError('neighbourhood', 'No neighbourhood of this region has this code.');
  const refresh = await db
    .selectFrom('figure_refreshes')
    .select(['id', 'finished_at'])
    .where('finished_at', 'is not', null)
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const refreshId = refresh?.id ?? '00000000-0000-0000-0000-000000000000';
  const codeOf = new Map(hoods.map((h) => [h.id, h.cbs_code]));
  const periodOf = new Map(window.periods.map((p) => [p.stockMonth, p.key]));
  const psychosocial = INDICATORS.filter((i) => i.psychosocial).map((i) => i.key);
  const consentClause = options.consentRequired
    ? sql`(figures_consent OR indicator <> ALL(${psychosocial}))`
    : sql`true`;
  const periodExpr =
    filters.granularity === 'quarter'
      ? sql`(extract(year FROM month)::text || '-Q' || extract(quarter FROM month)::text)`
      : sql`to_char(month, 'YYYY-MM')`;

  // Events: counted per month in the refresh; summed here over neighbourhoods (which never share a
  // family) and months. Over months, an indicator that can count a family in several months
  // (referrals, JGZ moments, answers) takes the largest month's families: never more families than
  // there are, so suppression errs on the safe side.
  const repeats = INDICATORS.filter((i) => 'repeats' in i && i.repeats).map((i) => i.key);
  const overMonths = sql`CASE WHEN indicator = ANY(${repeats}) THEN max(f) ELSE sum(f) END`;
  const where = (kind: string, inHood: boolean) => sql`refresh_id = ${refreshId} AND municipality_id = ${municipalityId}
        AND month >= ${window.from}::date AND month <= ${window.to}::date
        AND phase = ${filters.phase ?? ''} AND organisation_type = ${filters.organisationType ?? ''}
        AND group_kind = ${kind} AND ${consentClause}
        ${inHood && hood ? sql`AND neighbourhood_id = ${hood.id}` : sql``}`;
  const events = async (dimension: 'period' | 'neighbourhood' | 'intervention' | 'evidence'): Promise<Grouped[]> => {
    const kind = dimension === 'intervention' || dimension === 'evidence' ? dimension : '';
    const inHood = dimension !== 'neighbourhood';
    const row =
      dimension === 'period'
        ? periodExpr
        : dimension === 'neighbourhood'
          ? sql`neighbourhood_id::text`
          : sql`group_key`;
    // Per month (neighbourhoods summed, unless they are the rows), then per row over the months.
    const result = await sql<Grouped>`
      WITH per_month AS (
        SELECT indicator, ${row} AS row_key, month, bucket, sum(value)::integer AS v, sum(families)::integer AS f
        FROM figure_cells WHERE ${where(kind, inHood)}
        GROUP BY indicator, ${row}, month, bucket),
      per_row AS (
        SELECT indicator, row_key, bucket, sum(v)::integer AS v, (${overMonths})::integer AS f
        FROM per_month GROUP BY indicator, row_key, bucket)
      SELECT indicator, row_key, bucket, 0 AS g_row, v AS value, f AS families FROM per_row
      ${
        kind
          ? sql``
          : sql`UNION ALL
      SELECT indicator, NULL, bucket, 1, sum(v)::integer, (${
        dimension === 'neighbourhood'
          ? sql`sum(f)`
          : sql`CASE WHEN indicator = ANY(${repeats}) THEN max(f) ELSE sum(f) END`
      })::integer
      FROM per_row GROUP BY indicator, bucket`
      }`.execute(db);
    // The medians and 90th percentiles, from the counted measures.
    const measures = await sql<{ indicator: string; row_key: string; value: number; n: number }>`
      SELECT indicator, ${row} AS row_key, value, sum(n)::integer AS n
      FROM figure_values WHERE ${where(kind, inHood)}
      GROUP BY indicator, ${row}, value`.execute(db);
    const byRow = new Map<string, [number, number][]>();
    for (const m of measures.rows) {
      for (const key of [`${m.indicator}|${m.row_key}`, `${m.indicator}|`]) {
        const list = byRow.get(key) ?? [];
        list.push([m.value, m.n]);
        byRow.set(key, list);
      }
    }
    return result.rows.map((g) => {
      const histogram = byRow.get(`${g.indicator}|${g.g_row ? '' : g.row_key}`);
      const total = g.bucket === '';
      return {
        ...g,
        g_bucket: total ? 1 : 0,
        bucket: total ? null : g.bucket,
        median: total && histogram ? percentile(histogram, 0.5) : null,
        p90: total && histogram ? percentile(histogram, 0.9) : null,
      };
    });
  };
  // Stock: families at the end of the given months.
  const stock = async (row: RawBuilder<unknown>, months: IsoDate[], inHood: boolean) => {
    const result = await sql<Grouped>`
      SELECT indicator, ${row} AS row_key, bucket,
        GROUPING(${row})::integer AS g_row, GROUPING(bucket)::integer AS g_bucket,
        sum(families)::integer AS value, sum(families)::integer AS families,
        NULL::float8 AS median, NULL::float8 AS p90
      FROM figure_stock
      WHERE refresh_id = ${refreshId} AND municipality_id = ${municipalityId}
        AND month = ANY(${months}::date[])
        AND organisation_type = ${filters.organisationType ?? ''}
        AND ${consentClause}
        ${inHood && hood ? sql`AND neighbourhood_id = ${hood.id}` : sql``}
        ${filters.phase ? sql`AND phase = ${filters.phase}` : sql``}
      GROUP BY ${GROUPING(row)}`.execute(db);
    return result.rows;
  };
  const stockMonths = window.periods.map((p) => p.stockMonth);
  const count = async (): Promise<Grouped[][]> => {
    const grouped = await Promise.all([
      events('period'),
      events('neighbourhood'),
      events('intervention'),
      events('evidence'),
      stock(sql`month`, stockMonths, true),
      stock(sql`neighbourhood_id`, [window.to], false),
    ]);
    // Row keys as the analyst reads them: periods, neighbourhood codes.
    for (const g of grouped[4] ?? [])
      if (g.row_key) g.row_key = periodOf.get(String(g.row_key).slice(0, 10)) ?? g.row_key;
    for (const g of [...(grouped[1] ?? []), ...(grouped[5] ?? [])]) {
      if (g.row_key) g.row_key = codeOf.get(g.row_key) ?? g.row_key;
    }
    return grouped;
  };
  // The counts change only with a refresh: the same question on the same refresh is answered once.
  const cacheKey = JSON.stringify([
    refreshId,
    municipalityId,
    window.from,
    window.to,
    filters.granularity,
    hood?.id ?? null,
    filters.phase ?? null,
    filters.organisationType ?? null,
    options.consentRequired,
  ]);
  const [eventsByPeriod, eventsByHood, byIntervention, byEvidence, stockByPeriod, stockByHood] = (await counted.get(
    refreshId,
    cacheKey,
    count,
  )) as [Grouped[], Grouped[], Grouped[], Grouped[], Grouped[], Grouped[]];

  const periodKeys = window.periods.map((p) => p.key);
  const hoodKeys = hoods.map((h) => h.cbs_code);
  const keysIn = (grouped: Grouped[]) =>
    [...new Set(grouped.filter((g) => g.g_row === 0 && g.row_key !== null).map((g) => g.row_key as string))].sort();

  const interventionNames = await db
    .selectFrom('interventions')
    .select(['key', sql<string>`definition->'name'->>${options.language}`.as('name')])
    .where('key', 'in', [...keysIn(byIntervention), ''])
    .execute();

  return {
    region: { name: municipality.name, cbsCode: municipality.cbs_code },
    refreshedAt: refresh?.finished_at ? new Date(refresh.finished_at).toISOString() : null,
    threshold: SUPPRESSION_THRESHOLD,
    consentRule: options.consentRequired ? 'required' : 'anonymous',
    filters: {
      from: window.from.slice(0, 7),
      to: window.to.slice(0, 7),
      granularity: filters.granularity,
      neighbourhood: hood?.cbs_code ?? null,
      phase: filters.phase ?? null,
      organisationType: filters.organisationType ?? null,
    },
    neighbourhoods: hoods.map((h) => ({ code: h.cbs_code, name: h.name })),
    phases: [...FIGURE_PHASES],
    // The municipality itself is never in a family's care team.
    organisationTypes: ORGANISATION_TYPES.filter((type) => type !== 'gemeente'),
    interventions: interventionNames.map((i) => ({ key: i.key, name: i.name })),
    indicators: INDICATORS.map((indicator: Indicator) => {
      const isStock = indicator.source === 'stock';
      const tables: CountedFigures['indicators'][number]['tables'] = [
        // A stock's months do not add up; events over the periods do.
        {
          dimension: 'period',
          ...countTable(indicator, isStock ? stockByPeriod : eventsByPeriod, periodKeys, !isStock),
        },
        { dimension: 'neighbourhood', ...countTable(indicator, isStock ? stockByHood : eventsByHood, hoodKeys, true) },
      ];
      if (indicator.byIntervention) {
        // Their total: the whole window's, from the period table (a family referred to two
        // interventions is one family there).
        const total = eventsByPeriod.filter((g) => g.g_row === 1);
        tables.push(
          {
            dimension: 'intervention',
            ...countTable(indicator, [...byIntervention, ...total], keysIn(byIntervention), true),
          },
          { dimension: 'evidence', ...countTable(indicator, [...byEvidence, ...total], keysIn(byEvidence), true) },
        );
      }
      return {
        key: indicator.key,
        unit: indicator.unit,
        buckets: [...indicator.buckets],
        psychosocial: indicator.psychosocial,
        stats: indicator.stats ?? null,
        tables,
      };
    }),
  };
}
