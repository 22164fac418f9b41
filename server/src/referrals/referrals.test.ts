import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  auditEvents,
  type Client,
  createTestApp,
  daysFromToday,
  professionalAt,
  registration,
  seedAccount,
  seedRegion,
  type TestApp,
  tableCounts,
} from '../../test/helpers.ts';
import { verifyAudit } from '../audit/verify-audit.ts';
import { REFERRAL_STATUSES, type ReferralStatus } from '../database/schema.ts';
import { CSV_COLUMNS, InterventionDefinition, parseCsv, shippedCatalogue } from '../interventions/catalogue.ts';
import { type FamilyFacts, notEligibleBecause } from '../interventions/find-interventions.ts';
import { askAboutLateReferrals } from './late-referrals.ts';
import { INBOX_URGENCY_RANK } from './read-referrals.ts';
import { REFERRAL_TRANSITIONS, workingDaysBetween } from './referral.ts';

let t: TestApp;
let jgz: Awaited<ReturnType<typeof professionalAt>>;
let wijkteam: Awaited<ReturnType<typeof professionalAt>>;

beforeEach(async () => {
  t = await createTestApp();
  await seedRegion(t.db);
  jgz = await professionalAt(t, 'jgz');
  wijkteam = await professionalAt(t, 'wijkteam');
  await offer('debt_support', wijkteam.organisationId, 2);
  await offer('stevig_ouderschap', jgz.organisationId, 0);
  await offer('video_interaction_guidance', wijkteam.organisationId, 4);
});
afterEach(() => t.close());

async function offer(key: string, organisationId: string, waitingWeeks: number) {
  await t.db
    .insertInto('intervention_offers')
    .values({
      intervention_key: key,
      organisation_id: organisationId,
      waiting_weeks: waitingWeeks,
      contact: '0800-1234',
    })
    .execute();
}

/** A family born two months ago, registered by JGZ (which has the parents' consent in all categories). */
async function bornFamily(client: Client = jgz.client) {
  const familyId = (
    await client.post('/api/families', registration({ pregnancy: { dueDate: daysFromToday(-60) } }))
  ).json().familyId as string;
  const record = (await client.get(`/api/families/${familyId}`)).json();
  const trajectory = record.trajectories[0];
  await client.post(`/api/families/${familyId}/trajectories/${trajectory.id}/birth`, {
    birthDate: daysFromToday(-60),
    birthWeightGrams: 3400,
    birthPlace: 'hospital',
    version: trajectory.version,
  });
  return { familyId, mother: record.persons[0].id as string };
}

const referral = (toOrganisationId: string, overrides: Record<string, unknown> = {}) => ({
  idempotencyKey: randomUUID(),
  toOrganisationId,
  interventionKey: 'debt_support',
  reason: 'Moeder vertelt over schulden die haar slapeloze nachten geven.',
  urgency: 'soon',
  sharedCategories: ['social'],
  consentGivenHow: 'verbal',
  ...overrides,
});

const find = async (familyId: string, query = '') =>
  (await jgz.client.get(`/api/families/${familyId}/interventions${query}`)).json();

