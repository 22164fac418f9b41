import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definitionProblems, fhirProblems as problems } from '../../test/fhir-definitions.ts';
import { type Client, createTestApp, seedAccount, seedOrganisation, type TestApp } from '../../test/helpers.ts';
import { seedDemo } from '../demo/seed-demo.ts';

/**
 * Every FHIR resource type over the demo region: each resource every demo professional can reach
 * is valid R4, reads back the same by id, and counts in Bundle.total exactly as far as the access
 * decision point and the parents' consent reach — the same entries the web app shows.
 */

const FAMILY_TYPES = [
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
] as const;
const DIRECTORY_TYPES = ['Organization', 'Practitioner', 'PractitionerRole', 'Questionnaire'] as const;
const PROFESSIONALS = ['verloskundige', 'kraamzorg', 'jgz', 'wijkteam', 'ggz', 'gezinsvoogd'] as const;

type Resource = { resourceType: string; id: string; [key: string]: unknown };
type Bundle = { total: number; link: { relation: string; url: string }[]; entry: { resource: Resource }[] };

let t: TestApp;
const clients: Record<string, Client> = {};
let outsider: Client;
/** Everything each professional reaches, by type. */
const reached: Record<string, Record<string, Resource[]>> = {};

/** A search followed through all its pages; the entries and the total of the first page. */
async function searchAll(client: Client, url: string): Promise<{ total: number; resources: Resource[] }> {
  const first = await client.get(url);
  expect(first.statusCode, first.body).toBe(200);
  let bundle = first.json() as Bundle;
  const total = bundle.total;
  const resources = bundle.entry.map((e) => e.resource);
  for (let next = bundle.link.find((l) => l.relation === 'next'); next; ) {
    const page = await client.get(new URL(next.url).pathname + new URL(next.url).search);
    expect(page.statusCode).toBe(200);
    bundle = page.json();
    resources.push(...bundle.entry.map((e) => e.resource));
    next = bundle.link.find((l) => l.relation === 'next');
  }
  return { total, resources };
}

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.db);
  for (const who of PROFESSIONALS) clients[who] = await t.signIn(`${who}@duinstad.demo`, 'kring-demo');
  const elsewhere = await seedOrganisation(t.db, 'jgz');
  outsider = await t.signIn((await seedAccount(t.db, { kind: 'professional', organisationId: elsewhere })).email);
  for (const who of PROFESSIONALS) {
    reached[who] = {};
    for (const type of [...FAMILY_TYPES, ...DIRECTORY_TYPES]) {
      // The audit trail grows with every search (each is audited): up to the moment we start.
      const url =
        type === 'AuditEvent'
          ? `/fhir/AuditEvent?_sort=_lastUpdated&date=lt${new Date().toISOString()}&_count=100`
          : `/fhir/${type}?_count=100`;
      const { total, resources } = await searchAll(clients[who] as Client, url);
      expect({ who, type, count: resources.length }).toEqual({ who, type, count: total });
      (reached[who] as Record<string, Resource[]>)[type] = resources;
    }
  }
}, 240_000);
afterAll(() => t.close());

describe('FHIR paging', () => {
  it('walks the audit trail to its end while the walk itself is audited: every entry once, one total, a self link that gives the same page', async () => {
    const client = clients.jgz as Client;
    const path = (url: string) => new URL(url).pathname + new URL(url).search;
    let bundle = (await client.get('/fhir/AuditEvent?_count=25')).json() as Bundle;
    const total = bundle.total;
    const ids = bundle.entry.map((e) => e.resource.id);
    let second: Bundle | undefined;
    for (let next = bundle.link.find((l) => l.relation === 'next'); next; ) {
      bundle = (await client.get(path(next.url))).json() as Bundle;
      second ??= bundle;
      expect(bundle.total).toBe(total);
      ids.push(...bundle.entry.map((e) => e.resource.id));
      next = bundle.link.find((l) => l.relation === 'next');
    }
    expect(total).toBeGreaterThan(50);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(total);
    // Page 2's self link is page 2 again, not the first page's query.
    const self = second?.link.find((l) => l.relation === 'self')?.url as string;
    expect(self).toContain('_cursor=');
    const again = (await client.get(path(self))).json() as Bundle;
    expect(again.entry.map((e) => e.resource.id)).toEqual(second?.entry.map((e) => e.resource.id));
  });
});

