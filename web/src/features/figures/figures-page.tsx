import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { figureRoutes } from '../../../../server/src/figures/figures.routes.ts';
import { type Answer, ApiError, api } from '../../api.ts';
import { Alert, Button, Heading, Paragraph, SelectField, TextField } from '../../components/nlds.tsx';
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
/** Colours that stay apart for colour-blind readers (Okabe–Ito). */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000', '#F0E442'];

function query(filters: Filters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  return params.toString();
}

export function FiguresPage() {
  const { t } = useTranslation();
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
            ? t('figures.refreshedAt', { at: new Date(data.refreshedAt).toLocaleString() })
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
        <nav aria-label={t('figures.contents')}>
          <ul className="kring-figure-contents">
            {data.indicators.map((indicator) => (
              <li key={indicator.key}>
                <a className="utrecht-link" href={`#indicator-${indicator.key}`}>
                  {t(`figures.indicators.${indicator.key}.title`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {data?.indicators.map((indicator) => (
        <IndicatorSection key={indicator.key} indicator={indicator} figures={data} />
      ))}
    </>
  );
}

function IndicatorSection({ indicator, figures }: { indicator: Indicator; figures: Figures }) {
  const { t } = useTranslation();
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
    return key;
  };
  return (
    <section className="kring-figure" aria-labelledby={headingId} id={`indicator-${indicator.key}`}>
      <Heading level={2} id={headingId}>
        {t(`figures.indicators.${indicator.key}.title`)}
      </Heading>
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

/** Lines over the periods, one per part; a suppressed value is a gap. */
function TrendChart({ indicator, table, title }: { indicator: Indicator; table: Table; title: string }) {
  const { t } = useTranslation();
  const titleId = useId();
  const width = 640;
  const height = 200;
  const pad = { left: 40, right: 10, top: 10, bottom: 30 };
  const values = table.rows.flatMap((row) => row.cells.filter((v): v is number => v !== null));
  const max = Math.max(1, ...values);
  const x = (i: number) =>
    pad.left + (table.rows.length <= 1 ? 0 : (i / (table.rows.length - 1)) * (width - pad.left - pad.right));
  const y = (v: number) => pad.top + (1 - v / max) * (height - pad.top - pad.bottom);
  const series = indicator.buckets.map((bucket, b) => ({
    bucket,
    colour: PALETTE[b % PALETTE.length] as string,
    points: table.rows.map((row, i) => ({ i, v: row.cells[b] ?? null })),
  }));
  const path = (points: { i: number; v: number | null }[]) => {
    let d = '';
    let pen = false;
    for (const { i, v } of points) {
      if (v === null) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)} `;
      pen = true;
    }
    return d;
  };
  const every = Math.max(1, Math.ceil(table.rows.length / 8));
  return (
    <figure className="kring-chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={titleId} className="kring-chart__svg">
        <title
          id={titleId}
        >{`${t(`figures.indicators.${indicator.key}.title`)}: ${title}. ${t('figures.chartSeeTable')}`}</title>
        <line x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} stroke="#767676" />
        <text x={pad.left - 6} y={y(max) + 4} textAnchor="end" fontSize="11">
          {max}
        </text>
        <text x={pad.left - 6} y={y(0) + 4} textAnchor="end" fontSize="11">
          0
        </text>
        {table.rows.map((row, i) =>
          i % every === 0 ? (
            <text key={row.key} x={x(i)} y={height - 8} textAnchor="middle" fontSize="11">
              {row.key}
            </text>
          ) : null,
        )}
        {series.map((s) => (
          <g key={s.bucket}>
            <path d={path(s.points)} fill="none" stroke={s.colour} strokeWidth={2} />
            {s.points.map((p) =>
              p.v === null ? null : <circle key={p.i} cx={x(p.i)} cy={y(p.v)} r={2.5} fill={s.colour} />,
            )}
          </g>
        ))}
      </svg>
      <Legend indicator={indicator} />
    </figure>
  );
}

/** One stacked bar per row (neighbourhood, intervention, evidence level); suppressed parts are left out. */
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
  const rows = table.rows;
  const width = 640;
  const rowHeight = 22;
  const labelWidth = 170;
  const height = rows.length * rowHeight + 10;
  const max = Math.max(1, ...rows.map((row) => row.cells.reduce<number>((sum, v) => sum + (v ?? 0), 0)));
  const scale = (v: number) => (v / max) * (width - labelWidth - 50);
  return (
    <figure className="kring-chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={titleId} className="kring-chart__svg">
        <title
          id={titleId}
        >{`${t(`figures.indicators.${indicator.key}.title`)}: ${title}. ${t('figures.chartSeeTable')}`}</title>
        {rows.map((row, r) => {
          let offset = labelWidth;
          const top = 5 + r * rowHeight;
          const hidden = row.cells.some((v) => v === null);
          const hiddenSmall = row.hiddenAs.includes('small');
          return (
            <g key={row.key}>
              <text x={labelWidth - 6} y={top + 14} textAnchor="end" fontSize="11">
                {label(row.key).slice(0, 26)}
              </text>
              {row.cells.map((v, b) => {
                if (!v) return null;
                const w = scale(v);
                const rect = (
                  <rect
                    // biome-ignore lint/suspicious/noArrayIndexKey: one segment per part, in order
                    key={b}
                    x={offset}
                    y={top}
                    width={w}
                    height={rowHeight - 6}
                    fill={PALETTE[b % PALETTE.length]}
                  />
                );
                offset += w;
                return rect;
              })}
              <text x={offset + 4} y={top + 14} fontSize="11">
                {hidden ? hiddenMark(hiddenSmall ? 'small' : 'protected', t) : ''}
              </text>
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
