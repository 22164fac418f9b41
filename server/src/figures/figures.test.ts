import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, seedAccount, seedOrganisation, type TestApp } from '../../test/helpers.ts';
import { type OrganisationType, textArray } from '../database/schema.ts';
import { syncCatalogue } from '../interventions/catalogue.ts';
import { type CountedFigures, countFigures, type FigureFilters, windowOf } from './read-figures.ts';
import { refreshFigures } from './refresh-figures.ts';

/**
 * Every indicator on a small hand-made region whose right answers are worked out by hand in the
 * comments. Counting happens before suppression here; suppression has its own tests, and the API
 * test at the end shows that these small counts never leave the server.
 */

const TODAY = '2026-06-15';
let t: TestApp;
let author: string;
let municipalityId: string;
const hoods = { north: randomUUID(), south: randomUUID() };
const orgs = {} as Record<'midwife' | 'kraamzorg' | 'jgz' | 'wijkteam', string>;
const families = {} as Record<'a' | 'b' | 'c', string>;
let analyst: { email: string };

const filters = (overrides: Partial<FigureFilters> = {}): FigureFilters => ({
  from: '2025-07',
  to: '2026-06',
  granularity: 'month',
  ...overrides,
});
const count = (overrides: Partial<FigureFilters> = {}, consentRequired = true) =>
  countFigures(t.db, municipalityId, filters(overrides), { consentRequired, language: 'nl', today: TODAY });

/** One indicator's table, as {row: {bucket: value}} with only the non-zero cells. */
function table(figures: CountedFigures, key: string, dimension = 'neighbourhood') {
  const indicator = figures.indicators.find((i) => i.key === key);
  const found = indicator?.tables.find((tb) => tb.dimension === dimension);
  if (!indicator || !found) throw new Error(`no ${dimension} table for ${key}`);
  const cells: Record<string, Record<string, number>> = {};
  for (const row of [...found.rows, ...(found.total ? [found.total] : [])]) {
    row.cells.forEach((cell, i) => {
      if (cell.value) {
        cells[row.key] ??= {};
        (cells[row.key] as Record<string, number>)[indicator.buckets[i] as string] = cell.value;
      }
    });
  }
  return cells;
}
const totalRow = (figures: CountedFigures, key: string, dimension = 'neighbourhood') => {
  const found = figures.indicators.find((i) => i.key === key)?.tables.find((tb) => tb.dimension === dimension);
  return found?.total;
};

async function addFamily(options: {
  hood: string;
  consent: boolean;
  team: { org: string; since: string }[];
  trajectory: { kind: 'preconception' } | { kind: 'child'; dueDate: string; birthDate?: string; birthWeight?: number };
}) {
  const db = t.db;
  const id = randomUUID();
  await db
    .insertInto('families')
    .values({
      id,
      postcode: '9901AA',
      neighbourhood_id: options.hood,
      registered_by_organisation_id: orgs.midwife,
      created_at: `${TODAY}T12:00:00Z`,
    })
    .execute();
  const mother = randomUUID();
  await db
    .insertInto('persons')
    .values({ id: mother, family_id: id, role: 'pregnant_person', parental_authority: true, birth_date: '1994-01-01' })
    .execute();
  if (options.consent) {
    await db
      .insertInto('consents')
      .values({
        id: randomUUID(),
        family_id: id,
        person_id: mother,
        purpose: 'municipal_figures',
        given_how: 'verbal',
        recorded_by_account_id: author,
      })
      .execute();
  }
  if (options.trajectory.kind === 'preconception') {
    await db
      .insertInto('trajectories')
      .values({ id: randomUUID(), family_id: id, kind: 'preconception', child_person_id: null })
      .execute();
  } else {
    const child = randomUUID();
    const born = options.trajectory.birthDate;
    await db
      .insertInto('persons')
      .values({
        id: child,
        family_id: id,
        role: 'child',
        child_status: born ? 'born' : 'expected',
        birth_date: born ?? null,
      })
      .execute();
    await db
      .insertInto('trajectories')
      .values({
        id: randomUUID(),
        family_id: id,
        kind: 'child',
        child_person_id: child,
        due_date: options.trajectory.dueDate,
        birth_date: born ?? null,
        birth_weight_grams: options.trajectory.birthWeight ?? null,
      })
      .execute();
  }
  for (const member of options.team) {
    await db
      .insertInto('care_team_organisations')
      .values({ id: randomUUID(), family_id: id, organisation_id: member.org, started_on: member.since })
      .execute();
  }
  return { id, mother };
}

