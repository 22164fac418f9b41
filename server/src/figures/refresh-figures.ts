import { randomUUID } from 'node:crypto';
import { type Insertable, type Kysely, sql } from 'kysely';
import { readFigureFamilies } from '../access/figures-source.ts';
import { type DB, ORGANISATION_TYPES } from '../database/schema.ts';
import { matchSchedule } from '../families/jgz-schedule.ts';
import {
  addDays,
  addMonths,
  type IsoDate,
  PREGNANCY_DAYS,
  phaseOn,
  type TrajectoryFacts,
  toDays,
  todayIso,
} from '../families/trajectory.ts';
import { signalCodes } from '../signals/signal-codes.ts';
import {
  completedWeeks,
  countBucket,
  FIGURE_PHASES,
  type FigurePhase,
  figurePhase,
  firstContactBucket,
  INDICATORS,
  isPreterm,
} from './indicators.ts';

/**
 * The background job behind the municipality's figures: it reads the family records a batch at a
 * time and writes, beside the previous refresh, one row per counted event (figure_events) and the
 * families at each month's end already summed (figure_stock). Readers use the newest finished
 * refresh, so a dashboard never waits for this job and never reads the records themselves.
 * The rules it counts by are the record's own (phaseOn, the JGZ schedule, the signal code list).
 */

/** How far back the monthly counts of families go. */
export const STOCK_MONTHS = 36;
const FAMILY_BATCH = 2000;
const INSERT_BATCH = 1000;
/** A birth counts for the handover indicators once the kraam period and the JGZ start are over. */
const HANDOVER_SETTLE_DAYS = 14;
const LOW_BIRTH_WEIGHT_GRAMS = 2500;
const MIDWIFE_TYPES = new Set(['verloskundigenpraktijk', 'ziekenhuis']);

export interface RefreshResult {
  refreshId: string;
  families: number;
  cellRows: number;
  stockRows: number;
  durationMs: number;
}

/** One counted event of a family. */
interface EventRow {
  indicator: string;
  month: IsoDate;
  phase: string;
  bucket: string;
  weight?: number;
  value?: number | null;
  intervention_key?: string | null;
  evidence_level?: string | null;
}

interface FamilyFacts {
  id: string;
  neighbourhoodId: string;
  municipalityId: string;
  knownSince: IsoDate;
  consent: boolean;
  organisationTypes: string[];
  trajectories: {
    kind: string;
    dueDate: IsoDate | null;
    birthDate: IsoDate | null;
    birthWeight: number | null;
    endedOn: IsoDate | null;
    closedOn: IsoDate | null;
  }[];
  contacts: { on: IsoDate; kind: string; type: string }[];
  signals: { code: string; from: IsoDate; until: IsoDate | null; toldByParent: boolean }[];
  judgements: { intensity: string; inForceFrom: IsoDate | null; recorded: IsoDate; parentsAsk: boolean }[];
  referrals: {
    interventionKey: string | null;
    status: string;
    sent: IsoDate;
    accepted: boolean;
    startedDays: number | null;
    started: boolean;
    received: boolean;
  }[];
  handovers: { fromType: string; toType: string }[];
  answers: { month: IsoDate; confirmed: number; asked: number }[];
}

const monthOf = (date: IsoDate): IsoDate => `${date.slice(0, 7)}-01`;
const lastDayOf = (month: IsoDate): IsoDate => addDays(addMonths(month, 1), -1);
const dateOf = (value: Date | string | null): IsoDate | null =>
  value === null ? null : typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);

