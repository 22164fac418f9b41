import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  auditEvents,
  type Client,
  createTestApp,
  daysFromToday,
  registration,
  seedAccount,
  seedOrganisation,
  seedRegion,
  type TestApp,
  tableCounts,
} from '../../test/helpers.ts';
import { verifyAudit } from '../audit/verify-audit.ts';

let t: TestApp;
let midwife: Client;
let midwifeOrg: string;
let kraamOrg: string;
let kraamzorg: Client;
let wijkteam: Client;

beforeEach(async () => {
  t = await createTestApp();
  await seedRegion(t.db);
  midwifeOrg = await seedOrganisation(t.db, 'verloskundigenpraktijk');
  kraamOrg = await seedOrganisation(t.db, 'kraamzorg');
  const wijkOrg = await seedOrganisation(t.db, 'wijkteam');
  midwife = await t.signIn((await seedAccount(t.db, { kind: 'professional', organisationId: midwifeOrg })).email);
  kraamzorg = await t.signIn((await seedAccount(t.db, { kind: 'professional', organisationId: kraamOrg })).email);
  wijkteam = await t.signIn((await seedAccount(t.db, { kind: 'professional', organisationId: wijkOrg })).email);
});
afterEach(() => t.close());

async function register(client: Client, overrides: Record<string, unknown> = {}) {
  const response = await client.post('/api/families', registration(overrides));
  expect(response.statusCode, response.body).toBe(201);
  return response.json().familyId as string;
}

