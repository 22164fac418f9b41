import { type ConsentCategory, type ReferralStatus, textArray } from '../database/schema.ts';
import { addDays, todayIso } from '../families/trajectory.ts';
import { type FamilyRows, type Random, type RegionParts, seededUuid } from './family-generator.ts';

/** The steps a referral went through to reach a status (the events written for it). */
const PATH: Record<ReferralStatus, ReferralStatus[]> = {
  draft: ['draft'],
  sent: ['sent'],
  received: ['sent', 'received'],
  accepted: ['sent', 'received', 'accepted'],
  declined: ['sent', 'received', 'declined'],
  started: ['sent', 'received', 'accepted', 'started'],
  completed: ['sent', 'received', 'accepted', 'started', 'completed'],
  cancelled: ['sent', 'cancelled'],
};

export interface ReferralSpec {
  /** The goal of the family's plan it serves. */
  goalId?: string;
  interventionKey: string;
  /** The receiving organisation. */
  to: { id: string; professionals: string[] };
  status: ReferralStatus;
  /** Days ago it was sent (the later steps follow at intervals). */
  sentDaysAgo: number;
  category: ConsentCategory;
  reason: string;
}

const STEP_DAYS = 4;

/**
 * A referral by the family's regiehouder, as far as `spec.status`, with everything around it: the
 * parents' consent for the receiver in the category that goes along, its history, the receiver's
 * task while unanswered, and team membership once accepted. For the demo and the synthetic region.
 */
export function addReferral(
  random: Random,
  rows: FamilyRows,
  familyId: string,
  spec: ReferralSpec,
  today: string = todayIso(),
): string {
  const regie = rows.teamProfessionals.find((p) => p.family_id === familyId && p.is_regiehouder);
  if (!regie) throw new Error('a referral needs the family’s regiehouder');
  const adults = rows.persons.filter(
    (p) => p.family_id === familyId && (p.role === 'pregnant_person' || p.role === 'partner'),
  );
  const id = seededUuid(random);
  const steps = PATH[spec.status];
  const sentOn = addDays(today, -spec.sentDaysAgo);
  const at = (step: number) => new Date(`${addDays(sentOn, Math.min(step * STEP_DAYS, spec.sentDaysAgo))}T10:00:00Z`);
  const stepAt = (status: ReferralStatus) => {
    const index = steps.indexOf(status);
    return index < 0 ? null : at(index);
  };
  const receiver = spec.to.professionals[0] as string;
  const closed = spec.status === 'declined' || spec.status === 'completed' || spec.status === 'cancelled';
  rows.referrals.push({
    id,
    family_id: familyId,
    from_organisation_id: regie.organisation_id,
    from_account_id: regie.account_id,
    to_organisation_id: spec.to.id,
    intervention_key: spec.interventionKey,
    reason: spec.reason,
    urgency: spec.status === 'sent' ? 'soon' : 'routine',
    shared_categories: textArray([spec.category]),
    status: spec.status,
    expected_start_on: stepAt('accepted') ? addDays(sentOn, 21) : null,
    help_received: spec.status === 'completed' ? true : closed ? false : null,
    outcome_reason: spec.status === 'declined' ? 'no_capacity' : spec.status === 'cancelled' ? 'family_declined' : null,
    outcome_note:
      spec.status === 'completed'
        ? 'Afgerond; de ouders merken dat het rustiger is.'
        : spec.status === 'cancelled'
          ? 'De ouders willen eerst zelf verder.'
          : null,
    alternative:
      spec.status === 'declined' ? 'Voorlopig steun van de JGZ-verpleegkundige; opnieuw vragen over zes weken.' : null,
    idempotency_key: seededUuid(random),
    sent_at: stepAt('sent'),
    received_at: stepAt('received'),
    accepted_at: stepAt('accepted'),
    started_at: stepAt('started'),
    closed_at: closed ? at(steps.length - 1) : null,
    version: steps.length,
    created_at: at(0),
    goal_id: spec.goalId ?? null,
  });
  steps.forEach((status, i) => {
    const bySender = status === 'draft' || status === 'sent' || status === 'cancelled';
    rows.referralEvents.push({
      referral_id: id,
      version: i + 1,
      family_id: familyId,
      status,
      note: i === 0 ? spec.reason : null,
      account_id: bySender ? regie.account_id : receiver,
      organisation_id: bySender ? regie.organisation_id : spec.to.id,
      at: at(i),
    });
  });
  if (spec.status !== 'draft') {
    for (const adult of adults) {
      const given = rows.consents.some(
        (c) =>
          c.family_id === familyId &&
          c.person_id === adult.id &&
          c.organisation_id === spec.to.id &&
          c.category === spec.category,
      );
      if (!given) {
        rows.consents.push({
          id: seededUuid(random),
          family_id: familyId,
          person_id: adult.id as string,
          purpose: 'share',
          organisation_id: spec.to.id,
          category: spec.category,
          given_how: 'verbal',
          recorded_by_account_id: regie.account_id,
        });
      }
    }
  }
  if (spec.status === 'sent' || spec.status === 'received') {
    rows.tasks.push({
      id: seededUuid(random),
      family_id: familyId,
      assignee_organisation_id: spec.to.id,
      kind: 'referral_to_answer',
      source_id: id,
    });
  }
  const inTeam = rows.teamOrganisations.some((m) => m.family_id === familyId && m.organisation_id === spec.to.id);
  if (stepAt('accepted') && !inTeam) {
    rows.teamOrganisations.push({
      id: seededUuid(random),
      family_id: familyId,
      organisation_id: spec.to.id,
      started_on: addDays(sentOn, STEP_DAYS * 2),
    });
    rows.teamProfessionals.push({
      id: seededUuid(random),
      family_id: familyId,
      organisation_id: spec.to.id,
      account_id: receiver,
      is_regiehouder: false,
      reason: 'referral',
    });
  }
  return id;
}