/** Run one refresh. Returns what it read and wrote, and how long it took. */
export async function refreshFigures(db: Kysely<DB>, options: { today?: IsoDate } = {}): Promise<RefreshResult> {
  const started = Date.now();
  const today = options.today ?? todayIso();
  const refreshId = randomUUID();
  await db.insertInto('figure_refreshes').values({ id: refreshId, started_at: new Date() }).execute();
  const evidence = new Map(
    (
      await db
        .selectFrom('interventions')
        .select(['key', sql<string>`definition->>'evidence'`.as('evidence')])
        .execute()
    ).map((row) => [row.key, row.evidence]),
  );
  const months = Array.from({ length: STOCK_MONTHS }, (_, i) => addMonths(monthOf(today), i - STOCK_MONTHS + 1));
  const stock = new StockCounter(months, today);
  const cells = new EventCounter();
  let families = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const batch = await loadFamilies(db, after);
    if (!batch.length) break;
    after = batch.at(-1)?.id as string;
    families += batch.length;
    for (const family of batch) {
      cells.add(family, familyEvents(family, today, evidence));
      stock.add(family);
    }
  }
  const inBatches = async <R>(rows: R[], insert: (batch: R[]) => Promise<unknown>) => {
    for (let i = 0; i < rows.length; i += INSERT_BATCH) await insert(rows.slice(i, i + INSERT_BATCH));
  };
  const cellRows = cells.cells(refreshId);
  await inBatches(cellRows, (batch) => db.insertInto('figure_cells').values(batch).execute());
  await inBatches(cells.values(refreshId), (batch) => db.insertInto('figure_values').values(batch).execute());
  const stockRows = stock.rows(refreshId);
  await inBatches(stockRows, (batch) => db.insertInto('figure_stock').values(batch).execute());
  // Fresh statistics, so the planner reads the new counts by their index.
  await sql`ANALYZE figure_cells, figure_values, figure_stock`.execute(db);
  const finished = new Date();
  await db
    .updateTable('figure_refreshes')
    .set({ finished_at: finished, families, cell_rows: cellRows.length, stock_rows: stockRows.length })
    .where('id', '=', refreshId)
    .execute();
  // The previous refreshes' rows (and those of a refresh that never finished) go.
  const old = db
    .selectFrom('figure_refreshes')
    .select('id')
    .where((eb) =>
      eb.or([
        eb('finished_at', '<', finished),
        eb.and([eb('finished_at', 'is', null), eb('started_at', '<', sql<Date>`now() - interval '1 day'`)]),
      ]),
    );
  await db.deleteFrom('figure_cells').where('refresh_id', 'in', old).execute();
  await db.deleteFrom('figure_values').where('refresh_id', 'in', old).execute();
  await db.deleteFrom('figure_stock').where('refresh_id', 'in', old).execute();
  await db.deleteFrom('figure_refreshes').where('id', 'in', old).execute();
  return {
    refreshId,
    families,
    cellRows: cellRows.length,
    stockRows: stockRows.length,
    durationMs: Date.now() - started,
  };
}

/** A batch of families with everything the indicators count, read through the figures' door. */
async function loadFamilies(db: Kysely<DB>, after: string): Promise<FamilyFacts[]> {
  const batch = await readFigureFamilies(db, after, FAMILY_BATCH);
  if (!batch) return [];
  const { families: rows, trajectories, team, contacts, signals, judgements, referrals, handovers, answers } = batch;
  const byFamily = new Map<string, FamilyFacts>(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        neighbourhoodId: row.neighbourhood_id,
        municipalityId: row.municipality_id,
        knownSince: row.created_on,
        consent: row.consent,
        organisationTypes: [],
        trajectories: [],
        contacts: [],
        signals: [],
        judgements: [],
        referrals: [],
        handovers: [],
        answers: [],
      },
    ]),
  );
  const of = (id: string) => byFamily.get(id) as FamilyFacts;
  for (const t of trajectories) {
    of(t.family_id).trajectories.push({
      kind: t.kind,
      dueDate: t.due_date,
      birthDate: t.birth_date,
      birthWeight: t.birth_weight_grams,
      endedOn: t.pregnancy_ended_on,
      closedOn: t.closed_on,
    });
  }
  for (const m of team) {
    const family = of(m.family_id);
    if (!family.organisationTypes.includes(m.type)) family.organisationTypes.push(m.type);
    // Known to the chain since the first organisation joined (registration may be later).
    if (m.started_on < family.knownSince) family.knownSince = m.started_on;
  }
  for (const c of contacts) of(c.family_id).contacts.push({ on: c.occurred_on, kind: c.kind, type: c.type });
  for (const s of signals) {
    if (s.status === 'unknown') continue;
    const from = s.since ?? (dateOf(s.created_at) as IsoDate);
    const until = s.status === 'no_longer_present' ? (s.ended_on ?? dateOf(s.updated_at)) : null;
    of(s.family_id).signals.push({ code: s.code, from, until, toldByParent: s.source === 'told_by_parent' });
  }
  for (const j of judgements) {
    of(j.family_id).judgements.push({
      intensity: j.intensity,
      inForceFrom:
        j.status === 'effective' ? dateOf(j.created_at) : j.status === 'agreed' ? dateOf(j.reviewed_at) : null,
      recorded: dateOf(j.created_at) as IsoDate,
      parentsAsk: j.parents_ask_for_help === true,
    });
  }
  for (const r of referrals) {
    const sent = dateOf(r.sent_at) as IsoDate;
    const startedOn = dateOf(r.started_at);
    of(r.family_id).referrals.push({
      interventionKey: r.intervention_key,
      status: r.status,
      sent,
      accepted: r.accepted_at !== null,
      started: startedOn !== null,
      startedDays: startedOn === null ? null : toDays(startedOn) - toDays(sent),
      received: r.status === 'completed' && r.help_received === true,
    });
  }
  for (const h of handovers) of(h.family_id).handovers.push({ fromType: h.from_type, toType: h.to_type });
  for (const a of answers) of(a.family_id).answers.push({ month: a.month, confirmed: a.confirmed, asked: a.asked });
  return [...byFamily.values()];
}

