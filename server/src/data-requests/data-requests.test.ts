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

let t: TestApp;
let midwife: Client;
let kraam: Awaited<ReturnType<typeof professionalAt>>;
let familyId: string;
let signalId: string;
let contactId: string;
let mother: string;

beforeEach(async () => {
  t = await createTestApp();
  await seedRegion(t.db);
  midwife = (await professionalAt(t, 'verloskundigenpraktijk')).client;
  kraam = await professionalAt(t, 'kraamzorg');
  familyId = (await midwife.post('/api/families', registration())).json().familyId;
  signalId = (
    await midwife.post(`/api/families/${familyId}/signals`, { code: 'finances', source: 'told_by_other', note: 'x' })
  ).json().signalId;
  contactId = (
    await midwife.post(`/api/families/${familyId}/contacts`, { kind: 'prenatal_check', occurredOn: '2026-11-01' })
  ).json().contactId;
  mother = (await midwife.get(`/api/families/${familyId}`)).json().persons[0].id;
  await handOver(midwife, kraam, familyId, ['medical', 'psychosocial', 'social']);
});
afterEach(() => t.close());

const requests = async (client: Client) =>
  (await client.get(`/api/families/${familyId}/data-requests`)).json().requests;

describe("the parents' requests to correct or delete", () => {
  it('are recorded by any team member and decided by the organisation that owns the entry; a granted deletion deletes it', async () => {
    const asked = await kraam.client.post(`/api/families/${familyId}/data-requests`, {
      kind: 'deletion',
      recordType: 'signal',
      recordId: signalId,
      requestedByPersonId: mother,
      text: 'Moeder vraagt dit te verwijderen: het klopt niet, het was de buurvrouw die het zei.',
    });
    expect(asked.statusCode).toBe(201);
    const { id, answerDueOn } = asked.json();
    expect(answerDueOn > new Date().toISOString().slice(0, 10)).toBe(true);
    // The midwife's organisation owns the signal: it gets the task, due in a month.
    const tasks = (await midwife.get('/api/tasks')).json().tasks;
    expect(tasks).toContainEqual(
      expect.objectContaining({ kind: 'data_request_to_decide', sourceId: id, dueOn: answerDueOn }),
    );
    const [seenByKraam] = await requests(kraam.client);
    expect(seenByKraam).toMatchObject({ status: 'open', mayDecide: false, recordedBy: 'Test professional' });
    const notOwner = await kraam.client.post(`/api/families/${familyId}/data-requests/${id}/decision`, {
      decision: 'granted',
      reason: 'Wij vinden het goed zo.',
      version: 1,
    });
    expect(notOwner.statusCode).toBe(403);

    const [seenByMidwife] = await requests(midwife);
    expect(seenByMidwife.mayDecide).toBe(true);
    const noGround = await midwife.post(`/api/families/${familyId}/data-requests/${id}/decision`, {
      decision: 'refused',
      reason: 'Het signaal is nodig voor de zorg.',
      version: 1,
    });
    expect(noGround.json().fields).toEqual([
      { field: 'body.ground', message: 'one of interest_of_other, legal_obligation' },
    ]);
    const granted = await midwife.post(`/api/families/${familyId}/data-requests/${id}/decision`, {
      decision: 'granted',
      reason: 'Na navraag bij moeder verwijderd: de bron was onbetrouwbaar.',
      version: 1,
    });
    expect(granted.json()).toEqual({ status: 'granted', entriesDeleted: 2 });
    expect(await t.db.selectFrom('signals').select('id').where('id', '=', signalId).execute()).toEqual([]);
    const [decided] = await requests(kraam.client);
    expect(decided).toMatchObject({ status: 'granted', decidedBy: 'Test professional', mayDecide: false });
    expect((await midwife.get('/api/tasks')).json().tasks.map((task: { kind: string }) => task.kind)).not.toContain(
      'data_request_to_decide',
    );
    const audit = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'data_request.decide')
      .where('outcome', '=', 'success')
      .executeTakeFirstOrThrow();
    expect(audit.details).toEqual({ decision: 'granted', ground: null, entriesDeleted: 2 });
    const again = await midwife.post(`/api/families/${familyId}/data-requests/${id}/decision`, {
      decision: 'refused',
      ground: 'legal_obligation',
      reason: 'Toch niet.',
      version: 2,
    });
    expect(again.json().code).toBe('INVALID_TRANSITION');
  });

  it('refuses a correction only on a ground the law allows, and keeps the entry', async () => {
    const id = (
      await midwife.post(`/api/families/${familyId}/data-requests`, {
        kind: 'correction',
        recordType: 'contact',
        recordId: contactId,
        text: 'De datum van de controle klopt niet volgens vader.',
      })
    ).json().id;
    const wrongGround = await midwife.post(`/api/families/${familyId}/data-requests/${id}/decision`, {
      decision: 'refused',
      ground: 'interest_of_other',
      reason: 'De datum staat in de agenda van de praktijk.',
      version: 1,
    });
    expect(wrongGround.json().fields[0]).toEqual({
      field: 'body.ground',
      message: 'one of accurate, professional_judgement',
    });
    const refused = await midwife.post(`/api/families/${familyId}/data-requests/${id}/decision`, {
      decision: 'refused',
      ground: 'accurate',
      reason: 'De datum staat zo in de agenda van de praktijk.',
      version: 1,
    });
    expect(refused.json()).toEqual({ status: 'refused', entriesDeleted: 0 });
    expect(await t.db.selectFrom('contacts').select('id').where('id', '=', contactId).execute()).toHaveLength(1);
  });

  it('refuses bad input with the field at fault, writing nothing but the audit of a refusal', async () => {
    const other = (await midwife.post('/api/families', registration({ caregivers: [] }))).json().familyId;
    const otherSignal = (
      await midwife.post(`/api/families/${other}/signals`, { code: 'finances', source: 'observed' })
    ).json().signalId;
    const before = await t.db.selectFrom('data_requests').selectAll().execute();
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: 'deletion', recordType: 'signal', recordId: otherSignal, text: 'Verwijderen graag.' }, 'body.recordId'],
      [{ kind: 'deletion', recordType: 'other', recordId: signalId, text: 'Verwijderen graag.' }, 'body.recordId'],
      [{ kind: 'deletion', recordType: 'signal', text: 'Verwijderen graag.' }, 'body.recordId'],
      [{ kind: 'erase', recordType: 'signal', recordId: signalId, text: 'Verwijderen graag.' }, 'body.kind'],
      [{ kind: 'deletion', recordType: 'signal', recordId: signalId, text: 'x' }, 'body.text'],
    ];
    for (const [body, field] of cases) {
      const response = await midwife.post(`/api/families/${familyId}/data-requests`, body);
      expect(response.statusCode).toBe(400);
      expect(response.json().fields[0].field).toBe(field);
    }
    expect(await t.db.selectFrom('data_requests').selectAll().execute()).toEqual(before);
  });
});
