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
import { meldcode, weigh } from './meldcode.ts';

let t: TestApp;
let jgz: Awaited<ReturnType<typeof professionalAt>>;
let vt: Awaited<ReturnType<typeof professionalAt>>;
let ggz: Awaited<ReturnType<typeof professionalAt>>;
let familyId: string;
let signalId: string;

beforeEach(async () => {
  t = await createTestApp();
  await seedRegion(t.db);
  jgz = await professionalAt(t, 'jgz');
  vt = await professionalAt(t, 'veilig_thuis');
  ggz = await professionalAt(t, 'ggz');
  familyId = (await jgz.client.post('/api/families', registration())).json().familyId;
  signalId = (
    await jgz.client.post(`/api/families/${familyId}/signals`, {
      code: 'domestic_violence',
      source: 'observed',
      note: 'Moeder had een blauwe plek op haar arm en schrok van de stem van haar partner.',
    })
  ).json().signalId;
});
afterEach(() => t.close());

const today = daysFromToday(0);
const steps = {
  1: () => ({ step: 1, happenedOn: today, signalIds: [signalId], note: 'Blauwe plek gezien, moeder schrikt.' }),
  2: () => ({
    step: 2,
    happenedOn: today,
    colleague: 'Aandachtsfunctionaris JGZ',
    advice: 'Ga in gesprek; vraag advies aan Veilig Thuis.',
    veiligThuisConsulted: true,
  }),
  3: () => ({
    step: 3,
    happenedOn: today,
    held: true,
    withWhom: 'Moeder, alleen',
    note: 'Moeder vertelt over ruzies; wil hulp maar niet dat de partner het weet.',
  }),
};

async function routeThroughStep3(client: Client = jgz.client) {
  const { routeId } = (
    await client.post(`/api/families/${familyId}/meldcode`, { reason: 'Vermoeden van huiselijk geweld' })
  ).json();
  for (const step of [steps[1](), steps[2](), steps[3]()]) {
    const response = await client.post(`/api/meldcode/${routeId}/steps`, step);
    expect(response.statusCode, JSON.stringify(response.json())).toBe(201);
  }
  return routeId as string;
}

describe('the afwegingskader as data', () => {
  it('leads each answer where the Meldcode says', () => {
    const definition = meldcode();
    expect(weigh(definition, { suspicion: false })).toEqual({ outcome: 'no_suspicion', path: ['suspicion'] });
    expect(weigh(definition, { suspicion: true, unsafety: true })).toMatchObject({ outcome: 'report' });
    expect(weigh(definition, { suspicion: true, unsafety: false, help_possible: false })).toMatchObject({
      outcome: 'report',
    });
    expect(
      weigh(definition, {
        suspicion: true,
        unsafety: false,
        help_possible: true,
        help_accepted: true,
        help_works: true,
      }),
    ).toMatchObject({ outcome: 'help' });
    expect(weigh(definition, { suspicion: true })).toEqual({ missing: 'unsafety' });
    expect(weigh(definition, { suspicion: false, unsafety: true })).toEqual({ extra: 'unsafety' });
  });
});

