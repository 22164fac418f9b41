import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Client,
  createTestApp,
  professionalAt,
  registration,
  seedAccount,
  seedRegion,
  type TestApp,
} from '../../test/helpers.ts';
import { knowledgeCards } from '../knowledge/knowledge.ts';
import { signalCodes } from '../signals/signal-codes.ts';
import { refreshContent } from './content.ts';

let t: TestApp;
let admin: Client;
beforeEach(async () => {
  t = await createTestApp();
  await seedRegion(t.db);
  admin = await t.signIn((await seedAccount(t.db, { kind: 'admin' })).email);
});
afterEach(() => t.close());

const read = async (kind: string) => (await admin.get(`/api/admin/content/${kind}`)).json();

describe('managing the versioned content', () => {
  it('shows each kind as shipped (version 0), then publishes a new version that is in force at once', async () => {
    const kinds = (await admin.get('/api/admin/content')).json().kinds;
    expect(kinds.map((k: { kind: string; version: number }) => [k.kind, k.version])).toEqual([
      ['signal_codes', 0],
      ['guides', 0],
      ['knowledge', 0],
      ['interventions', 0],
    ]);
    const codes = await read('signal_codes');
    const finances = codes.document.codes.find((c: { key: string }) => c.key === 'finances');
    finances.nl = 'Geldzorgen of schulden';
    const published = await admin.post('/api/admin/content/signal_codes', {
      document: codes.document,
      note: 'Eenvoudiger woorden voor geldzorgen',
    });
    expect(published.statusCode).toBe(201);
    expect(published.json()).toEqual({ kind: 'signal_codes', version: 1 });
    expect(signalCodes().byKey.get('finances')?.nl).toBe('Geldzorgen of schulden');
    const professional = (await professionalAt(t, 'jgz')).client;
    const served = (await professional.get('/api/signal-codes')).json();
    expect(served.codes.find((c: { key: string }) => c.key === 'finances').nl).toBe('Geldzorgen of schulden');

    const after = await read('signal_codes');
    expect(after.version).toBe(1);
    expect(after.history).toEqual([
      {
        version: 1,
        note: 'Eenvoudiger woorden voor geldzorgen',
        publishedAt: expect.any(String),
        publishedBy: 'Test admin',
      },
    ]);
    const audit = await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'content.publish').execute();
    expect(audit.map((a) => a.details)).toEqual([{ kind: 'signal_codes', version: 1 }]);
    // An earlier version stays readable (and can be published again to put it back).
    expect((await admin.get('/api/admin/content/signal_codes/versions/1')).json().document.codes).toHaveLength(
      codes.document.codes.length,
    );
  });

  it('validates without publishing, naming every problem by its place; a bad document publishes nothing', async () => {
    const cards = await read('knowledge');
    cards.document.cards[1].title = undefined;
    cards.document.cards.push({ ...cards.document.cards[0] });
    const checked = (await admin.post('/api/admin/content/knowledge/validate', { document: cards.document })).json();
    expect(checked.ok).toBe(false);
    expect(checked.problems.map((p: { field: string }) => p.field)).toContain('body.document.cards.1.title');
    const refused = await admin.post('/api/admin/content/knowledge', { document: cards.document, note: 'Kapot' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().fields.length).toBeGreaterThan(0);
    expect((await read('knowledge')).version).toBe(0);
    expect(await t.db.selectFrom('content_versions').selectAll().execute()).toEqual([]);
    const notJson = await admin.post('/api/admin/content/knowledge', { document: 'cards', note: 'Verkeerd bestand' });
    expect(notJson.statusCode).toBe(400);
    const noNote = await admin.post('/api/admin/content/knowledge', {
      document: (await read('knowledge')).document,
      note: '',
    });
    expect(noNote.json().fields[0].field).toBe('body.note');
  });

  it('refuses to remove a code or guide that records use', async () => {
    const { client } = await professionalAt(t, 'verloskundigenpraktijk');
    const familyId = (await client.post('/api/families', registration())).json().familyId;
    await client.post(`/api/families/${familyId}/signals`, { code: 'finances', source: 'observed' });
    const codes = await read('signal_codes');
    codes.document.codes = codes.document.codes.filter((c: { key: string }) => c.key !== 'finances');
    const refused = await admin.post('/api/admin/content/signal_codes', {
      document: codes.document,
      note: 'Weg ermee',
    });
    expect(refused.json().fields).toEqual([
      { field: 'body.document.codes', message: 'code "finances" is in use and cannot be removed' },
    ]);
  });

  it('replaces the intervention catalogue, and another process picks published content up', async () => {
    const catalogue = await read('interventions');
    expect(catalogue.document.interventions.length).toBeGreaterThanOrEqual(10);
    catalogue.document.interventions[0].name.nl = `${catalogue.document.interventions[0].name.nl} (regionaal)`;
    const published = await admin.post('/api/admin/content/interventions', {
      document: catalogue.document,
      note: 'Regionale naam',
    });
    expect(published.statusCode).toBe(201);
    const row = await t.db
      .selectFrom('interventions')
      .select(['definition', 'source'])
      .where('key', '=', catalogue.document.interventions[0].key)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      source: 'import',
      definition: { name: { nl: expect.stringContaining('(regionaal)') } },
    });

    // Published by another process (written straight into the table here): in force after a refresh.
    const cards = await read('knowledge');
    cards.document.cards[0].title = { nl: 'Nieuwe titel', en: 'New title' };
    const adminId = (await admin.get('/api/me')).json().actor.accountId;
    await t.db
      .insertInto('content_versions')
      .values({
        kind: 'knowledge',
        version: 1,
        document: JSON.stringify(cards.document),
        note: 'Titel',
        created_by_account_id: adminId,
      })
      .execute();
    expect(knowledgeCards().cards[0]?.title).not.toEqual({ nl: 'Nieuwe titel', en: 'New title' });
    await refreshContent(t.db);
    expect(knowledgeCards().cards[0]?.title).toEqual({ nl: 'Nieuwe titel', en: 'New title' });
  });
});
