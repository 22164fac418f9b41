import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  auditEvents,
  type Client,
  createTestApp,
  daysFromToday,
  handOver,
  professionalAt,
  registration,
  seedRegion,
  type TestApp,
  tableCounts,
} from '../../test/helpers.ts';
import { verifyAudit } from '../audit/verify-audit.ts';
import { askForSignalReviews } from './review-signals.ts';
import { parseSignalCodes, signalCodes } from './signal-codes.ts';

let t: TestApp;
let midwife: Client;
let kraamzorg: Client;
let kraam: Awaited<ReturnType<typeof professionalAt>>;

beforeEach(async () => {
  t = await createTestApp();
  await seedRegion(t.db);
  midwife = (await professionalAt(t, 'verloskundigenpraktijk')).client;
  kraam = await professionalAt(t, 'kraamzorg');
  kraamzorg = kraam.client;
});
afterEach(() => t.close());

async function family(categoriesForKraamzorg?: string[]) {
  const familyId = (await midwife.post('/api/families', registration())).json().familyId as string;
  const record = (await midwife.get(`/api/families/${familyId}`)).json();
  if (categoriesForKraamzorg) await handOver(midwife, kraam, familyId, categoriesForKraamzorg);
  const [mother, partner, child] = record.persons as { id: string }[];
  return { familyId, mother: mother?.id as string, partner: partner?.id as string, child: child?.id as string };
}

const picture = async (client: Client, familyId: string) =>
  (await client.get(`/api/families/${familyId}/picture`)).json();

describe('the signal code list', () => {
  it('ships a valid list covering every domain of the source decks', () => {
    const list = signalCodes();
    expect(list.domains.map((d) => d.key)).toEqual([
      'external',
      'child',
      'parent',
      'care_relationship',
      'own_history',
      'protective',
    ]);
    for (const domain of list.domains) expect(list.codes.some((c) => c.domain === domain.key)).toBe(true);
  });

  it('refuses a broken definition with the place at fault', () => {
    const list = JSON.parse(JSON.stringify(signalCodes()));
    list.codes[2].domain = 'nowhere';
    expect(() => parseSignalCodes(JSON.stringify({ ...list, byKey: undefined, kindOf: undefined }))).toThrow(
      /codes\.2\.domain: unknown domain "nowhere"/,
    );
    expect(() => parseSignalCodes('{ "version": 1,')).toThrow(/not valid JSON/);
  });
});