describe('the Meldcode route', () => {
  it('starts from a concern about the child itself: abuse or neglect, or a child affected by violence at home', async () => {
    const persons = (await jgz.client.get(`/api/families/${familyId}`)).json().persons as {
      id: string;
      role: string;
    }[];
    const child = persons.find((p) => p.role === 'child')?.id as string;
    for (const code of ['child_maltreatment_concern', 'child_exposed_domestic_violence']) {
      const recorded = await jgz.client.post(`/api/families/${familyId}/signals`, {
        code,
        concernsPersonId: child,
        source: 'observed',
        note: 'Blauwe plekken bij een baby die nog niet rolt.',
      });
      expect(recorded.statusCode, code).toBe(201);
      const started = await jgz.client.post(`/api/families/${familyId}/meldcode`, {
        reason: 'Letsel bij een baby die zich nog niet zelf beweegt.',
      });
      const routeId = started.json().routeId;
      expect(started.statusCode, code).toBe(201);
      const step1 = await jgz.client.post(`/api/meldcode/${routeId}/steps`, {
        step: 1,
        happenedOn: today,
        signalIds: [recorded.json().signalId],
        note: 'Letsel gezien en vastgelegd.',
      });
      expect(step1.statusCode, code).toBe(201);
      // One open route per organisation: close this one before the next code.
      await t.db
        .updateTable('meldcode_routes')
        .set({ status: 'closed', outcome: 'no_suspicion' })
        .where('id', '=', routeId)
        .execute();
    }
  });

  it('runs five dated, signed steps in order and ends in “offer help”, read back as one document', async () => {
    const routeId = await routeThroughStep3();
    await jgz.client.post(`/api/meldcode/${routeId}/steps`, {
      step: 4,
      happenedOn: today,
      answers: { suspicion: true, unsafety: false, help_possible: true, help_accepted: true, help_works: true },
      note: 'Geen acute onveiligheid; moeder accepteert hulp via het wijkteam.',
    });
    const decided = await jgz.client.post(`/api/meldcode/${routeId}/steps`, {
      step: 5,
      happenedOn: today,
      decision: 'help',
      reason: 'Hulp via het wijkteam, veiligheidsplan met moeder gemaakt.',
      followUpOn: daysFromToday(14),
    });
    expect(decided.json()).toEqual({ routeId, step: 5, closed: true });
    const document = (await jgz.client.get(`/api/meldcode/${routeId}`)).json();
    expect(document).toMatchObject({ status: 'closed', outcome: 'help', shownToParents: false, nextStep: null });
    expect(document.steps.map((s: { step: number }) => s.step)).toEqual([1, 2, 3, 4, 5]);
    expect(document.steps[3].content).toMatchObject({ outcome: 'help' });
    expect(document.steps.every((s: { signedBy: string }) => s.signedBy.length > 0)).toBe(true);
    // Helping is no sharing without consent: nothing to review; a follow-up task is set.
    expect(await t.db.selectFrom('consent_overrides').selectAll().execute()).toEqual([]);
    expect((await jgz.client.get('/api/tasks')).json().tasks).toContainEqual(
      expect.objectContaining({
        kind: 'meldcode_follow_up',
        dueOn: daysFromToday(14),
        familyName: expect.stringMatching(/^Sanne Test/),
      }),
    );
  });

  it('refuses a skipped step, a step twice, a decision the weighing does not allow, and a future date', async () => {
    const { routeId } = (
      await jgz.client.post(`/api/families/${familyId}/meldcode`, { reason: 'Vermoeden van huiselijk geweld' })
    ).json();
    const skipped = await jgz.client.post(`/api/meldcode/${routeId}/steps`, steps[2]());
    expect(skipped.json()).toMatchObject({ code: 'INVALID_TRANSITION', message: 'Step 1 comes first.' });
    await jgz.client.post(`/api/meldcode/${routeId}/steps`, steps[1]());
    const twice = await jgz.client.post(`/api/meldcode/${routeId}/steps`, steps[1]());
    expect(twice.json().message).toBe('Step 1 is already signed.');
    const future = await jgz.client.post(`/api/meldcode/${routeId}/steps`, {
      ...steps[2](),
      happenedOn: daysFromToday(3),
    });
    expect(future.json().fields).toEqual([{ field: 'body.happenedOn', message: 'in the future' }]);
    await jgz.client.post(`/api/meldcode/${routeId}/steps`, steps[2]());
    await jgz.client.post(`/api/meldcode/${routeId}/steps`, steps[3]());
    const unanswered = await jgz.client.post(`/api/meldcode/${routeId}/steps`, {
      step: 4,
      happenedOn: today,
      answers: { suspicion: true },
      note: 'Nog niet alles gewogen.',
    });
    expect(unanswered.json().fields).toEqual([{ field: 'body.answers.unsafety', message: 'answer this question' }]);
    await jgz.client.post(`/api/meldcode/${routeId}/steps`, {
      step: 4,
      happenedOn: today,
      answers: { suspicion: true, unsafety: true },
      note: 'Structurele onveiligheid: melden is nodig.',
    });
    const before = await tableCounts(t.db);
    const helpOnly = await jgz.client.post(`/api/meldcode/${routeId}/steps`, {
      step: 5,
      happenedOn: today,
      decision: 'help',
      reason: 'Ik wil eerst zelf helpen.',
      followUpOn: daysFromToday(7),
    });
    expect(helpOnly.json().fields[0]).toMatchObject({ field: 'body.decision' });
    const noVt = await jgz.client.post(`/api/meldcode/${routeId}/steps`, {
      step: 5,
      happenedOn: today,
      decision: 'report',
      reason: 'Melding bij Veilig Thuis.',
      reportedToOrganisationId: ggz.organisationId,
      parentsInformed: true,
      followUpOn: daysFromToday(7),
    });
    expect(noVt.json().fields).toEqual([
      { field: 'body.reportedToOrganisationId', message: 'not a Veilig Thuis organisation' },
    ]);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('records a report to Veilig Thuis as sharing without consent, flagged for review by a colleague', async () => {
    const routeId = await routeThroughStep3();
    await jgz.client.post(`/api/meldcode/${routeId}/steps`, {
      step: 4,
      happenedOn: today,
      answers: { suspicion: true, unsafety: true },
      note: 'Acute onveiligheid.',
    });
    const reported = await jgz.client.post(`/api/meldcode/${routeId}/steps`, {
      step: 5,
      happenedOn: today,
      decision: 'report_and_help',
      reason: 'Acute onveiligheid van moeder en baby; melding gedaan, hulp loopt door.',
      reportedToOrganisationId: vt.organisationId,
      parentsInformed: false,
      followUpOn: daysFromToday(3),
    });
    expect(reported.statusCode).toBe(201);
    const [override] = await t.db.selectFrom('consent_overrides').selectAll().execute();
    expect(override).toMatchObject({
      kind: 'meldcode',
      organisation_id: vt.organisationId,
      parents_informed: false,
      review_status: 'to_review',
      source_id: routeId,
    });
    const reviewTask = await t.db
      .selectFrom('tasks')
      .selectAll()
      .where('kind', '=', 'override_review')
      .executeTakeFirstOrThrow();
    expect(reviewTask).toMatchObject({ assignee_organisation_id: jgz.organisationId, family_id: familyId });
    expect((await auditEvents(t.db)).map((e) => e.action)).toContain('consent.override');

    // A colleague of the reporter who is not in the family's team reads what the review needs and reviews it.
    const colleague = await t.signIn(
      (await seedAccount(t.db, { kind: 'professional', organisationId: jgz.organisationId })).email,
    );
    expect((await colleague.get(`/api/families/${familyId}`)).statusCode).toBe(404);
    const toReview = await colleague.get(`/api/consent-overrides/${override?.id}`);
    expect(toReview.statusCode, toReview.body).toBe(200);
    expect(toReview.json()).toMatchObject({
      familyId,
      kind: 'meldcode',
      parentsInformed: false,
      route: { reason: 'Vermoeden van huiselijk geweld', outcome: expect.any(String), decision: 'report_and_help' },
    });
    // The reporter may not review their own report; an outsider does not learn it exists.
    expect((await jgz.client.get(`/api/consent-overrides/${override?.id}`)).statusCode).toBe(403);
    expect((await ggz.client.get(`/api/consent-overrides/${override?.id}`)).statusCode).toBe(404);
    const reviewed = await colleague.post(`/api/families/${familyId}/consent-overrides/${override?.id}/review`, {
      note: 'Melding was nodig: acute onveiligheid.',
    });
    expect(reviewed.json()).toMatchObject({ reviewStatus: 'reviewed' });
    const actions = (await auditEvents(t.db)).map((e) => e.action);
    expect(actions).toContain('consent.override_review_read');
    expect(actions).toContain('consent.override_review');
  });

  it('belongs to the organisation that runs it; outsiders cannot sign or read it; parents’ visibility is a recorded decision', async () => {
    const routeId = await routeThroughStep3();
    const outsider = await ggz.client.post(`/api/meldcode/${routeId}/steps`, {
      step: 4,
      happenedOn: today,
      answers: { suspicion: false },
      note: 'Probeer het.',
    });
    expect(outsider.statusCode).toBe(404);
    expect((await ggz.client.get(`/api/meldcode/${routeId}`)).statusCode).toBe(404);
    expect((await jgz.client.post(`/api/families/${familyId}/meldcode`, { reason: 'Nog een route' })).json().code).toBe(
      'ALREADY_EXISTS',
    );
    const route = (await jgz.client.get(`/api/meldcode/${routeId}`)).json();
    const shown = await jgz.client.put(`/api/meldcode/${routeId}/parents-visibility`, {
      shownToParents: true,
      reason: 'Besproken met moeder; zij wil het kunnen nalezen.',
      version: route.version,
    });
    expect(shown.json()).toMatchObject({ shownToParents: true });
    expect((await jgz.client.get(`/api/meldcode/${routeId}`)).json()).toMatchObject({
      shownToParents: true,
      shownDecisionReason: 'Besproken met moeder; zij wil het kunnen nalezen.',
    });
    const list = (await jgz.client.get(`/api/families/${familyId}/meldcode`)).json();
    expect(list.routes).toEqual([expect.objectContaining({ id: routeId, status: 'open', stepsSigned: 3 })]);
  });
});

describe('consultation', () => {
  it('asks anonymously: nothing links it to the family, and the consulted cannot reach the family', async () => {
    const refusedNames = await jgz.client.post('/api/consultations', {
      consultedOrganisationId: vt.organisationId,
      question: 'Sanne vertelt over ruzies thuis; hoe pak ik dit aan?',
      familyId,
    });
    expect(refusedNames.statusCode).toBe(400);
    expect(refusedNames.json().fields[0].field).toBe('body.question');
    const asked = await jgz.client.post('/api/consultations', {
      consultedOrganisationId: vt.organisationId,
      question: 'Een moeder vertelt over ruzies thuis en schrikt van haar partner; hoe pak ik dit aan?',
      familyId,
    });
    expect(asked.json()).toMatchObject({ anonymous: true });
    const [row] = await t.db.selectFrom('consultations').selectAll().execute();
    expect(row?.family_id).toBeNull();
    const inbox = (await vt.client.get('/api/consultations')).json().consultations;
    expect(inbox).toEqual([
      expect.objectContaining({ side: 'consulted', anonymous: true, familyId: null, shared: null }),
    ]);
    expect((await vt.client.get(`/api/families/${familyId}`)).statusCode).toBe(404);
    const answered = await vt.client.post(`/api/consultations/${inbox[0].id}/answer`, {
      answer: 'Bespreek het met moeder alleen en maak een veiligheidsplan.',
      version: 1,
    });
    expect(answered.statusCode).toBe(200);
    const mine = (await jgz.client.get('/api/consultations')).json().consultations;
    expect(mine[0]).toMatchObject({
      side: 'asker',
      status: 'answered',
      answer: expect.stringContaining('veiligheidsplan'),
    });
    // Anonymous: not kept with the family.
    expect((await jgz.client.get(`/api/families/${familyId}/consultations`)).json().consultations).toEqual([]);
    expect((await jgz.client.get('/api/notifications')).json().notifications).toContainEqual(
      expect.objectContaining({ kind: 'consultation_answered' }),
    );
  });

  it('asks with the record only with the parents’ consent, and keeps the exchange with the family', async () => {
    const refused = await jgz.client.post('/api/consultations', {
      consultedOrganisationId: ggz.organisationId,
      question: 'Zouden jullie naar deze moeder willen kijken?',
      familyId,
      withRecord: true,
      sharedCategories: ['psychosocial'],
    });
    expect(refused.json().code).toBe('CONSENT_REQUIRED');
    const persons = (await jgz.client.get(`/api/families/${familyId}`)).json().persons as {
      id: string;
      role: string;
      givenName: string;
    }[];
    const mother = persons.find((p) => p.role === 'pregnant_person')?.id as string;
    const partner = persons.find((p) => p.role === 'partner')?.id as string;
    const child = persons.find((p) => p.role === 'child')?.id as string;
    const ask = (extra: Record<string, unknown>) =>
      jgz.client.post('/api/consultations', {
        consultedOrganisationId: ggz.organisationId,
        question: 'Zouden jullie naar deze moeder willen kijken?',
        familyId,
        withRecord: true,
        sharedCategories: ['psychosocial'],
        ...extra,
      });
    const before = await tableCounts(t.db);
    // Consent is an explicit act of named persons: who gave it, and only those whose consent counts.
    expect((await ask({ consentGivenHow: 'verbal' })).json().fields).toEqual([
      expect.objectContaining({ field: 'body.consentedBy' }),
    ]);
    expect((await ask({ consentedBy: [mother] })).json().fields).toEqual([
      expect.objectContaining({ field: 'body.consentGivenHow' }),
    ]);
    expect((await ask({ consentGivenHow: 'verbal', consentedBy: [child] })).json().fields).toEqual([
      expect.objectContaining({
        field: 'body.consentedBy',
        message: 'not a person whose consent counts for this family',
      }),
    ]);
    // The partner holds gezag too: the mother's consent alone does not cover the family.
    const partly = await ask({ consentGivenHow: 'verbal', consentedBy: [mother] });
    expect(partly.json()).toMatchObject({
      fields: [{ field: 'body.consentedBy', message: 'someone whose consent counts has not given it' }],
      missing: [{ personId: partner }],
    });
    expect(await tableCounts(t.db)).toEqual({ ...before, audit_events: expect.any(Number) });
    const asked = await ask({ consentGivenHow: 'written', consentedBy: [mother, partner] });
    expect(asked.json()).toMatchObject({ anonymous: false });
    const given = await t.db
      .selectFrom('consents')
      .select(['person_id', 'given_how'])
      .where('family_id', '=', familyId)
      .where('organisation_id', '=', ggz.organisationId)
      .execute();
    expect(given.map((c) => c.person_id).sort()).toEqual([mother, partner].sort());
    const inbox = (await ggz.client.get('/api/consultations')).json().consultations;
    const shared = inbox[0].shared;
    expect(shared.persons.length).toBeGreaterThan(0);
    // What the question needs: the professional's own words, where they come from, since when, the child's due date.
    expect(shared.signals).toEqual([
      expect.objectContaining({
        code: 'domestic_violence',
        source: 'observed',
        note: expect.stringContaining('blauwe plek'),
        organisationName: expect.any(String),
      }),
    ]);
    expect(shared.persons.find((p: { id: string }) => p.id === child)).toMatchObject({
      childStatus: 'expected',
      dueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(shared.consentedBy.map((c: { role: string }) => c.role).sort()).toEqual(['partner', 'pregnant_person']);
    expect((await jgz.client.get(`/api/families/${familyId}/consultations`)).json().consultations).toEqual([
      expect.objectContaining({ question: 'Zouden jullie naar deze moeder willen kijken?', status: 'open' }),
    ]);
  });
});

describe('break the glass', () => {
  it('lets an outsider read the whole record for a few hours after stating a reason; the regiehouder reviews it', async () => {
    const record = (await jgz.client.get(`/api/families/${familyId}`)).json();
    const mother = record.persons[0];
    expect((await vt.client.get(`/api/families/${familyId}`)).statusCode).toBe(404);
    const tooShort = await vt.client.post('/api/emergency-access', {
      familyName: mother.familyName,
      birthDate: mother.birthDate,
      reason: 'spoed',
    });
    expect(tooShort.json().fields[0].field).toBe('body.reason');
    // A reason is a sentence: twenty-five letters a, or one stock word, are not.
    for (const reason of ['a'.repeat(25), 'noodsituatie-noodsituatie-noodsituatie']) {
      const stock = await vt.client.post('/api/emergency-access', {
        familyName: mother.familyName,
        birthDate: mother.birthDate,
        reason,
      });
      expect(stock.json().fields[0].field).toBe('body.reason');
    }
    const wrong = await vt.client.post('/api/emergency-access', {
      familyName: mother.familyName,
      birthDate: '1990-01-01',
      reason: 'Melding van acute onveiligheid van moeder en baby vannacht',
    });
    expect(wrong.statusCode).toBe(404);
    const opened = await vt.client.post('/api/emergency-access', {
      familyName: mother.familyName.toUpperCase(),
      birthDate: mother.birthDate,
      reason: 'Melding van acute onveiligheid van moeder en baby vannacht',
    });
    expect(opened.statusCode).toBe(201);
    expect(opened.json().familyId).toBe(familyId);
    // The whole record, whatever the parents consented to, read-only.
    const seen = (await vt.client.get(`/api/families/${familyId}`)).json();
    expect(seen.emergency).toBe(true);
    // Until when: a few hours from now (the record says so to the reader).
    const hoursLeft = (Date.parse(seen.emergencyUntil) - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(0);
    expect(hoursLeft).toBeLessThanOrEqual(24);
    const picture = (await vt.client.get(`/api/families/${familyId}/picture`)).json();
    expect(picture.withheld).toBe(0);
    expect(picture.counts.stress).toBe(1);
    const write = await vt.client.post(`/api/families/${familyId}/contacts`, {
      kind: 'home_visit',
      occurredOn: today,
    });
    expect(write.statusCode).toBe(404);
    expect((await auditEvents(t.db)).map((e) => e.action)).toContain('family.emergency_access');
    // The regiehouder reviews it; nobody else may.
    const overrides = (await jgz.client.get(`/api/families/${familyId}/consent-overrides`)).json().overrides;
    expect(overrides).toEqual([
      expect.objectContaining({ kind: 'break_the_glass', reviewStatus: 'to_review', parentsInformed: true }),
    ]);
    expect((await jgz.client.get('/api/tasks')).json().tasks).toContainEqual(
      expect.objectContaining({ kind: 'override_review', familyId }),
    );
    const byOutsider = await vt.client.post(`/api/families/${familyId}/consent-overrides/${overrides[0].id}/review`, {
      note: 'Zelf goedgekeurd',
    });
    expect(byOutsider.statusCode).toBe(404);
    const reviewed = await jgz.client.post(`/api/families/${familyId}/consent-overrides/${overrides[0].id}/review`, {
      note: 'Terecht: Veilig Thuis had de informatie nodig.',
    });
    expect(reviewed.json()).toMatchObject({ reviewStatus: 'reviewed' });
    // When the time is up, the family is out of reach again.
    await t.db
      .updateTable('consent_overrides')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .execute();
    expect((await vt.client.get(`/api/families/${familyId}`)).statusCode).toBe(404);
  });
});
