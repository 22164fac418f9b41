import { randomUUID } from 'node:crypto';
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

let t: TestApp;
let midwife: Client;
let kraam: Awaited<ReturnType<typeof professionalAt>>;
let familyId: string;
let mother: string;
let child: string;
let kraamAccount: string;

beforeEach(async () => {
  t = await createTestApp();
  await seedRegion(t.db);
  midwife = (await professionalAt(t, 'verloskundigenpraktijk')).client;
  kraam = await professionalAt(t, 'kraamzorg');
  familyId = (await midwife.post('/api/families', registration())).json().familyId;
  await handOver(midwife, kraam, familyId, ['medical', 'psychosocial', 'social']);
  const record = (await midwife.get(`/api/families/${familyId}`)).json();
  mother = record.persons[0].id;
  child = record.persons.find((p: { role: string }) => p.role === 'child').id;
  kraamAccount = record.team.find((m: { organisationId: string }) => m.organisationId === kraam.organisationId)
    .professionals[0].accountId;
});
afterEach(() => t.close());

const plan = async (client: Client) => (await client.get(`/api/families/${familyId}/plan`)).json();

describe('one family, one plan', () => {
  it('lets the regiehouder write goals in the parents’ words, with actions for the team and the parents', async () => {
    const goal = await midwife.post(`/api/families/${familyId}/plan/goals`, {
      goal: 'We willen dat het thuis rustiger wordt voordat de baby komt.',
      owner: { personId: mother },
      evaluateOn: daysFromToday(30),
    });
    expect(goal.statusCode).toBe(201);
    const { goalId } = goal.json();
    for (const body of [
      { action: 'Samen een weekritme op papier zetten', owner: { personId: mother }, dueOn: daysFromToday(7) },
      { action: 'Kraamzorg bespreekt de eerste nachten', owner: { accountId: kraamAccount } },
    ]) {
      expect((await midwife.post(`/api/families/${familyId}/plan/goals/${goalId}/actions`, body)).statusCode).toBe(201);
    }
    // The whole team sees the plan and who keeps it.
    const seen = await plan(kraam.client);
    expect(seen.mayEdit).toBe(false);
    expect(seen.regiehouder).toMatchObject({ organisationName: expect.any(String) });
    expect(seen.goals).toEqual([
      expect.objectContaining({
        goal: 'We willen dat het thuis rustiger wordt voordat de baby komt.',
        owner: expect.objectContaining({ kind: 'parent', id: mother }),
        status: 'open',
        evaluationDue: false,
      }),
    ]);
    expect(seen.goals[0].actions.map((a: { mayUpdate: boolean }) => a.mayUpdate)).toEqual([false, true]);
    expect(seen.changes.map((c: { change: string }) => c.change)).toEqual([
      'action_added',
      'action_added',
      'goal_added',
    ]);
    // Kraamzorg marks its own action done; it may not rewrite it or add goals.
    const own = seen.goals[0].actions[1];
    expect(
      (await kraam.client.put(`/api/families/${familyId}/plan/actions/${own.id}`, { status: 'done', version: 1 }))
        .statusCode,
    ).toBe(200);
    const rewrite = await kraam.client.put(`/api/families/${familyId}/plan/actions/${own.id}`, {
      action: 'Iets anders',
      version: 2,
    });
    expect(rewrite.statusCode).toBe(403);
    const refusedGoal = await kraam.client.post(`/api/families/${familyId}/plan/goals`, {
      goal: 'Een eigen doel',
      owner: { personId: mother },
      evaluateOn: daysFromToday(30),
    });
    expect(refusedGoal.statusCode).toBe(403);
    expect((await auditEvents(t.db)).at(-1)).toMatchObject({ action: 'plan.write', outcome: 'refused' });
    expect((await plan(midwife)).goals[0].actions[1].status).toBe('done');
  });

  it('refuses a goal without an owner, an owner outside the team or the family, and closing without evaluation', async () => {
    const before = await tableCounts(t.db);
    const cases: [Record<string, unknown>, string][] = [
      [{ goal: 'Rust in huis', evaluateOn: daysFromToday(30) }, 'body.owner'],
      [
        { goal: 'Rust in huis', owner: { accountId: randomUUID() }, evaluateOn: daysFromToday(30) },
        'body.owner.accountId',
      ],
      [{ goal: 'Rust in huis', owner: { personId: child }, evaluateOn: daysFromToday(30) }, 'body.owner.personId'],
      [{ goal: 'Rust in huis', owner: { personId: mother } }, 'body.evaluateOn'],
    ];
    for (const [body, field] of cases) {
      const response = await midwife.post(`/api/families/${familyId}/plan/goals`, body);
      expect(response.statusCode, field).toBe(400);
      expect(response.json().fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    expect(await tableCounts(t.db)).toEqual(before);
    const { goalId } = (
      await midwife.post(`/api/families/${familyId}/plan/goals`, {
        goal: 'Rust in huis',
        owner: { personId: mother },
        evaluateOn: daysFromToday(-1),
      })
    ).json();
    const unevaluated = await midwife.put(`/api/families/${familyId}/plan/goals/${goalId}`, {
      status: 'achieved',
      version: 1,
    });
    expect(unevaluated.json().fields).toEqual([
      { field: 'body.evaluation', message: 'required when a goal is achieved or stopped' },
    ]);
    // Due for evaluation: on the plan and on the regiehouder's caseload.
    expect((await plan(midwife)).goals[0].evaluationDue).toBe(true);
    const caseload = (await midwife.get('/api/caseload')).json().families;
    expect(caseload.find((f: { familyId: string }) => f.familyId === familyId).evaluationsDue).toBe(1);
    const achieved = await midwife.put(`/api/families/${familyId}/plan/goals/${goalId}`, {
      status: 'achieved',
      evaluation: 'Het weekritme helpt; vader neemt de avonden.',
      version: 1,
    });
    expect(achieved.json()).toEqual({ goalId, version: 2 });
    const stale = await midwife.put(`/api/families/${familyId}/plan/goals/${goalId}`, { goal: 'Anders', version: 1 });
    expect(stale.json().code).toBe('STALE_VERSION');
    expect((await plan(midwife)).goals[0]).toMatchObject({ status: 'achieved', evaluationDue: false });
  });

  it('hangs referrals under a goal', async () => {
    const wijkteam = await professionalAt(t, 'wijkteam');
    await t.db
      .insertInto('intervention_offers')
      .values({ intervention_key: 'debt_support', organisation_id: wijkteam.organisationId, contact: '0800' })
      .execute();
    const { goalId } = (
      await midwife.post(`/api/families/${familyId}/plan/goals`, {
        goal: 'Grip op onze geldzaken',
        owner: { personId: mother },
        evaluateOn: daysFromToday(60),
        category: 'social',
      })
    ).json();
    const sent = await midwife.post(`/api/families/${familyId}/referrals`, {
      idempotencyKey: randomUUID(),
      toOrganisationId: wijkteam.organisationId,
      interventionKey: 'debt_support',
      reason: 'De ouders willen hulp bij hun schulden.',
      urgency: 'routine',
      sharedCategories: ['social'],
      consentGivenHow: 'verbal',
      goalId,
    });
    expect(sent.statusCode).toBe(201);
    expect((await plan(midwife)).goals[0].referrals).toEqual([
      expect.objectContaining({ interventionKey: 'debt_support', status: 'sent' }),
    ]);
    const otherGoal = await midwife.post(`/api/families/${familyId}/referrals`, {
      idempotencyKey: randomUUID(),
      toOrganisationId: wijkteam.organisationId,
      interventionKey: 'debt_support',
      reason: 'De ouders willen hulp bij hun schulden.',
      urgency: 'routine',
      sharedCategories: ['social'],
      goalId: randomUUID(),
    });
    expect(otherGoal.json().fields).toEqual([{ field: 'body.goalId', message: 'not a goal of this family’s plan' }]);
  });
});
