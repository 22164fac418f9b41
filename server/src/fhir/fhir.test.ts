import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fhirProblems } from '../../test/fhir-definitions.ts';
import {
  type Client,
  createTestApp,
  handOver,
  professionalAt,
  registration,
  seedAccount,
  seedOrganisation,
  seedRegion,
  type TestApp,
} from '../../test/helpers.ts';
import { verifyAudit } from '../audit/verify-audit.ts';
import { BSN_SYSTEM } from './fhir.ts';

/** Every resource Kring emits must be valid FHIR R4 (the JSON schema, cardinality, required bindings). */
const expectValidFhir = (resource: Record<string, unknown>) => expect(fhirProblems(resource)).toEqual([]);

let t: TestApp;
let own: Client;
let other: Client;
let otherAccount: { id: string; organisationId: string };
let ownFamily: { familyId: string; motherId: string };
let otherMotherId: string;

beforeAll(async () => {
  t = await createTestApp();
  await seedRegion(t.db);
  own = (await professionalAt(t, 'verloskundigenpraktijk')).client;
  const otherOrganisation = await seedOrganisation(t.db, 'verloskundigenpraktijk');
  const otherProfessional = await seedAccount(t.db, { kind: 'professional', organisationId: otherOrganisation });
  otherAccount = { id: otherProfessional.id, organisationId: otherOrganisation };
  other = await t.signIn(otherProfessional.email);
  const body = registration({
    pregnantPerson: { givenName: 'Noortje', familyName: 'Jansen', birthDate: '1994-03-12', bsn: '111222333' },
  });
  const familyId = (await own.post('/api/families', body)).json().familyId;
  const record = (await own.get(`/api/families/${familyId}`)).json();
  ownFamily = { familyId, motherId: record.persons.find((p: { role: string }) => p.role === 'pregnant_person').id };
  const otherId = (
    await other.post(
      '/api/families',
      registration({
        pregnantPerson: { givenName: 'Janneke', familyName: 'Jansma', birthDate: '1990-01-01' },
        caregivers: [],
      }),
    )
  ).json().familyId;
  otherMotherId = (await other.get(`/api/families/${otherId}`)).json().persons[0].id;
});
afterAll(() => t.close());

