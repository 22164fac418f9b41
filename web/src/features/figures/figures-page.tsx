import { useQuery } from '@tanstack/react-query';
import { AxisBottom, AxisLeft } from '@visx/axis';
import { GridColumns, GridRows } from '@visx/grid';
import { scaleBand, scaleLinear, scalePoint } from '@visx/scale';
import { Bar, LinePath } from '@visx/shape';
import { type FormEvent, type RefObject, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { figureRoutes } from '../../../../server/src/figures/figures.routes.ts';
import { type Answer, ApiError, api } from '../../api.ts';
import { Alert, Button, Heading, Paragraph, SelectField, TextField } from '../../components/nlds.tsx';
import { localeOf } from '../../i18n/i18n.ts';
import { queryKeys } from '../../query-keys.ts';

/**
 * The municipality's dashboard (analysts): every indicator of the region as a chart and, beside it,
 * the same numbers as a table that can be saved as CSV. The server suppresses small cells (null
 * here, shown as "<10"); this page only draws what it got.
 */

type Figures = Answer<typeof figureRoutes, 'GET /api/figures'>;
type Indicator = Figures['indicators'][number];
type Table = Indicator['tables'][number];
type Row = Table['rows'][number];
type HiddenAs = NonNullable<Row['totalHiddenAs']>;

type Filters = Record<'from' | 'to' | 'granularity' | 'neighbourhood' | 'phase' | 'organisationType', string>;

/** The part whose share each indicator's tables show beside the counts. */
const HEADLINE: Record<string, string> = {
  first_contact: 'before_week_10',
  care_intensity: 'none',
  referrals: 'accepted',
  handover_midwife_kraamzorg: 'completed',
  handover_kraamzorg_jgz: 'completed',
  jgz_on_time: 'on_time',
  preterm_birth: 'yes',
  low_birth_weight: 'yes',
  chain_memory: 'confirmed',
  funnel: 'received',
};
/** The indicators by theme: the page shows one theme at a time (the analyst's page was 27,000 px long). */
const THEMES: Record<string, string[]> = {
  families: ['families_by_phase', 'first_contact', 'care_intensity'],
  stress: ['stress_factors', 'protective_factors', 'asked_for_help', 'funnel'],
  help: ['referrals'],
  chain: ['handover_midwife_kraamzorg', 'handover_kraamzorg_jgz', 'jgz_on_time', 'chain_memory'],
  birth: ['preterm_birth', 'low_birth_weight'],
};
const themeOf = (key: string) => Object.keys(THEMES).find((theme) => THEMES[theme]?.includes(key)) ?? 'families';

/** Colours that stay apart for colour-blind readers (Okabe–Ito). */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000', '#F0E442'];

function query(filters: Filters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  return params.toString();
}

export function FiguresPage() {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState<Filters>({
    from: '',
    to: '',
    granularity: 'month',
    neighbourhood: '',
    phase: '',
    organisationType: '',
  });
  const [filters, setFilters] = useState<Filters>(draft);
  const figures = useQuery({
    queryKey: queryKeys.figures(filters),
    queryFn: () => api<Figures>('GET', `/api/figures?${query(filters)}`),
    placeholderData: (previous) => previous,
    retry: false,
  });
  // One theme at a time; a link to an indicator (#indicator-…) or a theme (#theme-…) opens its theme.
  const [theme, setTheme] = useState(() => {
    const hash = window.location.hash.slice(1);
    if (hash.startsWith('theme-') && THEMES[hash.slice(6)]) return hash.slice(6);
    return hash.startsWith('indicator-') ? themeOf(hash.slice(10)) : 'families';
  });
  const data = figures.data;
  const fieldErrors = figures.error instanceof ApiError ? figures.error.fields : [];
  const errorFor = (name: string) => fieldErrors.find((f) => f.field === `query.${name}`)?.message;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFilters(draft);
  };
  const set = (name: keyof Filters) => (event: { target: { value: string } }) =>
    setDraft((current) => ({ ...current, [name]: event.target.value }));

  return (
    <>
      <Heading level={1}>{data ? t('figures.titleRegion', { region: data.region.name }) : t('figures.title')}</Heading>
      {data && (
        <Alert type="info">
          <span data-testid="figures-region">
            {t('figures.region', { region: data.region.name, code: data.region.cbsCode })}
          </span>{' '}
          {data.refreshedAt
            ? t('figures.refreshedAt', {
                at: new Date(data.refreshedAt).toLocaleString(localeOf(i18n.language), {
                  dateStyle: 'long',
                  timeStyle: 'short',
                }),
              })
            : t('figures.notRefreshed')}{' '}
          {t('figures.suppression', { threshold: data.threshold })}{' '}
          {data.consentRule === 'required' ? t('figures.consentRequired') : t('figures.consentAnonymous')}
        </Alert>
      )}
      <form className="kring-figure-filters" onSubmit={submit} aria-label={t('figures.filters')}>
        <TextField
          label={t('figures.from')}
          type="month"
          value={draft.from || data?.filters.from || ''}
          onChange={set('from')}
          error={errorFor('from')}
        />
        <TextField
          label={t('figures.to')}
          type="month"
          value={draft.to || data?.filters.to || ''}
          onChange={set('to')}
          error={errorFor('to')}
        />
        <SelectField
          label={t('figures.granularity')}
          value={draft.granularity}
          onChange={set('granularity')}
          options={['month', 'quarter'].map((value) => ({ value, label: t(`figures.granularities.${value}`) }))}
        />
        <SelectField
          label={t('figures.neighbourhood')}
          value={draft.neighbourhood}
          onChange={set('neighbourhood')}
          error={errorFor('neighbourhood')}
          options={[
            { value: '', label: t('figures.wholeRegion') },
            ...(data?.neighbourhoods ?? []).map((h) => ({ value: h.code, label: h.name })),
          ]}
        />
        <SelectField
          label={t('figures.phase')}
          value={draft.phase}
          onChange={set('phase')}
          options={[
            { value: '', label: t('figures.allPhases') },
            ...(data?.phases ?? []).map((value) => ({ value, label: t(`phases.${value}`) })),
          ]}
        />
        <SelectField
          label={t('figures.organisationType')}
          value={draft.organisationType}
          onChange={set('organisationType')}
          options={[
            { value: '', label: t('figures.allOrganisationTypes') },
            ...(data?.organisationTypes ?? []).map((value) => ({ value, label: t(`organisationTypes.${value}`) })),
          ]}
        />
        <Button type="submit" busy={figures.isFetching}>
          {t('figures.show')}
        </Button>
      </form>
      {figures.error && (
        <Alert type="error">{figures.error instanceof ApiError ? figures.error.message : t('errors.generic')}</Alert>
      )}
      {figures.isPending && <Paragraph>{t('app.loading')}</Paragraph>}
      {data && (
        <nav aria-label={t('figures.contents')} className="kring-figure-themes">
          <ul className="kring-figure-contents">
            {Object.keys(THEMES).map((key) => (
              <li key={key}>
                <a
                  className="utrecht-link"
                  href={`#theme-${key}`}
                  aria-current={key === theme ? 'page' : undefined}
                  onClick={() => setTheme(key)}
                >
                  {t(`figures.themes.${key}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {data && (
        <div id={`theme-${theme}`}>
          <ul className="kring-figure-contents">
            {data.indicators
              .filter((indicator) => themeOf(indicator.key) === theme)
              .map((indicator) => (
                <li key={indicator.key}>
                  <a className="utrecht-link" href={`#indicator-${indicator.key}`}>
                    {t(`figures.indicators.${indicator.key}.title`)}
                  </a>
                </li>
              ))}
          </ul>
          {data.indicators
            .filter((indicator) => themeOf(indicator.key) === theme)
            .map((indicator) => (
              <IndicatorSection key={indicator.key} indicator={indicator} figures={data} />
            ))}
        </div>
      )}
    </>
  );
}

function IndicatorSection({ indicator, figures }: { indicator: Indicator; figures: Figures }) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const hoodName = new Map(figures.neighbourhoods.map((h) => [h.code, h.name]));
  const interventionName = new Map(figures.interventions.map((i) => [i.key, i.name]));
  const selected = figures.filters.neighbourhood ? hoodName.get(figures.filters.neighbourhood) : null;
  const rowLabel = (dimension: Table['dimension'], key: string) => {
    if (key === 'total') return dimension === 'period' ? t('figures.wholePeriod') : t('figures.regionTotal');
    if (dimension === 'neighbourhood') return hoodName.get(key) ?? key;
    if (dimension === 'intervention')
      return key === 'assessment' ? t('referrals.assessment') : (interventionName.get(key) ?? key);
    if (dimension === 'evidence')
      return key === 'assessment' ? t('referrals.assessment') : t(`referrals.evidenceLevels.${key}`);
    return dimension === 'period' ? periodLabel(key, i18n.language) : key;
  };
  return (
    <section className="kring-figure" aria-labelledby={headingId} id={`indicator-${indicator.key}`}>
      <Heading level={2} id={headingId}>
        {t(`figures.indicators.${indicator.key}.title`)}
      </Heading>
      <Headline indicator={indicator} />
      <details className="kring-figure-definition">
        <summary>{t('figures.definition')}</summary>
        <Paragraph>{t(`figures.indicators.${indicator.key}.definition`)}</Paragraph>
        {indicator.psychosocial && <Paragraph muted>{t('figures.psychosocialNote')}</Paragraph>}
      </details>
      {indicator.tables.map((table) => {
        const title = t(`figures.dimensions.${table.dimension}`, {
          place: selected ?? figures.region.name,
        });
        const label = (key: string) => rowLabel(table.dimension, key);
        return (
          <div key={table.dimension} className="kring-figure-part">
            <Heading level={3}>{title}</Heading>
            {table.dimension === 'period' ? (
              <TrendChart indicator={indicator} table={table} title={title} />
            ) : (
              <BarChart indicator={indicator} table={table} title={title} label={label} />
            )}
            {table.dimension === 'neighbourhood' && HEADLINE[indicator.key] && (
              <NeighbourhoodTiles indicator={indicator} table={table} label={label} />
            )}
            <FigureTable
              indicator={indicator}
              table={table}
              caption={`${t(`figures.indicators.${indicator.key}.title`)} — ${title}`}
              label={label}
              fileName={`kring-${indicator.key}-${table.dimension}-${figures.filters.from}-${figures.filters.to}.csv`}
            />
          </div>
        );
      })}
    </section>
  );
}

/**
 * The indicator's headline number: over the whole period the share of its headline part (when the
 * periods add up), or else the last period's count — with its hidden mark when it is not shown.
 */
function Headline({ indicator }: { indicator: Indicator }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const byPeriod = indicator.tables.find((table) => table.dimension === 'period');
  if (!byPeriod) return null;
  const headline = HEADLINE[indicator.key];
  const index = headline ? indicator.buckets.indexOf(headline) : -1;
  if (headline && index >= 0 && byPeriod.total) {
    const value = share(byPeriod.total, index);
    const why = shareHiddenAs(byPeriod.total, index);
    return (
      <p className="kring-figure-headline">
        <span className="kring-figure-headline__value">
          {value !== null ? `${format(value)}%` : why ? hiddenMark(why, t) : '–'}
        </span>{' '}
        {t('figures.headlineShare', {
          part: t(`figures.indicators.${indicator.key}.buckets.${headline}`),
          unit: t(`figures.units.${indicator.unit}`).toLocaleLowerCase(),
        })}
      </p>
    );
  }
  const last = byPeriod.rows.at(-1);
  if (!last) return null;
  return (
    <p className="kring-figure-headline">
      <span className="kring-figure-headline__value">{shown(last.total, last.totalHiddenAs, t, format)}</span>{' '}
      {t('figures.headlineLast', {
        unit: t(`figures.units.${indicator.unit}`).toLocaleLowerCase(),
        period: periodLabel(last.key, i18n.language),
      })}
    </p>
  );
}

/** The mark of a hidden cell: "<10" for a small count, "•" for a cell hidden only to protect one. */
const hiddenMark = (why: HiddenAs | null | undefined, t: (key: string) => string) =>
  t(why === 'protected' ? 'figures.protected' : 'figures.suppressed');

const shown = (value: number | null, why: HiddenAs | null | undefined, t: (key: string) => string, format: Format) =>
  value === null ? hiddenMark(why, t) : format(value);

/** A number as the reader's language writes it (Dutch: a decimal comma and a thousands point). */
type Format = (value: number) => string;
function useFormat(): Format {
  const { i18n } = useTranslation();
  const formatter = new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'nl-NL', { maximumFractionDigits: 1 });
  return (value) => formatter.format(value);
}

