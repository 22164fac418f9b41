import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Client,
  createTestApp,
  daysFromToday,
  professionalAt,
  registration,
  seedRegion,
  type TestApp,
} from '../../test/helpers.ts';

/** Who looked, as its steps (each with the visit's organisation and role), for counting. */
const stepsOf = (answer: {
  visits: { organisation: string | null; role: string | null; steps: { area: string; kind: string }[] }[];
}) => answer.visits.flatMap((v) => v.steps.map((s) => ({ ...s, organisation: v.organisation, role: v.role })));

/**
 * What one parent tells stays theirs (PRODUCT.md point 10): every entry kind × whom it concerns ×
 * reader in the family, through every route of the parents' Kring that can show it — what is
 * recorded, the journey, the export, who looked — and the professional's decisions about it.
 */

let t: TestApp;
let midwife: Client;
let family: {
  id: string;
  sanne: string;
  daan: string;
  gerrit: string;
  unborn: string;
  tim: string;
};
const signals: Record<string, string> = {};
const contacts: Record<string, string> = {};
let readers: Record<'sanne' | 'daan' | 'gerrit', Client>;

async function parentOf(personId: string, email: string) {
  const invited = await midwife.post(`/api/families/${family.id}/parent-invitations`, { personId });
  expect(invited.statusCode).toBe(201);
  const accepted = await t.anonymous().post('/api/auth/parent-invitation', {
    code: invited.json().code.toLowerCase(),
    email,
    password: 'ons eigen wachtwoord',
  });
  expect(accepted.statusCode).toBe(200);
  return t.signIn(email, 'ons eigen wachtwoord');
}

async function signal(name: string, code: string, concerns: string | null, extra: Record<string, unknown> = {}) {
  const response = await midwife.post(`/api/families/${family.id}/signals`, {
    code,
    concernsPersonId: concerns,
    source: 'told_by_parent',
    note: `note-${name}`,
    ...extra,
  });
  expect(response.statusCode, response.body).toBe(201);
  signals[name] = response.json().signalId;
}

async function contact(name: string, concerns: string | null, extra: Record<string, unknown> = {}) {
  const response = await midwife.post(`/api/families/${family.id}/contacts`, {
    kind: 'home_visit',
    occurredOn: daysFromToday(-1),
    concernsPersonId: concerns,
    note: `contact-${name}`,
    category: 'psychosocial',
    ...extra,
  });
  expect(response.statusCode, response.body).toBe(201);
  contacts[name] = response.json().contactId;
}

/** What each route shows a reader, by the notes the test wrote. */
async function seenBy(reader: Client) {
  const recorded = (await reader.get('/api/portal/recorded')).json();
  const exported = (await reader.get('/api/portal/export')).json();
  const journey = (await reader.get('/api/portal/journey')).json();
  const recordedIds = new Set((recorded.signals as { id: string }[]).map((s) => s.id));
  const recordedNames = Object.keys(signals).filter((name) => recordedIds.has(signals[name] as string));
  const exportedSignals = (exported.signals as { note: string }[]).map((s) => s.note.replace('note-', '')).sort();
  const exportedContacts = (exported.contacts as { note: string | null }[])
    .filter((c) => c.note?.startsWith('contact-'))
    .map((c) => (c.note as string).replace('contact-', ''))
    .sort();
  const journeyIds = new Set((journey.contacts as { id: string }[]).map((c) => c.id));
  const journeyContacts = Object.keys(contacts).filter((name) => journeyIds.has(contacts[name] as string));
  expect(exportedSignals).toEqual([...recordedNames].sort());
  expect(exportedContacts).toEqual([...journeyContacts].sort());
  // The pregnancy itself (due date, its end): on the journey and in the export alike.
  const pregnancy = (journey.trajectories as { childPersonId: string | null }[]).some(
    (tr) => tr.childPersonId === family.unborn,
  );
  expect((exported.trajectories as { due_date: string | null }[]).some((tr) => tr.due_date !== null)).toBe(pregnancy);
  return { signals: recordedNames.sort(), contacts: journeyContacts.sort(), pregnancy, exported };
}

