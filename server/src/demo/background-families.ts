import type { Kysely } from 'kysely';
import type { DB, OrganisationType } from '../database/schema.ts';
import { addDays, PREGNANCY_DAYS, toDays, todayIso } from '../families/trajectory.ts';
import { signalCodes } from '../signals/signal-codes.ts';
import {
  emptyRows,
  type FamilyRows,
  generateFamily,
  insertFamilyRows,
  type Random,
  type RegionParts,
  seededRandom,
  seededUuid,
} from './family-generator.ts';
import { addReferral } from './generate-referrals.ts';

/**
 * Synthetic background families for the figures. Forty demo families would be suppressed almost
 * everywhere on the municipality's dashboard, so demo mode adds a few thousand generated ones to
 * the demo region. They belong to no demo account (their professionals are inactive accounts named
 * as synthetic), carry no open tasks, and exist only to be counted.
 */

const DISCIPLINE: Partial<Record<OrganisationType, string>> = {
  verloskundigenpraktijk: 'verloskundige',
  kraamzorg: 'kraamverzorgende',
  ziekenhuis: 'gynaecoloog',
  jgz: 'jeugdverpleegkundige',
  wijkteam: 'wijkteammedewerker',
  ggz: 'ggz_behandelaar',
  gecertificeerde_instelling: 'gezinsvoogd',
};

/** Who offers what to families with stress, for the background referrals. */
const REFERRAL_CHOICES: { intervention: string; type: OrganisationType; category: 'social' | 'psychosocial' }[] = [
  { intervention: 'debt_support', type: 'wijkteam', category: 'social' },
  { intervention: 'housing_support', type: 'wijkteam', category: 'social' },
  { intervention: 'home_start', type: 'wijkteam', category: 'social' },
  { intervention: 'stevig_ouderschap', type: 'jgz', category: 'psychosocial' },
  { intervention: 'video_interaction_guidance', type: 'wijkteam', category: 'psychosocial' },
  { intervention: 'perinatal_mental_health', type: 'ggz', category: 'psychosocial' },
  { intervention: 'parent_infant_psychotherapy', type: 'ggz', category: 'psychosocial' },
];
// Only referrals that ended: open ones would fill the demo organisations' inboxes.
const REFERRAL_STATUSES = ['declined', 'completed', 'completed', 'completed', 'cancelled'] as const;

/** Add `count` background families to the region already in the database (the demo region). */
export async function seedBackgroundFamilies(
  db: Kysely<DB>,
  count: number,
  options: { seed?: number; today?: string } = {},
): Promise<number> {
  if (count <= 0) return 0;
  const random = seededRandom(options.seed ?? 7007);
  const today = options.today ?? todayIso();
  const neighbourhoods = await db
    .selectFrom('postcode_areas')
    .select(['postcode4', 'neighbourhood_id as id'])
    .execute();
  const organisations = await db
    .selectFrom('organisations')
    .select(['id', 'type'])
    .where('active', '=', true)
    .orderBy('name')
    .execute();
  const parts: RegionParts = { neighbourhoods, organisations: {} };
  const accounts = organisations
    .filter((o) => DISCIPLINE[o.type])
    .map((o, i) => ({
      id: seededUuid(random),
      email: `achtergrond-${i + 1}@synthetisch.kring`,
      display_name: 'Synthetische achtergrondgezinnen',
      kind: 'professional' as const,
      organisation_id: o.id,
      discipline: DISCIPLINE[o.type] as string,
      password_hash: null,
      active: false,
      type: o.type,
    }));
  for (const account of accounts) {
    const list = parts.organisations[account.type] ?? [];
    list.push({ id: account.organisation_id, professionals: [account.id] });
    parts.organisations[account.type] = list;
  }
  await db
    .insertInto('accounts')
    .values(accounts.map(({ type: _type, ...account }) => account))
    .execute();
  const BATCH = 500;
  // A kraamzorg organisation has a handful of handovers waiting, not one per family due soon.
  let pendingLeft = 4;
  for (let done = 0; done < count; done += BATCH) {
    const rows = emptyRows();
    for (let i = 0; i < Math.min(BATCH, count - done); i++) {
      const familyId = generateFamily(random, parts, rows, { today });
      addChainHistory(random, parts, rows, familyId, today);
    }
    rows.handovers = rows.handovers.filter((h) => (h.status ?? 'pending') !== 'pending' || pendingLeft-- > 0);
    // Counted, never worked on: no tasks, no reviews asking anyone.
    rows.tasks = [];
    for (const signal of rows.signals) signal.review_on = null;
    await insertFamilyRows(db, rows);
  }
  return count;
}

/**
 * What the generator leaves out but the chain's figures count: the parents' consent to figures,
 * the midwife → kraamzorg → JGZ chain around birth with its warm handovers and contacts, and
 * referrals for families with stress that went every way a referral goes.
 */