function share(row: Row, index: number): number | null {
  const part = row.cells[index];
  if (part === null || part === undefined || row.total === null || row.total === 0) return null;
  return Math.round((part / row.total) * 1000) / 10;
}

/** Why a share cannot be given: its part or its total is hidden (null when it can, or the total is 0). */
const shareHiddenAs = (row: Row, index: number): HiddenAs | null => row.hiddenAs[index] ?? row.totalHiddenAs ?? null;

function FigureTable({
  indicator,
  table,
  caption,
  label,
  fileName,
}: {
  indicator: Indicator;
  table: Table;
  caption: string;
  label: (key: string) => string;
  fileName: string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const headline = HEADLINE[indicator.key];
  const headlineIndex = headline ? indicator.buckets.indexOf(headline) : -1;
  const rows = table.total ? [...table.rows, table.total] : table.rows;
  const bucketLabel = (bucket: string) => t(`figures.indicators.${indicator.key}.buckets.${bucket}`);
  const columns = [
    t(`figures.rowHeaders.${table.dimension}`),
    ...indicator.buckets.map(bucketLabel),
    t(`figures.units.${indicator.unit}`),
    ...(headlineIndex >= 0 ? [t('figures.shareOf', { part: bucketLabel(headline as string) })] : []),
    ...(indicator.stats ? [t(`figures.median.${indicator.stats}`), t(`figures.p90.${indicator.stats}`)] : []),
  ];
  const shareText = (row: Row, index: number) => {
    const value = share(row, index);
    if (value !== null) return format(value);
    const why = shareHiddenAs(row, index);
    return why ? hiddenMark(why, t) : '–';
  };
  const values = (row: Row): (string | number)[] => [
    label(row.key),
    ...row.cells.map((cell, i) => shown(cell, row.hiddenAs[i], t, format)),
    shown(row.total, row.totalHiddenAs, t, format),
    ...(headlineIndex >= 0 ? [shareText(row, headlineIndex)] : []),
    ...(indicator.stats
      ? [row.median === null ? '–' : format(row.median), row.p90 === null ? '–' : format(row.p90)]
      : []),
  ];
  const download = () => {
    const quoted = (value: string | number) => `"${String(value).replaceAll('"', '""')}"`;
    const lines = [columns, ...rows.map(values)].map((line) => line.map(quoted).join(','));
    const blob = new Blob([`\uFEFF${lines.join('\r\n')}\r\n`], { type: 'text/csv;charset=utf-8' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = fileName;
    document.body.append(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(link.href);
  };
  return (
    <>
      <div className="kring-table-scroll">
        <table className="utrecht-table kring-figure-table">
          <caption className="utrecht-table__caption">{caption}</caption>
          <thead className="utrecht-table__header">
            <tr className="utrecht-table__row">
              {columns.map((column) => (
                <th key={column} className="utrecht-table__header-cell" scope="col">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="utrecht-table__body">
            {rows.map((row) => {
              const [head, ...rest] = values(row);
              return (
                <tr key={row.key} className={`utrecht-table__row${row.key === 'total' ? ' kring-figure-total' : ''}`}>
                  <th className="utrecht-table__header-cell" scope="row">
                    {head}
                  </th>
                  {rest.map((value, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed per table
                    <td key={i} className="utrecht-table__cell utrecht-table__cell--numeric">
                      {value}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <Button appearance="secondary" onClick={download}>
        {t('figures.downloadCsv')}
      </Button>
    </>
  );
}

/** A period as a person writes it: "dec 2026" for a month, "1e kwartaal 2026" for a quarter. */
function periodLabel(key: string, language: string): string {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(key);
  if (quarter) return language === 'en' ? `Q${quarter[2]} ${quarter[1]}` : `${quarter[2]}e kwartaal ${quarter[1]}`;
  const month = /^(\d{4})-(\d{2})$/.exec(key);
  if (!month) return key;
  return new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 15)).toLocaleDateString(
    language === 'en' ? 'en-GB' : 'nl-NL',
    { month: 'short', year: 'numeric', timeZone: 'UTC' },
  );
}

/**
 * The chart's width in CSS pixels, following its place on the page: the axes' text keeps its size
 * on a phone instead of shrinking with a scaled drawing.
 */
function useChartWidth(): [RefObject<HTMLElement | null>, number] {
  const ref = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(640);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(280, Math.round(entry.contentRect.width)));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** Lines over the periods, one per part; a suppressed value is a gap. Drawn with visx (scales, axes, grid, lines). */
function TrendChart({ indicator, table, title }: { indicator: Indicator; table: Table; title: string }) {
  const { t, i18n } = useTranslation();
  const titleId = useId();
  const [figure, width] = useChartWidth();
  const height = 220;
  const margin = { left: 48, right: 16, top: 12, bottom: 30 };
  const format = useFormat();
  const values = table.rows.flatMap((row) => row.cells.filter((v): v is number => v !== null));
  const x = scalePoint({ domain: table.rows.map((row) => row.key), range: [margin.left, width - margin.right] });
  // A round top and about four readable steps to it (1, 2 or 5 times a power of ten).
  const y = scaleLinear({ domain: [0, Math.max(1, ...values)], range: [height - margin.bottom, margin.top], nice: 4 });
  // A period label about every 80 px, so that they never run into each other on a phone.
  const every = Math.max(1, Math.ceil(table.rows.length / Math.max(3, Math.floor(width / 80))));
  const axisText = { fontSize: 11, fill: '#1b1b1b' } as const;
  return (
    <figure className="kring-chart" ref={figure}>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={titleId} className="kring-chart__svg">
        <title
          id={titleId}
        >{`${t(`figures.indicators.${indicator.key}.title`)}: ${title}. ${t('figures.chartSeeTable')}`}</title>
        <GridRows
          scale={y}
          left={margin.left}
          width={width - margin.left - margin.right}
          numTicks={4}
          stroke="#e0e3e5"
        />
        <AxisLeft
          scale={y}
          left={margin.left}
          numTicks={4}
          tickFormat={(v) => format(Number(v))}
          stroke="#767676"
          tickStroke="#767676"
          tickLabelProps={() => ({ ...axisText, textAnchor: 'end', dx: -4, dy: 4 })}
        />
        <AxisBottom
          scale={x}
          top={height - margin.bottom}
          tickValues={table.rows.filter((_, i) => i % every === 0).map((row) => row.key)}
          tickFormat={(key) => periodLabel(String(key), i18n.language)}
          stroke="#767676"
          tickStroke="#767676"
          tickLabelProps={() => ({ ...axisText, textAnchor: 'middle' })}
        />
        {indicator.buckets.map((bucket, b) => {
          const colour = PALETTE[b % PALETTE.length] as string;
          const points = table.rows.map((row) => ({ key: row.key, v: row.cells[b] ?? null }));
          return (
            <g key={bucket}>
              <LinePath
                data={points}
                defined={(p) => p.v !== null}
                x={(p) => x(p.key) ?? 0}
                y={(p) => y(p.v ?? 0)}
                stroke={colour}
                strokeWidth={2}
              />
              {points.map((p) =>
                p.v === null ? null : <circle key={p.key} cx={x(p.key)} cy={y(p.v)} r={2.5} fill={colour} />,
              )}
            </g>
          );
        })}
      </svg>
      <Legend indicator={indicator} />
    </figure>
  );
}

/** One stacked bar per row (neighbourhood, intervention, evidence level); suppressed parts are left out (visx scales and axis). */
function BarChart({
  indicator,
  table,
  title,
  label,
}: {
  indicator: Indicator;
  table: Table;
  title: string;
  label: (key: string) => string;
}) {
  const { t } = useTranslation();
  const titleId = useId();
  const format = useFormat();
  const rows = table.rows;
  const [figure, width] = useChartWidth();
  const margin = { left: Math.min(170, Math.round(width * 0.38)), right: 40, top: 5, bottom: 26 };
  const labelLength = Math.floor(margin.left / 6.5);
  const height = rows.length * 22 + margin.top + margin.bottom;
  const totals = rows.map((row) => row.cells.reduce<number>((sum, v) => sum + (v ?? 0), 0));
  const x = scaleLinear({ domain: [0, Math.max(1, ...totals)], range: [margin.left, width - margin.right], nice: 4 });
  const y = scaleBand({
    domain: rows.map((row) => row.key),
    range: [margin.top, height - margin.bottom],
    padding: 0.25,
  });
  return (
    <figure className="kring-chart" ref={figure}>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={titleId} className="kring-chart__svg">
        <title
          id={titleId}
        >{`${t(`figures.indicators.${indicator.key}.title`)}: ${title}. ${t('figures.chartSeeTable')}`}</title>
        <GridColumns
          scale={x}
          top={margin.top}
          height={height - margin.top - margin.bottom}
          numTicks={4}
          stroke="#e0e3e5"
        />
        <AxisBottom
          scale={x}
          top={height - margin.bottom}
          numTicks={4}
          tickFormat={(v) => format(Number(v))}
          stroke="#767676"
          tickStroke="#767676"
          tickLabelProps={() => ({ fontSize: 11, fill: '#1b1b1b', textAnchor: 'middle' })}
        />
        {rows.map((row, r) => {
          const top = y(row.key) ?? 0;
          const hidden = row.cells.some((v) => v === null);
          let offset = margin.left;
          return (
            <g key={row.key}>
              <text x={margin.left - 6} y={top + y.bandwidth() / 2 + 4} textAnchor="end" fontSize="11">
                {label(row.key).slice(0, labelLength)}
              </text>
              {row.cells.map((v, b) => {
                if (!v) return null;
                const w = x(v) - margin.left;
                const bar = (
                  // biome-ignore lint/suspicious/noArrayIndexKey: one segment per part, in order
                  <Bar key={b} x={offset} y={top} width={w} height={y.bandwidth()} fill={PALETTE[b % PALETTE.length]} />
                );
                offset += w;
                return bar;
              })}
              <text x={offset + 4} y={top + y.bandwidth() / 2 + 4} fontSize="11">
                {hidden ? hiddenMark(row.hiddenAs.includes('small') ? 'small' : 'protected', t) : ''}
              </text>
              <title>{`${label(row.key)}: ${format(totals[r] ?? 0)}`}</title>
            </g>
          );
        })}
      </svg>
      <Legend indicator={indicator} />
    </figure>
  );
}

/**
 * A map-like grid of the neighbourhoods (no map tiles from elsewhere): each tile gives the share of
 * the indicator's headline part, shaded in five steps; the numbers are in the tile and the table.
 */
function NeighbourhoodTiles({
  indicator,
  table,
  label,
}: {
  indicator: Indicator;
  table: Table;
  label: (key: string) => string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const headline = HEADLINE[indicator.key] as string;
  const index = indicator.buckets.indexOf(headline);
  const part = t(`figures.indicators.${indicator.key}.buckets.${headline}`);
  return (
    <ul className="kring-tiles" aria-label={t('figures.tiles', { part })}>
      {[...table.rows, ...(table.total ? [table.total] : [])].map((row) => {
        const value = share(row, index);
        const step = value === null ? 'none' : String(Math.min(4, Math.floor(value / 20)));
        return (
          <li
            key={row.key}
            className={`kring-tile kring-tile--${step}${row.key === 'total' ? ' kring-tile--region' : ''}`}
          >
            <span className="kring-tile__name">{label(row.key)}</span>
            <span className="kring-tile__value">
              {value === null ? hiddenMark(shareHiddenAs(row, index), t) : `${format(value)}%`}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function Legend({ indicator }: { indicator: Indicator }) {
  const { t } = useTranslation();
  return (
    <figcaption>
      <ul className="kring-chart__legend">
        {indicator.buckets.map((bucket, b) => (
          <li key={bucket}>
            <span
              className="kring-chart__swatch"
              style={{ background: PALETTE[b % PALETTE.length] }}
              aria-hidden="true"
            />
            {t(`figures.indicators.${indicator.key}.buckets.${bucket}`)}
          </li>
        ))}
      </ul>
    </figcaption>
  );
}