const contact = (family: string, org: string, on: string, kind = 'home_visit') =>
  t.db
    .insertInto('contacts')
    .values({
      id: randomUUID(),
      family_id: family,
      organisation_id: org,
      account_id: author,
      occurred_on: on,
      kind: kind as 'home_visit',
      category: 'medical',
    })
    .execute();
const signal = (family: string, code: string, since: string, source = 'observed') =>
  t.db
    .insertInto('signals')
    .values({
      id: randomUUID(),
      family_id: family,
      code,
      code_list_version: 1,
      status: 'present',
      since,
      source: source as 'observed',
      category: 'psychosocial',
      organisation_id: orgs.midwife,
      account_id: author,
    })
    .execute();
const handover = (family: string, from: string, to: string) =>
  t.db
    .insertInto('handovers')
    .values({
      id: randomUUID(),
      family_id: family,
      from_organisation_id: from,
      to_organisation_id: to,
      summary: 'Warme overdracht.',
      status: 'accepted',
      created_by_account_id: author,
    })
    .execute();

beforeAll(async () => {
  t = await createTestApp();
  const db = t.db;
  municipalityId = randomUUID();
  await db.insertInto('municipalities').values({ id: municipalityId, name: 'Handstad', cbs_code: 'GM0999' }).execute();
  await db
    .insertInto('neighbourhoods')
    .values([
      { id: hoods.north, municipality_id: municipalityId, name: 'Noord', cbs_code: 'WK099901' },
      { id: hoods.south, municipality_id: municipalityId, name: 'Zuid', cbs_code: 'WK099902' },
    ])
    .execute();
  const types: Record<keyof typeof orgs, OrganisationType> = {
    midwife: 'verloskundigenpraktijk',
    kraamzorg: 'kraamzorg',
    jgz: 'jgz',
    wijkteam: 'wijkteam',
  };
  for (const [name, type] of Object.entries(types)) orgs[name as keyof typeof orgs] = await seedOrganisation(db, type);
  author = (await seedAccount(db, { kind: 'professional', organisationId: orgs.midwife })).id;
  await syncCatalogue(db);

  // Family A (Noord), consented: pregnant, due 2026-10-01 (LMP 2025-12-25). First contact
  // 2026-02-10: day 47, week 6 → before week 10. A stress factor and a protective factor from
  // 2026-03-01; care intensity "specific", agreed at a second look on 2026-04-01; referred for debt
  // support on 2026-04-10, accepted, started 2026-04-20 (10 days).
  const a = await addFamily({
    hood: hoods.north,
    consent: true,
    team: [
      { org: orgs.midwife, since: '2026-02-01' },
      { org: orgs.wijkteam, since: '2026-04-12' },
    ],
    trajectory: { kind: 'child', dueDate: '2026-10-01' },
  });
  families.a = a.id;
  await contact(a.id, orgs.midwife, '2026-02-10', 'prenatal_check');
  await signal(a.id, 'finances', '2026-03-01');
  await signal(a.id, 'supportive_partner', '2026-03-01');
  await db
    .insertInto('judgements')
    .values({
      id: randomUUID(),
      family_id: a.id,
      stress_level: 'toxic',
      intensity: 'specific',
      rationale: 'Geldzorgen.',
      status: 'agreed',
      organisation_id: orgs.midwife,
      account_id: author,
      created_at: '2026-03-20T10:00:00Z',
      reviewed_at: '2026-04-01T10:00:00Z',
    })
    .execute();
  await db
    .insertInto('referrals')
    .values({
      id: randomUUID(),
      family_id: a.id,
      from_organisation_id: orgs.midwife,
      from_account_id: author,
      to_organisation_id: orgs.wijkteam,
      intervention_key: 'debt_support',
      reason: 'Schulden.',
      urgency: 'soon',
      shared_categories: textArray(['social']),
      status: 'started',
      idempotency_key: randomUUID(),
      sent_at: '2026-04-10T09:00:00Z',
      accepted_at: '2026-04-12T09:00:00Z',
      started_at: '2026-04-20T09:00:00Z',
    })
    .execute();

  // Family B (Noord), no consent for figures: due 2026-01-20 (LMP 2025-04-15), first contact
  // 2025-07-05: day 81, week 11 → weeks 10–13. Born 2025-12-10 after 239 days (< 259: preterm),
  // 2,100 g (low). Midwife's last contact 2025-12-01, kraamzorg's first 2025-12-11 (gap 10 days)
  // and last 2025-12-16, JGZ's first 2025-12-24 (gap 8 days); both handovers accepted.
  // JGZ moments: 2 weeks (target 12-24) and 4 weeks (01-07) on time; 8 weeks (target 02-04, on
  // time until 02-25) fulfilled late on 03-10; 3 months (03-11), 4 months (04-11) and 5 months (05-11) missed; 6
  // months (06-11) still within its time. Asked for help herself on 2026-01-05; two answers
  // confirmed from the chain's memory and three asked in January (and one reflective answer, not counted).
  const b = await addFamily({
    hood: hoods.north,
    consent: false,
    team: [
      { org: orgs.midwife, since: '2025-06-20' },
      { org: orgs.kraamzorg, since: '2025-12-10' },
      { org: orgs.jgz, since: '2025-12-20' },
    ],
    trajectory: { kind: 'child', dueDate: '2026-01-20', birthDate: '2025-12-10', birthWeight: 2100 },
  });
  families.b = b.id;
  await contact(b.id, orgs.midwife, '2025-07-05', 'prenatal_check');
  await contact(b.id, orgs.midwife, '2025-12-01', 'prenatal_check');
  await contact(b.id, orgs.kraamzorg, '2025-12-11', 'kraam_visit');
  await contact(b.id, orgs.kraamzorg, '2025-12-16', 'kraam_visit');
  await contact(b.id, orgs.jgz, '2025-12-24', 'home_visit');
  await contact(b.id, orgs.jgz, '2026-01-07', 'consultatiebureau');
  await contact(b.id, orgs.jgz, '2026-03-10', 'consultatiebureau');
  await handover(b.id, orgs.midwife, orgs.kraamzorg);
  await handover(b.id, orgs.kraamzorg, orgs.jgz);
  await signal(b.id, 'help_sought', '2026-01-05', 'told_by_parent');
  await db
    .insertInto('judgements')
    .values({
      id: randomUUID(),
      family_id: b.id,
      stress_level: 'normal',
      intensity: 'ordinary',
      rationale: 'Gewone spanning.',
      status: 'effective',
      organisation_id: orgs.jgz,
      account_id: author,
      created_at: '2026-02-01T10:00:00Z',
    })
    .execute();
  const response = randomUUID();
  await db
    .insertInto('guide_responses')
    .values({
      id: response,
      family_id: b.id,
      guide_key: 'postnatal_relationship',
      guide_version: 1,
      complete: true,
      organisation_id: orgs.jgz,
      account_id: author,
      created_at: '2026-01-07T10:00:00Z',
    })
    .execute();
  // Factual questions count; a reflective one (asked again on purpose) does not.
  const answer = (confirmedFrom: string | null, code = 'prenatal.earlier_loss_or_trauma') => ({
    id: randomUUID(),
    response_id: response,
    family_id: b.id,
    question_code: code,
    value: JSON.stringify('ja'),
    confirmed_from_answer_id: confirmedFrom,
    organisation_id: orgs.jgz,
    account_id: author,
    answered_at: '2026-01-07T10:00:00Z',
  });
  const earlier = answer(null);
  await db
    .insertInto('guide_answers')
    .values([earlier, answer(null), answer(null), answer(null, 'prenatal.parent_you_want_to_be')])
    .execute();
  await db
    .insertInto('guide_answers')
    .values([answer(earlier.id), answer(earlier.id)])
    .execute();

  // Family C (Zuid), consented: a wish for a child registered on 2026-05-01; nothing else yet.
  const c = await addFamily({
    hood: hoods.south,
    consent: true,
    team: [{ org: orgs.midwife, since: '2026-05-01' }],
    trajectory: { kind: 'preconception' },
  });
  families.c = c.id;

  const gemeente = await seedOrganisation(db, 'gemeente');
  await db.updateTable('organisations').set({ municipality_id: municipalityId }).where('id', '=', gemeente).execute();
  analyst = await seedAccount(db, { kind: 'analyst', organisationId: gemeente });
  await refreshFigures(db, { today: TODAY });
});
afterAll(() => t.close());

