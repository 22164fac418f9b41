import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Client,
  createTestApp,
  handOver,
  professionalAt,
  registration,
  seedRegion,
  type TestApp,
  tableCounts,
} from '../../test/helpers.ts';
import { type AnswerValue, guides, parseGuide, scoreOf } from './guide-definitions.ts';

let t: TestApp;
let midwife: Client;
let kraamzorg: Client;
let wijkteam: Client;
let kraam: Awaited<ReturnType<typeof professionalAt>>;
let wijk: Awaited<ReturnType<typeof professionalAt>>;

beforeEach(async () => {
  t = await createTestApp();
  await seedRegion(t.db);
  midwife = (await professionalAt(t, 'verloskundigenpraktijk')).client;
  kraam = await professionalAt(t, 'kraamzorg');
  wijk = await professionalAt(t, 'wijkteam');
  kraamzorg = kraam.client;
  wijkteam = wijk.client;
});
afterEach(() => t.close());

describe('guide definitions', () => {
  it('ships valid guides: the prenatal and postnatal conversations, what stands between, PHQ and GAD', () => {
    expect([...guides().keys()].sort()).toEqual(
      ['between_us', 'gad2', 'gad7', 'phq2', 'phq9', 'postnatal_relationship', 'prenatal_attachment'].sort(),
    );
    for (const guide of guides().values()) {
      for (const item of guide.items) expect(item.why.nl.length).toBeGreaterThan(10);
    }
    expect(guides().get('phq9')?.instrument?.translationToCheck).toBe(true);
  });

  it('gives the next step when PHQ-9 item 9 asks for attention, and for the high bands', () => {
    const phq9 = guides().get('phq9');
    const selfHarm = phq9?.items.find((i) => i.code === 'phq.self_harm');
    expect(selfHarm?.attentionFrom).toBe(1);
    // 113 Zelfmoordpreventie: free and anonymous, 113 or 0800-0113, or chat (checked 7 December 2026).
    expect(selfHarm?.attentionAdvice?.nl).toMatch(/huisarts.*112.*113.*0800-0113.*113\.nl/s);
    const bands = phq9?.instrument?.scoring.bands ?? [];
    expect(bands.filter((b) => b.advice).map((b) => b.min)).toEqual([15, 20]);
  });

  it('refuses a broken definition with the place at fault', () => {
    const phq2 = structuredClone(guides().get('phq2'));
    const second = (phq2 as { items: { options?: unknown }[] }).items[1];
    if (second) second.options = undefined;
    expect(() => parseGuide('phq-2.json', JSON.stringify(phq2))).toThrow(/guide phq-2\.json: items\.1\.options/);
    expect(() => parseGuide('x.json', '{')).toThrow(/guide x\.json: not valid JSON/);
    // Every question says what kind it is: only a factual one is confirmed instead of asked again.
    const unkinded = structuredClone(guides().get('phq2')) as { items: { kind?: string }[] };
    delete unkinded.items[0]?.kind;
    expect(() => parseGuide('phq-2.json', JSON.stringify(unkinded))).toThrow(/items\.0\.kind/);
    const factual = [...guides().values()].flatMap((g) =>
      g.items.filter((i) => i.kind === 'factual').map((i) => i.code),
    );
    expect(factual.sort()).toEqual([
      'between.own_childhood',
      'between.people_around',
      'prenatal.earlier_loss_or_trauma',
    ]);
  });

  it('scores the PHQ-9 as published, and a missing item as incomplete — never as zero', () => {
    const phq9 = guides().get('phq9');
    if (!phq9) throw new Error('no PHQ-9');
    const all = new Map<string, AnswerValue>(phq9.items.map((item) => [item.code, '2']));
    expect(scoreOf(phq9, all)).toEqual({ score: 18, complete: true, attention: true });
    all.set('phq.self_harm', '0');
    expect(scoreOf(phq9, all)).toMatchObject({ score: 16, attention: false });
    all.delete('phq.sleep');
    expect(scoreOf(phq9, all)).toEqual({ score: null, complete: false, attention: false });
  });
});