describe('registering a family', () => {
  it('registers parents, the expected child with its trajectory, the team and consent, and audits it', async () => {
    const familyId = await register(midwife);
    const record = (await midwife.get(`/api/families/${familyId}`)).json();
    expect(record.persons.map((p: { role: string }) => p.role)).toEqual(['pregnant_person', 'partner', 'child']);
    expect(record.persons[2].childStatus).toBe('expected');
    expect(record.trajectories).toHaveLength(1);
    expect(record.trajectories[0].view.phase).toMatch(/^trimester_/);
    expect(record.trajectories[0].view.day).toBeGreaterThan(100);
    expect(record.family.neighbourhood).toBe('Testwijk');
    expect(record.team).toMatchObject([{ organisationId: midwifeOrg, professionals: [{ isRegiehouder: true }] }]);
    expect(record.consent.mine.every((c: { complete: boolean }) => c.complete)).toBe(true);
    expect(record.me.isRegiehouder).toBe(true);
    const actions = (await auditEvents(t.db)).filter((e) => e.family_id === familyId).map((e) => e.action);
    expect(actions).toEqual(['family.register', 'family.read']);
  });

  it('asks how the parents consented only when they consented to something: consent is never assumed', async () => {
    const none = await midwife.post('/api/families', registration({ consent: { categories: [] } }));
    expect(none.statusCode, none.body).toBe(201);
    const record = (await midwife.get(`/api/families/${none.json().familyId}`)).json();
    expect(record.consent.entries.filter((c: { purpose: string }) => c.purpose === 'share')).toEqual([]);
    expect(record.consent.mine.every((c: { complete: boolean }) => !c.complete)).toBe(true);
    const unsaid = await midwife.post('/api/families', registration({ consent: { categories: ['medical'] } }));
    expect(unsaid.statusCode).toBe(400);
    expect(unsaid.json().fields).toEqual([
      { field: 'body.consent.givenHow', message: 'say how the parents gave their consent' },
    ]);
  });

  it('derives the due date from the last menstrual period and registers twins as two children', async () => {
    const lmp = daysFromToday(-70);
    const familyId = await register(midwife, {
      pregnancy: { lmpDate: lmp, expectedChildren: 2 },
      siblings: [
        { givenName: 'Anouk', familyName: 'Aalders', birthDate: daysFromToday(-900) },
        { givenName: 'Zeger', familyName: 'Aalders', birthDate: daysFromToday(-2000) },
      ],
    });
    const record = (await midwife.get(`/api/families/${familyId}`)).json();
    // Listed as registered, whatever the names: the adults, the expected children, the eldest sibling first.
    expect(record.persons.map((p: { role: string; givenName: string | null }) => [p.role, p.givenName])).toEqual([
      ['pregnant_person', expect.any(String)],
      ['partner', expect.any(String)],
      ['child', null],
      ['child', null],
      ['sibling', 'Zeger'],
      ['sibling', 'Anouk'],
    ]);
    expect(record.trajectories).toHaveLength(2);
    expect(record.trajectories[0].dueDate).toBe(daysFromToday(210));
    expect(record.trajectories[0].childPersonId).not.toBe(record.trajectories[1].childPersonId);
  });

  it('registers before pregnancy, and adds the pregnancy when it is known', async () => {
    const familyId = await register(midwife, { pregnancy: null, caregivers: [] });
    let record = (await midwife.get(`/api/families/${familyId}`)).json();
    expect(record.trajectories).toMatchObject([{ kind: 'preconception', status: 'open', view: null }]);
    const added = await midwife.post(`/api/families/${familyId}/pregnancies`, { dueDate: daysFromToday(230) });
    expect(added.statusCode).toBe(201);
    record = (await midwife.get(`/api/families/${familyId}`)).json();
    expect(record.trajectories.map((tr: { kind: string; status: string }) => [tr.kind, tr.status])).toEqual([
      ['preconception', 'closed'],
      ['child', 'open'],
    ]);
  });

  it('says only "already registered" for a known BSN or name and date of birth, and writes nothing', async () => {
    await register(midwife, {
      pregnantPerson: { givenName: 'A', familyName: 'Dubbel', birthDate: '1990-01-01', bsn: '111222333' },
    });
    const before = await tableCounts(t.db);
    const byBsn = await wijkteam.post(
      '/api/families',
      registration({
        pregnantPerson: { givenName: 'X', familyName: 'Anders', birthDate: '1991-02-02', bsn: '111222333' },
      }),
    );
    expect(byBsn.statusCode).toBe(409);
    expect(byBsn.json()).toEqual({
      status: 409,
      code: 'ALREADY_EXISTS',
      message: 'This person is already registered in Kring.',
      fields: [],
      canRequestToJoin: true,
    });
    const byName = await wijkteam.post(
      '/api/families',
      registration({ pregnantPerson: { givenName: 'Y', familyName: 'dubbel', birthDate: '1990-01-01' } }),
    );
    expect(byName.statusCode).toBe(409);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('turns a request to join into a task for the regiehouder’s organisation, revealing nothing', async () => {
    await register(midwife, {
      pregnantPerson: { givenName: 'A', familyName: 'Join', birthDate: '1990-01-01', bsn: '123456782' },
    });
    const known = await wijkteam.post('/api/families/join-requests', { bsn: '123456782' });
    const unknown = await wijkteam.post('/api/families/join-requests', { bsn: '999999990' });
    expect(known.json()).toEqual(unknown.json());
    const tasks = (await midwife.get('/api/tasks')).json().tasks;
    expect(tasks.map((task: { kind: string }) => task.kind)).toEqual(['join_request']);
  });

  it.each([
    [
      'an invalid BSN',
      { pregnantPerson: { givenName: 'A', familyName: 'B', birthDate: '1990-01-01', bsn: '123456789' } },
      'body.pregnantPerson.bsn',
    ],
    ['a postcode outside the region', { address: { postcode: '1234 AB' } }, 'body.address.postcode'],
    [
      'a due date more than 44 weeks ahead',
      { pregnancy: { dueDate: daysFromToday(44 * 7 + 5) } },
      'body.pregnancy.dueDate',
    ],
    ['a due date in the far past', { pregnancy: { dueDate: daysFromToday(-800) } }, 'body.pregnancy.dueDate'],
    [
      'both a due date and a menstrual period',
      { pregnancy: { dueDate: daysFromToday(100), lmpDate: daysFromToday(-100) } },
      'body.pregnancy.dueDate',
    ],
    [
      'a parent born in the future',
      { pregnantPerson: { givenName: 'A', familyName: 'B', birthDate: daysFromToday(10) } },
      'body.pregnantPerson.birthDate',
    ],
    [
      'a parent born more than 100 years ago (a typing error in the year)',
      { pregnantPerson: { givenName: 'A', familyName: 'B', birthDate: '0199-03-12' } },
      'body.pregnantPerson.birthDate',
    ],
    [
      'a partner born more than 100 years ago',
      {
        caregivers: [
          {
            role: 'partner',
            givenName: 'C',
            familyName: 'D',
            birthDate: daysFromToday(-101 * 366),
            parentalAuthority: true,
          },
        ],
      },
      'body.caregivers.0.birthDate',
    ],
    [
      'a sibling born more than 25 years ago',
      { siblings: [{ givenName: 'E', familyName: 'B', birthDate: '1901-06-01' }] },
      'body.siblings.0.birthDate',
    ],
  ])('refuses %s with the field at fault and writes nothing', async (_what, overrides, field) => {
    const before = await tableCounts(t.db);
    const response = await midwife.post('/api/families', registration(overrides));
    expect(response.statusCode).toBe(400);
    expect(response.json().fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('names every field at fault in one answer, the implausible dates with the malformed ones', async () => {
    const before = await tableCounts(t.db);
    const response = await midwife.post(
      '/api/families',
      registration({
        pregnantPerson: { givenName: 'A', familyName: 'B', birthDate: '1990-01-01', bsn: '123456789' },
        caregivers: [{ role: 'partner', givenName: 'C', familyName: 'D', birthDate: daysFromToday(400) }],
        pregnancy: { dueDate: daysFromToday(3 * 365) },
        siblings: [{ givenName: 'E', familyName: 'B', birthDate: daysFromToday(30) }],
        address: { postcode: 'abc' },
      }),
    );
    expect(response.statusCode).toBe(400);
    expect(
      response
        .json()
        .fields.map((f: { field: string }) => f.field)
        .sort(),
    ).toEqual(
      [
        'body.address.postcode',
        'body.caregivers.0.birthDate',
        'body.pregnancy.dueDate',
        'body.pregnantPerson.bsn',
        'body.siblings.0.birthDate',
      ].sort(),
    );
    expect(await tableCounts(t.db)).toEqual(before);
  });
});

describe('who sees the family', () => {
  it('hides the family from a professional outside the team: search finds nothing, opening is 404 and audited', async () => {
    const familyId = await register(midwife, {
      pregnantPerson: { givenName: 'Zoë', familyName: 'Verborgen', birthDate: '1990-05-05' },
    });
    expect((await midwife.post('/api/families/search', { query: 'verborgen' })).json().families).toHaveLength(1);
    expect((await wijkteam.post('/api/families/search', { query: 'verborgen' })).json().families).toEqual([]);
    // By date of birth; a day that does not exist is no date (it once answered 500).
    expect((await midwife.post('/api/families/search', { query: '1990-05-05' })).json().families).toHaveLength(1);
    for (const query of ['2024-02-30', '2023-02-29', '2024-13-01', '0000-00-00']) {
      const search = await midwife.post('/api/families/search', { query });
      expect(search.statusCode, query).toBe(200);
      expect(search.json().families).toEqual([]);
    }
    const opened = await wijkteam.get(`/api/families/${familyId}`);
    expect(opened.statusCode).toBe(404);
    const refusal = (await auditEvents(t.db)).find((e) => e.outcome === 'refused');
    expect(refusal).toMatchObject({ action: 'family.read', family_id: familyId });
    expect((await wijkteam.request('GET', '/api/caseload')).json().families).toEqual([]);
  });

  it('refuses families to administrators, analysts and parents', async () => {
    const familyId = await register(midwife);
    for (const kind of ['admin', 'analyst', 'parent'] as const) {
      const client = await t.signIn((await seedAccount(t.db, { kind })).email);
      expect((await client.get(`/api/families/${familyId}`)).statusCode).toBe(403);
    }
  });

  it('keeps the search out of URLs: it is a POST with the query in the body, and the query is not audited', async () => {
    await register(midwife, { pregnantPerson: { givenName: 'Ilse', familyName: 'Geheim', birthDate: '1990-05-05' } });
    await midwife.post('/api/families/search', { query: 'Geheim' });
    const events = await auditEvents(t.db);
    expect(JSON.stringify(events)).not.toContain('Geheim');
    // The search and its audit event are one statement; the event counts what was shown.
    expect(events.find((e) => e.action === 'family.search')?.details).toEqual({ results: 1 });
    expect((await verifyAudit(t.db)).broken).toEqual([]);
    expect((await midwife.get('/api/families/search?query=Geheim')).statusCode).toBe(400);
  });
});

describe('contacts, consent and the care team', () => {
  it('records a contact on the timeline; an entry without consent is withheld from another team organisation', async () => {
    const familyId = await register(midwife);
    const record = (await midwife.get(`/api/families/${familyId}`)).json();
    const mother = record.persons[0].id;
    const psychosocial = await midwife.post(`/api/families/${familyId}/contacts`, {
      occurredOn: daysFromToday(-1),
      kind: 'prenatal_check',
      presentPersonIds: [mother],
      note: 'Gesprek over steun in de omgeving',
      category: 'psychosocial',
    });
    expect(psychosocial.statusCode).toBe(201);
    await midwife.post(`/api/families/${familyId}/contacts`, {
      occurredOn: daysFromToday(-1),
      kind: 'prenatal_check',
      category: 'medical',
    });

    // Hand over to kraamzorg with consent for medical information only.
    const handover = await midwife.post(`/api/families/${familyId}/handovers`, {
      toOrganisationId: kraamOrg,
      summary: 'Eerste kind, zwangerschap zonder bijzonderheden.',
      consent: { categories: ['medical'], givenHow: 'verbal' },
    });
    expect(handover.statusCode).toBe(201);
    const incoming = (await kraamzorg.get('/api/handovers/incoming')).json().handovers;
    expect(incoming).toHaveLength(1);
    expect((await kraamzorg.get('/api/tasks')).json().tasks.map((x: { kind: string }) => x.kind)).toEqual([
      'handover_to_accept',
    ]);
    expect((await kraamzorg.get('/api/notifications')).json().unread).toBe(1);
    const accepted = await kraamzorg.post(`/api/handovers/${incoming[0].id}/accept`, { version: incoming[0].version });
    expect(accepted.json()).toEqual({ familyId, status: 'accepted' });
    // Answered, the notification is no longer new — and now that kraamzorg may read it, names the family.
    const notified = (await kraamzorg.get('/api/notifications')).json();
    expect(notified.unread).toBe(0);
    expect(notified.notifications[0]).toMatchObject({
      familyId,
      read: true,
      familyName: expect.stringMatching(/^Sanne /),
    });

    const seen = (await kraamzorg.get(`/api/families/${familyId}`)).json();
    expect(seen.contacts.map((c: { category: string }) => c.category)).toEqual(['medical']);
    expect(seen.withheldEntries).toBe(1);
    expect(seen.consent.mine.find((c: { category: string }) => c.category === 'psychosocial')).toMatchObject({
      complete: false,
    });
    expect(seen.team.map((m: { organisationId: string }) => m.organisationId).sort()).toEqual(
      [midwifeOrg, kraamOrg].sort(),
    );
    // Still the midwife's full view.
    expect((await midwife.get(`/api/families/${familyId}`)).json().contacts).toHaveLength(2);
  });

  it('refuses a handover to an organisation without the parents’ consent, writing nothing', async () => {
    const familyId = await register(midwife);
    const before = await tableCounts(t.db);
    const response = await midwife.post(`/api/families/${familyId}/handovers`, {
      toOrganisationId: kraamOrg,
      summary: 'Zonder toestemming mag dit niet.',
      consent: { categories: [], givenHow: 'verbal' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().fields[0].field).toBe('body.consent.categories');
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('ends the sender’s role and passes on the regiehouder role when asked; a second accept is refused', async () => {
    const familyId = await register(midwife);
    await midwife.post(`/api/families/${familyId}/handovers`, {
      toOrganisationId: kraamOrg,
      summary: 'Overdracht na de bevalling, rol verloskundige eindigt.',
      endSenderRole: true,
      consent: { categories: ['medical', 'psychosocial'], givenHow: 'written' },
    });
    const [handover] = (await kraamzorg.get('/api/handovers/incoming')).json().handovers;
    // What the midwife sent, with the family's name while she is in its team.
    expect((await midwife.get('/api/handovers/sent')).json().handovers).toEqual([
      expect.objectContaining({ id: handover.id, familyId, familyName: expect.any(String), status: 'pending' }),
    ]);
    await kraamzorg.post(`/api/handovers/${handover.id}/accept`, { version: handover.version });
    // Accepted, with who accepted it; her role ended, so the family's name is no longer hers to see.
    expect((await midwife.get('/api/handovers/sent?by=organisation')).json().handovers).toEqual([
      expect.objectContaining({ id: handover.id, familyName: null, status: 'accepted', decidedBy: expect.any(String) }),
    ]);
    const again = await kraamzorg.post(`/api/handovers/${handover.id}/accept`, { version: handover.version + 1 });
    expect(again.json().code).toBe('INVALID_TRANSITION');
    const record = (await kraamzorg.get(`/api/families/${familyId}`)).json();
    expect(record.me.isRegiehouder).toBe(true);
    expect(record.team.map((m: { organisationId: string }) => m.organisationId)).toEqual([kraamOrg]);
    expect((await midwife.get(`/api/families/${familyId}`)).statusCode).toBe(404);
  });

  it('withdrawing consent takes effect for the next read', async () => {
    const familyId = await register(midwife);
    await midwife.post(`/api/families/${familyId}/contacts`, {
      occurredOn: daysFromToday(0),
      kind: 'home_visit',
      category: 'social',
    });
    await midwife.post(`/api/families/${familyId}/handovers`, {
      toOrganisationId: kraamOrg,
      summary: 'Samen verder in de kraamtijd.',
      consent: { categories: ['medical', 'social'], givenHow: 'verbal' },
    });
    const [handover] = (await kraamzorg.get('/api/handovers/incoming')).json().handovers;
    await kraamzorg.post(`/api/handovers/${handover.id}/accept`, { version: 1 });
    expect((await kraamzorg.get(`/api/families/${familyId}`)).json().contacts).toHaveLength(1);
    const record = (await midwife.get(`/api/families/${familyId}`)).json();
    const social = record.consent.entries.find(
      (c: { organisationId: string; category: string }) => c.organisationId === kraamOrg && c.category === 'social',
    );
    expect((await midwife.post(`/api/families/${familyId}/consents/${social.id}/withdraw`)).statusCode).toBe(200);
    expect((await kraamzorg.get(`/api/families/${familyId}`)).json().contacts).toHaveLength(0);
  });
});

describe('birth, the end of a pregnancy and concurrent edits', () => {
  it('records a birth: the child is born, preterm and low birth weight are visible facts', async () => {
    const familyId = await register(midwife, { pregnancy: { dueDate: daysFromToday(40) } });
    const [trajectory] = (await midwife.get(`/api/families/${familyId}`)).json().trajectories;
    const born = await midwife.post(`/api/families/${familyId}/trajectories/${trajectory.id}/birth`, {
      birthDate: daysFromToday(0),
      birthWeightGrams: 2100,
      birthPlace: 'hospital',
      sex: 'female',
      givenName: 'Noor',
      version: trajectory.version,
    });
    expect(born.statusCode).toBe(200);
    const record = (await midwife.get(`/api/families/${familyId}`)).json();
    expect(record.trajectories[0].view).toMatchObject({ phase: 'birth', preterm: true, lowBirthWeight: true });
    expect(record.trajectories[0].dueDate).toBe(daysFromToday(40));
    expect(record.persons[2]).toMatchObject({ givenName: 'Noor', childStatus: 'born', sex: 'female' });
    // Only a child's sex is recorded, never an adult's.
    expect(record.persons.slice(0, 2).map((p: { sex: string | null }) => p.sex)).toEqual([null, null]);
    expect(record.trajectories[0].schedule[0]).toMatchObject({ key: 'home_visit_2w', status: 'upcoming' });
  });

  it('refuses a stale version with 409 and the current state, and a birth before conception', async () => {
    const familyId = await register(midwife, { pregnancy: { dueDate: daysFromToday(40) } });
    const [trajectory] = (await midwife.get(`/api/families/${familyId}`)).json().trajectories;
    const early = await midwife.post(`/api/families/${familyId}/trajectories/${trajectory.id}/birth`, {
      birthDate: daysFromToday(-300),
      birthWeightGrams: 3000,
      birthPlace: 'home',
      version: trajectory.version,
    });
    expect(early.json().fields).toEqual([{ field: 'body.birthDate', message: 'before conception' }]);
    const badSex = await midwife.post(`/api/families/${familyId}/trajectories/${trajectory.id}/birth`, {
      birthDate: daysFromToday(0),
      birthWeightGrams: 3000,
      birthPlace: 'home',
      sex: 'girl',
      version: trajectory.version,
    });
    expect(badSex.statusCode).toBe(400);
    expect(badSex.json().fields.map((f: { field: string }) => f.field)).toEqual(['body.sex']);
    await midwife.post(`/api/families/${familyId}/trajectories/${trajectory.id}/birth`, {
      birthDate: daysFromToday(0),
      birthWeightGrams: 3400,
      birthPlace: 'home',
      version: trajectory.version,
    });
    const stale = await midwife.post(`/api/families/${familyId}/trajectories/${trajectory.id}/birth`, {
      birthDate: daysFromToday(0),
      birthWeightGrams: 3300,
      birthPlace: 'home',
      version: trajectory.version,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'STALE_VERSION', current: { version: trajectory.version + 1 } });
  });

  it('closes the trajectory of a pregnancy that ended, and the family record with it', async () => {
    const familyId = await register(midwife, { pregnancy: { dueDate: daysFromToday(200) } });
    const [trajectory] = (await midwife.get(`/api/families/${familyId}`)).json().trajectories;
    const ended = await midwife.post(`/api/families/${familyId}/trajectories/${trajectory.id}/pregnancy-ended`, {
      endedOn: daysFromToday(0),
      version: trajectory.version,
    });
    expect(ended.json()).toEqual({ familyClosed: true });
    const record = (await midwife.get(`/api/families/${familyId}`)).json();
    expect(record.family.status).toBe('closed');
    expect(record.trajectories[0].view.phase).toBe('ended');
    const write = await midwife.post(`/api/families/${familyId}/contacts`, {
      occurredOn: daysFromToday(0),
      kind: 'phone_video',
    });
    expect(write.json().code).toBe('RECORD_CLOSED');
  });

  it('lists the caseload with day X of 1001 and phase', async () => {
    await register(midwife, { pregnancy: { dueDate: daysFromToday(50) } }); // 32 weeks pregnant
    await register(midwife, { pregnancy: null, caregivers: [] });
    const caseload = (await midwife.get('/api/caseload?sort=name')).json().families;
    expect(caseload).toHaveLength(2);
    const phases = caseload
      .flatMap((f: { trajectories: { phase: string }[] }) => f.trajectories.map((tr) => tr.phase))
      .sort();
    expect(phases).toEqual(['preconception', 'trimester_3']);
  });

  it('sorts and pages the caseload in the server, 50 a page, and audits only the page shown', async () => {
    // 52 families, due from 10 to 61 days ahead, named so that name order runs the other way.
    for (let i = 0; i < 52; i++) {
      await register(midwife, {
        pregnantPerson: {
          givenName: 'Sanne',
          familyName: `Fam${String(99 - i).padStart(2, '0')}`,
          birthDate: `1994-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + Math.floor(i / 12)).padStart(2, '0')}`,
        },
        pregnancy: { dueDate: daysFromToday(10 + i) },
        caregivers: [],
      });
    }
    const page = async (query: string) => (await midwife.get(`/api/caseload?${query}`)).json();
    const first = await page('sort=day');
    expect(first).toMatchObject({ total: 52, page: 1, pageSize: 50 });
    expect(first.families).toHaveLength(50);
    const days = (body: { families: { trajectories: { day: number }[] }[] }) =>
      body.families.map((f) => f.trajectories[0]?.day as number);
    // Furthest along first, across the pages.
    const second = await page('sort=day&page=2');
    const allDays = [...days(first), ...days(second)];
    expect(allDays).toEqual([...allDays].sort((a, b) => b - a));
    expect(second.families).toHaveLength(2);
    const names = [...(await page('sort=name')).families, ...(await page('sort=name&page=2')).families].map(
      (f: { name: string }) => f.name,
    );
    expect(names[0]).toBe('Sanne Fam48');
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(52);
    expect((await page('sort=next_contact')).families).toHaveLength(50);
    // Past the end: empty, with the total still told.
    expect(await page('page=3')).toMatchObject({ families: [], total: 52, page: 3 });
    const refused = await midwife.get('/api/caseload?page=0');
    expect(refused.statusCode).toBe(400);
    expect(refused.json().fields.map((f: { field: string }) => f.field)).toEqual(['query.page']);
    const shown = await t.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'caseload.read')
      .orderBy('occurred_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(shown.details).toMatchObject({ families: 50 });
  });
});

describe('the end of the 1001 days and the family audit trail', () => {
  it('closes a trajectory on the second birthday, asks the regiehouder for a closing summary, and closes the family', async () => {
    const { closeEndedTrajectories } = await import('./close-ended-trajectories.ts');
    const familyId = await register(midwife, { pregnancy: { dueDate: daysFromToday(10) } });
    const [trajectory] = (await midwife.get(`/api/families/${familyId}`)).json().trajectories;
    await midwife.post(`/api/families/${familyId}/trajectories/${trajectory.id}/birth`, {
      birthDate: daysFromToday(0),
      birthWeightGrams: 3500,
      birthPlace: 'home',
      version: trajectory.version,
    });
    expect(await closeEndedTrajectories(t.db, daysFromToday(365))).toBe(0);
    expect(await closeEndedTrajectories(t.db, daysFromToday(731))).toBe(1);
    expect(await closeEndedTrajectories(t.db, daysFromToday(731))).toBe(0);
    const record = (await midwife.get(`/api/families/${familyId}`)).json();
    expect(record.family.status).toBe('closed');
    expect(record.trajectories[0].status).toBe('closed');
    expect((await midwife.get('/api/tasks')).json().tasks.map((x: { kind: string }) => x.kind)).toEqual([
      'closing_summary',
    ]);
  });

  it('shows the regiehouder who looked at the family, and nobody else', async () => {
    const familyId = await register(midwife);
    await midwife.get(`/api/families/${familyId}`);
    const trail = (await midwife.get(`/api/families/${familyId}/audit-events`)).json().events;
    expect(trail.map((e: { action: string }) => e.action)).toEqual(['family.read', 'family.register']);
    expect(trail[0].organisation).toContain('Test verloskundigenpraktijk');
    await midwife.post(`/api/families/${familyId}/handovers`, {
      toOrganisationId: kraamOrg,
      summary: 'Overdracht voor de kraamtijd.',
      consent: { categories: ['medical'], givenHow: 'verbal' },
    });
    const [handover] = (await kraamzorg.get('/api/handovers/incoming')).json().handovers;
    await kraamzorg.post(`/api/handovers/${handover.id}/accept`, { version: handover.version });
    expect((await kraamzorg.get(`/api/families/${familyId}/audit-events`)).statusCode).toBe(403);
  });
});

describe('legal roles, whom an entry concerns, and the ribbon', () => {
  const minorBirthDate = (years: number) => {
    const d = new Date();
    return `${d.getUTCFullYear() - years}-01-01` <= daysFromToday(0)
      ? daysFromToday(-(years * 365 + Math.floor(years / 4) + 30))
      : daysFromToday(-(years * 365));
  };

  it('registers a minor mother with her own parent, who consents with her; she cannot hold gezag under 16', async () => {
    const fifteen = minorBirthDate(15);
    const refused = await midwife.post(
      '/api/families',
      registration({
        pregnantPerson: { givenName: 'Lotte', familyName: 'Jong', birthDate: fifteen, parentalAuthority: true },
        caregivers: [],
      }),
    );
    expect(refused.statusCode).toBe(400);
    expect(
      refused
        .json()
        .fields.map((f: { field: string }) => f.field)
        .sort(),
    ).toEqual(['body.caregivers', 'body.pregnantPerson.parentalAuthority']);
    const familyId = await register(midwife, {
      pregnantPerson: { givenName: 'Lotte', familyName: 'Jong', birthDate: fifteen, parentalAuthority: false },
      caregivers: [
        { role: 'parent_of_minor', givenName: 'Marja', familyName: 'Jong', birthDate: '1975-02-02' },
        {
          role: 'partner',
          givenName: 'Tim',
          familyName: 'Bos',
          birthDate: minorBirthDate(17),
          parentalAuthority: false,
        },
      ],
    });
    const record = (await midwife.get(`/api/families/${familyId}`)).json();
    const byRole = (role: string) => record.persons.find((p: { role: string }) => p.role === role).id;
    // Consent at registration was recorded for the minor, her mother and the partner (about himself).
    const consenters = new Set(record.consent.entries.map((c: { personId: string }) => c.personId));
    expect(consenters).toEqual(new Set([byRole('pregnant_person'), byRole('parent_of_minor'), byRole('partner')]));
    expect(record.consent.mine.every((c: { complete: boolean }) => c.complete)).toBe(true);
  });

  it('judges an entry about one adult by that adult’s consent, not the whole family’s', async () => {
    const familyId = await register(midwife);
    const record = (await midwife.get(`/api/families/${familyId}`)).json();
    const [mother, partner] = record.persons;
    for (const [concernsPersonId, note] of [
      [mother.id, 'Over de moeder'],
      [partner.id, 'Over de partner'],
      [null, 'Over het gezin'],
    ]) {
      const response = await midwife.post(`/api/families/${familyId}/contacts`, {
        occurredOn: daysFromToday(-1),
        kind: 'home_visit',
        concernsPersonId,
        note,
        category: 'psychosocial',
      });
      expect(response.statusCode).toBe(201);
    }
    // Only the mother consents to kraamzorg for psychosocial information (the partner does not).
    const handover = await midwife.post(`/api/families/${familyId}/handovers`, {
      toOrganisationId: kraamOrg,
      summary: 'Overdracht met toestemming van de moeder.',
      consent: { categories: ['medical'], givenHow: 'verbal' },
    });
    expect(handover.statusCode).toBe(201);
    const consent = await midwife.post(`/api/families/${familyId}/consents`, {
      purpose: 'share',
      personId: mother.id,
      organisationId: kraamOrg,
      categories: ['psychosocial'],
      givenHow: 'verbal',
    });
    expect(consent.statusCode, consent.body).toBe(201);
    const [incoming] = (await kraamzorg.get('/api/handovers/incoming')).json().handovers;
    await kraamzorg.post(`/api/handovers/${incoming.id}/accept`, { version: incoming.version });
    const seen = (await kraamzorg.get(`/api/families/${familyId}`)).json();
    expect(seen.contacts.map((c: { note: string }) => c.note)).toEqual(['Over de moeder']);
    expect(seen.withheldEntries).toBe(2);
    // A contact about someone of another family is refused.
    const forged = await midwife.post(`/api/families/${familyId}/contacts`, {
      occurredOn: daysFromToday(-1),
      kind: 'home_visit',
      concernsPersonId: '00000000-0000-4000-8000-000000000000',
      category: 'medical',
    });
    expect(forged.json().fields[0].field).toBe('body.concernsPersonId');
  });

  it('records a child protection order; the family guardian of the institution shows in that legal role', async () => {
    const giOrg = await seedOrganisation(t.db, 'gecertificeerde_instelling');
    const guardian = await t.signIn((await seedAccount(t.db, { kind: 'professional', organisationId: giOrg })).email);
    const familyId = await register(midwife);
    let record = (await midwife.get(`/api/families/${familyId}`)).json();
    const [trajectory] = record.trajectories;
    await midwife.post(`/api/families/${familyId}/trajectories/${trajectory.id}/birth`, {
      birthDate: daysFromToday(-20),
      birthWeightGrams: 3300,
      birthPlace: 'home',
      version: trajectory.version,
    });
    record = (await midwife.get(`/api/families/${familyId}`)).json();
    const child = record.persons.find((p: { role: string }) => p.role === 'child');
    const before = await tableCounts(t.db);
    const wrongOrg = await midwife.put(`/api/families/${familyId}/persons/${child.id}/protection-measure`, {
      measure: 'ots',
      since: daysFromToday(-2),
      organisationId: kraamOrg,
      version: child.version,
    });
    expect(wrongOrg.json().fields[0].field).toBe('body.organisationId');
    expect(await tableCounts(t.db)).toEqual(before);
    const ots = await midwife.put(`/api/families/${familyId}/persons/${child.id}/protection-measure`, {
      measure: 'ots',
      since: daysFromToday(-2),
      organisationId: giOrg,
      version: child.version,
    });
    expect(ots.statusCode, ots.body).toBe(200);
    const stale = await midwife.put(`/api/families/${familyId}/persons/${child.id}/protection-measure`, {
      measure: null,
      version: child.version,
    });
    expect(stale.statusCode).toBe(409);
    // The institution joins through a handover with the parents' consent, like every organisation.
    await midwife.post(`/api/families/${familyId}/handovers`, {
      toOrganisationId: giOrg,
      summary: 'Ondertoezichtstelling uitgesproken; gezinsvoogd sluit aan.',
      consent: { categories: ['medical', 'psychosocial', 'social'], givenHow: 'written' },
    });
    const [incoming] = (await guardian.get('/api/handovers/incoming')).json().handovers;
    await guardian.post(`/api/handovers/${incoming.id}/accept`, { version: incoming.version });
    record = (await guardian.get(`/api/families/${familyId}`)).json();
    expect(record.persons.find((p: { id: string }) => p.id === child.id).protectionMeasure).toMatchObject({
      kind: 'ots',
      since: daysFromToday(-2),
    });
    const gi = record.team.find((m: { organisationId: string }) => m.organisationId === giOrg);
    expect(gi.professionals[0].legalRole).toBe('gezinsvoogd');
  });

  it('places contacts, handovers and the birth on the trajectory’s ribbon with their day and phase', async () => {
    const familyId = await register(midwife, { pregnancy: { dueDate: daysFromToday(100) } });
    await midwife.post(`/api/families/${familyId}/contacts`, {
      occurredOn: daysFromToday(-3),
      kind: 'prenatal_check',
      category: 'medical',
    });
    await midwife.post(`/api/families/${familyId}/handovers`, {
      toOrganisationId: kraamOrg,
      summary: 'Kraamzorg alvast aangemeld.',
      consent: { categories: ['medical'], givenHow: 'verbal' },
    });
    const record = (await midwife.get(`/api/families/${familyId}`)).json();
    const events = record.trajectories[0].events;
    expect(events.map((e: { kind: string }) => e.kind)).toEqual(['contact', 'handover']);
    expect(events[0]).toMatchObject({
      date: daysFromToday(-3),
      day: 266 - 100 - 3 + 1,
      phase: 'trimester_2',
      what: 'prenatal_check',
    });
    expect(events[1].organisationName).toContain('→');
  });
});

describe('taking over and joining the team', () => {
  it('lets the regiehouder’s organisation add a requesting organisation with the parents’ consent', async () => {
    const familyId = await register(midwife, {
      pregnantPerson: { givenName: 'Iris', familyName: 'Aanvraag', birthDate: '1991-04-04', bsn: '123456782' },
    });
    await wijkteam.post('/api/families/join-requests', { bsn: '123456782' });
    let record = (await midwife.get(`/api/families/${familyId}`)).json();
    expect(record.joinRequests).toHaveLength(1);
    const [request] = record.joinRequests;
    expect(request.organisationName).toMatch(/wijkteam/);
    // Without consent the organisation cannot join; nothing is written.
    const before = await tableCounts(t.db);
    const refused = await midwife.post(`/api/tasks/${request.taskId}/accept-join`, {
      version: request.version,
      consent: { categories: [], givenHow: 'verbal' },
    });
    expect(refused.json().fields[0].field).toBe('body.consent.categories');
    expect(await tableCounts(t.db)).toEqual(before);
    // Another organisation's professional cannot answer it.
    expect(
      (
        await kraamzorg.post(`/api/tasks/${request.taskId}/accept-join`, {
          version: request.version,
          consent: { categories: ['social'], givenHow: 'verbal' },
        })
      ).statusCode,
    ).toBe(404);
    const accepted = await midwife.post(`/api/tasks/${request.taskId}/accept-join`, {
      version: request.version,
      consent: { categories: ['social'], givenHow: 'verbal' },
    });
    expect(accepted.json()).toEqual({ familyId, status: 'accepted' });
    const seen = (await wijkteam.get(`/api/families/${familyId}`)).json();
    expect(seen.consent.mine.map((c: { category: string; complete: boolean }) => [c.category, c.complete])).toEqual([
      ['medical', false],
      ['psychosocial', false],
      ['social', true],
    ]);
    const notifications = (await wijkteam.get('/api/notifications')).json().notifications;
    expect(notifications.map((n: { kind: string }) => n.kind)).toContain('join_request_accepted');
    record = (await midwife.get(`/api/families/${familyId}`)).json();
    expect(record.joinRequests).toEqual([]);
    const again = await midwife.post(`/api/tasks/${request.taskId}/decline-join`, { version: request.version + 1 });
    expect(again.json().code).toBe('INVALID_TRANSITION');
  });

  it('lets a colleague of the same organisation take over by identifying a parent and giving a reason', async () => {
    const familyId = await register(midwife, {
      pregnantPerson: { givenName: 'Roos', familyName: 'Overname', birthDate: '1990-06-06' },
    });
    const colleague = await t.signIn(
      (await seedAccount(t.db, { kind: 'professional', organisationId: midwifeOrg })).email,
    );
    expect((await colleague.get(`/api/families/${familyId}`)).statusCode).toBe(404);
    const noReason = await colleague.post('/api/families/take-over', {
      familyName: 'Overname',
      birthDate: '1990-06-06',
      reason: '',
    });
    expect(noReason.json().fields[0].field).toBe('body.reason');
    // Professionals of an organisation outside the team find nothing, and the attempt is audited.
    const outsider = await wijkteam.post('/api/families/take-over', {
      familyName: 'Overname',
      birthDate: '1990-06-06',
      reason: 'Ik wil dit gezin zien',
    });
    expect(outsider.statusCode).toBe(404);
    expect((await auditEvents(t.db)).some((e) => e.action === 'team.take_over' && e.outcome === 'refused')).toBe(true);
    const taken = await colleague.post('/api/families/take-over', {
      familyName: 'overname',
      birthDate: '1990-06-06',
      reason: 'Collega met zwangerschapsverlof',
    });
    expect(taken.json()).toEqual({ familyId });
    const record = (await colleague.get(`/api/families/${familyId}`)).json();
    expect(record.team[0].professionals).toHaveLength(2);
  });
});