beforeEach(async () => {
  t = await createTestApp();
  await seedRegion(t.db);
  midwife = (await professionalAt(t, 'verloskundigenpraktijk')).client;
  const registered = await midwife.post(
    '/api/families',
    registration({
      caregivers: [
        { role: 'partner', givenName: 'Daan', familyName: 'Vermeer', birthDate: '1992-07-01' },
        {
          role: 'caregiver',
          givenName: 'Gerrit',
          familyName: 'Vermeer',
          birthDate: '1960-02-01',
          parentalAuthority: false,
        },
      ],
      siblings: [{ givenName: 'Tim', familyName: 'Vermeer', birthDate: daysFromToday(-700) }],
    }),
  );
  expect(registered.statusCode, registered.body).toBe(201);
  const id = registered.json().familyId as string;
  const persons = (await midwife.get(`/api/families/${id}`)).json().persons as {
    id: string;
    role: string;
    givenName: string;
  }[];
  const byName = (name: string) => persons.find((p) => p.givenName === name)?.id as string;
  family = {
    id,
    sanne: byName('Sanne'),
    daan: byName('Daan'),
    gerrit: byName('Gerrit'),
    tim: byName('Tim'),
    unborn: persons.find((p) => p.role === 'child')?.id as string,
  };
  await signal('motherPsych', 'parent_psychological', family.sanne);
  await signal('motherViolence', 'domestic_violence', family.sanne);
  await signal('familyViolence', 'domestic_violence', null);
  await signal('familyFinances', 'finances', null);
  await signal('partnerMedical', 'parent_medical', family.daan);
  await signal('unbornMedical', 'child_medical', family.unborn);
  await signal('timDevelopment', 'child_development', family.tim);
  await signal('housingNotForPartner', 'housing', null, {
    parentsAudience: { persons: [family.sanne], reason: 'Sanne vroeg het de partner niet te laten zien' },
  });
  await contact('aboutSanne', family.sanne);
  await contact('family', null);
  await contact('noParent', null, { parentsAudience: { persons: [], reason: 'Zou het kind schaden' } });
  readers = {
    sanne: await parentOf(family.sanne, 'sanne@thuis.example'),
    daan: await parentOf(family.daan, 'daan@thuis.example'),
    gerrit: await parentOf(family.gerrit, 'gerrit@thuis.example'),
  };
});
afterEach(() => t.close());