type ChildTrajectory = TrajectoryFacts & { birthWeight: number | null };

function childTrajectories(family: FamilyFacts): ChildTrajectory[] {
  return family.trajectories
    .filter((t) => t.kind === 'child' && t.dueDate)
    .map((t) => ({
      dueDate: t.dueDate as IsoDate,
      birthDate: t.birthDate,
      pregnancyEndedOn: t.endedOn,
      birthWeight: t.birthWeight,
    }));
}

/** A family's children, youngest first (asked for every month of every family: kept per family). */
const youngestFirst = new WeakMap<FamilyFacts, ChildTrajectory[]>();

/**
 * The family's phase of the 1001 days on a day: that of its youngest child (or pregnancy) still in
 * them; before any, preconception while a wish for a child is registered; otherwise none.
 */
export function familyPhaseOn(family: FamilyFacts, day: IsoDate): FigurePhase | null {
  if (day < family.knownSince) return null;
  let children = youngestFirst.get(family);
  if (!children) {
    children = childTrajectories(family).sort((a, b) => (a.dueDate < b.dueDate ? 1 : -1));
    youngestFirst.set(family, children);
  }
  for (const child of children) {
    const phase = phaseOn(child, day);
    if (phase !== 'ended' && phase !== 'preconception') return figurePhase(phase);
  }
  const wish = family.trajectories.find((t) => t.kind === 'preconception');
  if (wish && (!wish.closedOn || day < wish.closedOn)) {
    const conceived = children.some((child) => phaseOn(child, day) !== 'preconception');
    if (!conceived) return 'preconception';
  }
  return null;
}

function signalCounts(family: FamilyFacts, day: IsoDate): { stress: number; protective: number } {
  const codes = signalCodes();
  let stress = 0;
  let protective = 0;
  for (const s of family.signals) {
    if (s.from > day || (s.until !== null && s.until <= day)) continue;
    if (codes.kindOf.get(s.code) === 'protective') protective++;
    else stress++;
  }
  return { stress, protective };
}