/** Goals in the parents' words, with what is done for them, per intervention a demo referral asks for. */
const GOALS: Record<string, { goal: string; actions: { action: string; byParent: boolean; done: boolean }[] }> = {
  debt_support: {
    goal: 'We willen weer overzicht over ons geld, zodat we niet meer wakker liggen van de rekeningen.',
    actions: [
      { action: 'Alle brieven en rekeningen in één map verzamelen', byParent: true, done: true },
      { action: 'Aanmelden bij het wijkteam voor schuldhulp', byParent: false, done: true },
    ],
  },
  housing_support: {
    goal: 'Een eigen plek waar de baby rustig kan slapen.',
    actions: [{ action: 'Urgentie aanvragen bij de gemeente, samen met het wijkteam', byParent: true, done: false }],
  },
  video_interaction_guidance: {
    goal: 'Ik wil beter begrijpen wat mijn baby me vertelt als hij huilt.',
    actions: [{ action: 'Huilmomenten een week bijhouden in een dagboekje', byParent: true, done: false }],
  },
  home_start: {
    goal: 'Iemand in de buurt hebben bij wie ik terecht kan.',
    actions: [
      { action: 'Kennismaken met de Home-Start-vrijwilliger', byParent: true, done: false },
      { action: 'Informatie geven over de ouder-en-kindgroep in de wijk', byParent: false, done: true },
    ],
  },
  parent_infant_psychotherapy: {
    goal: 'Ik wil dat mijn dochter het anders krijgt dan ik het had.',
    actions: [{ action: 'Eerste gesprekken bij de perinatale GGZ', byParent: true, done: true }],
  },
  perinatal_mental_health: {
    goal: 'Weer plezier hebben in de dag, samen met de baby.',
    actions: [{ action: 'Wekelijkse afspraak bij de behandelaar', byParent: true, done: true }],
  },
};

/**
 * The demo's referrals: one in every state, from the JGZ regiehouder of families with a baby —
 * one of them late (sent well beyond the answer time, still without an answer).
 */
