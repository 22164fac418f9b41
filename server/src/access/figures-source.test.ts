import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAccount, seedOrganisation, type TestApp } from '../../test/helpers.ts';
import type { PersonRole } from '../database/schema.ts';
import { readFigureFamilies } from './figures-source.ts';

/**
 * The figures job reads the family records only through readFigureFamilies: whose consent to
 * figures counts, a parent's own history never handed out, and each batch audited.
 */

let t: TestApp;
let midwife: string;
let author: string;
let hood: string;

type Person = { role: PersonRole; birthDate?: string; figuresConsent?: boolean; gezag?: boolean };

/** A family with a pregnancy and these adults; returns its id and its persons' ids in order. */
async function family(adults: Person[]) {
  const id = randomUUID();
  await t.db
    .insertInto('families')
    .values({ id, postcode: '9901AA', neighbourhood_id: hood, registered_by_organisation_id: midwife })
    .execute();
  const child = randomUUID();
  await t.db
    .insertInto('persons')
    .values({ id: child, family_id: id, role: 'child', child_status: 'expected' })
    .execute();
  const ids: string[] = [];
  for (const adult of adults) {
    const person = randomUUID();
    ids.push(person);
    await t.db
      .insertInto('persons')
      .values({ id: person, family_id: id, role: adult.role, birth_date: adult.birthDate ?? '1990-01-01' })
      .execute();
    if (adult.gezag) {
      await t.db
        .insertInto('parental_authorities')
        .values({ child_id: child, adult_id: person, family_id: id, reason: 'test' })
        .execute();
    }
    if (adult.figuresConsent) {
      await t.db
        .insertInto('consents')
        .values({
          id: randomUUID(),
          family_id: id,
          person_id: person,
          purpose: 'municipal_figures',
          given_how: 'verbal',
          recorded_by_account_id: author,
        })
        .execute();
    }
  }
  return { id, persons: ids };
}

const signal = (familyId: string, code: string) =>
  t.db
    .insertInto('signals')
    .values({
      id: randomUUID(),
      family_id: familyId,
      code,
      code_list_version: 1,
      status: 'present',
      since: '2026-01-01',
      source: 'observed',
      category: 'psychosocial',
      organisation_id: midwife,
      account_id: author,
    })
    .execute();

beforeAll(async () => {
  t = await createTestApp();
  const municipality = randomUUID();
  hood = randomUUID();
  await t.db.insertInto('municipalities').values({ id: municipality, name: 'Telstad', cbs_code: 'GM0998' }).execute();
  await t.db
    .insertInto('neighbourhoods')
    .values({ id: hood, municipality_id: municipality, name: 'Midden', cbs_code: 'WK099801' })
    .execute();
  midwife = await seedOrganisation(t.db, 'verloskundigenpraktijk');
  author = (await seedAccount(t.db, { kind: 'professional', organisationId: midwife })).id;
});
afterAll(() => t.close());

async function readAll() {
  const batch = await readFigureFamilies(t.db, '00000000-0000-0000-0000-000000000000', 1000);
  if (!batch) throw new Error('no families read');
  return batch;
}

describe("the figures job's door to the family records", () => {
  it('counts a family as consenting only when everyone whose consent counts gave it', async () => {
    const alone = await family([{ role: 'pregnant_person', figuresConsent: true }]);
    const both = await family([
      { role: 'pregnant_person', figuresConsent: true, gezag: true },
      { role: 'partner', figuresConsent: true, gezag: true },
    ]);
    // The partner holds gezag over the child and did not consent: the family does not count.
    const partnerSilent = await family([
      { role: 'pregnant_person', figuresConsent: true, gezag: true },
      { role: 'partner', gezag: true },
    ]);
    // The pregnant person's consent counts even when only the partner holds gezag so far.
    const motherSilent = await family([
      { role: 'pregnant_person' },
      { role: 'partner', figuresConsent: true, gezag: true },
    ]);
    // A pregnant girl of 13: her own consent and her parent's.
    const minor = await family([
      { role: 'pregnant_person', birthDate: '2013-03-01', figuresConsent: true },
      { role: 'parent_of_minor' },
    ]);
    // A partner without gezag is asked for nothing here.
    const stepparent = await family([
      { role: 'pregnant_person', figuresConsent: true, gezag: true },
      { role: 'caregiver' },
    ]);
    const consent = new Map((await readAll()).families.map((f) => [f.id, f.consent]));
    expect(consent.get(alone.id)).toBe(true);
    expect(consent.get(both.id)).toBe(true);
    expect(consent.get(partnerSilent.id)).toBe(false);
    expect(consent.get(motherSilent.id)).toBe(false);
    expect(consent.get(minor.id)).toBe(false);
    expect(consent.get(stepparent.id)).toBe(true);
  });

  it("never hands out a parent's own childhood history, and nothing that names anyone", async () => {
    const { id } = await family([{ role: 'pregnant_person', figuresConsent: true }]);
    await signal(id, 'finances');
    await signal(id, 'ace_physical_abuse');
    const batch = await readAll();
    expect(batch.signals.filter((s) => s.family_id === id).map((s) => s.code)).toEqual(['finances']);
    const columns = new Set(Object.values(batch).flatMap((rows) => rows.flatMap((row: object) => Object.keys(row))));
    for (const personal of ['given_name', 'family_name', 'bsn', 'postcode', 'street', 'address', 'note', 'reason']) {
      expect(columns.has(personal)).toBe(false);
    }
  });

  it('writes each batch it reads to the audit trail, with the number of families and no one named', async () => {
    const before = await t.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'figures.refresh')
      .executeTakeFirstOrThrow();
    const batch = await readAll();
    const events = await t.db
      .selectFrom('audit_events')
      .select(['actor_role', 'family_id', 'details', 'outcome'])
      .where('action', '=', 'figures.refresh')
      .orderBy('occurred_at', 'desc')
      .execute();
    expect(events).toHaveLength(Number(before.n) + 1);
    expect(events[0]).toMatchObject({
      actor_role: 'system',
      family_id: null,
      outcome: 'success',
      details: { families: batch.families.length },
    });
    // Past the last family: nothing read, nothing audited.
    expect(await readFigureFamilies(t.db, 'ffffffff-ffff-ffff-ffff-ffffffffffff', 1000)).toBeNull();
  });
});