/** Every event of one family that an indicator counts. */
export function familyEvents(family: FamilyFacts, today: IsoDate, evidence: Map<string, string>): EventRow[] {
  const rows: EventRow[] = [];
  const add = (
    indicator: string,
    on: IsoDate,
    bucket: string,
    extra: Partial<Pick<EventRow, 'weight' | 'value' | 'intervention_key' | 'evidence_level'>> = {},
    phase: string | null = familyPhaseOn(family, on),
  ) => {
    if (on > today) return;
    rows.push({ indicator, month: monthOf(on), phase: phase ?? '', bucket, ...extra });
  };
  const children = childTrajectories(family);
  const contactsOf = (types: (type: string) => boolean) =>
    family.contacts.filter((c) => types(c.type)).sort((a, b) => (a.on < b.on ? -1 : 1));

  // First contact in the chain, per pregnancy, by completed weeks (twins are one pregnancy).
  const pregnancies = [...new Map(children.map((c) => [c.dueDate, c])).values()];
  for (const pregnancy of pregnancies) {
    const lmp = addDays(pregnancy.dueDate, -PREGNANCY_DAYS);
    const end = pregnancy.birthDate ?? pregnancy.pregnancyEndedOn ?? addDays(pregnancy.dueDate, 14);
    const first = family.contacts
      .map((c) => c.on)
      .filter((on) => on >= lmp && on < end)
      .sort()[0];
    if (first) {
      const weeks = completedWeeks(pregnancy.dueDate, first);
      add('first_contact', first, firstContactBucket(weeks), { value: weeks }, figurePhase(phaseOn(pregnancy, first)));
    }
  }

  // Births: preterm (before 37 weeks) and low birth weight, per child.
  for (const child of children) {
    if (!child.birthDate) continue;
    add('preterm_birth', child.birthDate, isPreterm(child.dueDate, child.birthDate) ? 'yes' : 'no', {}, 'kraam');
    if (child.birthWeight !== null) {
      add('low_birth_weight', child.birthDate, child.birthWeight < LOW_BIRTH_WEIGHT_GRAMS ? 'yes' : 'no', {}, 'kraam');
    }
  }

  // The chain around birth: warm handovers completed, and the days between the last contact of the
  // one and the first of the next (a gap in the chain).
  const births = [...new Set(children.map((c) => c.birthDate).filter((d): d is IsoDate => d !== null))];
  for (const birth of births) {
    if (toDays(today) - toDays(birth) < HANDOVER_SETTLE_DAYS) continue;
    const link = (indicator: string, from: (type: string) => boolean, to: string) => {
      const completed = family.handovers.some((h) => from(h.fromType) && h.toType === to);
      const firstNext = contactsOf((type) => type === to).find((c) => c.on >= addDays(birth, -30));
      const lastBefore = firstNext
        ? contactsOf(from)
            .filter((c) => c.on <= firstNext.on)
            .at(-1)
        : undefined;
      const gap = firstNext && lastBefore ? toDays(firstNext.on) - toDays(lastBefore.on) : null;
      add(indicator, birth, completed ? 'completed' : 'not_completed', { value: gap }, 'kraam');
    };
    link('handover_midwife_kraamzorg', (type) => MIDWIFE_TYPES.has(type), 'kraamzorg');
    link('handover_kraamzorg_jgz', (type) => type === 'kraamzorg', 'jgz');
  }

  // JGZ contact moments on time (the default schedule, or the organisation's own), for children with JGZ in the team.
  if (family.organisationTypes.includes('jgz')) {
    const jgzContacts = contactsOf((type) => type === 'jgz').map((c) => ({ occurredOn: c.on, kind: c.kind }));
    for (const child of children) {
      if (!child.birthDate) continue;
      const endOf1001 = addMonths(child.birthDate, 24);
      for (const moment of matchSchedule(child.birthDate, jgzContacts, today)) {
        if (moment.targetDate >= endOf1001) continue;
        const phase = figurePhase(phaseOn(child, moment.targetDate));
        if (moment.status === 'done') {
          const onTime = (moment.fulfilledOn as IsoDate) <= moment.onTimeUntil;
          add('jgz_on_time', moment.targetDate, onTime ? 'on_time' : 'late', {}, phase);
        } else if (moment.status === 'overdue') {
          add('jgz_on_time', moment.targetDate, 'missed', {}, phase);
        }
      }
    }
  }

  // The family asked for help itself: the first time, as a parent told it or said so at a judgement.
  const asked = [
    ...family.signals.filter((s) => s.code === 'help_sought' && s.toldByParent).map((s) => s.from),
    ...family.judgements.filter((j) => j.parentsAsk).map((j) => j.recorded),
  ].sort()[0];
  if (asked) add('asked_for_help', asked, 'asked');

  // Questions not asked twice: answers confirmed from the chain's memory beside answers asked.
  for (const a of family.answers) {
    if (a.confirmed) add('chain_memory', a.month, 'confirmed', { weight: a.confirmed });
    if (a.asked) add('chain_memory', a.month, 'asked', { weight: a.asked });
  }

  // Referrals: how they ended, and the days from sent to started.
  for (const r of family.referrals) {
    const bucket = r.accepted
      ? 'accepted'
      : r.status === 'declined'
        ? 'declined'
        : r.status === 'cancelled'
          ? 'cancelled'
          : 'open';
    add('referrals', r.sent, bucket, {
      value: r.startedDays,
      intervention_key: r.interventionKey ?? 'assessment',
      evidence_level: r.interventionKey ? (evidence.get(r.interventionKey) ?? 'not_assessed') : 'assessment',
    });
  }

  // From signal to help: families with a first stress factor in the month, by how far they came.
  const codes = signalCodes();
  const firstStress = family.signals
    .filter((s) => codes.kindOf.get(s.code) === 'stress')
    .map((s) => s.from)
    .sort()[0];
  if (firstStress) {
    const stage = family.referrals.some((r) => r.received)
      ? 'received'
      : family.referrals.some((r) => r.started)
        ? 'started'
        : family.referrals.length
          ? 'offered'
          : 'signal_only';
    add('funnel', firstStress, stage);
  }
  return rows;
}