export function addDemoReferrals(random: Random, rows: FamilyRows, region: RegionParts, skip: string[]): string[] {
  const wijkteam = region.organisations.wijkteam?.[0];
  const ggz = region.organisations.ggz?.[0];
  const jgz = region.organisations.jgz?.[0];
  if (!wijkteam || !ggz || !jgz) throw new Error('the demo referrals need a wijkteam, GGZ and JGZ');
  const candidates = rows.families
    .filter((f) => f.status === 'open' && !skip.includes(f.id as string))
    .map((f) => f.id as string)
    .filter((familyId) =>
      rows.teamProfessionals.some((p) => p.family_id === familyId && p.is_regiehouder && p.organisation_id === jgz.id),
    );
  const plan: Omit<ReferralSpec, 'category'>[] = [
    {
      interventionKey: 'debt_support',
      to: wijkteam,
      status: 'sent',
      sentDaysAgo: 16,
      reason: 'Moeder vertelt over oplopende schulden sinds haar ziekteverlof; ze wil hulp bij het overzicht.',
    },
    {
      interventionKey: 'housing_support',
      to: wijkteam,
      status: 'sent',
      sentDaysAgo: 1,
      reason: 'Het gezin woont met de baby in één kamer bij familie en zoekt dringend woonruimte.',
    },
    {
      interventionKey: 'video_interaction_guidance',
      to: wijkteam,
      status: 'received',
      sentDaysAgo: 3,
      reason: 'Baby huilt veel en is moeilijk te troosten; moeder twijfelt aan zichzelf.',
    },
    {
      interventionKey: 'home_start',
      to: wijkteam,
      status: 'accepted',
      sentDaysAgo: 12,
      reason: 'Alleenstaande moeder, nieuw in de stad, mist mensen om op terug te vallen.',
    },
    {
      interventionKey: 'parent_infant_psychotherapy',
      to: ggz,
      status: 'started',
      sentDaysAgo: 40,
      reason: 'Moeder herkent in de omgang met haar dochter haar eigen moeilijke jeugd en wil dat doorbreken.',
    },
    {
      interventionKey: 'perinatal_mental_health',
      to: ggz,
      status: 'completed',
      sentDaysAgo: 90,
      reason: 'Sombere gevoelens sinds de bevalling, PHQ-9 afgenomen; moeder wil behandeling.',
    },
    {
      interventionKey: 'housing_support',
      to: wijkteam,
      status: 'declined',
      sentDaysAgo: 30,
      reason: 'Schimmel in de woning; de baby hoest veel.',
    },
    {
      interventionKey: 'debt_support',
      to: wijkteam,
      status: 'cancelled',
      sentDaysAgo: 25,
      reason: 'Betalingsachterstand bij de energieleverancier.',
    },
    {
      interventionKey: 'video_interaction_guidance',
      to: wijkteam,
      status: 'draft',
      sentDaysAgo: 0,
      reason: 'Vader vraagt hoe hij beter kan aansluiten bij zijn zoon.',
    },
  ];
  plan.forEach((spec, i) => {
    const familyId = candidates[i];
    if (!familyId) return;
    const category =
      spec.to === ggz ? 'psychosocial' : spec.interventionKey.endsWith('_support') ? 'social' : 'psychosocial';
    const goal = GOALS[spec.interventionKey];
    // The first six families also have a plan, the referral under its goal; the first is due for evaluation.
    const goalId =
      goal && i < 6
        ? addGoal(random, rows, familyId, { ...goal, evaluateInDays: i === 0 ? -2 : 14 + i * 7 })
        : undefined;
    addReferral(random, rows, familyId, { ...spec, category, goalId });
  });
  // The JGZ families left without a demo referral, for other demo content.
  return candidates.slice(plan.length);
}

/**
 * A goal in the family's plan, kept by its regiehouder and carried by the mother, with actions for
 * the parents and the regiehouder; returns its id. For the demo.
 */
export function addGoal(
  random: Random,
  rows: FamilyRows,
  familyId: string,
  goal: { goal: string; evaluateInDays: number; actions: { action: string; byParent: boolean; done: boolean }[] },
  today: string = todayIso(),
): string {
  const regie = rows.teamProfessionals.find((p) => p.family_id === familyId && p.is_regiehouder);
  const mother = rows.persons.find((p) => p.family_id === familyId && p.role === 'pregnant_person');
  if (!regie || !mother) throw new Error('a goal needs the family’s regiehouder and mother');
  const id = seededUuid(random);
  const created = new Date(`${addDays(today, -20)}T09:00:00Z`);
  rows.planGoals.push({
    id,
    family_id: familyId,
    goal: goal.goal,
    owner_account_id: null,
    owner_person_id: mother.id as string,
    evaluate_on: addDays(today, goal.evaluateInDays),
    status: 'open',
    category: 'psychosocial',
    organisation_id: regie.organisation_id,
    account_id: regie.account_id,
    created_at: created,
  });
  const change = (kind: 'goal_added' | 'action_added' | 'action_done') =>
    rows.planChanges.push({
      id: seededUuid(random),
      family_id: familyId,
      goal_id: id,
      change: kind,
      account_id: regie.account_id,
      organisation_id: regie.organisation_id,
      at: created,
    });
  change('goal_added');
  for (const action of goal.actions) {
    rows.planActions.push({
      id: seededUuid(random),
      goal_id: id,
      family_id: familyId,
      action: action.action,
      owner_account_id: action.byParent ? null : regie.account_id,
      owner_person_id: action.byParent ? (mother.id as string) : null,
      due_on: addDays(today, 14),
      status: action.done ? 'done' : 'open',
      account_id: regie.account_id,
      created_at: created,
    });
    change('action_added');
    if (action.done) change('action_done');
  }
  return id;
}