describe('FHIR resources over the demo region', () => {
  it('checks cardinality and required bindings beyond the JSON schema (a bad status, a missing code)', () => {
    expect(definitionProblems({ resourceType: 'Observation', status: 'bogus', code: { text: 'x' } } as never)).toEqual([
      expect.stringContaining('Observation.status: "bogus" is not in the required value set'),
    ]);
    expect(definitionProblems({ resourceType: 'Observation', status: 'final' } as never)).toEqual([
      'Observation.code: required (min 1)',
    ]);
  });

  it('emits only valid R4 resources, of every type, in the states the demo reaches', () => {
    const seen = new Map<string, number>();
    for (const who of PROFESSIONALS) {
      for (const [type, resources] of Object.entries(reached[who] as Record<string, Resource[]>)) {
        for (const resource of resources) {
          expect({ type: resource.resourceType, id: resource.id, problems: problems(resource) }).toEqual({
            type,
            id: resource.id,
            problems: [],
          });
          seen.set(type, (seen.get(type) ?? 0) + 1);
        }
      }
    }
    // Not vacuous: every type is reached, and the states that matter occur.
    for (const type of [...FAMILY_TYPES, ...DIRECTORY_TYPES]) expect(seen.get(type) ?? 0, type).toBeGreaterThan(0);
    const all = (type: string) =>
      PROFESSIONALS.flatMap((who) => (reached[who] as Record<string, Resource[]>)[type] ?? []);
    const taskStates = new Set(all('Task').map((r) => r.status));
    expect([...taskStates]).toEqual(expect.arrayContaining(['requested', 'accepted', 'completed', 'rejected']));
    const categories = new Set(
      all('Observation').flatMap((o) =>
        (o.category as { coding: { code: string }[] }[]).flatMap((c) => c.coding.map((x) => x.code)),
      ),
    );
    expect([...categories]).toEqual(expect.arrayContaining(['stress-factor', 'protective-factor', 'care-intensity']));
  });

  it('reads every resource back by id exactly as the search gave it, with its version as ETag', async () => {
    const client = clients.jgz as Client;
    for (const [type, resources] of Object.entries(reached.jgz as Record<string, Resource[]>)) {
      for (const resource of resources.slice(0, 15)) {
        const response = await client.get(`/fhir/${type}/${resource.id}`);
        expect(response.statusCode, `${type}/${resource.id}`).toBe(200);
        expect(response.json()).toEqual(resource);
        const version = (resource.meta as { versionId?: string } | undefined)?.versionId;
        if (version) expect(response.headers.etag).toBe(`W/"${version}"`);
      }
    }
  });

  it('shows a professional the same families, contacts and signals as the web app', async () => {
    for (const who of ['verloskundige', 'jgz', 'wijkteam'] as const) {
      const client = clients[who] as Client;
      const caseload = ((await client.get('/api/caseload')).json().families as { familyId: string }[]).map((f) => ({
        id: f.familyId,
      }));
      const groups = (reached[who] as Record<string, Resource[]>).Group as Resource[];
      // The caseload lists open families; FHIR also the closed ones still in the team.
      expect(groups.map((g) => g.id)).toEqual(expect.arrayContaining([...new Set(caseload.map((f) => f.id))]));
      for (const family of caseload.slice(0, 6)) {
        const record = (await client.get(`/api/families/${family.id}`)).json();
        const encounters = await searchAll(client, `/fhir/Encounter?subject=Group/${family.id}&_count=100`);
        const byPerson = await Promise.all(
          (record.persons as { id: string }[]).map((p) =>
            searchAll(client, `/fhir/Encounter?patient=${p.id}&_count=100`),
          ),
        );
        const fhirContacts = [...encounters.resources, ...byPerson.flatMap((b) => b.resources)].map((e) => e.id);
        expect(fhirContacts.sort()).toEqual((record.contacts as { id: string }[]).map((c) => c.id).sort());
        const picture = (await client.get(`/api/families/${family.id}/picture`)).json();
        const current = (picture.domains as { signals: { id: string }[] }[]).flatMap((d) => d.signals.map((s) => s.id));
        const observations = (reached[who] as Record<string, Resource[]>).Observation as Resource[];
        const ids = new Set(observations.map((o) => o.id));
        for (const id of current) expect(ids.has(id)).toBe(true);
      }
    }
  });

  it('gives an organisation outside every team nothing of any family, through any route', async () => {
    for (const type of FAMILY_TYPES) {
      const bundle = (await outsider.get(`/fhir/${type}?_count=100`)).json();
      expect({ type, total: bundle.total, entries: bundle.entry.length }).toEqual({ type, total: 0, entries: 0 });
      for (const resource of ((reached.jgz as Record<string, Resource[]>)[type] ?? []).slice(0, 3)) {
        const response = await outsider.get(`/fhir/${type}/${resource.id}`);
        expect(response.statusCode).toBe(404);
        expect(response.json().resourceType).toBe('OperationOutcome');
      }
    }
  });

  it('audits a read on the family and a search on each family it returned', async () => {
    const client = clients.jgz as Client;
    const observation = ((reached.jgz as Record<string, Resource[]>).Observation as Resource[])[0] as Resource;
    await client.get(`/fhir/Observation/${observation.id}`);
    const read = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'fhir.observation.read')
      .where('record_id', '=', observation.id)
      .executeTakeFirst();
    expect(read?.family_id).toBeTruthy();
    const subject = (observation.subject as { reference: string }).reference;
    await client.get(`/fhir/Observation?subject=${subject}`);
    const searched = await t.db
      .selectFrom('audit_events')
      .select(['family_id', 'details'])
      .where('action', '=', 'fhir.observation.search')
      .orderBy('seq', 'desc')
      .execute();
    expect(searched.some((e) => e.family_id === read?.family_id)).toBe(true);
  });
});