/**
 * The events of every family, counted per month, neighbourhood, phase ('' = any), organisation
 * type ('' = any), consent, part ('' = all) and referral group, with the distinct families of each
 * count; and the measures behind the medians, per value.
 */
class EventCounter {
  private readonly counts = new Map<string, { value: number; families: number }>();
  private readonly measures = new Map<string, number>();
  private readonly municipalityOf = new Map<string, string>();

  add(family: FamilyFacts, events: EventRow[]): void {
    this.municipalityOf.set(family.neighbourhoodId, family.municipalityId);
    const touched = new Set<string>();
    const types = ['', ...family.organisationTypes];
    const consent = family.consent ? '1' : '0';
    for (const e of events) {
      const groups: [string, string][] =
        e.indicator === 'referrals'
          ? [
              ['', ''],
              ['intervention', e.intervention_key ?? ''],
              ['evidence', e.evidence_level ?? ''],
            ]
          : [['', '']];
      for (const phase of e.phase ? [e.phase, ''] : ['']) {
        for (const type of types) {
          for (const [kind, group] of groups) {
            const prefix = [family.neighbourhoodId, e.month, phase, type, consent, e.indicator, kind, group].join(SEP);
            for (const bucket of [e.bucket, '']) {
              const key = `${prefix}${SEP}${bucket}`;
              let cell = this.counts.get(key);
              if (!cell) {
                cell = { value: 0, families: 0 };
                this.counts.set(key, cell);
              }
              cell.value += e.weight ?? 1;
              if (!touched.has(key)) {
                touched.add(key);
                cell.families++;
              }
            }
            if (e.value !== null && e.value !== undefined) {
              const key = `${prefix}${SEP}${e.value}`;
              this.measures.set(key, (this.measures.get(key) ?? 0) + 1);
            }
          }
        }
      }
    }
  }

  private dimensions(refreshId: string, parts: string[]) {
    const [hood, month, phase, type, consent, indicator, kind, group] = parts as string[];
    return {
      refresh_id: refreshId,
      municipality_id: this.municipalityOf.get(hood as string) as string,
      month: month as string,
      neighbourhood_id: hood as string,
      phase: phase as string,
      organisation_type: type as string,
      figures_consent: consent === '1',
      indicator: indicator as string,
      group_kind: kind as string,
      group_key: group as string,
    };
  }

  cells(refreshId: string): Insertable<DB['figure_cells']>[] {
    return [...this.counts].map(([key, cell]) => {
      const parts = key.split(SEP);
      return { ...this.dimensions(refreshId, parts), bucket: parts[8] as string, ...cell };
    });
  }

  values(refreshId: string): Insertable<DB['figure_values']>[] {
    return [...this.measures].map(([key, n]) => {
      const parts = key.split(SEP);
      return { ...this.dimensions(refreshId, parts), value: Number(parts[8]), n };
    });
  }
}
const SEP = '\u0001';