describe('guides in the chain', () => {
  it('shows a question already asked elsewhere in the chain, to confirm instead of asking again', async () => {
    const familyId = (await midwife.post('/api/families', registration())).json().familyId;
    const mother = (await midwife.get(`/api/families/${familyId}`)).json().persons[0].id;
    const answered = await midwife.post(`/api/families/${familyId}/guide-responses`, {
      guideKey: 'prenatal_attachment',
      concernsPersonId: mother,
      answers: [
        { code: 'prenatal.parent_you_want_to_be', value: 'Rustig en geduldig, anders dan mijn eigen vader.' },
        { code: 'prenatal.feeling_baby_move', value: 'pleasant' },
        { code: 'prenatal.earlier_loss_or_trauma', value: false },
      ],
    });
    expect(answered.statusCode, answered.body).toBe(201);
    await handOver(midwife, kraam, familyId, ['medical', 'psychosocial']);
    await handOver(midwife, wijk, familyId, ['medical', 'social']);

    const prepared = (
      await kraamzorg.get(`/api/families/${familyId}/guides/prenatal_attachment?personId=${mother}`)
    ).json();
    expect(prepared.earlier.map((e: { code: string }) => e.code)).toEqual([
      'prenatal.parent_you_want_to_be',
      'prenatal.feeling_baby_move',
      'prenatal.earlier_loss_or_trauma',
    ]);
    expect(prepared.earlier[0]).toMatchObject({ value: 'Rustig en geduldig, anders dan mijn eigen vader.' });
    // The wijkteam has no psychosocial consent: it sees neither the answers nor that they exist.
    const hidden = (
      await wijkteam.get(`/api/families/${familyId}/guides/prenatal_attachment?personId=${mother}`)
    ).json();
    expect(hidden.earlier).toEqual([]);
    expect(JSON.stringify((await wijkteam.get(`/api/families/${familyId}/guide-responses`)).json())).not.toContain(
      'geduldig',
    );

    // A reflective question is asked again (the conversation is the point); a factual one is confirmed.
    const reflective = await kraamzorg.post(`/api/families/${familyId}/guide-responses`, {
      guideKey: 'prenatal_attachment',
      concernsPersonId: mother,
      answers: [{ code: 'prenatal.parent_you_want_to_be', confirmAnswerId: prepared.earlier[0].answerId }],
    });
    expect(reflective.json().fields).toEqual([
      { field: 'body.answers.0.confirmAnswerId', message: 'asked again: only a factual question is confirmed' },
    ]);
    const confirmed = await kraamzorg.post(`/api/families/${familyId}/guide-responses`, {
      guideKey: 'prenatal_attachment',
      concernsPersonId: mother,
      answers: [
        { code: 'prenatal.earlier_loss_or_trauma', confirmAnswerId: prepared.earlier[2].answerId },
        { code: 'prenatal.describe_your_baby', value: 'Een beweeglijk kindje' },
      ],
    });
    expect(confirmed.statusCode, confirmed.body).toBe(201);
    const list = (await midwife.get(`/api/families/${familyId}/guide-responses`)).json();
    expect(list.notAskedTwice).toBe(1);
    expect(list.responses).toHaveLength(2);
    // An answer becomes a signal with one action, keeping the link.
    const answerId = confirmed.json().answers[1].answerId;
    const signal = await kraamzorg.post(`/api/families/${familyId}/signals`, {
      code: 'own_insight',
      concernsPersonId: mother,
      source: 'told_by_parent',
      fromAnswerId: answerId,
    });
    expect(signal.statusCode, signal.body).toBe(201);
    const stored = await t.db.selectFrom('signals').select('from_answer_id').executeTakeFirstOrThrow();
    expect(stored.from_answer_id).toBe(answerId);
    // The conversations are on the trajectory's ribbon, for those who may read them.
    const events = (await midwife.get(`/api/families/${familyId}`)).json().trajectories[0].events;
    expect(events.filter((e: { kind: string }) => e.kind === 'guide').map((e: { what: string }) => e.what)).toEqual([
      'prenatal_attachment',
      'prenatal_attachment',
    ]);
    const wijkEvents = (await wijkteam.get(`/api/families/${familyId}`)).json().trajectories[0].events;
    expect(wijkEvents.filter((e: { kind: string }) => e.kind === 'guide')).toEqual([]);
  });

  it('scores a PHQ-2 answered in the app; refuses answers that do not fit, writing nothing', async () => {
    const familyId = (await midwife.post('/api/families', registration())).json().familyId;
    const mother = (await midwife.get(`/api/families/${familyId}`)).json().persons[0].id;
    const before = await tableCounts(t.db);
    for (const [answers, field] of [
      [[{ code: 'phq.interest', value: '7' }], 'body.answers.0.value'],
      [[{ code: 'phq.nonsense', value: '1' }], 'body.answers.0.code'],
      [
        [
          { code: 'phq.interest', value: '1' },
          { code: 'phq.interest', value: '2' },
        ],
        'body.answers.1.code',
      ],
      [
        [{ code: 'phq.interest', confirmAnswerId: '00000000-0000-4000-8000-000000000009' }],
        'body.answers.0.confirmAnswerId',
      ],
    ] as const) {
      const refused = await midwife.post(`/api/families/${familyId}/guide-responses`, {
        guideKey: 'phq2',
        concernsPersonId: mother,
        answers,
      });
      expect(refused.statusCode, JSON.stringify(answers)).toBe(400);
      expect(refused.json().fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    const noPerson = await midwife.post(`/api/families/${familyId}/guide-responses`, {
      guideKey: 'phq2',
      answers: [{ code: 'phq.interest', value: '1' }],
    });
    expect(noPerson.json().fields[0].field).toBe('body.concernsPersonId');
    expect(await tableCounts(t.db)).toEqual(before);

    const incomplete = await midwife.post(`/api/families/${familyId}/guide-responses`, {
      guideKey: 'phq2',
      concernsPersonId: mother,
      answers: [{ code: 'phq.interest', value: '3' }],
    });
    expect(incomplete.json()).toMatchObject({ score: null, complete: false });
    const whole = await midwife.post(`/api/families/${familyId}/guide-responses`, {
      guideKey: 'phq2',
      concernsPersonId: mother,
      answers: [
        { code: 'phq.interest', value: '2' },
        { code: 'phq.down', value: '2' },
      ],
    });
    expect(whole.json()).toMatchObject({ score: 4, complete: true });
    const list = (await midwife.get(`/api/families/${familyId}/guide-responses`)).json();
    expect(list.responses[0].band.nl).toMatch(/afkappunt/);
  });

  it('records the answer about a parent’s own childhood only with that parent’s consent', async () => {
    const familyId = (await midwife.post('/api/families', registration())).json().familyId;
    const mother = (await midwife.get(`/api/families/${familyId}`)).json().persons[0].id;
    const body = {
      guideKey: 'between_us',
      concernsPersonId: mother,
      answers: [{ code: 'between.own_childhood', value: 'Mijn moeder dronk veel.' }],
    };
    expect((await midwife.post(`/api/families/${familyId}/guide-responses`, body)).statusCode).toBe(400);
    await midwife.post(`/api/families/${familyId}/consents`, {
      purpose: 'own_history',
      personId: mother,
      givenHow: 'verbal',
    });
    expect((await midwife.post(`/api/families/${familyId}/guide-responses`, body)).statusCode).toBe(201);
  });
});

describe('an organisation’s own guides', () => {
  it('loads licensed instruments from a folder beside Kring’s, validated the same way', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { loadExtraGuides } = await import('./guide-definitions.ts');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kring-guides-'));
    const own = {
      ...structuredClone(guides().get('phq2')),
      key: 'licensed_example',
      title: { nl: 'Eigen vragenlijst', en: 'Own questionnaire' },
    };
    fs.writeFileSync(path.join(dir, 'own.json'), JSON.stringify(own));
    loadExtraGuides(dir);
    expect(guides().get('licensed_example')?.title.nl).toBe('Eigen vragenlijst');
    fs.writeFileSync(path.join(dir, 'broken.json'), JSON.stringify({ ...own, key: 'broken', items: [] }));
    expect(() => loadExtraGuides(dir)).toThrow(/guide broken\.json: items/);
    fs.rmSync(path.join(dir, 'broken.json'));
    fs.writeFileSync(path.join(dir, 'clash.json'), JSON.stringify({ ...own, key: 'phq9' }));
    expect(() => loadExtraGuides(dir)).toThrow(/already used by a guide Kring ships/);
    guides().delete('licensed_example');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