describe('the indicators, on a region counted by hand', () => {
  it('counts families in the 1001 days by phase at each month end, per neighbourhood and in total', async () => {
    const figures = await count({ to: '2026-05' });
    // At 2026-05-31: A in week 22 (trimester 2), B aged 5½ months, C wishing for a child.
    expect(table(figures, 'families_by_phase')).toEqual({
      WK099901: { trimester_2: 1, months_0_6: 1 },
      WK099902: { preconception: 1 },
      total: { trimester_2: 1, months_0_6: 1, preconception: 1 },
    });
    // By month: at 2025-07-31 only B (day 107, week 15: trimester 2); C only from May.
    const byMonth = table(figures, 'families_by_phase', 'period');
    expect(byMonth['2025-07']).toEqual({ trimester_2: 1 });
    expect(byMonth['2026-04']).toEqual({ trimester_2: 1, months_0_6: 1 });
    expect(byMonth['2026-05']).toEqual({ trimester_2: 1, months_0_6: 1, preconception: 1 });
  });

  it('counts the first contact by week of pregnancy, with the median week', async () => {
    const figures = await count();
    expect(table(figures, 'first_contact', 'period')).toEqual({
      '2025-07': { weeks_10_13: 1 },
      '2026-02': { before_week_10: 1 },
      total: { before_week_10: 1, weeks_10_13: 1 },
    });
    expect(totalRow(figures, 'first_contact', 'period')?.median).toBe(8.5);
  });

  it('counts care intensity, stress and protective factors only for families who consented', async () => {
    const figures = await count({ to: '2026-05' });
    // B did not consent: only A (specific, 1 stress, 1 protective) and C (none, 0, 0) count.
    expect(table(figures, 'care_intensity').total).toEqual({ specific: 1, none: 1 });
    expect(table(figures, 'stress_factors').total).toEqual({ '1': 1, '0': 1 });
    expect(table(figures, 'protective_factors').total).toEqual({ '1': 1, '0': 1 });
    expect(table(figures, 'asked_for_help', 'period')).toEqual({});
    // Before the second look agreed (in March), A had no care intensity in force yet.
    expect(table(figures, 'care_intensity', 'period')['2026-03']).toEqual({ none: 1 });
  });

  it('counts everyone when the region decided its aggregates are anonymous', async () => {
    const figures = await count({ to: '2026-05' }, false);
    expect(table(figures, 'care_intensity').total).toEqual({ specific: 1, ordinary: 1, none: 1 });
    expect(table(figures, 'asked_for_help', 'period')).toEqual({ '2026-01': { asked: 1 }, total: { asked: 1 } });
  });

  it('counts referrals by how they went, by intervention and evidence level, with the wait from sent to started', async () => {
    const figures = await count();
    expect(table(figures, 'referrals', 'period')).toEqual({ '2026-04': { accepted: 1 }, total: { accepted: 1 } });
    expect(table(figures, 'referrals', 'intervention')).toEqual({
      debt_support: { accepted: 1 },
      total: { accepted: 1 },
    });
    // Debt support is not assessed as a programme in the starter catalogue.
    expect(Object.keys(table(figures, 'referrals', 'evidence'))).toEqual(['not_assessed', 'total']);
    expect(totalRow(figures, 'referrals', 'period')).toMatchObject({ median: 10, p90: 10 });
    expect(figures.interventions).toEqual([{ key: 'debt_support', name: expect.any(String) }]);
  });

  it('counts the funnel from a first stress factor to help really received', async () => {
    const figures = await count();
    expect(table(figures, 'funnel', 'period')).toEqual({ '2026-03': { started: 1 }, total: { started: 1 } });
  });

  it('counts births: preterm and low birth weight', async () => {
    const figures = await count();
    expect(table(figures, 'preterm_birth', 'period')).toEqual({ '2025-12': { yes: 1 }, total: { yes: 1 } });
    expect(table(figures, 'low_birth_weight', 'period')).toEqual({ '2025-12': { yes: 1 }, total: { yes: 1 } });
  });

  it('counts the handovers around birth and the days between the organisations', async () => {
    const figures = await count();
    expect(table(figures, 'handover_midwife_kraamzorg', 'period')).toEqual({
      '2025-12': { completed: 1 },
      total: { completed: 1 },
    });
    expect(totalRow(figures, 'handover_midwife_kraamzorg', 'period')).toMatchObject({ median: 10 });
    expect(totalRow(figures, 'handover_kraamzorg_jgz', 'period')).toMatchObject({ median: 8 });
  });

  it('counts JGZ contact moments on time, late and missed in the month they were due', async () => {
    const figures = await count();
    expect(table(figures, 'jgz_on_time', 'period')).toEqual({
      '2025-12': { on_time: 1 },
      '2026-01': { on_time: 1 },
      '2026-02': { late: 1 },
      '2026-03': { missed: 1 },
      '2026-04': { missed: 1 },
      '2026-05': { missed: 1 },
      total: { on_time: 2, late: 1, missed: 3 },
    });
  });

  it('counts factual questions confirmed from the chain memory (reflective ones are asked again, not counted)', async () => {
    const figures = await count();
    expect(table(figures, 'chain_memory', 'period')).toEqual({
      '2026-01': { confirmed: 2, asked: 3 },
      total: { confirmed: 2, asked: 3 },
    });
  });

  it('filters on neighbourhood, phase and organisation type, and groups by quarter', async () => {
    const south = await count({ neighbourhood: 'WK099902', to: '2026-05' });
    expect(table(south, 'families_by_phase', 'period')['2026-05']).toEqual({ preconception: 1 });
    // The neighbourhood table keeps every neighbourhood beside the region.
    expect(Object.keys(table(south, 'families_by_phase'))).toEqual(['WK099901', 'WK099902', 'total']);
    const withWijkteam = await count({ organisationType: 'wijkteam', to: '2026-05' });
    expect(table(withWijkteam, 'families_by_phase').total).toEqual({ trimester_2: 1 });
    const trimester = await count({ phase: 'trimester_1' });
    expect(table(trimester, 'first_contact', 'period').total).toEqual({ before_week_10: 1, weeks_10_13: 1 });
    const quarters = await count({ granularity: 'quarter', from: '2025-07', to: '2026-06' });
    expect(table(quarters, 'jgz_on_time', 'period')).toMatchObject({
      '2025-Q4': { on_time: 1 },
      '2026-Q1': { on_time: 1, late: 1, missed: 1 },
      '2026-Q2': { missed: 2 },
    });
  });

  it('follows new events after the next refresh, and keeps only the newest refresh', async () => {
    await signal(families.a, 'housing', '2026-06-01');
    expect(table(await count(), 'stress_factors').total).toEqual({ '1': 1, '0': 1 });
    await refreshFigures(t.db, { today: TODAY });
    expect(table(await count(), 'stress_factors').total).toEqual({ '2': 1, '0': 1 });
    const refreshes = await t.db.selectFrom('figure_refreshes').select('id').execute();
    expect(refreshes).toHaveLength(1);
    const leftovers = await t.db.selectFrom('figure_cells').select('refresh_id').distinct().execute();
    expect(leftovers).toEqual([{ refresh_id: refreshes[0]?.id }]);
  });
});

