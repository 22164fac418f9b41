import { randomUUID } from 'node:crypto';
import { textArray } from '../database/schema.ts';
import { addDays, todayIso } from '../families/trajectory.ts';
import { meldcode } from '../meldcode/meldcode.ts';
import { type FamilyRows, type Random, type RegionParts, seededUuid } from './family-generator.ts';

/**
 * The demo's safety content, for a JGZ family with a baby: a Meldcode route completed in five
 * signed steps and ending in "offer help" (hidden from the parents, as an open route would be),
 * an anonymous consultation of Veilig Thuis that step 2 refers to, and a consultation with the
 * record of the perinatal GGZ, kept with the family.
 */
export function addDemoSafety(random: Random, rows: FamilyRows, region: RegionParts, familyId: string): void {
  const veiligThuis = region.organisations.veilig_thuis?.[0];
  const ggz = region.organisations.ggz?.[0];
  const regie = rows.teamProfessionals.find((p) => p.family_id === familyId && p.is_regiehouder);
  const signal = rows.signals.find((s) => s.family_id === familyId);
  if (!veiligThuis || !ggz || !regie || !signal)
    throw new Error('the demo safety content needs VT, GGZ, a regiehouder and a signal');
  const today = todayIso();
  const on = (days: number) => addDays(today, -days);
  const at = (days: number) => new Date(`${on(days)}T11:00:00Z`);

  const anonymous = seededUuid(random);
  rows.consultations.push({
    id: anonymous,
    family_id: null,
    asked_by_account_id: regie.account_id,
    asked_by_organisation_id: regie.organisation_id,
    consulted_organisation_id: veiligThuis.id,
    question:
      'Een moeder vertelt dat haar partner soms dingen kapotgooit als hij boos is; de baby is erbij. Hoe pak ik het gesprek aan?',
    shared_categories: textArray([]),
    answer: 'Bespreek wat je zag met moeder alleen, maak samen een veiligheidsplan en bel ons gerust opnieuw.',
    answered_by_account_id: veiligThuis.professionals[0] ?? null,
    answered_at: at(26),
    status: 'answered',
    created_at: at(27),
  });
  rows.consultations.push({
    id: seededUuid(random),
    family_id: familyId,
    asked_by_account_id: regie.account_id,
    asked_by_organisation_id: regie.organisation_id,
    consulted_organisation_id: ggz.id,
    question: 'Moeder slaapt slecht en piekert veel sinds de bevalling. Is een intake bij jullie zinvol?',
    shared_categories: textArray(['psychosocial']),
    status: 'open',
    created_at: at(2),
  });
  // Asked with the record: both parents consented, in words, to sharing the psychosocial picture
  // with the GGZ (ids not drawn from the seeded sequence, so every other demo family stays as it was).
  for (const parent of rows.persons.filter(
    (p) => p.family_id === familyId && (p.role === 'pregnant_person' || p.role === 'partner'),
  )) {
    rows.consents.push({
      id: randomUUID(),
      family_id: familyId,
      person_id: parent.id as string,
      purpose: 'share',
      organisation_id: ggz.id,
      category: 'psychosocial',
      given_how: 'verbal',
      recorded_by_account_id: regie.account_id,
      recorded_at: at(2),
    });
  }

  const routeId = seededUuid(random);
  rows.meldcodeRoutes.push({
    id: routeId,
    family_id: familyId,
    organisation_id: regie.organisation_id,
    started_by_account_id: regie.account_id,
    started_reason: 'Moeder vertelt over woede-uitbarstingen van haar partner waar de baby bij is.',
    meldcode_version: meldcode().version,
    status: 'closed',
    outcome: 'help',
    version: 6,
    created_at: at(28),
    closed_at: at(20),
  });
  const steps: [number, number, Record<string, unknown>][] = [
    [1, 28, { signalIds: [signal.id], note: 'Moeder schrikt als de deur dichtslaat; vertelt over kapotte spullen.' }],
    [
      2,
      27,
      {
        colleague: 'Aandachtsfunctionaris JGZ Duinstad',
        advice: 'In gesprek gaan met moeder alleen; Veilig Thuis anoniem raadplegen.',
        veiligThuisConsulted: true,
        consultationIds: [anonymous],
      },
    ],
    [
      3,
      24,
      {
        held: true,
        withWhom: 'Moeder, later samen met vader',
        note: 'Vader herkent het en wil hulp bij zijn boosheid.',
      },
    ],
    [
      4,
      22,
      {
        answers: { suspicion: true, unsafety: false, help_possible: true, help_accepted: true, help_works: true },
        path: ['suspicion', 'unsafety', 'help_possible', 'help_accepted', 'help_works'],
        outcome: 'help',
        note: 'Geen acute onveiligheid; beide ouders nemen hulp aan.',
      },
    ],
    [
      5,
      20,
      {
        decision: 'help',
        reason: 'Vader start bij het wijkteam met agressieregulatie; JGZ volgt het gezin.',
        followUpOn: addDays(today, 10),
      },
    ],
  ];
  for (const [step, daysAgo, content] of steps) {
    rows.meldcodeSteps.push({
      route_id: routeId,
      step,
      family_id: familyId,
      content: JSON.stringify(content),
      happened_on: on(daysAgo),
      signed_by_account_id: regie.account_id,
      organisation_id: regie.organisation_id,
      signed_at: at(daysAgo),
    });
  }
  rows.tasks.push({
    id: seededUuid(random),
    family_id: familyId,
    assignee_account_id: regie.account_id,
    kind: 'meldcode_follow_up',
    source_id: routeId,
    due_on: addDays(today, 10),
  });

  // The parents asked to correct a signal; its organisation decided, on a ground the law allows.
  const mother = rows.persons.find((p) => p.family_id === familyId && p.role === 'pregnant_person');
  rows.dataRequests.push({
    id: seededUuid(random),
    family_id: familyId,
    kind: 'correction',
    record_type: 'signal',
    record_id: signal.id,
    requested_by_person_id: mother?.id ?? null,
    request_text: 'Zo zien wij het niet: het was een zware week, geen blijvend probleem.',
    owner_organisation_id: signal.organisation_id,
    recorded_by_account_id: regie.account_id,
    created_at: at(9),
    answer_due_on: addDays(on(9), 30),
    status: 'refused',
    decision_ground: 'professional_judgement',
    decision_reason:
      'Dit is onze professionele inschatting; we hebben de visie van de ouders erbij gezet en bespreken het bij het volgende bezoek.',
    decided_by_account_id: signal.account_id,
    decided_at: at(6),
    version: 2,
  });
}