export function addChainHistory(
  random: Random,
  parts: RegionParts,
  rows: FamilyRows,
  familyId: string,
  today: string = todayIso(),
): void {
  const between = (a: number, b: number) => a + Math.floor(random() * (b - a + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const organisationOf = (type: OrganisationType) => {
    const list = parts.organisations[type];
    return list?.length ? pick(list) : undefined;
  };
  const persons = rows.persons.filter((p) => p.family_id === familyId);
  const adults = persons.filter((p) => p.role !== 'child' && p.role !== 'sibling');
  // Most parents agree that their family counts in the municipality's figures.
  if (random() < 0.85) {
    for (const adult of adults) {
      rows.consents.push({
        id: seededUuid(random),
        family_id: familyId,
        person_id: adult.id as string,
        purpose: 'municipal_figures',
        given_how: random() < 0.7 ? 'verbal' : 'written',
        recorded_by_account_id: rows.teamProfessionals.find((p) => p.family_id === familyId)?.account_id as string,
      });
    }
  }
  const trajectory = rows.trajectories.find((t) => t.family_id === familyId && t.kind === 'child' && t.birth_date);
  const birth = trajectory?.birth_date as string | undefined;
  const team = rows.teamOrganisations.filter((m) => m.family_id === familyId);
  const midwife = organisationOf('verloskundigenpraktijk');
  const kraamzorg = organisationOf('kraamzorg');
  if (birth && trajectory?.due_date && midwife && kraamzorg) {
    const lmp = addDays(trajectory.due_date as string, -PREGNANCY_DAYS);
    const member = (org: { id: string; professionals: string[] }, since: string, until: string | null) => {
      const existing = team.find((m) => m.organisation_id === org.id);
      if (existing) return existing.organisation_id;
      rows.teamOrganisations.push({
        id: seededUuid(random),
        family_id: familyId,
        organisation_id: org.id,
        started_on: since,
        ended_on: until && until < today ? until : null,
      });
      return org.id;
    };
    const contact = (
      org: { id: string; professionals: string[] },
      on: string,
      kind: 'prenatal_check' | 'kraam_visit',
    ) => {
      if (on > today) return;
      rows.contacts.push({
        id: seededUuid(random),
        family_id: familyId,
        trajectory_id: null,
        organisation_id: org.id,
        account_id: org.professionals[0] as string,
        occurred_on: on,
        kind,
        present_person_ids: [],
        note: null,
        category: 'medical',
      });
    };
    const hadMidwife = team.some((m) =>
      parts.organisations.verloskundigenpraktijk?.some((o) => o.id === m.organisation_id),
    );
    const midwifeId = member(midwife, addDays(lmp, between(35, 100)), addDays(birth, 10));
    if (!hadMidwife) {
      contact(midwife, addDays(lmp, between(42, 120)), 'prenatal_check');
      contact(midwife, addDays(birth, -between(1, 14)), 'prenatal_check');
    }
    const kraamId = member(kraamzorg, birth, addDays(birth, 10));
    contact(kraamzorg, addDays(birth, between(0, 2)), 'kraam_visit');
    contact(kraamzorg, addDays(birth, between(5, 8)), 'kraam_visit');
    const handover = (from: string, to: string, on: string) => {
      if (on > today) return;
      rows.handovers.push({
        id: seededUuid(random),
        family_id: familyId,
        from_organisation_id: from,
        to_organisation_id: to,
        summary: 'Warme overdracht (synthetisch).',
        status: 'accepted',
        created_by_account_id: rows.teamProfessionals.find((p) => p.family_id === familyId)?.account_id as string,
        created_at: new Date(`${on}T09:00:00Z`),
        decided_at: new Date(`${on}T15:00:00Z`),
      });
    };
    if (random() < 0.9) handover(midwifeId, kraamId, addDays(birth, -between(7, 30)));
    const jgz = team.find((m) => parts.organisations.jgz?.some((o) => o.id === m.organisation_id));
    if (jgz && random() < 0.85) handover(kraamId, jgz.organisation_id, addDays(birth, 8));
  }
  // Judgements and answers happened some time in the family's months with the chain, not today.
  const knownSince = Math.min(
    ...rows.teamOrganisations.filter((m) => m.family_id === familyId).map((m) => toDays(m.started_on as string)),
  );
  const sometime = () => {
    const day = between(Math.min(knownSince, toDays(today)), toDays(today));
    return new Date(day * 86_400_000 + 10 * 3_600_000);
  };
  for (const judgement of rows.judgements.filter((j) => j.family_id === familyId)) {
    judgement.created_at = sometime();
    if (judgement.status === 'agreed') {
      judgement.reviewed_at = new Date(Math.min(Date.now(), (judgement.created_at as Date).getTime() + 3 * 86_400_000));
    }
  }
  const answeredAt = sometime();
  for (const answer of rows.guideAnswers.filter((a) => a.family_id === familyId)) answer.answered_at = answeredAt;

  // Families with stress: now and then referred, with every outcome.
  const stress = rows.signals.filter((s) => s.family_id === familyId && signalCodes().kindOf.get(s.code) === 'stress');
  const regie = rows.teamProfessionals.find((p) => p.family_id === familyId && p.is_regiehouder);
  const family = rows.families.find((f) => f.id === familyId);
  if (stress.length && regie && family?.status === 'open' && random() < 0.6) {
    const age = Math.max(1, toDays(today) - knownSince);
    const choice = pick(REFERRAL_CHOICES);
    const to = organisationOf(choice.type);
    if (to) {
      const status = pick(REFERRAL_STATUSES);
      addReferral(
        random,
        rows,
        familyId,
        {
          interventionKey: choice.intervention,
          to,
          status,
          sentDaysAgo: between(1, Math.min(age, 700)),
          category: choice.category,
          reason: 'Synthetische verwijzing voor de cijfers.',
        },
        today,
      );
      // Waiting times vary: from a week to a few months between sent and started.
      const referral = rows.referrals.at(-1);
      if (referral?.sent_at && referral.started_at) {
        const sent = new Date(referral.sent_at as Date).getTime();
        const started = Math.min(Date.parse(`${today}T12:00:00Z`), sent + between(5, 90) * 86_400_000);
        referral.accepted_at = new Date(sent + 2 * 86_400_000);
        referral.started_at = new Date(started);
        if (referral.closed_at)
          referral.closed_at = new Date(Math.min(Date.parse(`${today}T12:00:00Z`), started + 60 * 86_400_000));
      }
    }
  }
}