describe('FHIR R4 at /fhir', () => {
  it('says truthfully what it offers in its CapabilityStatement', async () => {
    const response = await t.anonymous().get('/fhir/metadata');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/fhir+json');
    const statement = response.json();
    expectValidFhir(statement);
    const types = statement.rest[0].resource.map((r: { type: string }) => r.type);
    expect(types).toEqual([
      'Patient',
      'Group',
      'RelatedPerson',
      'CareTeam',
      'EpisodeOfCare',
      'Encounter',
      'Observation',
      'Provenance',
      'QuestionnaireResponse',
      'CarePlan',
      'Goal',
      'ServiceRequest',
      'Task',
      'Consent',
      'AuditEvent',
      'Organization',
      'Practitioner',
      'PractitionerRole',
      'Questionnaire',
    ]);
    // Every type the statement names answers a search with each parameter it lists; others are 404.
    for (const resource of statement.rest[0].resource) {
      const writes = {
        Observation: ['create', 'update'],
        Encounter: ['create'],
        QuestionnaireResponse: ['create'],
        Task: ['update'],
      };
      expect(resource.interaction).toEqual(
        [
          'read',
          ...(resource.type === 'Observation' ? ['vread'] : []),
          'search-type',
          ...(writes[resource.type as keyof typeof writes] ?? []),
        ].map((code) => ({ code })),
      );
      const response = await own.get(`/fhir/${resource.type}?_count=1`);
      expect({ type: resource.type, status: response.statusCode }).toEqual({ type: resource.type, status: 200 });
      expectValidFhir(response.json());
    }
    expect(statement.rest[0].resource[0].searchParam.map((p: { name: string }) => p.name)).toEqual([
      '_id',
      'name',
      'birthdate',
      'identifier',
      'gender',
    ]);
  });

  it('reads a person of the own family as a valid Patient with the BSN, audited on the family', async () => {
    const response = await own.get(`/fhir/Patient/${ownFamily.motherId}`);
    expect(response.statusCode).toBe(200);
    const patient = response.json();
    expectValidFhir(patient);
    expect(patient).toMatchObject({
      resourceType: 'Patient',
      id: ownFamily.motherId,
      identifier: [{ system: BSN_SYSTEM, value: '111222333' }],
      name: [{ use: 'official', family: 'Jansen', given: ['Noortje'] }],
      birthDate: '1994-03-12',
    });
    expect(response.headers.etag).toBe(`W/"${patient.meta.versionId}"`);
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['family_id', 'record_id'])
      .where('action', '=', 'fhir.patient.read')
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ family_id: ownFamily.familyId, record_id: ownFamily.motherId });
    // The read and its event are one statement that learns the family from the row: on its chain, unbroken.
    await own.get(`/fhir/Patient/${ownFamily.motherId}`);
    const chain = await t.db
      .selectFrom('audit_events')
      .select(['chain_key', 'seq'])
      .where('action', '=', 'fhir.patient.read')
      .orderBy('seq')
      .execute();
    expect(chain.map((e) => e.chain_key)).toEqual([`family:${ownFamily.familyId}`, `family:${ownFamily.familyId}`]);
    expect(chain[1]?.seq).toBe((chain[0]?.seq ?? 0) + 1);
    expect(await verifyAudit(t.db)).toMatchObject({ broken: [] });
  });

  it("does not reveal another team's family: 404 as an OperationOutcome, and the attempt audited", async () => {
    for (const id of [otherMotherId, 'not-an-id']) {
      const response = await own.get(`/fhir/Patient/${id}`);
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toContain('application/fhir+json');
      expectValidFhir(response.json());
      expect(response.json().issue[0].code).toBe('not-found');
    }
    const refused = await t.db
      .selectFrom('audit_events')
      .select('record_id')
      .where('outcome', '=', 'refused')
      .where('record_id', '=', otherMotherId)
      .execute();
    expect(refused).toHaveLength(1);
  });

  it("searches only the own families: the total never counts another team's", async () => {
    const response = await own.get('/fhir/Patient?name=jans');
    const bundle = response.json();
    expectValidFhir(bundle);
    // Noortje Jansen and her expected child (who carries the family name); not Janneke Jansma.
    expect(bundle.total).toBe(2);
    const ids = bundle.entry.map((e: { resource: { id: string } }) => e.resource.id);
    expect(ids).toContain(ownFamily.motherId);
    expect(ids).not.toContain(otherMotherId);
    const byBsn = (await own.get(`/fhir/Patient?identifier=${encodeURIComponent(`${BSN_SYSTEM}|111222333`)}`)).json();
    expect(byBsn.total).toBe(1);
    const byDate = (await own.get('/fhir/Patient?birthdate=1990-01-01')).json();
    expect(byDate.total).toBe(0);
    // Every date form and prefix: a year, a month, a range, approximately.
    const born = async (query: string) => (await own.get(`/fhir/Patient?name=jans&${query}`)).json().total as number;
    expect(await born('birthdate=1994')).toBe(1);
    expect(await born('birthdate=1994-03')).toBe(1);
    expect(await born('birthdate=ge1994-01-01&birthdate=lt1994-04')).toBe(1);
    expect(await born('birthdate=ne1994-03-12')).toBe(0);
    expect(await born('birthdate=ap1994-03-01')).toBe(1);
    expect((await own.get('/fhir/Patient?birthdate=1994-3')).statusCode).toBe(400);
    // Sorting as declared, or refused; several ids at once.
    const family = async (sort: string) =>
      (await own.get(`/fhir/Patient?name=jans&_sort=${sort}`))
        .json()
        .entry.map((e: { resource: { id: string } }) => e.resource.id) as string[];
    const ascending = await family('_id');
    expect(ascending).toEqual([...ascending].sort());
    expect(await family('-_id')).toEqual([...ascending].reverse());
    expect((await own.get('/fhir/Patient?_sort=colour')).statusCode).toBe(400);
    const both = (await own.get(`/fhir/Patient?_id=${ascending.join(',')}`)).json();
    expect(both.total).toBe(ascending.length);
    const otherSees = (await other.get('/fhir/Patient?identifier=111222333')).json();
    expect(otherSees).toMatchObject({ total: 0, entry: [] });
    // The start of any word of the names, case and spacing aside; not the middle of a word.
    const total = async (name: string) =>
      (await own.get(`/fhir/Patient?name=${encodeURIComponent(name)}`)).json().total as number;
    expect(await total(' NOORTJE  jan')).toBe(1);
    expect(await total('oortje')).toBe(0);
    expect(await total('jansma')).toBe(0);
  });

  it('finds a family name by any of its words (de Vries by "vries"), in FHIR and in the family search', async () => {
    // A practice of its own, so that the other tests' totals stay as they are.
    const practice = await seedOrganisation(t.db, 'verloskundigenpraktijk');
    const midwife = await t.signIn((await seedAccount(t.db, { kind: 'professional', organisationId: practice })).email);
    await midwife.post(
      '/api/families',
      registration({
        pregnantPerson: { givenName: 'Fenna', familyName: 'de Vries', birthDate: '1996-05-01' },
        caregivers: [],
      }),
    );
    const found = (await midwife.get('/fhir/Patient?name=vries')).json();
    expect(found.entry.map((e: { resource: { name: { family: string }[] } }) => e.resource.name[0]?.family)).toContain(
      'de Vries',
    );
    expect((await midwife.get('/fhir/Patient?name=fenna%20de%20v')).json().total).toBe(1);
    const families = (await midwife.post('/api/families/search', { query: 'de vries' })).json().families;
    expect(families.map((f: { name: string }) => f.name)).toEqual(['Fenna de Vries']);
  });

  it('carries a child’s sex as recorded at birth as Patient.gender, searchable by gender', async () => {
    expect((await own.get('/fhir/Patient?gender=female')).json().total).toBe(0);
    const record = (await own.get(`/api/families/${ownFamily.familyId}`)).json();
    const [trajectory] = record.trajectories;
    const born = await own.post(`/api/families/${ownFamily.familyId}/trajectories/${trajectory.id}/birth`, {
      birthDate: new Date().toISOString().slice(0, 10),
      birthWeightGrams: 3200,
      birthPlace: 'home',
      sex: 'female',
      version: trajectory.version,
    });
    expect(born.statusCode).toBe(200);
    const girls = (await own.get('/fhir/Patient?gender=female')).json();
    expectValidFhir(girls);
    expect(girls.total).toBe(1);
    expect(girls.entry[0].resource).toMatchObject({ id: trajectory.childPersonId, gender: 'female' });
    const coded = await own.get(
      `/fhir/Patient?gender=${encodeURIComponent('http://hl7.org/fhir/administrative-gender|female')}`,
    );
    expect(coded.json().total).toBe(1);
    expect((await own.get('/fhir/Patient?gender=male')).json().total).toBe(0);
    // Adults carry no gender: Kring never asks it of them.
    expect((await own.get(`/fhir/Patient/${ownFamily.motherId}`)).json().gender).toBeUndefined();
    const wrong = await own.get('/fhir/Patient?gender=girl');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().issue[0].expression).toEqual(['query.gender']);
  });

  it('relates every adult to each child, an older sibling too, and before a child to the pregnant person', async () => {
    // A midwife of her own, so the other tests' totals stay as they are.
    const midwife = (await professionalAt(t, 'verloskundigenpraktijk')).client;
    type Person = { id: string; role: string; givenName: string };
    type Related = { id: string; patient: { reference: string }; relationship: { coding: { code: string }[] }[] };
    const registered = await midwife.post(
      '/api/families',
      registration({
        caregivers: [{ role: 'partner', givenName: 'Bas', familyName: 'Smit', birthDate: '1990-02-02' }],
        siblings: [{ givenName: 'Sem', familyName: 'Smit', birthDate: '2024-05-01', sex: 'male' }],
      }),
    );
    expect(registered.statusCode, registered.body).toBe(201);
    const familyId = registered.json().familyId;
    const persons = (await midwife.get(`/api/families/${familyId}`)).json().persons as Person[];
    const children = persons.filter((p) => p.role === 'child' || p.role === 'sibling');
    expect(children.map((c) => c.givenName)).toContain('Sem');
    expect(children).toHaveLength(2);
    const ids = new Set<string>();
    for (const child of children) {
      const bundle = (await midwife.get(`/fhir/RelatedPerson?patient=${child.id}`)).json();
      expectValidFhir(bundle);
      const related = bundle.entry.map((e: { resource: Related }) => e.resource) as Related[];
      expect(bundle.total).toBe(2);
      expect(related.map((r) => r.patient.reference)).toEqual([`Patient/${child.id}`, `Patient/${child.id}`]);
      // The mother of the expected child; of the big brother, a parent as the partner is.
      expect(related.map((r) => r.relationship[0]?.coding[0]?.code).sort()).toEqual(
        child.role === 'child' ? ['MTH', 'PRN'] : ['PRN', 'PRN'],
      );
      for (const r of related) {
        ids.add(r.id);
        const read = await midwife.get(`/fhir/RelatedPerson/${r.id}`);
        expect(read.statusCode).toBe(200);
        expect(read.json()).toEqual(r);
      }
    }
    // One resource per adult and child: four, each with its own id.
    expect(ids.size).toBe(4);
    expect((await other.get(`/fhir/RelatedPerson/${[...ids][0]}`)).statusCode).toBe(404);

    // Before a child: the partner in relation to the pregnant person (the wish for a child).
    const wishId = (
      await midwife.post(
        '/api/families',
        registration({
          pregnancy: null,
          caregivers: [{ role: 'partner', givenName: 'Joost', familyName: 'Kuiper', birthDate: '1989-09-09' }],
        }),
      )
    ).json().familyId;
    const wish = (await midwife.get(`/api/families/${wishId}`)).json().persons as Person[];
    const mother = wish.find((p) => p.role === 'pregnant_person') as Person;
    const beside = (await midwife.get(`/fhir/RelatedPerson?patient=${mother.id}`)).json();
    expect(beside.total).toBe(1);
    expect(beside.entry[0].resource.relationship[0].coding[0].code).toBe('SIGOTHR');
  });

  it('ignores an unsupported parameter and leaves it out of the self link, or refuses it when asked to be strict', async () => {
    const lenient = (await own.get('/fhir/Patient?name=jans&colour=blue')).json();
    expect(lenient.link[0]).toEqual({ relation: 'self', url: expect.stringMatching(/\/fhir\/Patient\?name=jans$/) });
    const strict = await own.request('GET', '/fhir/Patient?name=jans&colour=blue', undefined, {
      prefer: 'handling=strict',
    });
    expect(strict.statusCode).toBe(400);
    expectValidFhir(strict.json());
    expect(strict.json().issue[0].expression).toEqual(['query.colour']);
  });

  it('refuses a modifier it does not support, also when asked to be lenient: it would widen the result', async () => {
    for (const url of [
      '/fhir/Patient?gender:not=female',
      '/fhir/Patient?name:exact=Visser',
      '/fhir/Patient?name:contains=ss',
    ]) {
      const refused = await own.request('GET', url, undefined, { prefer: 'handling=lenient' });
      expect(refused.statusCode, url).toBe(400);
      expectValidFhir(refused.json());
      expect(refused.json().issue[0].expression).toEqual([`query.${url.split('?')[1]?.split('=')[0]}`]);
    }
  });

  it('pages with next links that carry no search parameter and work only for the account that searched', async () => {
    const first = (await own.get('/fhir/Patient?_count=1')).json();
    // The pregnant person, the partner and the expected child.
    expect(first.total).toBe(3);
    expect(first.entry).toHaveLength(1);
    const next = first.link.find((l: { relation: string }) => l.relation === 'next').url as string;
    expect(next).toMatch(/\/fhir\/Patient\?_cursor=[\w-]+$/);
    const path = next.slice(next.indexOf('/fhir/'));
    const second = (await own.get(path)).json();
    expect(second.entry).toHaveLength(1);
    expect(second.entry[0].resource.id).not.toBe(first.entry[0].resource.id);
    const stolen = await other.get(path);
    expect(stolen.statusCode).toBe(400);
    expect(stolen.json().resourceType).toBe('OperationOutcome');
  });

  it('answers without a session, for an analyst and for an unknown resource type with an OperationOutcome', async () => {
    const anonymous = await t.anonymous().get('/fhir/Patient?name=jans');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().issue[0].code).toBe('login');
    const analyst = await t.signIn((await seedAccount(t.db, { kind: 'analyst' })).email);
    expect((await analyst.get('/fhir/Patient')).statusCode).toBe(403);
    const unknown = await own.get('/fhir/Spaceship/1');
    expect(unknown.statusCode).toBe(404);
    expectValidFhir(unknown.json());
    // HTTP as the spec has it: how to authenticate on 401, what is allowed on 405.
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
    const create = await own.post('/fhir/Patient', { resourceType: 'Patient' });
    expect(create.statusCode).toBe(405);
    expect(create.headers.allow).toBe('GET');
  });

  it('answers in FHIR R4 JSON, and with 406 to a client that wants another format or FHIR version', async () => {
    const ask = (url: string, accept?: string) => own.request('GET', url, undefined, accept ? { accept } : {});
    for (const ok of ['/fhir/Patient?_format=json', '/fhir/Patient?_format=application/fhir%2Bjson']) {
      expect((await ask(ok)).statusCode, ok).toBe(200);
    }
    expect((await ask('/fhir/Patient', 'application/fhir+json; fhirVersion=4.0')).statusCode).toBe(200);
    expect((await ask('/fhir/Patient', 'text/html,application/xhtml+xml,*/*;q=0.8')).statusCode).toBe(200);
    for (const [url, accept] of [
      ['/fhir/Patient', 'application/fhir+xml'],
      ['/fhir/Patient', 'application/fhir+json; fhirVersion=3.0'],
      ['/fhir/Patient?_format=xml', undefined],
      ['/fhir/metadata?_format=text/turtle', undefined],
    ] as const) {
      const refused = await ask(url, accept);
      expect(refused.statusCode, `${url} ${accept}`).toBe(406);
      expectValidFhir(refused.json());
    }
  });

  it("reads and searches the region's organisations, the AGB code as identifier", async () => {
    const organisationId = await seedOrganisation(t.db, 'jgz');
    await t.db
      .updateTable('organisations')
      .set({ name: 'JGZ Zeekant', identifier: 'AGB 12345678' })
      .where('id', '=', organisationId)
      .execute();
    const organization = (await own.get(`/fhir/Organization/${organisationId}`)).json();
    expectValidFhir(organization);
    expect(organization).toMatchObject({
      resourceType: 'Organization',
      name: 'JGZ Zeekant',
      identifier: [{ system: 'http://fhir.nl/fhir/NamingSystem/agb-z', value: '12345678' }],
      type: [{ coding: [{ system: 'urn:kring:organisation-type', code: 'jgz' }] }],
    });
    const found = (await own.get('/fhir/Organization?name=jgz%20zee&type=jgz')).json();
    expectValidFhir(found);
    expect(found.total).toBe(1);
    expect(found.entry[0].resource.id).toBe(organisationId);
    expect((await own.get('/fhir/Organization/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    // Token search as the spec says: the system counts, a wrong one matches nothing (never everything).
    const ids = async (query: string) =>
      ((await own.get(`/fhir/Organization?${query}&_count=100`)).json().entry ?? []).map(
        (e: { resource: { id: string } }) => e.resource.id,
      );
    const agb = encodeURIComponent('http://fhir.nl/fhir/NamingSystem/agb-z|12345678');
    expect(await ids(`identifier=${agb}`)).toEqual([organisationId]);
    expect(await ids('identifier=12345678')).toEqual([organisationId]);
    expect(await ids(`identifier=${encodeURIComponent('http://example.org/other|12345678')}`)).toEqual([]);
    expect(await ids(`identifier=${encodeURIComponent('|12345678')}`)).toEqual([]);
    expect(await ids(`identifier=${encodeURIComponent('http://fhir.nl/fhir/NamingSystem/agb-z|')}`)).toContain(
      organisationId,
    );
    expect(await ids(`type=${encodeURIComponent('urn:kring:organisation-type|jgz')}&name=jgz%20zee`)).toEqual([
      organisationId,
    ]);
    expect(await ids(`type=${encodeURIComponent('http://example.org/wrong|jgz')}`)).toEqual([]);
    expect(await ids(`_id=${organisationId},00000000-0000-4000-8000-000000000001`)).toEqual([organisationId]);
  });

  it('lets a professional who broke the glass find and read the family, read-only, until it expires', async () => {
    const override = {
      id: crypto.randomUUID(),
      family_id: ownFamily.familyId,
      kind: 'break_the_glass' as const,
      organisation_id: otherAccount.organisationId,
      account_id: otherAccount.id,
      reason: 'Acute zorg op de verloskamer.',
      expires_at: new Date(Date.now() + 3_600_000),
    };
    await t.db.insertInto('consent_overrides').values(override).execute();
    expect((await other.get('/fhir/Patient?identifier=111222333')).json().total).toBe(1);
    expect((await other.get(`/fhir/Patient/${ownFamily.motherId}`)).statusCode).toBe(200);
    await t.db
      .updateTable('consent_overrides')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', override.id)
      .execute();
    expect((await other.get('/fhir/Patient?identifier=111222333')).json().total).toBe(0);
    expect((await other.get(`/fhir/Patient/${ownFamily.motherId}`)).statusCode).toBe(404);
  });

  it('withholds from another organisation what the parents did not consent to share with it, totals included', async () => {
    const jgz = await professionalAt(t, 'jgz');
    const registered = await own.post('/api/families', registration({ caregivers: [] }));
    expect(registered.statusCode, registered.body).toBe(201);
    const familyId = registered.json().familyId;
    const record = (await own.get(`/api/families/${familyId}`)).json();
    const mother = record.persons.find((p: { role: string }) => p.role === 'pregnant_person').id;
    // The parents consent to share only medical information with the JGZ.
    await handOver(own, jgz, familyId, ['medical']);
    const signal = await own.post(`/api/families/${familyId}/signals`, {
      code: 'parent_psychological',
      concernsPersonId: mother,
      source: 'told_by_parent',
      note: 'Somber sinds de verhuizing.',
    });
    expect(signal.statusCode, signal.body).toBe(201);
    const contact = await own.post(`/api/families/${familyId}/contacts`, {
      occurredOn: new Date().toISOString().slice(0, 10),
      kind: 'prenatal_check',
      concernsPersonId: mother,
      category: 'medical',
    });
    expect(contact.statusCode, contact.body).toBe(201);
    const seen = async (url: string) => (await jgz.client.get(url)).json();
    expect((await seen(`/fhir/Observation?patient=${mother}`)).total).toBe(0);
    expect((await jgz.client.get(`/fhir/Observation/${signal.json().signalId}`)).statusCode).toBe(404);
    expect((await seen(`/fhir/Encounter?patient=${mother}`)).total).toBe(1);
    // The midwife's own organisation sees its own signal.
    const mine = (await own.get(`/fhir/Observation?patient=${mother}`)).json();
    expect(mine.total).toBe(1);
    expectValidFhir(mine.entry[0].resource);
    expect(mine.entry[0].resource).toMatchObject({
      resourceType: 'Observation',
      code: { coding: [{ system: 'urn:kring:signal-code', code: 'parent_psychological' }] },
      subject: { reference: `Patient/${mother}` },
      note: [{ text: 'Somber sinds de verhuizing.' }],
      meta: { security: [{ system: 'urn:kring:consent-category', code: 'psychosocial' }] },
    });
    // Once the mother consents to psychosocial sharing with the JGZ, the nurse sees it.
    const consent = await own.post(`/api/families/${familyId}/consents`, {
      purpose: 'share',
      personId: mother,
      organisationId: jgz.organisationId,
      categories: ['psychosocial'],
      givenHow: 'verbal',
    });
    expect(consent.statusCode, consent.body).toBe(201);
    expect((await seen(`/fhir/Observation?patient=${mother}`)).total).toBe(1);
    const consents = await seen(`/fhir/Consent?patient=${mother}&actor=Organization/${jgz.organisationId}`);
    expect(
      consents.entry
        .map(
          (e: { resource: { provision: { securityLabel: { code: string }[] } } }) =>
            e.resource.provision.securityLabel[0]?.code,
        )
        .sort(),
    ).toEqual(['medical', 'psychosocial']);
    for (const entry of consents.entry) expectValidFhir(entry.resource);
  });
});
