import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fhirProblems as problems } from '../../test/fhir-definitions.ts';
import { type Client, createTestApp, type TestApp } from '../../test/helpers.ts';
import { seedDemo } from '../demo/seed-demo.ts';
import { exportTuning } from './bulk-export.ts';

/**
 * Bulk export over the demo region: the files hold exactly what the same account finds by
 * searching, resource by resource, each valid R4; the export is the asker's alone, and every
 * family exported is audited on its own trail.
 */

type Resource = { resourceType: string; id: string };

let t: TestApp;
let jgz: Client;
let midwife: Client;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.db);
  jgz = await t.signIn('jgz@duinstad.demo', 'kring-demo');
  midwife = await t.signIn('verloskundige@duinstad.demo', 'kring-demo');
}, 120_000);
afterAll(() => t.close());

const path = (url: string) => {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
};

/** Kick off, follow the status until done, and read every file: the resources by type. */
async function exportAll(client: Client, url: string) {
  const kickOff = await client.request('GET', url, undefined, { prefer: 'respond-async' });
  expect(kickOff.statusCode, kickOff.body).toBe(202);
  const status = path(kickOff.headers['content-location'] as string);
  let manifest: { output: { type: string; url: string; count: number }[]; request: string } | undefined;
  for (let i = 0; i < 300 && !manifest; i++) {
    const polled = await client.get(status);
    if (polled.statusCode === 200) manifest = polled.json();
    else {
      expect(polled.statusCode).toBe(202);
      expect(polled.headers['x-progress']).toBeTruthy();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  if (!manifest) throw new Error('the export did not finish');
  const byType = new Map<string, Resource[]>();
  for (const file of manifest.output) {
    const response = await client.get(path(file.url));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/fhir+ndjson');
    const resources = response.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Resource);
    expect(resources).toHaveLength(file.count);
    byType.set(file.type, [...(byType.get(file.type) ?? []), ...resources]);
  }
  return { byType, manifest, status, files: manifest.output.map((f) => path(f.url)) };
}

async function searchAll(client: Client, url: string): Promise<Resource[]> {
  const resources: Resource[] = [];
  let next: string | undefined = url;
  while (next) {
    const bundle = (await client.get(next)).json() as {
      entry: { resource: Resource }[];
      link: { relation: string; url: string }[];
    };
    resources.push(...bundle.entry.map((e) => e.resource));
    const link = bundle.link.find((l) => l.relation === 'next');
    next = link ? path(link.url) : undefined;
  }
  return resources;
}

describe('FHIR bulk export', () => {
  it('exports exactly what the account finds by searching, resource by resource, all valid R4', async () => {
    const types = ['Patient', 'Group', 'Encounter', 'Observation', 'Consent', 'Task', 'CarePlan', 'EpisodeOfCare'];
    // Batches of 2 families, two at a time, and parts of 4 kB: every resource still exactly once.
    const tuning = { ...exportTuning };
    Object.assign(exportTuning, { batchFamilies: 2, partBytes: 4096 });
    const { byType, manifest } = await exportAll(jgz, `/fhir/$export?_type=${types.join(',')}`).finally(() =>
      Object.assign(exportTuning, tuning),
    );
    expect(manifest.output.length).toBeGreaterThan(types.length);
    expect(manifest.request).toContain('/fhir/$export');
    for (const type of types) {
      const exported = (byType.get(type) ?? []).sort((a, b) => a.id.localeCompare(b.id));
      const searched = (await searchAll(jgz, `/fhir/${type}?_count=100`)).sort((a, b) => a.id.localeCompare(b.id));
      expect({ type, count: exported.length }).toEqual({ type, count: searched.length });
      expect(exported).toEqual(searched);
      for (const resource of exported) expect(problems(resource)).toEqual([]);
    }
    expect(byType.get('Observation')?.length).toBeGreaterThan(0);
    // Every family exported is audited on its own trail.
    const families = new Set((byType.get('Group') ?? []).map((g) => g.id));
    const audited = await t.db
      .selectFrom('audit_events')
      .select('family_id')
      .where('action', '=', 'fhir.export.read')
      .execute();
    expect(new Set(audited.map((a) => a.family_id))).toEqual(families);
  });

  it('exports one family (Group/[id]/$export) and only what changed since _since', async () => {
    const group = (await searchAll(jgz, '/fhir/Group?_count=100'))[0] as Resource;
    const { byType } = await exportAll(jgz, `/fhir/Group/${group.id}/$export?_type=Group,Patient`);
    expect((byType.get('Group') ?? []).map((g) => g.id)).toEqual([group.id]);
    const future = await exportAll(jgz, `/fhir/Patient/$export?_since=${encodeURIComponent('2999-01-01T00:00:00Z')}`);
    expect(future.manifest.output).toEqual([]);
  });

  it('belongs to the one who asked: another account finds neither status nor files', async () => {
    const { status, files } = await exportAll(jgz, '/fhir/$export?_type=Group');
    expect((await midwife.get(status)).statusCode).toBe(404);
    expect((await midwife.get(files[0] as string)).statusCode).toBe(404);
    // Cancelling drops the files.
    expect((await jgz.request('DELETE', status)).statusCode).toBe(202);
    expect((await jgz.get(files[0] as string)).statusCode).toBe(404);
    expect((await jgz.get(status)).statusCode).toBe(404);
  });

  it('refuses a kick-off without respond-async, an unknown type or parameter, a bad _since, another team’s family', async () => {
    const cases: [string, Record<string, string>, number, string][] = [
      ['/fhir/$export', {}, 400, 'header.prefer'],
      ['/fhir/$export?_type=Spaceship', { prefer: 'respond-async' }, 400, 'query._type'],
      ['/fhir/$export?_since=yesterday', { prefer: 'respond-async' }, 400, 'query._since'],
      ['/fhir/$export?colour=blue', { prefer: 'respond-async' }, 400, 'query.colour'],
    ];
    for (const [url, headers, status, field] of cases) {
      const response = await jgz.request('GET', url, undefined, headers);
      expect({ url, status: response.statusCode }).toEqual({ url, status });
      expect(response.json().issue[0].expression).toEqual([field]);
    }
    const mine = new Set((await searchAll(midwife, '/fhir/Group?_count=100')).map((g) => g.id));
    const theirs = (await searchAll(jgz, '/fhir/Group?_count=100')).find((g) => !mine.has(g.id)) as Resource;
    const refused = await midwife.request('GET', `/fhir/Group/${theirs.id}/$export`, undefined, {
      prefer: 'respond-async',
    });
    expect(refused.statusCode).toBe(404);
  });

  it('allows no bulk export under break-the-glass: it opens one record for a few hours, not a copy that outlives it', async () => {
    const vt = await t.signIn('veiligthuis@duinstad.demo', 'kring-demo');
    const mother = await t.db
      .selectFrom('persons')
      .select(['family_id', 'family_name', 'birth_date'])
      .where('role', '=', 'pregnant_person')
      .where('family_name', '=', 'Verhoeven')
      .executeTakeFirstOrThrow();
    const opened = await vt.post('/api/emergency-access', {
      familyName: mother.family_name,
      birthDate: mother.birth_date,
      reason: 'Melding van acute onveiligheid; beoordeling van de veiligheid van moeder en kind.',
    });
    expect(opened.statusCode, opened.body).toBe(201);
    expect((await vt.get(`/fhir/Group/${mother.family_id}`)).statusCode).toBe(200);
    const refused = await vt.request('GET', `/fhir/Group/${mother.family_id}/$export`, undefined, {
      prefer: 'respond-async',
    });
    expect(refused.statusCode).toBe(404);
    const { byType } = await exportAll(vt, '/fhir/$export?_type=Group');
    expect((byType.get('Group') ?? []).map((g) => g.id)).not.toContain(mother.family_id);
  });
});
