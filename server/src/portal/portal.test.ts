import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Client,
  createTestApp,
  handOver,
  professionalAt,
  registration,
  seedRegion,
  type TestApp,
} from '../../test/helpers.ts';
import { apiRoutes } from '../app.ts';
import { signalCodes } from '../signals/signal-codes.ts';

/** Who looked, as its steps (each with the visit's organisation and role), for counting. */
const stepsOf = (answer: {
  visits: { organisation: string | null; role: string | null; steps: { area: string; kind: string }[] }[];
}) => answer.visits.flatMap((v) => v.steps.map((s) => ({ ...s, organisation: v.organisation, role: v.role })));

let t: TestApp;
let midwife: Client;
beforeEach(async () => {
  t = await createTestApp();
  await seedRegion(t.db);
  midwife = (await professionalAt(t, 'verloskundigenpraktijk')).client;
});
afterEach(() => t.close());

async function familyWithParents() {
  const partnerName = `Vermeer${Math.random().toString(36).slice(2, 8)}`;
  const body = registration({
    caregivers: [{ role: 'partner', givenName: 'Daan', familyName: partnerName, birthDate: '1992-07-01' }],
  });
  const familyId = (await midwife.post('/api/families', body)).json().familyId as string;
  await midwife.post(`/api/families/${familyId}/contacts`, { kind: 'prenatal_check', occurredOn: '2026-11-01' });
  const persons = (await midwife.get(`/api/families/${familyId}`)).json().persons as { id: string; role: string }[];
  const mother = persons.find((p) => p.role === 'pregnant_person')?.id as string;
  const partner = persons.find((p) => p.role === 'partner')?.id as string;
  const child = persons.find((p) => p.role === 'child')?.id as string;
  return { familyId, mother, partner, child };
}

async function parentOf(familyId: string, personId: string, email: string) {
  const invited = await midwife.post(`/api/families/${familyId}/parent-invitations`, { personId });
  expect(invited.statusCode).toBe(201);
  const accepted = await t.anonymous().post('/api/auth/parent-invitation', {
    code: invited.json().code.toLowerCase(),
    email,
    password: 'ons eigen wachtwoord',
  });
  expect(accepted.json()).toEqual({ ok: true });
  return t.signIn(email, 'ons eigen wachtwoord');
}