describe('FHIR search parameters', () => {
  const jgz = () => clients.jgz as Client;
  const bundle = async (url: string) => {
    const response = await jgz().get(url);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as Bundle;
  };

  it('finds observations by subject, category, code, status and date, and sorts them', async () => {
    const observations = (reached.jgz as Record<string, Resource[]>).Observation as Resource[];
    const signal = observations.find((o) =>
      (o.subject as { reference: string }).reference.startsWith('Patient/'),
    ) as Resource;
    const subject = (signal.subject as { reference: string }).reference;
    const forSubject = observations.filter((o) => (o.subject as { reference: string }).reference === subject);
    expect((await bundle(`/fhir/Observation?subject=${subject}&_count=100`)).total).toBe(forSubject.length);
    expect((await bundle(`/fhir/Observation?patient=${subject.split('/')[1]}&_count=100`)).total).toBe(
      forSubject.length,
    );
    // A reference's type modifier means the same as the type in the value; never all observations.
    expect((await bundle(`/fhir/Observation?subject:Patient=${subject.split('/')[1]}&_count=100`)).total).toBe(
      forSubject.length,
    );
    const code = (signal.code as { coding: { code: string }[] }).coding[0]?.code as string;
    const withCode = observations.filter((o) => (o.code as { coding: { code: string }[] }).coding[0]?.code === code);
    expect((await bundle(`/fhir/Observation?code=urn:kring:signal-code|${code}&_count=100`)).total).toBe(
      withCode.length,
    );
    const judgements = observations.filter(
      (o) => (o.code as { coding: { code: string }[] }).coding[0]?.code === 'care-intensity',
    );
    expect((await bundle('/fhir/Observation?category=care-intensity&_count=100')).total).toBe(judgements.length);
    const protective = (await bundle('/fhir/Observation?category=protective-factor&_count=100')).entry;
    expect(protective.length).toBeGreaterThan(0);
    // The token rules: the system counts; another system, or none (`|code`), matches nothing.
    const total = async (query: string) => (await bundle(`/fhir/Observation?${query}&_count=0`)).total;
    expect(await total(`code=${encodeURIComponent(`wrong|${code}`)}`)).toBe(0);
    expect(await total(`code=${encodeURIComponent(`|${code}`)}`)).toBe(0);
    expect(await total(`code=${code}`)).toBe(withCode.length);
    expect(await total(`category=${encodeURIComponent('|stress-factor')}`)).toBe(0);
    const hl7 = 'http://terminology.hl7.org/CodeSystem/observation-category';
    expect(await total(`category=${encodeURIComponent(`${hl7}|survey`)}`)).toBe(judgements.length);
    expect(await total(`category=${encodeURIComponent(`${hl7}|social-history`)}`)).toBe(
      observations.length - judgements.length,
    );
    expect(await total(`category=${encodeURIComponent('urn:kring:observation-category|')}`)).toBe(observations.length);
    expect(await total(`status=${encodeURIComponent('http://example.org/other|final')}`)).toBe(0);
    const amended = observations.filter((o) => o.status === 'amended');
    expect((await bundle('/fhir/Observation?status=amended&_count=100')).total).toBe(amended.length);
    // Dates: a range that holds everything, and one before anything.
    expect((await bundle('/fhir/Observation?date=ge1990-01-01&date=lt2100&_count=0')).total).toBe(observations.length);
    expect((await bundle('/fhir/Observation?date=lt1990&_count=0')).total).toBe(0);
    expect((await bundle('/fhir/Observation?_lastUpdated=gt2100-01-01&_count=0')).total).toBe(0);
    // Sorted by date, oldest first.
    const sorted = (await bundle(`/fhir/Observation?subject=${subject}&_sort=date&_count=100`)).entry.map(
      (e) =>
        ((e.resource.effectivePeriod as { start: string } | undefined)?.start ??
          e.resource.effectiveDateTime) as string,
    );
    expect(sorted).toEqual([...sorted].sort());
  });

  it('shows who changed each signal version and who verified a judgement, exactly where the Observation shows', async () => {
    type Agent = { type: { coding?: { code: string }[] }; who: { reference: string }; onBehalfOf?: unknown };
    const targetOf = (p: Resource) => (p.target as { reference: string }[])[0]?.reference as string;
    const agentsOf = (p: Resource) => p.agent as Agent[];
    const isJudgement = (o: Resource) =>
      (o.code as { coding: { code: string }[] }).coding[0]?.code === 'care-intensity';
    let verified = 0;
    let updates = 0;
    for (const who of PROFESSIONALS) {
      const observations = (reached[who] as Record<string, Resource[]>).Observation as Resource[];
      const provenances = (reached[who] as Record<string, Resource[]>).Provenance as Resource[];
      // Consent as for the Observation: each Provenance is about one the professional sees, and each
      // Observation they see has its Provenance.
      const seen = new Set(observations.map((o) => o.id));
      for (const p of provenances) expect(seen.has(targetOf(p).split('/')[1] as string)).toBe(true);
      for (const observation of observations) {
        const about = provenances.filter((p) => targetOf(p).split('/')[1] === observation.id);
        const version = Number((observation.meta as { versionId: string }).versionId);
        if (isJudgement(observation)) {
          expect(about).toHaveLength(1);
          const [judgement] = about as [Resource];
          const performers = (observation.performer as { reference: string }[]).map((r) => r.reference);
          expect(agentsOf(judgement)[0]?.who.reference).toBe(performers[0]);
          if (observation.status === 'final' && agentsOf(judgement).length > 1) {
            expect(agentsOf(judgement)[1]?.type.coding?.[0]?.code).toBe('verifier');
            verified++;
          }
          continue;
        }
        // A signal: one per version, 1…n, the first its recording and the others changes.
        const versions = about.map((p) => Number(targetOf(p).split('/').at(-1))).sort((a, b) => a - b);
        expect(versions).toEqual(Array.from({ length: version }, (_, i) => i + 1));
        for (const p of about) {
          const operation = (p.activity as { coding: { code: string }[] }).coding[0]?.code;
          expect(operation).toBe(targetOf(p).endsWith('/_history/1') ? 'CREATE' : 'UPDATE');
          if (operation === 'UPDATE') updates++;
          expect(agentsOf(p)[0]?.type.coding?.[0]?.code).toBe('author');
        }
      }
    }
    // Not vacuous: the demo has changed signals and judgements a colleague agreed with.
    expect(updates).toBeGreaterThan(0);
    expect(verified).toBeGreaterThan(0);

    const provenances = (reached.jgz as Record<string, Resource[]>).Provenance as Resource[];
    const changed = provenances.find((p) => /\/_history\/([2-9]|\d\d+)$/.test(targetOf(p))) as Resource;
    const signal = targetOf(changed).split('/_history/')[0] as string;
    const ofSignal = provenances.filter((p) => targetOf(p).startsWith(`${signal}/_history/`));
    expect((await bundle(`/fhir/Provenance?target=${signal}&_count=100`)).total).toBe(ofSignal.length);
    const exact = await bundle(`/fhir/Provenance?target=${targetOf(changed)}`);
    expect(exact.entry.map((e) => e.resource.id)).toEqual([changed.id]);
    const agent = agentsOf(changed)[0]?.who.reference as string;
    expect((await bundle(`/fhir/Provenance?agent=${agent}&_count=0`)).total).toBe(
      provenances.filter((p) => agentsOf(p).some((a) => a.who.reference === agent)).length,
    );
    expect((await bundle('/fhir/Provenance?recorded=ge1990&_count=0')).total).toBe(provenances.length);
    expect((await bundle('/fhir/Provenance?recorded=lt1990&_count=0')).total).toBe(0);
  });

  it('pages with next links that work only for the one who searched, and totals that do not change', async () => {
    const all = (reached.jgz as Record<string, Resource[]>).Encounter as Resource[];
    expect(all.length).toBeGreaterThan(5);
    const first = await bundle('/fhir/Encounter?_count=2');
    expect(first.total).toBe(all.length);
    const next = first.link.find((l) => l.relation === 'next')?.url as string;
    expect(next).not.toContain('Encounter?_count');
    const path = new URL(next).pathname + new URL(next).search;
    expect((await jgz().get(path)).statusCode).toBe(200);
    const refused = await (clients.verloskundige as Client).get(path);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().issue[0].expression).toEqual(['query._cursor']);
  });

  it('accepts a search as a form in a POST body, answering the same bundle', async () => {
    const client = jgz();
    const response = await client.post('/fhir/Encounter/_search', '_count=3&_sort=-date', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(response.statusCode, response.body).toBe(200);
    const viaGet = await bundle('/fhir/Encounter?_count=3&_sort=-date');
    expect(response.json().total).toBe(viaGet.total);
    expect(response.json().entry.map((e: { resource: Resource }) => e.resource.id)).toEqual(
      viaGet.entry.map((e) => e.resource.id),
    );
  });

  it('finds referrals as ServiceRequest and Task by status and owner, and consents by actor and status', async () => {
    const tasks = (reached.jgz as Record<string, Resource[]>).Task as Resource[];
    const accepted = tasks.filter((r) => r.status === 'accepted');
    expect((await bundle('/fhir/Task?status=accepted&_count=100')).total).toBe(accepted.length);
    const owner = ((tasks[0] as Resource).owner as { reference: string }).reference;
    expect((await bundle(`/fhir/Task?owner=${owner}&_count=100`)).total).toBe(
      tasks.filter((r) => (r.owner as { reference: string }).reference === owner).length,
    );
    const requests = (reached.jgz as Record<string, Resource[]>).ServiceRequest as Resource[];
    expect((await bundle('/fhir/ServiceRequest?status=active,completed&_count=100')).total).toBe(
      requests.filter((r) => r.status === 'active' || r.status === 'completed').length,
    );
    const consents = (reached.jgz as Record<string, Resource[]>).Consent as Resource[];
    expect((await bundle('/fhir/Consent?status=active&_count=100')).total).toBe(
      consents.filter((c) => c.status === 'active').length,
    );
  });

  it('refuses a bad value with the parameter at fault, and an unknown type with 404', async () => {
    for (const [url, field] of [
      ['/fhir/Observation?date=yesterday', 'query.date'],
      ['/fhir/Observation?subject=Organization/x', 'query.subject'],
      ['/fhir/Observation?category=sad', 'query.category'],
      ['/fhir/Observation?code=nope', 'query.code'],
      ['/fhir/Task?status=done', 'query.status'],
      ['/fhir/Encounter?_sort=name', 'query._sort'],
      ['/fhir/Encounter?_id=12', 'query._id'],
      ['/fhir/Consent?actor=Patient/1', 'query.actor'],
      ['/fhir/Provenance?target=Patient/00000000-0000-4000-8000-000000000000', 'query.target'],
      ['/fhir/Provenance?target=Observation/x/_history/2', 'query.target'],
      ['/fhir/Provenance?agent=Organization/00000000-0000-4000-8000-000000000000', 'query.agent'],
    ] as const) {
      const response = await jgz().get(url);
      expect({ url, status: response.statusCode }).toEqual({ url, status: 400 });
      expect(response.json().issue[0].expression).toEqual([field]);
    }
    const strict = await jgz().request('GET', '/fhir/Encounter?colour=blue', undefined, { prefer: 'handling=strict' });
    expect(strict.statusCode).toBe(400);
    const lenient = await bundle('/fhir/Encounter?colour=blue&_count=1');
    expect(lenient.link[0]?.url).not.toContain('colour');
    const unknown = await jgz().get('/fhir/Spaceship?_count=1');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().resourceType).toBe('OperationOutcome');
  });

  it('gives the audit trail only to the regiehouder of a family', async () => {
    for (const who of PROFESSIONALS) {
      const events = (reached[who] as Record<string, Resource[]>).AuditEvent as Resource[];
      const families = new Set(
        events.map((e) => (e.entity as { what: { reference: string } }[])[0]?.what.reference ?? ''),
      );
      for (const family of families) {
        const id = family.split('/')[1] as string;
        const response = await (clients[who] as Client).get(`/api/families/${id}/audit-events`);
        expect({ who, status: response.statusCode }).toEqual({ who, status: 200 });
      }
    }
  });
});