describe('the intervention catalogue', () => {
  it('ships the starter programmes, each with an evidence level to check locally', () => {
    const keys = shippedCatalogue().interventions.map((i) => i.key);
    for (const key of [
      'preconception_advice',
      'centering_pregnancy',
      'centering_parenting',
      'voorzorg',
      'stevig_ouderschap',
      'video_interaction_guidance',
      'parent_infant_psychotherapy',
      'perinatal_mental_health',
      'debt_support',
      'housing_support',
      'healthy_weight',
      'home_start',
      'vipp_sd',
      'samenstarten',
      'nu_niet_zwanger',
      'jgz_prenatal_home_visit',
      'pop_poli',
    ]) {
      expect(keys).toContain(key);
    }
  });

  it('gives every level its source and the day Kring checked it; a confirmed level carries the day it was given', () => {
    for (const intervention of shippedCatalogue().interventions) {
      expect(intervention.evidenceSource.length, intervention.key).toBeGreaterThan(20);
      expect(intervention.evidenceCheckedOn, intervention.key).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(intervention.enrolment.phases.length, intervention.key).toBeGreaterThan(0);
      if (intervention.evidence !== 'not_assessed' && intervention.evidenceVerified) {
        expect(intervention.evidenceDate, intervention.key).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
      // What could not be confirmed says so in its source text.
      if (!intervention.evidenceVerified)
        expect(intervention.evidenceSource, intervention.key).toMatch(/te controleren/i);
    }
    const base = shippedCatalogue().interventions.find((i) => i.key === 'voorzorg');
    const without = InterventionDefinition.safeParse({ ...base, evidenceDate: null });
    expect(without.success).toBe(false);
    expect(without.error?.issues[0]).toMatchObject({ path: ['evidenceDate'], message: 'the day the level was given' });
    const { evidenceCheckedOn: _checked, ...unchecked } = base as NonNullable<typeof base>;
    expect(InterventionDefinition.safeParse(unchecked).success).toBe(false);
  });

  it('checks entry criteria as data: phase, weeks of pregnancy, the child’s age, a first child', () => {
    const catalogue = new Map(shippedCatalogue().interventions.map((i) => [i.key, i]));
    const facts = (overrides: Partial<FamilyFacts>): FamilyFacts => ({
      phase: 'trimester_2',
      interventionPhase: 'pregnancy',
      childAgeMonths: null,
      pregnancyWeeks: 20,
      bornChildren: 0,
      stressCodes: ['finances'],
      askedForHelp: false,
      disturbedRelationship: false,
      intensityInForce: null,
      ...overrides,
    });
    const voorzorg = catalogue.get('voorzorg') as InterventionDefinition;
    const stevig = catalogue.get('stevig_ouderschap') as InterventionDefinition;
    const baby = facts({
      phase: 'months_0_6',
      interventionPhase: 'after_birth',
      childAgeMonths: 2,
      pregnancyWeeks: null,
    });
    expect(notEligibleBecause(voorzorg, facts({}))).toEqual([]);
    // A born child never gets VoorZorg: it starts in a first pregnancy, before 28 weeks.
    expect(notEligibleBecause(voorzorg, baby)).toEqual(['phase']);
    expect(notEligibleBecause(voorzorg, facts({ phase: 'trimester_3', pregnancyWeeks: 30 }))).toEqual([
      'pregnancy_weeks',
    ]);
    expect(notEligibleBecause(voorzorg, facts({ bornChildren: 1 }))).toEqual(['not_first_child']);
    expect(notEligibleBecause(stevig, facts({ phase: 'trimester_1', pregnancyWeeks: 12 }))).toEqual([
      'pregnancy_weeks',
    ]);
    expect(notEligibleBecause(stevig, baby)).toEqual([]);
    expect(notEligibleBecause(stevig, { ...baby, childAgeMonths: 8 })).toEqual(['child_age']);
  });

  it('is the sociale kaart: every intervention with who offers it, capacity, waiting time and contact', async () => {
    const { interventions } = (await jgz.client.get('/api/interventions')).json();
    const debt = interventions.find((i: { definition: { key: string } }) => i.definition.key === 'debt_support');
    expect(debt.offers).toEqual([
      expect.objectContaining({ organisationId: wijkteam.organisationId, waitingWeeks: 2, contact: '0800-1234' }),
    ]);
    expect(debt.definition.evidence).toBe('not_assessed');
    // An organisation keeps its own line current: waiting time, capacity, contact — or stops offering.
    const updated = await wijkteam.client.put('/api/interventions/debt_support/offer', {
      waitingWeeks: 5,
      capacityPerMonth: 3,
      contact: 'Loket Geldzaken, 0800-5678',
    });
    expect(updated.json()).toEqual({ interventionKey: 'debt_support', offered: true });
    const offers = async () =>
      (await jgz.client.get('/api/interventions'))
        .json()
        .interventions.find((i: { definition: { key: string } }) => i.definition.key === 'debt_support').offers;
    expect(await offers()).toEqual([
      expect.objectContaining({ waitingWeeks: 5, capacityPerMonth: 3, contact: 'Loket Geldzaken, 0800-5678' }),
    ]);
    await wijkteam.client.put('/api/interventions/debt_support/offer', {
      waitingWeeks: 0,
      capacityPerMonth: null,
      contact: 'n.v.t.',
      offered: false,
    });
    expect(await offers()).toEqual([]);
  });

  const csvRow = (overrides: Partial<Record<(typeof CSV_COLUMNS)[number], string>> = {}) => {
    const row: Record<string, string> = {
      key: 'baby_massage',
      name_nl: 'Babymassage',
      name_en: 'Baby massage',
      description_nl: 'Ouders leren hun baby te masseren, in een groep.',
      description_en: 'Parents learn to massage their baby, in a group.',
      phases: 'after_birth',
      age_from_months: '0',
      age_to_months: '6',
      intensity: 'ordinary',
      works_on: 'group_care;parent_child_relationship',
      target_group_nl: 'Alle ouders',
      target_group_en: 'All parents',
      eligibility_nl: 'Geen',
      eligibility_en: 'None',
      evidence: 'not_assessed',
      evidence_source: 'Provider, "check locally"',
      caveats_nl: 'Geen bekend',
      caveats_en: 'None known',
      addresses: 'isolation',
      ...overrides,
    };
    return CSV_COLUMNS.map((c) =>
      /[",\n]/.test(row[c] ?? '') ? `"${(row[c] ?? '').replaceAll('"', '""')}"` : row[c],
    ).join(',');
  };

  it('imports a CSV from an administrator; quoted fields and line breaks inside them are kept', async () => {
    const admin = await t.signIn((await seedAccount(t.db, { kind: 'admin' })).email);
    const csv = [
      CSV_COLUMNS.join(','),
      csvRow(),
      csvRow({ key: 'debt_support', caveats_nl: 'Regel één\nregel twee' }),
    ].join('\r\n');
    const response = await admin.post('/api/interventions/import', { csv });
    expect(response.json()).toEqual({ imported: 2, keys: ['baby_massage', 'debt_support'] });
    const { interventions } = (await jgz.client.get('/api/interventions')).json();
    const debt = interventions.find((i: { definition: { key: string } }) => i.definition.key === 'debt_support');
    expect(debt).toMatchObject({ source: 'import', definition: { caveats: { nl: 'Regel één\nregel twee' } } });
    expect(
      interventions.find((i: { definition: { key: string } }) => i.definition.key === 'baby_massage').definition
        .evidenceSource,
    ).toBe('Provider, "check locally"');
  });

  it('reports every bad row with its line number and column, and imports nothing from a bad file', async () => {
    const admin = await t.signIn((await seedAccount(t.db, { kind: 'admin' })).email);
    const before = await tableCounts(t.db);
    const csv = [
      CSV_COLUMNS.join(','),
      csvRow(),
      csvRow({ key: 'second', evidence: 'very_good' }),
      csvRow({ key: 'third', addresses: 'isolation;nonsense', intensity: '' }),
      'only,three,columns',
      csvRow(),
    ].join('\n');
    const response = await admin.post('/api/interventions/import', { csv });
    expect(response.statusCode).toBe(400);
    const messages = response.json().fields.map((f: { message: string }) => f.message);
    expect(messages).toEqual([
      expect.stringMatching(/^line 3, evidence: /),
      expect.stringMatching(/^line 4, intensity: /),
      expect.stringMatching(/^line 4, addresses: unknown signal code "nonsense"/),
      'line 5: 3 columns, expected 19',
      'line 6, key: also on line 2',
    ]);
    const missing = await admin.post('/api/interventions/import', { csv: 'key,name_nl\nx,y' });
    expect(missing.json().fields[0].message).toMatch(/^line 1: missing column\(s\): name_en, description_nl/);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('parses RFC 4180 CSV', () => {
    expect(parseCsv('a,"b ""c""",d\r\n"e\nf",g,\n\n')).toEqual([
      { line: 1, fields: ['a', 'b "c"', 'd'] },
      { line: 2, fields: ['e\nf', 'g', ''] },
    ]);
  });
});

describe('finding an intervention for a family', () => {
  it("filters by the family's phase and child's age, and shows fit, evidence and waiting time", async () => {
    const { familyId, mother } = await bornFamily();
    await jgz.client.post(`/api/families/${familyId}/signals`, { code: 'finances', source: 'told_by_parent' });
    await jgz.client.post(`/api/families/${familyId}/signals`, {
      code: 'parent_trauma_loss',
      concernsPersonId: mother,
      source: 'told_by_parent',
    });
    const found = await find(familyId);
    expect(found.family).toMatchObject({ phase: 'months_0_6', childAgeMonths: 1, stressFactors: 2 });
    const keys = found.interventions.map((i: { definition: { key: string } }) => i.definition.key);
    expect(keys).toContain('stevig_ouderschap');
    expect(keys).not.toContain('centering_pregnancy');
    expect(keys).not.toContain('preconception_advice');
    const debt = found.interventions.find((i: { definition: { key: string } }) => i.definition.key === 'debt_support');
    expect(debt).toMatchObject({ fitsSignals: ['finances'], proposed: true, shortestWaitWeeks: 2, phaseFits: true });
    // Those that address the family's signals come first.
    expect(found.interventions[0].fitsSignals.length).toBeGreaterThan(0);
    const all = await find(familyId, '?allPhases=true&intensity=ordinary');
    expect(all.interventions.map((i: { definition: { key: string } }) => i.definition.key)).toContain(
      'centering_pregnancy',
    );
    expect(
      all.interventions.every((i: { definition: { intensity: string } }) => i.definition.intensity === 'ordinary'),
    ).toBe(true);
  });

  it('never proposes VoorZorg for a born child, and says why', async () => {
    const { familyId } = await bornFamily();
    await jgz.client.post(`/api/families/${familyId}/signals`, { code: 'finances', source: 'told_by_parent' });
    const found = await find(familyId, '?allPhases=true');
    const voorzorg = found.interventions.find((i: { definition: { key: string } }) => i.definition.key === 'voorzorg');
    expect(voorzorg).toMatchObject({ proposed: false, notProposedBecause: ['phase'] });
    const debt = found.interventions.find((i: { definition: { key: string } }) => i.definition.key === 'debt_support');
    expect(debt).toMatchObject({ proposed: true, notProposedBecause: [] });
  });

  it('holds relationship interventions back without stress, a disturbed relationship or a request for help', async () => {
    const { familyId } = await bornFamily();
    const quiet = await find(familyId);
    expect(quiet.relationshipRule).toEqual({ met: false, because: [] });
    const stevig = quiet.interventions.find(
      (i: { definition: { key: string } }) => i.definition.key === 'stevig_ouderschap',
    );
    expect(stevig.proposed).toBe(false);
    const refused = await jgz.client.post(
      `/api/families/${familyId}/referrals`,
      referral(jgz.organisationId, { interventionKey: 'stevig_ouderschap', sharedCategories: ['psychosocial'] }),
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.json().fields).toEqual([
      { field: 'body.reasonToProceed', message: 'required: the Gezondheidsraad rule is not met' },
    ]);
    const withReason = await jgz.client.post(
      `/api/families/${familyId}/referrals`,
      referral(jgz.organisationId, {
        interventionKey: 'stevig_ouderschap',
        sharedCategories: ['psychosocial'],
        reasonToProceed: 'De ouders vragen er zelf om, maar willen dat niet laten vastleggen.',
      }),
    );
    expect(withReason.statusCode).toBe(201);
    // Asking for help meets the rule.
    await jgz.client.post(`/api/families/${familyId}/signals`, { code: 'help_sought', source: 'told_by_parent' });
    const asked = await find(familyId);
    expect(asked.relationshipRule).toEqual({ met: true, because: ['asked_for_help'] });
    expect(
      asked.interventions.find((i: { definition: { key: string } }) => i.definition.key === 'stevig_ouderschap')
        .proposed,
    ).toBe(true);
  });

  it('is audited, and a family outside the team is not found', async () => {
    const { familyId } = await bornFamily();
    await find(familyId);
    expect((await auditEvents(t.db)).at(-1)).toMatchObject({ action: 'intervention.search', family_id: familyId });
    expect((await wijkteam.client.get(`/api/families/${familyId}/interventions`)).statusCode).toBe(404);
  });
});

describe('referrals', () => {
  it('runs from sent to completed: inbox, received, accepted (joins the team), started, completed', async () => {
    const { familyId } = await bornFamily();
    await jgz.client.post(`/api/families/${familyId}/signals`, { code: 'finances', source: 'told_by_parent' });
    const sent = await jgz.client.post(`/api/families/${familyId}/referrals`, referral(wijkteam.organisationId));
    expect(sent.statusCode).toBe(201);
    const { referralId } = sent.json();
    const inbox = (await wijkteam.client.get('/api/referrals/inbox')).json();
    expect(inbox.total).toBe(1);
    expect(inbox.referrals[0]).toMatchObject({ id: referralId, status: 'sent', urgency: 'soon', late: false });
    // The sender finds it under what she sent (and so does her organisation), with the family's name.
    const sentByMe = (await jgz.client.get('/api/referrals/sent')).json();
    expect(sentByMe).toMatchObject({ by: 'me', total: 1 });
    expect(sentByMe.referrals[0]).toMatchObject({
      id: referralId,
      familyId,
      familyName: expect.stringMatching(/^Sanne Test/),
      status: 'sent',
      late: false,
    });
    expect((await jgz.client.get('/api/referrals/sent?by=organisation')).json().total).toBe(1);
    expect((await wijkteam.client.get('/api/referrals/sent')).json()).toMatchObject({ total: 0, referrals: [] });
    expect((await jgz.client.get('/api/referrals/sent?by=everyone')).json().fields[0].field).toBe('query.by');
    // The receiver is not in the family's team: its task names no one (the referral shows what is shared).
    expect((await wijkteam.client.get('/api/tasks')).json().tasks).toEqual([
      expect.objectContaining({ kind: 'referral_to_answer', familyId, familyName: null }),
    ]);
    // Opening it marks it received; what went along is the family and the shared category's signals.
    const opened = (await wijkteam.client.get(`/api/referrals/${referralId}`)).json();
    expect(opened).toMatchObject({ status: 'received', version: 2, side: 'receiver' });
    expect(opened.shared.signals).toEqual([expect.objectContaining({ code: 'finances' })]);
    expect(opened.shared.persons.length).toBeGreaterThan(1);
    expect((await wijkteam.client.get(`/api/families/${familyId}`)).statusCode).toBe(404);

    const accepted = await wijkteam.client.post(`/api/referrals/${referralId}/status`, {
      status: 'accepted',
      version: 2,
      expectedStartOn: daysFromToday(14),
    });
    expect(accepted.json()).toMatchObject({ status: 'accepted', version: 3 });
    // The receiving organisation is now in the team, and the sender sees "accepted" on the record.
    expect((await wijkteam.client.get(`/api/families/${familyId}`)).statusCode).toBe(200);
    const record = (await jgz.client.get(`/api/families/${familyId}`)).json();
    expect(record.referrals[0]).toMatchObject({ id: referralId, status: 'accepted', mine: true, late: false });
    expect(record.trajectories[0].events.some((e: { kind: string }) => e.kind === 'referral')).toBe(true);
    expect((await wijkteam.client.get('/api/tasks')).json().tasks).toEqual([]);

    await wijkteam.client.post(`/api/referrals/${referralId}/status`, { status: 'started', version: 3 });
    const incomplete = await wijkteam.client.post(`/api/referrals/${referralId}/status`, {
      status: 'completed',
      version: 4,
      helpReceived: false,
      outcome: 'Gezin kwam niet opdagen',
    });
    expect(incomplete.json().fields).toEqual([
      { field: 'body.reason', message: 'required when help was not received' },
    ]);
    await wijkteam.client.post(`/api/referrals/${referralId}/status`, {
      status: 'completed',
      version: 4,
      helpReceived: true,
      outcome: 'Schulden in beeld, budgetbeheer loopt.',
    });
    const done = (await jgz.client.get(`/api/referrals/${referralId}`)).json();
    expect(done).toMatchObject({ status: 'completed', helpReceived: true, side: 'sender' });
    expect(done.events.map((e: { status: string }) => e.status)).toEqual([
      'sent',
      'received',
      'accepted',
      'started',
      'completed',
    ]);
    expect((await wijkteam.client.get('/api/referrals/inbox?view=closed')).json().total).toBe(1);
    expect((await verifyAudit(t.db)).broken).toEqual([]);
  });

  it('lists the open inbox urgent first, then soon, then routine, each oldest first — in the index’s order', async () => {
    const { familyId } = await bornFamily();
    const sent: string[] = [];
    for (const urgency of ['routine', 'urgent', 'soon', 'urgent']) {
      const response = await jgz.client.post(
        `/api/families/${familyId}/referrals`,
        referral(wijkteam.organisationId, { urgency }),
      );
      sent.push(response.json().referralId);
    }
    const inbox = (await wijkteam.client.get('/api/referrals/inbox')).json();
    expect(inbox.referrals.map((r: { id: string }) => r.id)).toEqual([sent[1], sent[3], sent[2], sent[0]]);
    // Filtered by urgency or by the sending organisation, the total too.
    const urgent = (await wijkteam.client.get('/api/referrals/inbox?urgency=urgent')).json();
    expect(urgent).toMatchObject({ total: 2 });
    expect(urgent.referrals.map((r: { id: string }) => r.id)).toEqual([sent[1], sent[3]]);
    expect((await wijkteam.client.get(`/api/referrals/inbox?from=${jgz.organisationId}`)).json().total).toBe(4);
    expect((await wijkteam.client.get(`/api/referrals/inbox?from=${wijkteam.organisationId}`)).json().total).toBe(0);
    const refused = await wijkteam.client.get('/api/referrals/inbox?urgency=whenever');
    expect(refused.statusCode).toBe(400);
    expect(refused.json().fields.map((f: { field: string }) => f.field)).toEqual(['query.urgency']);
    // The page is read from referrals_inbox_idx only while the index holds this very expression.
    const migration = fs.readFileSync(
      path.join(import.meta.dirname, '../database/migrations/031-referral-inbox-order.sql'),
      'utf8',
    );
    expect(migration).toContain(`(${INBOX_URGENCY_RANK})`);
  });

  it('cannot be sent without the parents’ consent for the receiver, naming whose consent is missing', async () => {
    const { familyId, mother } = await bornFamily();
    const before = await tableCounts(t.db);
    const refused = await jgz.client.post(
      `/api/families/${familyId}/referrals`,
      referral(wijkteam.organisationId, { consentGivenHow: undefined }),
    );
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'CONSENT_REQUIRED' });
    expect(refused.json().missing).toContainEqual({ personId: mother, role: 'pregnant_person', category: 'social' });
    expect(await tableCounts(t.db)).toEqual({ ...before, audit_events: (before.audit_events ?? 0) + 1 });
    expect((await auditEvents(t.db)).at(-1)).toMatchObject({ action: 'referral.send', outcome: 'refused' });
    // Consent given now, in the same step, for what goes along.
    const sent = await jgz.client.post(`/api/families/${familyId}/referrals`, referral(wijkteam.organisationId));
    expect(sent.statusCode).toBe(201);
    const consents = (await jgz.client.get(`/api/families/${familyId}`)).json().consent.entries;
    expect(
      consents
        .filter((c: { organisationId: string }) => c.organisationId === wijkteam.organisationId)
        .map((c: { category: string }) => c.category),
    ).toEqual(['social', 'social']);
  });

  it('goes only to an organisation that offers the intervention; drafts stay with the sender', async () => {
    const { familyId } = await bornFamily();
    const notOffered = await jgz.client.post(
      `/api/families/${familyId}/referrals`,
      referral(wijkteam.organisationId, { interventionKey: 'voorzorg' }),
    );
    expect(notOffered.json().fields).toEqual([
      { field: 'body.toOrganisationId', message: 'does not offer this intervention' },
    ]);
    const draft = (
      await jgz.client.post(`/api/families/${familyId}/referrals`, referral(wijkteam.organisationId, { draft: true }))
    ).json();
    expect(draft.status).toBe('draft');
    expect((await wijkteam.client.get('/api/referrals/inbox')).json().total).toBe(0);
    expect((await wijkteam.client.get(`/api/referrals/${draft.referralId}`)).statusCode).toBe(404);
    const sent = await jgz.client.post(`/api/referrals/${draft.referralId}/status`, {
      status: 'sent',
      version: 1,
      consentGivenHow: 'verbal',
    });
    expect(sent.json()).toMatchObject({ status: 'sent' });
    expect((await wijkteam.client.get('/api/referrals/inbox')).json().total).toBe(1);
    // Someone outside both organisations does not find it.
    const other = await professionalAt(t, 'ggz');
    expect((await other.client.get(`/api/referrals/${draft.referralId}`)).statusCode).toBe(404);
  });

  it('is sent once however often the same request arrives (double click, retry)', async () => {
    const { familyId } = await bornFamily();
    const body = referral(wijkteam.organisationId);
    const [a, b] = await Promise.all([
      jgz.client.post(`/api/families/${familyId}/referrals`, body),
      jgz.client.post(`/api/families/${familyId}/referrals`, body),
    ]);
    const retry = await jgz.client.post(`/api/families/${familyId}/referrals`, body);
    expect(new Set([a.json().referralId, b.json().referralId, retry.json().referralId]).size).toBe(1);
    const rows = await t.db.selectFrom('referrals').select('id').execute();
    expect(rows).toHaveLength(1);
    const tasks = await t.db.selectFrom('tasks').select('id').where('kind', '=', 'referral_to_answer').execute();
    expect(tasks).toHaveLength(1);
  });

  it('shows as late after the set number of working days without an answer, and asks the sender once', async () => {
    const { familyId } = await bornFamily();
    const { referralId } = (
      await jgz.client.post(`/api/families/${familyId}/referrals`, referral(wijkteam.organisationId))
    ).json();
    await t.db
      .updateTable('referrals')
      .set({ sent_at: new Date(Date.now() - 10 * 86_400_000) })
      .where('id', '=', referralId)
      .execute();
    expect((await jgz.client.get(`/api/families/${familyId}`)).json().referrals[0].late).toBe(true);
    const caseload = (await jgz.client.get('/api/caseload')).json().families;
    expect(caseload.find((f: { familyId: string }) => f.familyId === familyId).lateReferrals).toBe(1);
    expect(await askAboutLateReferrals(t.db, 5)).toBe(1);
    expect(await askAboutLateReferrals(t.db, 5)).toBe(0);
    expect((await jgz.client.get('/api/tasks')).json().tasks).toContainEqual(
      expect.objectContaining({ kind: 'referral_late', familyId }),
    );
    // An answer ends both the lateness and the task.
    const opened = (await wijkteam.client.get(`/api/referrals/${referralId}`)).json();
    await wijkteam.client.post(`/api/referrals/${referralId}/status`, {
      status: 'declined',
      version: opened.version,
      reason: 'no_capacity',
      alternative: 'Schuldhulp van de gemeente zelf, loket stadhuis.',
    });
    expect((await jgz.client.get(`/api/families/${familyId}`)).json().referrals[0]).toMatchObject({
      status: 'declined',
      late: false,
      helpReceived: false,
    });
    expect((await jgz.client.get('/api/tasks')).json().tasks).not.toContainEqual(
      expect.objectContaining({ kind: 'referral_late' }),
    );
  });

  it('counts working days, Monday to Friday', () => {
    // 2026-11-20 is a Friday: the next Friday is five working days on.
    expect(workingDaysBetween('2026-11-20', '2026-11-27')).toBe(5);
    expect(workingDaysBetween('2026-11-20', '2026-11-22')).toBe(0);
    expect(workingDaysBetween('2026-11-20', '2026-11-20')).toBe(0);
  });
});

describe('the referral state machine', () => {
  const bodyFor = (status: ReferralStatus): Record<string, unknown> =>
    ({
      draft: {},
      sent: { consentGivenHow: 'verbal' },
      received: {},
      accepted: { expectedStartOn: daysFromToday(7) },
      declined: { reason: 'not_eligible', alternative: 'Geen alternatief in de regio.' },
      started: {},
      completed: { helpReceived: true, outcome: 'Afgerond naar tevredenheid.' },
      cancelled: { reason: 'family_declined', note: 'Gezin wil het niet meer.' },
    })[status];

  it('allows exactly the moves in its table, each by the right side', async () => {
    const { familyId } = await bornFamily();
    const outcomes: string[] = [];
    for (const from of REFERRAL_STATUSES) {
      for (const to of REFERRAL_STATUSES) {
        const { referralId } = (
          await jgz.client.post(
            `/api/families/${familyId}/referrals`,
            referral(wijkteam.organisationId, { draft: true }),
          )
        ).json();
        await t.db
          .updateTable('referrals')
          .set({ status: from, sent_at: new Date() })
          .where('id', '=', referralId)
          .execute();
        // A draft exists only for its sender; otherwise the side that may make the move asks.
        const side = from === 'draft' || to === 'sent' || to === 'draft' ? jgz : wijkteam;
        const response = await side.client.post(`/api/referrals/${referralId}/status`, {
          status: to,
          version: 1,
          ...bodyFor(to),
        });
        const legal = (REFERRAL_TRANSITIONS[from] as readonly string[]).includes(to);
        if (to === 'draft') {
          expect(response.statusCode).toBe(400);
          continue;
        }
        outcomes.push(`${from}→${to}:${response.statusCode}`);
        expect(response.statusCode, `${from} → ${to}`).toBe(legal ? 200 : 409);
        if (!legal) expect(response.json().code).toBe('INVALID_TRANSITION');
      }
    }
    expect(outcomes.filter((o) => o.endsWith(':200'))).toHaveLength(
      Object.values(REFERRAL_TRANSITIONS).reduce((n, targets) => n + targets.length, 0),
    );
  });

  it('refuses a move by the wrong side, a stale version, and accepting twice', async () => {
    const { familyId } = await bornFamily();
    const { referralId } = (
      await jgz.client.post(`/api/families/${familyId}/referrals`, referral(wijkteam.organisationId))
    ).json();
    const bySender = await jgz.client.post(`/api/referrals/${referralId}/status`, {
      status: 'accepted',
      version: 1,
      expectedStartOn: daysFromToday(7),
    });
    expect(bySender.statusCode).toBe(403);
    const stale = await wijkteam.client.post(`/api/referrals/${referralId}/status`, { status: 'received', version: 9 });
    expect(stale.json().code).toBe('STALE_VERSION');
    const accept = { status: 'accepted', version: 1, expectedStartOn: daysFromToday(7) };
    expect((await wijkteam.client.post(`/api/referrals/${referralId}/status`, accept)).statusCode).toBe(200);
    const twice = await wijkteam.client.post(`/api/referrals/${referralId}/status`, { ...accept, version: 2 });
    expect(twice.json().code).toBe('INVALID_TRANSITION');
  });
});