const countEvents = async (action: string) =>
  Number(
    (
      await t.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('action', '=', action)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('who in the family sees what', () => {
  it('shows each adult what concerns them, the family, and the children they have parental authority over', async () => {
    expect((await seenBy(readers.sanne)).signals).toEqual(
      [
        'motherPsych',
        'motherViolence',
        'familyFinances',
        'unbornMedical',
        'timDevelopment',
        'housingNotForPartner',
      ].sort(),
    );
    expect((await seenBy(readers.daan)).signals).toEqual(['familyFinances', 'partnerMedical', 'timDevelopment'].sort());
    // An adult without parental authority: the family's entries, no child's.
    expect((await seenBy(readers.gerrit)).signals).toEqual(['familyFinances']);

    expect((await seenBy(readers.sanne)).contacts).toEqual(['aboutSanne', 'family']);
    expect((await seenBy(readers.daan)).contacts).toEqual(['family']);

    // The pregnancy is Sanne's: not even its due date for the others without her consent.
    expect((await seenBy(readers.sanne)).pregnancy).toBe(true);
    expect((await seenBy(readers.daan)).pregnancy).toBe(false);
    expect((await seenBy(readers.gerrit)).pregnancy).toBe(false);
  });

  it("follows parental authority per child: a partner's son from an earlier relationship is his alone", async () => {
    const timAuthority = (body: object) =>
      midwife.put(`/api/families/${family.id}/persons/${family.tim}/parental-authority`, body);
    const version = async () =>
      ((await midwife.get(`/api/families/${family.id}`)).json().persons as { id: string; version: number }[]).find(
        (p) => p.id === family.tim,
      )?.version;
    const before = await countEvents('person.parental_authority');
    // Refused, nothing written: no reason, someone outside the family, a child as holder.
    for (const [body, field] of [
      [{ holders: [family.daan], reason: '', version: await version() }, 'body.reason'],
      [
        { holders: [family.daan, randomUUID()], reason: 'Erkend door Daan', version: await version() },
        'body.holders.1',
      ],
      [{ holders: [family.unborn], reason: 'Erkend door Daan', version: await version() }, 'body.holders.0'],
    ] as const) {
      const refused = await timAuthority(body);
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json().fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    expect(await countEvents('person.parental_authority')).toBe(before);

    const recorded = await timAuthority({
      holders: [family.daan],
      reason: 'Tim is de zoon van Daan uit een eerdere relatie',
      version: await version(),
    });
    expect(recorded.statusCode, recorded.body).toBe(200);
    expect(await countEvents('person.parental_authority')).toBe(before + 1);
    const record = (await midwife.get(`/api/families/${family.id}`)).json();
    const authorityOf = (id: string) =>
      (record.persons as { id: string; authorityOver: string[] }[]).find((p) => p.id === id)?.authorityOver;
    expect(authorityOf(family.daan)).toContain(family.tim);
    expect(authorityOf(family.sanne)).not.toContain(family.tim);

    // What is about Tim: Daan's to see now, no longer Sanne's — in what is recorded and in the export.
    expect((await seenBy(readers.daan)).signals).toContain('timDevelopment');
    const sanne = await seenBy(readers.sanne);
    expect(sanne.signals).not.toContain('timDevelopment');
    const timForSanne = sanne.exported.persons.find((p: { id: string }) => p.id === family.tim);
    expect(timForSanne.birth_date).toBeUndefined();
    // Whose consent counts for Tim follows too: the form's preview names only Daan.
    const preview = await midwife.get(`/api/families/${family.id}/parents-audience?concernsPersonId=${family.tim}`);
    expect(preview.json().byRule.map((p: { givenName: string }) => p.givenName)).toEqual(['Daan']);
  });

  it('keeps FHIR and the figures on the professionals’ side: no parent reaches either', async () => {
    for (const reader of Object.values(readers)) {
      // FHIR is for professionals and organisations' systems; a parent's session is refused there.
      for (const url of [`/fhir/Observation?subject=Patient/${family.sanne}`, `/fhir/Patient/${family.sanne}`]) {
        const refused = await reader.get(url);
        expect([401, 403], url).toContain(refused.statusCode);
        expect(refused.body).not.toContain('Sanne');
      }
      expect((await reader.get('/api/figures')).statusCode).toBe(403);
    }
  });

  it("widens an adult's entries to the other adult only with her consent, never the safety class", async () => {
    const refused = await midwife.put(`/api/families/${family.id}/parents-audience/signal/${signals.motherPsych}`, {
      persons: [family.sanne, family.daan],
      reason: 'Daan mag het zien',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().fields).toEqual([expect.objectContaining({ field: 'body.persons' })]);

    const given = await readers.sanne.put('/api/portal/family-sharing', { toPersonId: family.daan, shared: true });
    expect(given.json().familySharing).toEqual([
      { personId: family.daan, givenName: 'Daan', shared: true },
      { personId: family.gerrit, givenName: 'Gerrit', shared: false },
    ]);
    expect((await seenBy(readers.daan)).signals).toEqual(
      ['familyFinances', 'motherPsych', 'partnerMedical', 'timDevelopment', 'unbornMedical'].sort(),
    );
    expect((await seenBy(readers.daan)).contacts).toEqual(['aboutSanne', 'family']);
    expect((await seenBy(readers.daan)).pregnancy).toBe(true);
    // Gerrit was not named.
    expect((await seenBy(readers.gerrit)).signals).toEqual(['familyFinances']);

    await readers.sanne.put('/api/portal/family-sharing', { toPersonId: family.daan, shared: false });
    expect((await seenBy(readers.daan)).signals).toEqual(['familyFinances', 'partnerMedical', 'timDevelopment'].sort());
    const notAdult = await readers.sanne.put('/api/portal/family-sharing', { toPersonId: family.tim, shared: true });
    expect(notAdult.json().fields).toEqual([expect.objectContaining({ field: 'body.toPersonId' })]);
  });

  it('lets a professional decide, with a reason, who sees a safety entry about the family, and narrow any entry', async () => {
    const noReason = await midwife.put(`/api/families/${family.id}/parents-audience/signal/${signals.familyViolence}`, {
      persons: [family.sanne],
    });
    expect(noReason.json().fields).toEqual([expect.objectContaining({ field: 'body.reason' })]);
    const notOfFamily = await midwife.put(
      `/api/families/${family.id}/parents-audience/signal/${signals.familyViolence}`,
      { persons: [family.tim], reason: 'Tim is een kind' },
    );
    expect(notOfFamily.json().fields).toEqual([expect.objectContaining({ field: 'body.persons' })]);
    const before = await t.db
      .selectFrom('signals')
      .select('parents_audience')
      .where('id', '=', signals.familyViolence as string)
      .executeTakeFirstOrThrow();
    expect(before.parents_audience).toBeNull();

    const shown = await midwife.put(`/api/families/${family.id}/parents-audience/signal/${signals.familyViolence}`, {
      persons: [family.sanne],
      reason: 'Besproken met Sanne alleen',
    });
    expect(shown.statusCode, shown.body).toBe(200);
    expect((await seenBy(readers.sanne)).signals).toContain('familyViolence');
    expect((await seenBy(readers.daan)).signals).not.toContain('familyViolence');

    // Narrow a family entry to no parent at all.
    await midwife.put(`/api/families/${family.id}/parents-audience/signal/${signals.familyFinances}`, {
      persons: [],
      reason: 'Eerst zelf bespreken',
    });
    expect((await seenBy(readers.gerrit)).signals).toEqual([]);
    const decided = await t.db
      .selectFrom('audit_events')
      .select(['record_id'])
      .where('action', '=', 'family.parents_audience')
      .execute();
    expect(decided.map((e) => e.record_id).sort()).toEqual([signals.familyViolence, signals.familyFinances].sort());

    // The form's answer before saving: who would see an entry about Sanne, or a safety entry about the family.
    const aboutSanne = await midwife.get(
      `/api/families/${family.id}/parents-audience?concernsPersonId=${family.sanne}`,
    );
    expect(aboutSanne.json()).toMatchObject({
      byRule: [{ personId: family.sanne, givenName: 'Sanne' }],
      safety: false,
    });
    const violence = (await midwife.get(`/api/families/${family.id}/parents-audience?code=domestic_violence`)).json();
    expect(violence.byRule).toEqual([]);
    expect(violence.safety).toBe(true);
    expect(violence.mayBeNamed.map((p: { givenName: string }) => p.givenName)).toEqual(['Sanne', 'Daan', 'Gerrit']);
    const previews = await t.db
      .selectFrom('audit_events')
      .select('family_id')
      .where('action', '=', 'family.parents_audience_preview')
      .execute();
    expect(previews).toEqual([{ family_id: family.id }, { family_id: family.id }]);
  });

  it("refuses a parent's view or request about an entry they may not see, and keeps each request to its parent", async () => {
    const view = await readers.daan.put(`/api/portal/recorded/signals/${signals.motherViolence}/view`, {
      view: 'Overdreven, er is niets aan de hand.',
    });
    expect(view.statusCode).toBe(404);
    const request = await readers.daan.post('/api/portal/data-requests', {
      kind: 'deletion',
      signalId: signals.motherViolence,
      text: 'Dit klopt niet, graag verwijderen.',
    });
    expect(request.json().fields).toEqual([expect.objectContaining({ field: 'body.signalId' })]);
    expect(await t.db.selectFrom('parent_views').select('id').execute()).toEqual([]);
    expect(await t.db.selectFrom('data_requests').select('id').execute()).toEqual([]);

    const own = await readers.sanne.post('/api/portal/data-requests', {
      kind: 'correction',
      signalId: signals.motherPsych,
      text: 'Ik gebruik geen medicijnen meer.',
    });
    expect(own.statusCode, own.body).toBe(201);
    expect((await readers.sanne.get('/api/portal/recorded')).json().requests).toHaveLength(1);
    expect((await readers.daan.get('/api/portal/recorded')).json().requests).toEqual([]);
    expect((await readers.daan.get('/api/portal/export')).json().correctionAndDeletionRequests).toEqual([]);
  });

  it("keeps the other adult's birth date and BSN out of a parent's export", async () => {
    const { exported } = await seenBy(readers.daan);
    const sanne = exported.persons.find((p: { id: string }) => p.id === family.sanne);
    expect(sanne).toEqual({
      id: family.sanne,
      role: 'pregnant_person',
      role_label: 'Zwangere',
      given_name: 'Sanne',
      family_name: expect.any(String),
    });
    const tim = exported.persons.find((p: { id: string }) => p.id === family.tim);
    expect(tim.birth_date).toBe(daysFromToday(-700));
    const timForGerrit = (await seenBy(readers.gerrit)).exported.persons.find(
      (p: { id: string }) => p.id === family.tim,
    );
    expect(timForGerrit.birth_date).toBeUndefined();
  });
});

describe('who looked, per parent', () => {
  const signalEvents = async (reader: Client) =>
    stepsOf((await reader.get('/api/portal/who-looked')).json()).filter(
      (e) => e.area === 'signal' && e.kind === 'changed',
    ).length;

  it('shows a parent only the accesses to what that parent may see', async () => {
    expect(await signalEvents(readers.sanne)).toBe(6);
    expect(await signalEvents(readers.daan)).toBe(3);
    const exported = (await readers.daan.get('/api/portal/export')).json();
    expect(exported.accessLog.filter((e: { action: string }) => e.action === 'signal.record')).toHaveLength(3);
  });

  it('holds back a break-the-glass access the parents are not to be told of, and Veilig Thuis and emergency accesses from a parent a safety concern does not protect', async () => {
    const emergencies = async (reader: Client) =>
      stepsOf((await reader.get('/api/portal/who-looked')).json()).filter((e) => e.kind === 'emergency').length;
    const looked = async (reader: Client) =>
      stepsOf((await reader.get('/api/portal/who-looked')).json()).filter((e) => e.kind === 'looked').length;
    const lookedBefore = await looked(readers.sanne);
    const outsider = await professionalAt(t, 'huisarts');
    const hidden = await outsider.client.post('/api/emergency-access', {
      familyName: 'Vermeer',
      birthDate: '1992-07-01',
      reason: 'Acute zorg om de veiligheid van het kind, de ouders niet inlichten',
      endangersChild: true,
    });
    expect(hidden.statusCode, hidden.body).toBe(201);
    await outsider.client.get(`/api/families/${family.id}`);
    expect(await emergencies(readers.sanne)).toBe(0);
    expect(await emergencies(readers.daan)).toBe(0);
    expect(await looked(readers.sanne)).toBe(lookedBefore);
    // The regiehouder decides afterwards, with a reason, that the parents may see it: Sanne (whom
    // the safety concern protects) then does; Daan still not.
    const [hiddenAccess] = (await midwife.get(`/api/families/${family.id}/consent-overrides`)).json().overrides;
    expect(hiddenAccess).toMatchObject({ parentsInformed: false, mayInformParents: true });
    const noReason = await midwife.post(
      `/api/families/${family.id}/consent-overrides/${hiddenAccess.id}/inform-parents`,
      {},
    );
    expect(noReason.json().fields).toEqual([expect.objectContaining({ field: 'body.reason' })]);
    const informed = await midwife.post(
      `/api/families/${family.id}/consent-overrides/${hiddenAccess.id}/inform-parents`,
      { reason: 'Besproken met Sanne; zij wil het kunnen nalezen.' },
    );
    expect(informed.statusCode, informed.body).toBe(200);
    expect(await emergencies(readers.sanne)).toBe(1);
    expect(await emergencies(readers.daan)).toBe(0);

    // A Meldcode route resting on the signal about Sanne: Veilig Thuis and break-the-glass
    // accesses are hers to see, not Daan's.
    const { routeId } = (
      await midwife.post(`/api/families/${family.id}/meldcode`, { reason: 'Vermoeden van huiselijk geweld' })
    ).json();
    const step1 = await midwife.post(`/api/meldcode/${routeId}/steps`, {
      step: 1,
      happenedOn: daysFromToday(0),
      signalIds: [signals.motherViolence],
      note: 'Sanne vertelde over dreiging door de partner',
    });
    expect(step1.statusCode, step1.body).toBe(201);
    const vt = await professionalAt(t, 'veilig_thuis');
    const told = await vt.client.post('/api/emergency-access', {
      familyName: 'Vermeer',
      birthDate: '1992-07-01',
      reason: 'Melding ontvangen, acute beoordeling van de veiligheid nodig',
    });
    expect(told.statusCode, told.body).toBe(201);
    await vt.client.get(`/api/families/${family.id}`);
    expect(await emergencies(readers.sanne)).toBe(2);
    expect(await emergencies(readers.daan)).toBe(0);
    expect(await emergencies(readers.gerrit)).toBe(0);
    // The holding back is itself recorded, for the professionals.
    const reads = await t.db
      .selectFrom('audit_events as e')
      .innerJoin('parent_links as l', 'l.account_id', 'e.actor_account_id')
      .select(['l.person_id', 'e.details'])
      .where('e.action', '=', 'portal.audit_read')
      .execute();
    const heldBackFor = new Set(reads.filter((r) => r.details.heldBack === true).map((r) => r.person_id));
    expect(heldBackFor).toEqual(new Set([family.daan, family.gerrit]));

    // At the route's close the reporting professional decides, with a reason, that the parents may
    // see it: from then on the accesses (Veilig Thuis's, and the one the regiehouder decided to
    // show) are no longer held back from Daan either.
    const route = (await midwife.get(`/api/meldcode/${routeId}`)).json();
    const shown = await midwife.request('PUT', `/api/meldcode/${routeId}/parents-visibility`, {
      shownToParents: true,
      reason: 'Afgerond en met beide ouders besproken; de dreiging is weg.',
      version: route.version,
    });
    expect(shown.statusCode, shown.body).toBe(200);
    expect(await emergencies(readers.daan)).toBe(2);
    expect(await emergencies(readers.sanne)).toBe(2);
  });
});

describe('the move to this rule', () => {
  it("gives the regiehouder of a family with a parent's account and a safety entry a task to review, closed by a decision", async () => {
    const migration = fs.readFileSync(
      path.join(import.meta.dirname, '../database/migrations/035-family-audience.sql'),
      'utf8',
    );
    const insert = migration.slice(migration.indexOf('INSERT INTO tasks'));
    await sql.raw(insert).execute(t.db);
    const tasks = await t.db
      .selectFrom('tasks')
      .select(['family_id', 'status'])
      .where('kind', '=', 'parents_audience_review')
      .execute();
    expect(tasks).toEqual([{ family_id: family.id, status: 'open' }]);
    await midwife.put(`/api/families/${family.id}/parents-audience/signal/${signals.familyViolence}`, {
      persons: [],
      reason: 'Blijft voor geen van beide ouders zichtbaar',
    });
    const after = await t.db
      .selectFrom('tasks')
      .select('status')
      .where('kind', '=', 'parents_audience_review')
      .executeTakeFirstOrThrow();
    expect(after.status).toBe('done');
  });
});

describe('correction and deletion requests recorded by a professional', () => {
  it('refuses one for a parent about what that parent may not see, and tells the decider whom the entry is about', async () => {
    const refused = await midwife.post(`/api/families/${family.id}/data-requests`, {
      kind: 'deletion',
      recordType: 'signal',
      recordId: signals.motherPsych,
      requestedByPersonId: family.daan,
      text: 'Daan wil dit laten verwijderen.',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().fields).toEqual([{ field: 'body.recordId', message: 'not something this parent may see' }]);
    expect(await t.db.selectFrom('data_requests').select('id').execute()).toEqual([]);

    await readers.sanne.put('/api/portal/family-sharing', { toPersonId: family.daan, shared: true });
    const recorded = await midwife.post(`/api/families/${family.id}/data-requests`, {
      kind: 'deletion',
      recordType: 'signal',
      recordId: signals.motherPsych,
      requestedByPersonId: family.daan,
      text: 'Daan wil dit laten verwijderen.',
    });
    expect(recorded.statusCode, recorded.body).toBe(201);
    const listed = (await midwife.get(`/api/families/${family.id}/data-requests`)).json().requests;
    expect(listed).toEqual([
      expect.objectContaining({ requestedByPersonId: family.daan, concernsPersonId: family.sanne }),
    ]);
  });
});

describe('safety measures', () => {
  it("pauses a parent's own Kring with a reason, reviewed by a colleague; the paused parent learns nothing more", async () => {
    const noReason = await midwife.post(`/api/families/${family.id}/safety-measures`, {
      kind: 'portal_paused',
      personId: family.daan,
    });
    expect(noReason.json().fields).toEqual([expect.objectContaining({ field: 'body.reason' })]);
    const notAdult = await midwife.post(`/api/families/${family.id}/safety-measures`, {
      kind: 'portal_paused',
      personId: family.tim,
      reason: 'Dreiging naar moeder',
    });
    expect(notAdult.json().fields).toEqual([expect.objectContaining({ field: 'body.personId' })]);
    expect(await t.db.selectFrom('safety_measures').select('id').execute()).toEqual([]);

    const paused = await midwife.post(`/api/families/${family.id}/safety-measures`, {
      kind: 'portal_paused',
      personId: family.daan,
      reason: 'Dreiging naar moeder; hij mag niet meelezen wat zij vertelt.',
    });
    expect(paused.statusCode, paused.body).toBe(201);
    // His session ended; signed in again, every page says only that the account is paused.
    expect((await readers.daan.get('/api/portal/journey')).statusCode).toBe(401);
    const again = await t.signIn('daan@thuis.example', 'ons eigen wachtwoord');
    for (const url of ['/api/portal/journey', '/api/portal/recorded', '/api/portal/who-looked', '/api/portal/export']) {
      const response = await again.get(url);
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'ACCOUNT_PAUSED' });
      expect(response.body).not.toContain('Dreiging');
    }
    // Sanne's Kring shows nothing of the measure, nor of his refused requests.
    const looked = JSON.stringify((await readers.sanne.get('/api/portal/who-looked')).json());
    expect(looked).not.toContain('safety');
    expect(looked).not.toContain('refused');

    // Four eyes: not the recorder; a colleague of the team.
    const measureId = paused.json().measureId;
    const own = await midwife.post(`/api/families/${family.id}/safety-measures/${measureId}/review`, {
      note: 'Zelf gecontroleerd',
    });
    expect(own.statusCode).toBe(403);
    const jgz = await professionalAt(t, 'jgz');
    const handover = await midwife.post(`/api/families/${family.id}/handovers`, {
      toOrganisationId: jgz.organisationId,
      summary: 'Overdracht voor de test, met toestemming van de ouders.',
      consent: { categories: ['medical', 'psychosocial', 'social'], givenHow: 'verbal' },
    });
    expect(handover.statusCode, handover.body).toBe(201);
    const incoming = (await jgz.client.get('/api/handovers/incoming')).json().handovers.at(-1);
    await jgz.client.post(`/api/handovers/${incoming.id}/accept`, { version: incoming.version });
    const reviewed = await jgz.client.post(`/api/families/${family.id}/safety-measures/${measureId}/review`, {
      note: 'Terecht, besproken met de aandachtsfunctionaris.',
    });
    expect(reviewed.statusCode, reviewed.body).toBe(200);

    // Ended with a reason: his Kring opens again.
    const listed = (await midwife.get(`/api/families/${family.id}/safety-measures`)).json().measures;
    expect(listed).toEqual([expect.objectContaining({ kind: 'portal_paused', reviewStatus: 'reviewed' })]);
    await midwife.post(`/api/families/${family.id}/safety-measures/${measureId}/end`, {
      reason: 'Situatie veilig, besproken met beide ouders.',
      version: listed[0].version,
    });
    expect((await again.get('/api/portal/journey')).statusCode).toBe(200);
  });

  it('shows a confidential address only to the organisations that may see it, never to the other adult', async () => {
    const recorded = await midwife.post(`/api/families/${family.id}/safety-measures`, {
      kind: 'confidential_address',
      personId: family.sanne,
      reason: 'Sanne verblijft in de opvang.',
      address: 'Opvanglaan 1, 9901 ZZ Duinstad',
    });
    expect(recorded.statusCode, recorded.body).toBe(201);
    expect((await midwife.get(`/api/families/${family.id}/safety-measures`)).json().measures[0].address).toBe(
      'Opvanglaan 1, 9901 ZZ Duinstad',
    );
    const jgz = await professionalAt(t, 'jgz');
    const handover = await midwife.post(`/api/families/${family.id}/handovers`, {
      toOrganisationId: jgz.organisationId,
      summary: 'Overdracht voor de test, met toestemming van de ouders.',
      consent: { categories: ['medical', 'psychosocial', 'social'], givenHow: 'verbal' },
    });
    expect(handover.statusCode).toBe(201);
    const incoming = (await jgz.client.get('/api/handovers/incoming')).json().handovers.at(-1);
    await jgz.client.post(`/api/handovers/${incoming.id}/accept`, { version: incoming.version });
    const forJgz = (await jgz.client.get(`/api/families/${family.id}/safety-measures`)).json().measures[0];
    expect(forJgz).toMatchObject({ address: null, addressWithheld: true });
    for (const reader of [readers.daan, readers.sanne]) {
      const everything = JSON.stringify([
        (await reader.get('/api/portal/export')).json(),
        (await reader.get('/api/portal/journey')).json(),
        (await reader.get('/api/portal/who-looked')).json(),
      ]);
      expect(everything).not.toContain('Opvanglaan');
    }
    const fhir = await midwife.get(`/fhir/Patient?_id=${family.sanne}`);
    expect(fhir.body).not.toContain('Opvanglaan');
  });
});

describe('entries about the family as a whole', () => {
  it('shows a judgement and a plan goal to every adult, unless the professional narrows it with a reason', async () => {
    const judged = await midwife.post(`/api/families/${family.id}/judgements`, {
      stressLevel: 'normal',
      intensity: 'ordinary',
      rationale: 'Gewone zorg volstaat voor nu, besproken met Sanne.',
      parentsAudience: { persons: [family.sanne], reason: 'Alleen met Sanne besproken' },
    });
    expect(judged.statusCode, judged.body).toBe(201);
    expect((await readers.sanne.get('/api/portal/recorded')).json().judgement).toMatchObject({ intensity: 'ordinary' });
    expect((await readers.daan.get('/api/portal/recorded')).json().judgement).toBeNull();

    const goal = await midwife.post(`/api/families/${family.id}/plan/goals`, {
      goal: 'Samen een rustig ritme vinden',
      owner: { personId: family.sanne },
      evaluateOn: daysFromToday(60),
      parentsAudience: { persons: [], reason: 'Eerst met Sanne alleen bespreken' },
    });
    expect(goal.statusCode, goal.body).toBe(201);
    const open = await midwife.post(`/api/families/${family.id}/plan/goals`, {
      goal: 'Een kraampakket regelen',
      owner: { personId: family.daan },
      evaluateOn: daysFromToday(30),
    });
    expect(open.statusCode, open.body).toBe(201);
    for (const reader of [readers.sanne, readers.daan, readers.gerrit]) {
      const plan = (await reader.get('/api/portal/journey')).json().plan as { goal: string }[];
      expect(plan.map((g) => g.goal)).toEqual(['Een kraampakket regelen']);
    }
    // The professionals see each decision beside its entry, with the reason; the goal left to the
    // rule shows none — and a decision made afterwards shows there from then on.
    const judgements = (await midwife.get(`/api/families/${family.id}/picture`)).json().judgements;
    expect(judgements[0].parentsAudience).toEqual({ persons: [family.sanne], reason: 'Alleen met Sanne besproken' });
    const goals = (await midwife.get(`/api/families/${family.id}/plan`)).json().goals as {
      goal: string;
      id: string;
      parentsAudience: unknown;
    }[];
    expect(goals.map((g) => [g.goal, g.parentsAudience])).toEqual([
      ['Samen een rustig ritme vinden', { persons: [], reason: 'Eerst met Sanne alleen bespreken' }],
      ['Een kraampakket regelen', null],
    ]);
    const later = await midwife.put(`/api/families/${family.id}/parents-audience/plan_goal/${goals[1]?.id}`, {
      persons: [family.daan],
      reason: 'Daan regelt dit; Sanne wil het niet zien',
    });
    expect(later.statusCode, later.body).toBe(200);
    const after = (await midwife.get(`/api/families/${family.id}/plan`)).json().goals;
    expect(after[1].parentsAudience).toEqual({
      persons: [family.daan],
      reason: 'Daan regelt dit; Sanne wil het niet zien',
    });
    const wrong = await midwife.post(`/api/families/${family.id}/judgements`, {
      stressLevel: 'normal',
      intensity: 'ordinary',
      rationale: 'Gewone zorg volstaat voor nu, besproken met Sanne.',
      parentsAudience: { persons: [family.tim], reason: 'Tim is een kind' },
    });
    expect(wrong.json().fields).toEqual([expect.objectContaining({ field: 'body.parentsAudience.persons' })]);
  });
});

describe('other readers: a foster parent, a minor mother and her parent', () => {
  const yearsAgo = (years: number) => daysFromToday(-(years * 365 + Math.floor(years / 4) + 30));

  it("shows a foster parent with gezag the child's entries, and a minor mother's parent only the family's", async () => {
    const registered = await midwife.post(
      '/api/families',
      registration({
        pregnantPerson: { givenName: 'Lotte', familyName: 'Jong', birthDate: yearsAgo(15), parentalAuthority: false },
        caregivers: [
          { role: 'parent_of_minor', givenName: 'Marja', familyName: 'Jong', birthDate: '1975-02-02' },
          { role: 'foster_parent', givenName: 'Ria', familyName: 'Pleeg', birthDate: '1970-03-03' },
        ],
        siblings: [{ givenName: 'Sem', familyName: 'Jong', birthDate: daysFromToday(-500) }],
      }),
    );
    expect(registered.statusCode, registered.body).toBe(201);
    const id = registered.json().familyId as string;
    const persons = (await midwife.get(`/api/families/${id}`)).json().persons as { id: string; givenName: string }[];
    const person = (name: string) => persons.find((p) => p.givenName === name)?.id as string;
    const note = async (name: string, code: string, concerns: string | null) => {
      const response = await midwife.post(`/api/families/${id}/signals`, {
        code,
        concernsPersonId: concerns,
        source: 'told_by_parent',
        note: `note-${name}`,
      });
      expect(response.statusCode, response.body).toBe(201);
      return response.json().signalId as string;
    };
    const lotte = await note('lotte', 'parent_psychological', person('Lotte'));
    const sem = await note('sem', 'child_development', person('Sem'));
    const family = await note('family', 'finances', null);
    const invite = async (name: string, email: string) => {
      const invited = await midwife.post(`/api/families/${id}/parent-invitations`, { personId: person(name) });
      expect(invited.statusCode, invited.body).toBe(201);
      await t.anonymous().post('/api/auth/parent-invitation', {
        code: invited.json().code.toLowerCase(),
        email,
        password: 'ons eigen wachtwoord',
      });
      return t.signIn(email, 'ons eigen wachtwoord');
    };
    const seen = async (reader: Client) =>
      ((await reader.get('/api/portal/recorded')).json().signals as { id: string }[]).map((s) => s.id).sort();
    // The foster parent holds gezag (registered so by default): the child's entry and the family's.
    expect(await seen(await invite('Ria', 'ria@thuis.example'))).toEqual([sem, family].sort());
    // The minor mother's own parent consents with her, but what is about Lotte stays Lotte's.
    expect(await seen(await invite('Marja', 'marja@thuis.example'))).toEqual([sem, family].sort());
    // Lotte herself, without gezag under 16: her own entry and the family's, not her sibling's.
    expect(await seen(await invite('Lotte', 'lotte@thuis.example'))).toEqual([lotte, family].sort());
  });
});