describe('signals and the picture', () => {
  it('records stress and protective factors; the picture shows what protects first and counts both', async () => {
    const { familyId, mother, partner } = await family();
    for (const body of [
      { code: 'finances', source: 'told_by_parent', note: 'Schulden door ziekte', since: daysFromToday(-60) },
      { code: 'parent_chronic_stress', concernsPersonId: mother, source: 'observed' },
      { code: 'supportive_partner', concernsPersonId: partner, source: 'observed', note: 'Gaat mee naar controles' },
    ]) {
      expect((await midwife.post(`/api/families/${familyId}/signals`, body)).statusCode).toBe(201);
    }
    const seen = await picture(midwife, familyId);
    expect(seen.counts).toEqual({ stress: 2, protective: 1 });
    expect(seen.domains.map((d: { domain: string }) => d.domain)).toEqual(['protective', 'external', 'parent']);
    expect(seen.domains[1].signals[0]).toMatchObject({
      code: 'finances',
      source: 'told_by_parent',
      category: 'social',
      mine: true,
      reviewOn: daysFromToday(182),
    });
    // The course over time: two months back the debts were already there, the rest not yet.
    const twoMonthsAgo = seen.history.find((h: { month: string }) => h.month === daysFromToday(-60).slice(0, 7));
    expect(twoMonthsAgo).toMatchObject({ stress: 1, protective: 0 });
    expect(seen.history.at(-1)).toMatchObject({ stress: 2, protective: 1 });
    // Nothing like a score or a verdict in the answer.
    expect(JSON.stringify(seen)).not.toMatch(/score|risk/i);
    const actions = (await auditEvents(t.db)).filter((e) => e.family_id === familyId).map((e) => e.action);
    expect(actions).toContain('family.picture.read');
    expect((await verifyAudit(t.db)).broken).toEqual([]);
  });

  it('refuses unknown codes, a person of another family, a code for the wrong person and a future date', async () => {
    const { familyId, child } = await family();
    const before = await tableCounts(t.db);
    for (const [body, field] of [
      [{ code: 'astrology', source: 'observed' }, 'body.code'],
      [
        { code: 'finances', source: 'observed', concernsPersonId: '00000000-0000-4000-8000-000000000001' },
        'body.concernsPersonId',
      ],
      [{ code: 'child_autism', source: 'observed' }, 'body.concernsPersonId'],
      [{ code: 'parent_psychological', source: 'observed', concernsPersonId: child }, 'body.concernsPersonId'],
      [{ code: 'housing', source: 'observed', since: daysFromToday(3) }, 'body.since'],
      [{ code: 'housing', source: 'observed', reviewOn: daysFromToday(-1) }, 'body.reviewOn'],
    ] as const) {
      const response = await midwife.post(`/api/families/${familyId}/signals`, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('records a parent’s own history only with that parent’s own consent, and hides it when withdrawn', async () => {
    const { familyId, mother } = await family();
    const body = { code: 'ace_separation', concernsPersonId: mother, source: 'told_by_parent' };
    const refused = await midwife.post(`/api/families/${familyId}/signals`, body);
    expect(refused.json().fields[0]).toMatchObject({ field: 'body.concernsPersonId' });
    const consent = await midwife.post(`/api/families/${familyId}/consents`, {
      purpose: 'own_history',
      personId: mother,
      givenHow: 'verbal',
    });
    expect(consent.statusCode).toBe(201);
    expect((await midwife.post(`/api/families/${familyId}/signals`, body)).statusCode).toBe(201);
    expect((await picture(midwife, familyId)).counts.stress).toBe(1);
    await midwife.post(`/api/families/${familyId}/consents/${consent.json().consentIds[0]}/withdraw`);
    const after = await picture(midwife, familyId);
    expect(after.counts.stress).toBe(0);
    expect(after.withheld).toBe(1);
  });

  it('shows another organisation only what the parents’ consent allows, per category and person', async () => {
    const { familyId, mother } = await family(['medical', 'social']);
    await midwife.post(`/api/families/${familyId}/signals`, { code: 'housing', source: 'observed' });
    await midwife.post(`/api/families/${familyId}/signals`, {
      code: 'parent_psychological',
      concernsPersonId: mother,
      source: 'observed',
    });
    const seen = await picture(kraamzorg, familyId);
    expect(seen.domains.flatMap((d: { signals: { code: string }[] }) => d.signals.map((s) => s.code))).toEqual([
      'housing',
    ]);
    expect(seen.withheld).toBe(1);
    // Kraamzorg cannot change the midwife's signal.
    const own = (await picture(midwife, familyId)).domains[0].signals[0];
    const change = await kraamzorg.post(`/api/families/${familyId}/signals/${own.id}/end`, { version: own.version });
    expect(change.statusCode).toBe(403);
  });

  it('corrects and ends a signal with its history kept; a stale version is refused', async () => {
    const { familyId } = await family();
    const { signalId } = (
      await midwife.post(`/api/families/${familyId}/signals`, { code: 'isolation', source: 'observed' })
    ).json();
    const corrected = await midwife.put(`/api/families/${familyId}/signals/${signalId}`, {
      source: 'told_by_parent',
      note: 'Moeder zegt zelf dat ze weinig mensen kent',
      since: daysFromToday(-30),
      version: 1,
    });
    expect(corrected.statusCode).toBe(200);
    const stale = await midwife.post(`/api/families/${familyId}/signals/${signalId}/end`, { version: 1 });
    expect(stale.statusCode).toBe(409);
    expect((await midwife.post(`/api/families/${familyId}/signals/${signalId}/end`, { version: 2 })).statusCode).toBe(
      200,
    );
    const seen = await picture(midwife, familyId);
    expect(seen.counts.stress).toBe(0);
    expect(seen.ended).toMatchObject([{ id: signalId, code: 'isolation', endedOn: daysFromToday(0) }]);
    const versions = await t.db
      .selectFrom('signal_versions')
      .select(['version', 'change'])
      .where('signal_id', '=', signalId)
      .orderBy('version')
      .execute();
    expect(versions).toEqual([
      { version: 1, change: 'recorded' },
      { version: 2, change: 'corrected' },
      { version: 3, change: 'ended' },
    ]);
  });

  it('asks the owner to confirm or end a signal once its review date has passed, once', async () => {
    const { familyId } = await family();
    const { signalId } = (
      await midwife.post(`/api/families/${familyId}/signals`, {
        code: 'housing',
        source: 'observed',
        reviewOn: daysFromToday(10),
      })
    ).json();
    expect(await askForSignalReviews(t.db, daysFromToday(5))).toBe(0);
    expect(await askForSignalReviews(t.db, daysFromToday(11))).toBe(1);
    expect(await askForSignalReviews(t.db, daysFromToday(12))).toBe(0);
    const tasks = (await midwife.get('/api/tasks')).json().tasks;
    expect(tasks).toMatchObject([{ kind: 'signal_review', familyId, sourceId: signalId, forMe: true }]);
    await midwife.post(`/api/families/${familyId}/signals/${signalId}/confirm`, { version: 1 });
    expect((await midwife.get('/api/tasks')).json().tasks).toEqual([]);
  });
});

describe('the care-intensity judgement', () => {
  it('puts a judgement that raises the intensity on hold until a colleague takes a second look', async () => {
    const { familyId } = await family(['medical', 'psychosocial', 'social']);
    const kraamAccount = (await kraamzorg.get('/api/me')).json().actor.accountId as string;
    const midwifeAccount = (await midwife.get('/api/me')).json().actor.accountId as string;
    // Ordinary care needs no second look.
    const ordinary = await midwife.post(`/api/families/${familyId}/judgements`, {
      stressLevel: 'normal',
      intensity: 'ordinary',
      rationale: 'Gewone zorgen rond een eerste kind; veel steun in de omgeving.',
    });
    expect(ordinary.json().status).toBe('effective');
    const before = await tableCounts(t.db);
    for (const [body, field] of [
      [{ stressLevel: 'toxic', intensity: 'specific', rationale: 'kort' }, 'body.rationale'],
      [
        { stressLevel: 'toxic', intensity: 'specific', rationale: 'Schulden en weinig steun, moeder slaapt slecht.' },
        'body.reviewerAccountId',
      ],
      [
        {
          stressLevel: 'toxic',
          intensity: 'specific',
          rationale: 'Schulden en weinig steun, moeder slaapt slecht.',
          reviewerAccountId: midwifeAccount,
        },
        'body.reviewerAccountId',
      ],
    ] as const) {
      const refused = await midwife.post(`/api/families/${familyId}/judgements`, body);
      expect(refused.json().fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    expect(await tableCounts(t.db)).toEqual(before);
    const raised = await midwife.post(`/api/families/${familyId}/judgements`, {
      stressLevel: 'toxic',
      intensity: 'specific',
      rationale: 'Schulden en weinig steun, moeder slaapt slecht.',
      parentsView: 'Wij willen graag hulp bij de geldzaken.',
      parentsAskForHelp: true,
      reviewerAccountId: kraamAccount,
    });
    expect(raised.json().status).toBe('proposed');
    let seen = await picture(kraamzorg, familyId);
    expect(seen.inForce).toEqual({ stressLevel: 'normal', intensity: 'ordinary' });
    const [proposal] = seen.judgements;
    expect(proposal).toMatchObject({ status: 'proposed', mayReview: true, parentsAskForHelp: true });
    expect((await kraamzorg.get('/api/tasks')).json().tasks.map((x: { kind: string }) => x.kind)).toContain(
      'second_look',
    );
    // The proposer cannot approve their own proposal.
    const own = await midwife.post(`/api/families/${familyId}/judgements/${proposal.id}/second-look`, {
      decision: 'agree',
      version: proposal.version,
    });
    expect(own.statusCode).toBe(403);
    const agreed = await kraamzorg.post(`/api/families/${familyId}/judgements/${proposal.id}/second-look`, {
      decision: 'agree',
      comment: 'Eens; budgetcoaching via het wijkteam ligt voor de hand.',
      version: proposal.version,
    });
    expect(agreed.json()).toEqual({ status: 'agreed' });
    seen = await picture(midwife, familyId);
    expect(seen.inForce).toEqual({ stressLevel: 'toxic', intensity: 'specific' });
    expect(seen.judgements.map((j: { status: string }) => j.status)).toEqual(['agreed', 'effective']);
    // The judgements are on the trajectory's ribbon.
    const record = (await midwife.get(`/api/families/${familyId}`)).json();
    expect(record.trajectories[0].events.filter((e: { kind: string }) => e.kind === 'judgement')).toHaveLength(2);
  });
});