describe("the parents' own Kring", () => {
  it('shows who looked as visits: one line per professional, organisation and moment, its steps on demand, filtered by period', async () => {
    const { familyId, mother } = await familyWithParents();
    const sanne = await parentOf(familyId, mother, 'sanne.bezoek@thuis.example');
    // One professional opening the record reads several parts of it within a second.
    for (const part of ['', '/picture', '/plan', '/consultations']) {
      expect((await midwife.get(`/api/families/${familyId}${part}`)).statusCode).toBe(200);
    }
    const answer = (await sanne.get('/api/portal/who-looked')).json();
    expect(answer.complete).toBe(true);
    const looked = answer.visits.filter(
      (v: { role: string; kind: string }) => v.role === 'verloskundige' && v.kind !== 'parent',
    );
    // Registration, the first contact and the reads: all within half an hour, so one visit.
    expect(looked).toHaveLength(1);
    expect(looked[0]).toMatchObject({ organisation: expect.any(String), kind: 'changed' });
    expect(looked[0].steps.length).toBeGreaterThanOrEqual(6);
    expect(looked[0].areas).toEqual(expect.arrayContaining(['family', 'plan']));
    expect(JSON.stringify(answer)).not.toMatch(/account|actor_/);

    const future = (await sanne.get('/api/portal/who-looked?from=2099-01-01')).json();
    expect(future.visits).toEqual([]);
    const reversed = await sanne.get('/api/portal/who-looked?from=2026-12-01&to=2026-11-01');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().fields).toEqual([{ field: 'query.to', message: 'The period ends before it begins.' }]);
    const notADate = await sanne.get('/api/portal/who-looked?from=gisteren');
    expect(notADate.statusCode).toBe(400);
    expect(notADate.json().fields[0].field).toBe('query.from');
  });

  it('lets both parents of a family each take up an invitation and see their journey', async () => {
    const { familyId, mother, partner } = await familyWithParents();
    const sanne = await parentOf(familyId, mother, 'sanne@thuis.example');
    const daan = await parentOf(familyId, partner, 'daan@thuis.example');
    const journey = (await sanne.get('/api/portal/journey')).json();
    expect(journey.me).toBe(mother);
    expect(journey.trajectories[0]).toMatchObject({ phase: expect.any(String), gestationWeeks: expect.any(Number) });
    expect(journey.team).toEqual([
      expect.objectContaining({
        type: 'verloskundigenpraktijk',
        professionals: [expect.objectContaining({ isRegiehouder: true })],
      }),
    ]);
    expect(journey.contacts).toEqual([expect.objectContaining({ on: '2026-11-01', kind: 'prenatal_check' })]);
    expect((await daan.get('/api/portal/journey')).json().me).toBe(partner);
    const read = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'portal.read')
      .executeTakeFirstOrThrow();
    expect(read).toMatchObject({ family_id: familyId, actor_role: 'parent' });

    // Who looked: the midwife's organisation and role, what and when; no professional's name.
    const looked = stepsOf((await sanne.get('/api/portal/who-looked')).json());
    expect(looked).toContainEqual(
      expect.objectContaining({
        organisation: expect.any(String),
        role: 'verloskundige',
        area: 'family',
        kind: 'looked',
      }),
    );
    expect(looked).toContainEqual(expect.objectContaining({ area: 'contact', kind: 'changed' }));
    expect(looked).toContainEqual(expect.objectContaining({ kind: 'parent' }));
    expect(JSON.stringify(looked)).not.toContain('Test professional');
  });

  it('refuses a used, unknown or expired code, a taken address, a child, and a second account for one person', async () => {
    const { familyId, mother, child } = await familyWithParents();
    const code = (await midwife.post(`/api/families/${familyId}/parent-invitations`, { personId: mother })).json().code;
    const accept = (body: Record<string, unknown>) => t.anonymous().post('/api/auth/parent-invitation', body);
    expect((await accept({ code, email: 'a@thuis.example', password: 'ons eigen wachtwoord' })).statusCode).toBe(200);
    const reused = await accept({ code, email: 'b@thuis.example', password: 'ons eigen wachtwoord' });
    expect(reused.json()).toMatchObject({ code: 'TOKEN_INVALID', fields: [{ field: 'body.code' }] });
    expect(
      (await accept({ code: 'AAAA-BBBB-CCCC', email: 'c@thuis.example', password: 'ons eigen wachtwoord' })).statusCode,
    ).toBe(400);
    const again = await midwife.post(`/api/families/${familyId}/parent-invitations`, { personId: mother });
    expect(again.json().fields).toEqual([{ field: 'body.personId', message: 'already has an account' }]);
    const baby = await midwife.post(`/api/families/${familyId}/parent-invitations`, { personId: child });
    expect(baby.json().fields[0].field).toBe('body.personId');

    const { familyId: other, mother: otherMother } = await familyWithParents();
    const otherCode = (
      await midwife.post(`/api/families/${other}/parent-invitations`, { personId: otherMother })
    ).json().code;
    const taken = await accept({ code: otherCode, email: 'A@thuis.example', password: 'ons eigen wachtwoord' });
    expect(taken.json().fields).toEqual([{ field: 'body.email', message: 'already has an account' }]);
    // The refused attempt did not use the code up.
    expect(
      (await accept({ code: otherCode, email: 'd@thuis.example', password: 'ons eigen wachtwoord' })).statusCode,
    ).toBe(200);
    await t.db
      .updateTable('parent_invitations')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .execute();
    const { mother: third } = await familyWithParents().then(async (f) => f);
    expect(third).toBeDefined();
  });

  it('keeps a parent to their own family: no professional route gives them anything, and refusals are audited', async () => {
    const { familyId, mother } = await familyWithParents();
    const { familyId: otherFamily } = await familyWithParents();
    const parent = await parentOf(familyId, mother, 'sanne@thuis.example');
    for (const url of [
      `/api/families/${otherFamily}`,
      `/api/families/${familyId}`,
      `/api/families/${otherFamily}/picture`,
      `/api/families/${otherFamily}/plan`,
      '/api/caseload',
    ]) {
      const response = await parent.get(url);
      expect([403, 404], url).toContain(response.statusCode);
    }
    const refused = await t.db
      .selectFrom('audit_events')
      .select('action')
      .where('outcome', '=', 'refused')
      .where('actor_role', '=', 'parent')
      .execute();
    expect(refused.length).toBeGreaterThanOrEqual(5);
    const invite = await parent.post(`/api/families/${familyId}/parent-invitations`, { personId: mother });
    expect(invite.statusCode).toBe(403);
  });

  it("lets a parent withdraw consent for one organisation and category: that organisation's next request no longer sees it", async () => {
    const { familyId, mother, partner } = await familyWithParents();
    await midwife.post(`/api/families/${familyId}/signals`, {
      code: 'parent_chronic_stress',
      concernsPersonId: mother,
      source: 'observed',
    });
    const kraam = await professionalAt(t, 'kraamzorg');
    await handOver(midwife, kraam, familyId, ['medical', 'psychosocial', 'social']);
    const sees = async () => (await kraam.client.get(`/api/families/${familyId}/picture`)).json().counts.stress;
    expect(await sees()).toBe(1);

    const sanne = await parentOf(familyId, mother, 'sanne@thuis.example');
    const before = (await sanne.get('/api/portal/consent')).json().organisations;
    const kraamzorg = before.find((o: { organisationId: string }) => o.organisationId === kraam.organisationId);
    expect(kraamzorg.categories).toContainEqual({
      category: 'psychosocial',
      mine: true,
      familyComplete: true,
      // What the other parent chose shows beside her own (no safety concern in this family).
      others: [{ givenName: 'Daan', given: true }],
    });

    const withdrawn = await sanne.put('/api/portal/consent', {
      organisationId: kraam.organisationId,
      category: 'psychosocial',
      given: false,
    });
    const after = withdrawn
      .json()
      .organisations.find((o: { organisationId: string }) => o.organisationId === kraam.organisationId);
    expect(after.categories).toContainEqual(
      expect.objectContaining({ category: 'psychosocial', mine: false, familyComplete: false }),
    );
    // Daan sees that Sanne withdrew it.
    const daan = await parentOf(familyId, partner, 'daan@thuis.example');
    const forDaan = (await daan.get('/api/portal/consent'))
      .json()
      .organisations.find((o: { organisationId: string }) => o.organisationId === kraam.organisationId);
    expect(forDaan.categories).toContainEqual(
      expect.objectContaining({ category: 'psychosocial', mine: true, others: [{ givenName: 'Sanne', given: false }] }),
    );
    // At once: kraamzorg's next request no longer shows the psychosocial signal, and kraamzorg is told.
    expect(await sees()).toBe(0);
    const tasks = (await kraam.client.get('/api/tasks')).json().tasks.map((task: { kind: string }) => task.kind);
    expect(tasks).toContain('consent_changed');
    // Given again, it counts again.
    await sanne.put('/api/portal/consent', {
      organisationId: kraam.organisationId,
      category: 'psychosocial',
      given: true,
    });
    expect(await sees()).toBe(1);
    // Where the family has a safety concern, neither parent sees the other's choices.
    await midwife.post(`/api/families/${familyId}/signals`, {
      code: 'domestic_violence',
      concernsPersonId: mother,
      source: 'told_by_parent',
    });
    const guarded = (await daan.get('/api/portal/consent')).json();
    expect(guarded.othersShown).toBe(false);
    expect(
      guarded.organisations.flatMap((o: { categories: { others: unknown[] }[] }) =>
        o.categories.flatMap((c) => c.others),
      ),
    ).toEqual([]);

    // Not an organisation of the team: refused, nothing written.
    const stranger = await professionalAt(t, 'wijkteam');
    const refused = await sanne.put('/api/portal/consent', {
      organisationId: stranger.organisationId,
      category: 'social',
      given: true,
    });
    expect(refused.json().fields).toEqual([{ field: 'body.organisationId', message: 'not in the care team' }]);
    expect(partner).toBeDefined();
  });

  it('lets a parent ask for help: the regiehouder gets a task, and the family counts as asking for help', async () => {
    const { familyId, mother } = await familyWithParents();
    const sanne = await parentOf(familyId, mother, 'sanne@thuis.example');
    const tooShort = await sanne.post('/api/portal/help', { text: 'hoi' });
    expect(tooShort.json().fields[0].field).toBe('body.text');
    const asked = await sanne.post('/api/portal/help', {
      text: 'We slapen slecht en willen graag tips voor de nachten.',
    });
    expect(asked.statusCode).toBe(201);
    expect((await midwife.get('/api/tasks')).json().tasks).toContainEqual(
      expect.objectContaining({ kind: 'help_request', familyId, forMe: true }),
    );
    const picture = (await midwife.get(`/api/families/${familyId}/picture`)).json();
    const help = picture.domains.flatMap(
      (d: { signals: { code: string; note: string; source: string }[] }) => d.signals,
    );
    expect(help).toContainEqual(
      expect.objectContaining({
        code: 'help_sought',
        source: 'told_by_parent',
        note: 'We slapen slecht en willen graag tips voor de nachten.',
      }),
    );
  });

  it("shows what is recorded in parents' words, keeps one parent's own history from the other, and carries their view to the professionals", async () => {
    const { familyId, mother, partner } = await familyWithParents();
    const finances = (
      await midwife.post(`/api/families/${familyId}/signals`, {
        code: 'finances',
        source: 'told_by_parent',
        note: 'Schulden',
      })
    ).json().signalId;
    await midwife.post(`/api/families/${familyId}/consents`, {
      purpose: 'own_history',
      personId: partner,
      givenHow: 'verbal',
    });
    const history = await midwife.post(`/api/families/${familyId}/signals`, {
      code: 'ace_psychological_abuse',
      concernsPersonId: partner,
      source: 'told_by_parent',
    });
    expect(history.statusCode).toBe(201);
    const sanne = await parentOf(familyId, mother, 'sanne@thuis.example');
    const daan = await parentOf(familyId, partner, 'daan@thuis.example');

    const seenBySanne = (await sanne.get('/api/portal/recorded')).json().signals;
    expect(seenBySanne).toEqual([
      expect.objectContaining({
        id: finances,
        text: expect.objectContaining({ nl: 'Zorgen over geld' }),
        recordedBy: expect.objectContaining({ role: 'verloskundige' }),
      }),
    ]);
    expect(JSON.stringify(seenBySanne)).not.toContain('Schulden');
    expect((await daan.get('/api/portal/recorded')).json().signals).toHaveLength(2);
    const foreign = await sanne.put(`/api/portal/recorded/signals/${history.json().signalId}/view`, {
      view: 'Niet waar',
    });
    expect(foreign.statusCode).toBe(404);

    const view = await sanne.put(`/api/portal/recorded/signals/${finances}/view`, {
      view: 'Het gaat alweer beter met het geld.',
    });
    expect(view.json()).toEqual({ ok: true });
    const picture = (await midwife.get(`/api/families/${familyId}/picture`)).json();
    const signal = picture.domains
      .flatMap((d: { signals: { id: string }[] }) => d.signals)
      .find((x: { id: string }) => x.id === finances);
    expect(signal).toMatchObject({
      note: 'Schulden',
      parentsViews: [{ personId: mother, view: 'Het gaat alweer beter met het geld.', shownToFamily: false }],
    });
    // Each parent's view is their own: Daan neither sees Sanne's nor overwrites it with his.
    const forDaan = (await daan.get('/api/portal/recorded'))
      .json()
      .signals.find((x: { id: string }) => x.id === finances);
    expect(forDaan).toMatchObject({ myView: null, othersViews: [] });
    await daan.put(`/api/portal/recorded/signals/${finances}/view`, { view: 'Ik zie het anders.', showToFamily: true });
    const both = (await midwife.get(`/api/families/${familyId}/picture`)).json();
    expect(
      both.domains
        .flatMap((d: { signals: { id: string }[] }) => d.signals)
        .find((x: { id: string }) => x.id === finances).parentsViews,
    ).toHaveLength(2);
    const forSanne = (await sanne.get('/api/portal/recorded'))
      .json()
      .signals.find((x: { id: string }) => x.id === finances);
    expect(forSanne).toMatchObject({
      myView: { view: 'Het gaat alweer beter met het geld.', shownToFamily: false },
      othersViews: [{ givenName: 'Daan', view: 'Ik zie het anders.' }],
    });
    expect(
      (await daan.get('/api/portal/recorded')).json().signals.find((x: { id: string }) => x.id === finances)
        .othersViews,
    ).toEqual([]);

    // A Meldcode route is held back until its professionals decide the parents may see it.
    const route = await midwife.post(`/api/families/${familyId}/meldcode`, {
      reason: 'Zorgen na wat moeder vertelde over thuis.',
    });
    expect(route.statusCode).toBe(201);
    const routeId = route.json().routeId;
    expect((await sanne.get('/api/portal/recorded')).json().meldcode).toEqual([]);
    expect(JSON.stringify((await sanne.get('/api/portal/who-looked')).json())).not.toContain('meldcode');
    await midwife.put(`/api/meldcode/${routeId}/parents-visibility`, {
      shownToParents: true,
      reason: 'Besproken met moeder; zij wil het kunnen nalezen.',
      version: 1,
    });
    expect((await sanne.get('/api/portal/recorded')).json().meldcode).toEqual([
      expect.objectContaining({ id: routeId, outcome: null }),
    ]);
    expect(stepsOf((await sanne.get('/api/portal/who-looked')).json())).toContainEqual(
      expect.objectContaining({ area: 'meldcode' }),
    );

    // The care judgement, in plain words; the parents' view beside it.
    const judged = await midwife.post(`/api/families/${familyId}/judgements`, {
      stressLevel: 'normal',
      intensity: 'ordinary',
      rationale: 'Gewone zorg volstaat; de geldzorgen worden opgepakt.',
    });
    expect(judged.statusCode).toBe(201);
    const recorded = (await sanne.get('/api/portal/recorded')).json();
    expect(recorded.judgement).toMatchObject({ intensity: 'ordinary' });
    expect(JSON.stringify(recorded.judgement)).not.toContain('geldzorgen');
    await sanne.put(`/api/portal/recorded/judgements/${recorded.judgement.id}/view`, { view: 'Dat klopt voor ons.' });
    const judgements = (await midwife.get(`/api/families/${familyId}/picture`)).json().judgements;
    expect(judgements[0]).toMatchObject({ parentsViews: [expect.objectContaining({ view: 'Dat klopt voor ons.' })] });

    // Their data: everything Kring holds, but not the other parent's own history.
    const exported = (await sanne.get('/api/portal/export')).json();
    expect(exported.persons.length).toBeGreaterThanOrEqual(3);
    expect(exported.signals).toEqual([
      expect.objectContaining({ code: 'finances', note: 'Schulden', textForParents: 'Zorgen over geld' }),
    ]);
    expect(exported.consents.length).toBeGreaterThan(0);
    expect(exported.accessLog.some((e: { action: string }) => e.action === 'signal.record')).toBe(true);
    // Stable keys, and beside each code its wording in the parent's language; every part named.
    expect(exported.language).toBe('nl');
    expect(exported.about).toContain('recht op inzage');
    expect(exported.labels).toMatchObject({ persons: 'Personen', 'persons.birth_date': 'Geboortedatum' });
    expect(exported.signals[0]).toMatchObject({ source: expect.any(String), source_label: expect.any(String) });
    expect(exported.contacts[0]).toMatchObject({ kind: 'prenatal_check', kind_label: 'Prenatale controle' });
    expect(exported.consents[0].purpose_label).toEqual(expect.any(String));
    expect(exported.accessLog.find((e: { action: string }) => e.action === 'signal.record').what_label).toBe(
      'wat er speelt (signalen)',
    );
    expect((await daan.get('/api/portal/export')).json().signals).toHaveLength(2);

    // Sanne asks herself to delete the signal: the midwife's organisation decides; Sanne sees it.
    const notHers = await sanne.post('/api/portal/data-requests', {
      kind: 'deletion',
      signalId: history.json().signalId,
      text: 'Graag verwijderen.',
    });
    expect(notHers.json().fields).toEqual([
      { field: 'body.signalId', message: 'not something recorded about your family' },
    ]);
    const asked = await sanne.post('/api/portal/data-requests', {
      kind: 'deletion',
      signalId: finances,
      text: 'Graag verwijderen.',
    });
    expect(asked.statusCode).toBe(201);
    const [request] = (await midwife.get(`/api/families/${familyId}/data-requests`)).json().requests;
    expect(request).toMatchObject({ mayDecide: true, requestedByPersonId: mother });
    await midwife.post(`/api/families/${familyId}/data-requests/${request.id}/decision`, {
      decision: 'refused',
      ground: 'interest_of_other',
      reason: 'We bewaren dit nog even voor de veiligheid van de baby; we bespreken het samen.',
      version: 1,
    });
    const mine = (await sanne.get('/api/portal/recorded')).json().requests;
    expect(mine).toEqual([
      expect.objectContaining({
        status: 'refused',
        ground: 'interest_of_other',
        reason: expect.stringContaining('veiligheid'),
        // Which item it was about, in the parents' words, and when it was decided.
        about: expect.objectContaining({ nl: 'Zorgen over geld', en: expect.any(String), ar: expect.any(String) }),
        recordType: 'signal',
        decidedAt: expect.any(String),
      }),
    ]);
  });

  it('gives a parent of family A nothing of family B on any family-scoped route, and audits every attempt', async () => {
    const { familyId, mother } = await familyWithParents();
    const { familyId: otherFamily } = await familyWithParents();
    const parent = await parentOf(familyId, mother, 'sanne@thuis.example');
    const routes = apiRoutes.filter((route) => route.url.includes(':familyId'));
    expect(routes.length).toBeGreaterThan(30);
    const refusals = async () =>
      Number(
        (
          await t.db
            .selectFrom('audit_events')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('outcome', '=', 'refused')
            .where('actor_role', '=', 'parent')
            .executeTakeFirstOrThrow()
        ).n,
      );
    for (const route of routes) {
      const url = route.url
        .replace(':familyId', otherFamily)
        .replace(/:[a-zA-Z]+/g, '00000000-0000-4000-8000-00000000abcd');
      const before = await refusals();
      const response = await parent.request(
        route.method as 'GET' | 'POST' | 'PUT' | 'DELETE',
        url,
        route.method === 'GET' ? undefined : {},
      );
      expect([403, 404], `${route.method} ${route.url}`).toContain(response.statusCode);
      expect(await refusals(), `${route.method} ${route.url} audited`).toBe(before + 1);
    }
  });

  it('lets a professional send questions for home; the parent sees why each is asked and what was answered, skips what she likes', async () => {
    const { familyId, mother } = await familyWithParents();
    const guide = 'prenatal_attachment';
    const first = await midwife.post(`/api/families/${familyId}/guide-responses`, {
      guideKey: guide,
      concernsPersonId: mother,
      answers: [{ code: 'prenatal.parent_you_want_to_be', value: 'Blij en onwennig' }],
    });
    expect(first.statusCode).toBe(201);
    const sent = await midwife.post(`/api/families/${familyId}/guide-requests`, { guideKey: guide, personId: mother });
    expect(sent.statusCode).toBe(201);
    expect(
      (await midwife.post(`/api/families/${familyId}/guide-requests`, { guideKey: 'phq9', personId: mother }))
        .statusCode,
    ).toBe(400);

    const sanne = await parentOf(familyId, mother, 'sanne@thuis.example');
    const [request] = (await sanne.get('/api/portal/guides')).json().requests;
    expect(request.title.nl.length).toBeGreaterThan(3);
    const items = request.items as { code: string; why: { nl: string }; alreadyAnswered: unknown }[];
    expect(items.every((i) => i.why.nl.length > 0)).toBe(true);
    expect(items.find((i) => i.code === 'prenatal.parent_you_want_to_be')?.alreadyAnswered).toMatchObject({
      value: 'Blij en onwennig',
    });

    const wrong = await sanne.post(`/api/portal/guides/${request.id}`, {
      answers: [{ code: 'not.a_question', value: 'x' }],
    });
    expect(wrong.json().fields[0].field).toBe('body.answers.0.code');
    const other = items.find((i) => i.code !== 'prenatal.parent_you_want_to_be')?.code as string;
    const answered = await sanne.post(`/api/portal/guides/${request.id}`, {
      answers: [{ code: other, value: 'We praten tegen de buik.' }],
    });
    expect(answered.json()).toEqual({ answered: 1, skipped: items.length - 1 });
    expect((await sanne.get('/api/portal/guides')).json().requests).toEqual([]);
    expect((await sanne.post(`/api/portal/guides/${request.id}`, { answers: [] })).json().code).toBe(
      'INVALID_TRANSITION',
    );

    // The midwife sees the answer among the family's guides, and has a task to read it.
    const responses = (await midwife.get(`/api/families/${familyId}/guide-responses`)).json().responses;
    expect(responses[0].answers).toEqual([expect.objectContaining({ code: other, value: 'We praten tegen de buik.' })]);
    expect((await midwife.get('/api/tasks')).json().tasks.map((t: { kind: string }) => t.kind)).toContain(
      'guide_answered',
    );
  });

  it("has words written for parents for every shipped signal code, in Dutch, English and the parents' other languages", () => {
    for (const code of signalCodes().codes) {
      expect(code.parentNl.trim().length, code.key).toBeGreaterThan(3);
      expect(code.parentEn.trim().length, code.key).toBeGreaterThan(3);
      for (const language of ['ar', 'tr', 'pl', 'uk'] as const) {
        expect(code.parentIn?.[language]?.trim().length, `${code.key} ${language}`).toBeGreaterThan(3);
      }
    }
  });

  it("speaks the parent's language: the invitation in the family's language, the account in the one chosen, the export and codes in it; professionals stay in Dutch or English", async () => {
    const body = registration({ language: 'ar' });
    const familyId = (await midwife.post('/api/families', body)).json().familyId as string;
    const persons = (await midwife.get(`/api/families/${familyId}`)).json().persons as { id: string; role: string }[];
    const mother = persons.find((p) => p.role === 'pregnant_person')?.id as string;
    const signal = await midwife.post(`/api/families/${familyId}/signals`, {
      code: 'finances',
      source: 'told_by_parent',
    });
    expect(signal.statusCode).toBe(201);

    // The invitation goes out in the family's language, and its link opens the page in it.
    const invited = await midwife.post(`/api/families/${familyId}/parent-invitations`, {
      personId: mother,
      email: 'amira@thuis.example',
    });
    expect(invited.statusCode).toBe(201);
    const mail = await t.db
      .selectFrom('mail_outbox')
      .select(['language', 'subject', 'body'])
      .where('to_address', '=', 'amira@thuis.example')
      .executeTakeFirstOrThrow();
    expect(mail.language).toBe('ar');
    expect(mail.subject).toMatch(/[\u0600-\u06FF]/);
    expect(mail.body).toContain('/ouder?taal=ar#');

    // The parent chose Turkish on the page: her account starts in it.
    await t.anonymous().post('/api/auth/parent-invitation', {
      code: invited.json().code,
      email: 'amira@thuis.example',
      password: 'ons eigen wachtwoord',
      language: 'tr',
    });
    const amira = await t.signIn('amira@thuis.example', 'ons eigen wachtwoord');
    expect((await amira.get('/api/me')).json().actor.language).toBe('tr');
    const switched = await amira.put('/api/me/language', { language: 'ar' });
    expect(switched.json().language).toBe('ar');

    // The export in Arabic: the names of parts and fields, the codes' wordings, the signal in her words.
    const ours = (await amira.get('/api/portal/export')).json();
    expect(ours.language).toBe('ar');
    expect(ours.labels.persons).toMatch(/[\u0600-\u06FF]/);
    expect(ours.persons.find((p: { id: string }) => p.id === mother).role_label).toMatch(/[\u0600-\u06FF]/);
    expect(ours.signals[0].textForParents).toBe(signalCodes().byKey.get('finances')?.parentIn?.ar);

    // The team sees the language she reads her Kring in, and notes that an interpreter was at a contact.
    const contact = await midwife.post(`/api/families/${familyId}/contacts`, {
      kind: 'home_visit',
      occurredOn: '2026-11-02',
      interpreterUsed: true,
    });
    expect(contact.statusCode).toBe(201);
    const record = (await midwife.get(`/api/families/${familyId}`)).json();
    expect(record.family).toEqual(expect.objectContaining({ language: 'ar' }));
    expect(record.persons.find((p: { id: string }) => p.id === mother).kringLanguage).toBe('ar');
    expect(record.persons.find((p: { role: string }) => p.role === 'partner').kringLanguage).toBeNull();
    expect(record.contacts.map((c: { interpreterUsed: boolean }) => c.interpreterUsed)).toEqual([true]);
    expect(
      (
        await midwife.post(`/api/families/${familyId}/contacts`, {
          kind: 'home_visit',
          occurredOn: '2026-11-02',
          interpreterUsed: 'ja',
        })
      ).statusCode,
    ).toBe(400);

    // A professional's pages are in Dutch and English only.
    const refused = await midwife.put('/api/me/language', { language: 'ar' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().fields).toEqual([{ field: 'body.language', message: expect.any(String) }]);
    expect((await midwife.put('/api/me/language', { language: 'klingon' })).statusCode).toBe(400);
  });
});