const STOCK_INDICATORS = INDICATORS.filter((indicator) => indicator.source === 'stock');
/** Every (indicator, bucket) of the stock indicators, numbered: the last part of a count's key. */
const STOCK_CELLS = STOCK_INDICATORS.flatMap((indicator) =>
  indicator.buckets.map((bucket) => ({ indicator: indicator.key, bucket })),
);
const cellIndex = new Map(STOCK_CELLS.map((cell, i) => [`${cell.indicator}|${cell.bucket}`, i]));
const STOCK_TYPES = ['', ...ORGANISATION_TYPES];

/**
 * Families at each month's end (today for the running month), summed in memory per month,
 * neighbourhood, phase, organisation type ('' = any) and consent, then written as a few rows.
 * A count's key is one number (neighbourhood, month, phase, consent, type, indicator and bucket
 * numbered), since this runs for every family in every month.
 */
class StockCounter {
  private readonly counts = new Map<number, number>();
  private readonly months: IsoDate[];
  private readonly ends: IsoDate[];
  private readonly hoods: { id: string; municipalityId: string }[] = [];
  private readonly hoodIndex = new Map<string, number>();

  constructor(months: IsoDate[], today: IsoDate) {
    this.months = months;
    this.ends = months.map((month) => {
      const end = lastDayOf(month);
      return end < today ? end : today;
    });
  }

  add(family: FamilyFacts): void {
    let hood = this.hoodIndex.get(family.neighbourhoodId);
    if (hood === undefined) {
      hood = this.hoods.push({ id: family.neighbourhoodId, municipalityId: family.municipalityId }) - 1;
      this.hoodIndex.set(family.neighbourhoodId, hood);
    }
    const types = [0, ...family.organisationTypes.map((type) => STOCK_TYPES.indexOf(type)).filter((t) => t > 0)];
    const judgements = family.judgements
      .filter((j) => j.inForceFrom !== null)
      .sort((a, b) => ((a.inForceFrom as IsoDate) < (b.inForceFrom as IsoDate) ? 1 : -1));
    for (let m = 0; m < this.months.length; m++) {
      const day = this.ends[m] as IsoDate;
      const phase = familyPhaseOn(family, day);
      if (!phase) continue;
      const judgement = judgements.find((j) => (j.inForceFrom as IsoDate) <= day);
      const { stress, protective } = signalCounts(family, day);
      const cells = [
        `families_by_phase|${phase}`,
        `care_intensity|${judgement?.intensity ?? 'none'}`,
        `stress_factors|${countBucket(stress, 4)}`,
        `protective_factors|${countBucket(protective, 3)}`,
      ].map((cell) => cellIndex.get(cell) as number);
      const base = ((hood * this.months.length + m) * FIGURE_PHASES.length + FIGURE_PHASES.indexOf(phase)) * 2;
      const withConsent = base + (family.consent ? 1 : 0);
      for (const type of types) {
        for (const cell of cells) {
          const key = (withConsent * STOCK_TYPES.length + type) * STOCK_CELLS.length + cell;
          this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
        }
      }
    }
  }

  rows(refreshId: string): Insertable<DB['figure_stock']>[] {
    return [...this.counts].map(([key, families]) => {
      let rest = key;
      const take = (size: number) => {
        const part = rest % size;
        rest = Math.floor(rest / size);
        return part;
      };
      const cell = STOCK_CELLS[take(STOCK_CELLS.length)] as (typeof STOCK_CELLS)[number];
      const type = STOCK_TYPES[take(STOCK_TYPES.length)] as string;
      const consent = take(2) === 1;
      const phase = FIGURE_PHASES[take(FIGURE_PHASES.length)] as string;
      const month = this.months[take(this.months.length)] as string;
      const hood = this.hoods[rest] as { id: string; municipalityId: string };
      return {
        refresh_id: refreshId,
        municipality_id: hood.municipalityId,
        month,
        neighbourhood_id: hood.id,
        phase,
        organisation_type: type,
        figures_consent: consent,
        indicator: cell.indicator,
        bucket: cell.bucket,
        families,
      };
    });
  }
}