describe('the period asked for', () => {
  it('refuses a period in the future, reversed, or before the figures begin', () => {
    expect(() => windowOf({ granularity: 'month', to: '2026-07' }, TODAY)).toThrow(/future/);
    expect(() => windowOf({ granularity: 'month', from: '2026-05', to: '2026-02' }, TODAY)).toThrow(/start before/);
    expect(() => windowOf({ granularity: 'month', from: '2023-01' }, TODAY)).toThrow(/go back/);
    expect(windowOf({ granularity: 'quarter', from: '2026-02', to: '2026-05' }, TODAY).periods).toEqual([
      { key: '2026-Q1', stockMonth: '2026-03-01' },
      { key: '2026-Q2', stockMonth: '2026-05-01' },
    ]);
  });
});

describe('the analyst reaches only aggregates', () => {
  let client: Client;
  beforeAll(async () => {
    client = await t.signIn(analyst.email);
  });

  it('gets the region with every small cell suppressed, and no identifier of anyone', async () => {
    const response = await client.get('/api/figures?from=2025-07&to=2026-05');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.region).toEqual({ name: 'Handstad', cbsCode: 'GM0999' });
    expect(body.refreshedAt).toEqual(expect.any(String));
    // Three families: every count that is not zero is below the threshold.
    for (const indicator of body.indicators) {
      for (const tb of indicator.tables) {
        for (const row of [...tb.rows, ...(tb.total ? [tb.total] : [])]) {
          for (const cell of [...row.cells, row.total]) expect(cell === null || cell === 0).toBe(true);
          expect(row.median).toBeNull();
        }
      }
    }
    expect(response.body).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    for (const id of Object.values(families)) expect(response.body).not.toContain(id);
  });

  it('records each look at the figures in the audit trail, without a family', async () => {
    await client.get('/api/figures');
    const last = await t.db
      .selectFrom('audit_events')
      .select(['action', 'family_id', 'record_type'])
      .where('action', '=', 'figures.read')
      .executeTakeFirstOrThrow();
    expect(last).toEqual({ action: 'figures.read', family_id: null, record_type: 'municipality' });
  });

  it('refuses unknown filters, a future or reversed period and a neighbourhood of elsewhere, naming the field', async () => {
    const cases: [string, string][] = [
      ['/api/figures?family=x', 'query'],
      ['/api/figures?to=2999-01', 'query.to'],
      ['/api/figures?from=2026-03&to=2026-01', 'query.from'],
      ['/api/figures?neighbourhood=WK000000', 'query.neighbourhood'],
      ['/api/figures?granularity=week', 'query.granularity'],
      ['/api/figures?phase=adolescence', 'query.phase'],
    ];
    for (const [url, field] of cases) {
      const response = await client.get(url);
      expect(response.statusCode, url).toBe(400);
      expect(
        response
          .json()
          .fields.map((f: { field: string }) => f.field)
          .join(),
        url,
      ).toContain(field);
    }
  });

  it('refuses every family route to the analyst', async () => {
    for (const url of [
      `/api/families/${families.a}`,
      `/api/families/${families.a}/picture`,
      '/api/caseload',
      '/api/referrals/inbox',
    ]) {
      const response = await client.get(url);
      expect([403, 404], url).toContain(response.statusCode);
    }
    const search = await client.post('/api/families/search', { query: 'Handstad' });
    expect(search.statusCode).toBe(403);
  });

  it('refuses the figures to a professional', async () => {
    const professional = await seedAccount(t.db, { kind: 'professional', organisationId: orgs.jgz });
    const response = await (await t.signIn(professional.email)).get('/api/figures');
    expect(response.statusCode).toBe(403);
  });
});
