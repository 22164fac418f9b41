import type { Insertable, Kysely } from 'kysely';
import type {
  CareTeamOrganisationsTable,
  CareTeamProfessionalsTable,
  ConsentsTable,
  ConsultationsTable,
  ContactsTable,
  DataRequestsTable,
  DB,
  FamiliesTable,
  GuideAnswersTable,
  GuideResponsesTable,
  HandoversTable,
  JudgementsTable,
  MeldcodeRoutesTable,
  MeldcodeStepsTable,
  OrganisationType,
  ParentalAuthoritiesTable,
  PersonsTable,
  PlanActionsTable,
  PlanChangesTable,
  PlanGoalsTable,
  ReferralEventsTable,
  ReferralsTable,
  SignalsTable,
  SignalVersionsTable,
  TasksTable,
  TrajectoriesTable,
} from '../database/schema.ts';
import { addDays, conceptionDate, toDays, todayIso } from '../families/trajectory.ts';
import { guides, scoreOf } from '../guides/guide-definitions.ts';
import { signalCodes } from '../signals/signal-codes.ts';

/**
 * Fictional families in every phase of the 1001 days, with teams, consent and contacts — for the
 * demo region (about 40, on the demo accounts) and the synthetic region (100k+, deterministic from a
 * seed). Proportions: most families ordinary; about 7% preterm and, with low birth weight, about
 * 14% together; twins about 1.5%; an occasional pregnancy that ended.
 */

export type Random = () => number;

/** mulberry32: a small seeded PRNG (the same seed gives the same families). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededUuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

export const MOTHER_NAMES = [
  'Anna',
  'Sanne',
  'Fatma',
  'Noor',
  'Lieke',
  'Emma',
  'Sara',
  'Yasmina',
  'Iris',
  'Mila',
  'Aylin',
  'Femke',
  'Priya',
  'Lotte',
  'Hanna',
  'Naima',
  'Julia',
  'Esra',
  'Maud',
  'Roos',
];
export const PARTNER_NAMES = [
  'Daan',
  'Sem',
  'Mohamed',
  'Lucas',
  'Bram',
  'Thijs',
  'Ahmet',
  'Ruben',
  'Jesse',
  'Milan',
  'Kees',
  'Omar',
  'Tim',
  'Sophie',
  'Eline',
];
const CHILD_NAMES = [
  'Noah',
  'Lina',
  'Finn',
  'Zoë',
  'Adam',
  'Tess',
  'Levi',
  'Nora',
  'Sami',
  'Evi',
  'Liam',
  'Yara',
  'Mees',
  'Fenna',
  'Ilias',
  'Saar',
];
/** The names above alternate boy, girl: a demo child's recorded sex follows its name. */
const sexOfChild = (name: string) => (CHILD_NAMES.indexOf(name) % 2 === 0 ? ('male' as const) : ('female' as const));

export const FAMILY_NAMES = [
  'de Jong',
  'Jansen',
  'de Vries',
  'van den Berg',
  'Bakker',
  'Visser',
  'Smit',
  'Meijer',
  'Yilmaz',
  'El Idrissi',
  'Mulder',
  'de Boer',
  'Bos',
  'Vos',
  'Peters',
  'Hendriks',
  'Dekker',
  'Kaya',
  'Brouwer',
  'de Wit',
  'Kramer',
  'Postma',
  'Öztürk',
  'Nguyen',
  'Pinas',
];
const STREETS = [
  'Duinweg',
  'Havenstraat',
  'Zeereep',
  'Helmgras',
  'Strandvliet',
  'Polderlaan',
  'Kerkpad',
  'Vissersdijk',
];

const JGZ_AGES = [14, 28, 56, 91, 122, 183, 228, 274, 335, 426, 548, 730];
const CONTACT_KIND_BY_TYPE: Partial<Record<OrganisationType, ContactsTable['kind']>> = {
  verloskundigenpraktijk: 'prenatal_check',
  kraamzorg: 'kraam_visit',
  jgz: 'consultatiebureau',
  wijkteam: 'home_visit',
  ggz: 'phone_video',
  ziekenhuis: 'prenatal_check',
};

/** What stage of the 1001 days a generated family is in. */
type Scenario = 'preconception' | 'pregnant' | 'kraam' | 'baby' | 'toddler' | 'ended';

const SCENARIOS: [Scenario, number][] = [
  ['preconception', 0.04],
  ['pregnant', 0.33],
  ['kraam', 0.03],
  ['baby', 0.3],
  ['toddler', 0.29],
  ['ended', 0.01],
];

export interface RegionParts {
  neighbourhoods: { id: string; postcode4: string }[];
  /** Per organisation type: its organisations, each with the professionals who take families. */
  organisations: Partial<Record<OrganisationType, { id: string; professionals: string[] }[]>>;
}

export interface FamilyRows {
  families: Insertable<FamiliesTable>[];
  persons: Insertable<PersonsTable>[];
  parentalAuthorities: Insertable<ParentalAuthoritiesTable>[];
  trajectories: Insertable<TrajectoriesTable>[];
  teamOrganisations: Insertable<CareTeamOrganisationsTable>[];
  teamProfessionals: Insertable<CareTeamProfessionalsTable>[];
  consents: Insertable<ConsentsTable>[];
  contacts: Insertable<ContactsTable>[];
  handovers: Insertable<HandoversTable>[];
  tasks: Insertable<TasksTable>[];
  signals: Insertable<SignalsTable>[];
  signalVersions: Insertable<SignalVersionsTable>[];
  guideResponses: Insertable<GuideResponsesTable>[];
  guideAnswers: Insertable<GuideAnswersTable>[];
  judgements: Insertable<JudgementsTable>[];
  planGoals: Insertable<PlanGoalsTable>[];
  planActions: Insertable<PlanActionsTable>[];
  planChanges: Insertable<PlanChangesTable>[];
  referrals: Insertable<ReferralsTable>[];
  referralEvents: Insertable<ReferralEventsTable>[];
  consultations: Insertable<ConsultationsTable>[];
  meldcodeRoutes: Insertable<MeldcodeRoutesTable>[];
  meldcodeSteps: Insertable<MeldcodeStepsTable>[];
  dataRequests: Insertable<DataRequestsTable>[];
}

export function emptyRows(): FamilyRows {
  return {
    families: [],
    persons: [],
    parentalAuthorities: [],
    trajectories: [],
    teamOrganisations: [],
    teamProfessionals: [],
    consents: [],
    contacts: [],
    handovers: [],
    tasks: [],
    signals: [],
    signalVersions: [],
    guideResponses: [],
    guideAnswers: [],
    judgements: [],
    planGoals: [],
    planActions: [],
    planChanges: [],
    referrals: [],
    referralEvents: [],
    consultations: [],
    meldcodeRoutes: [],
    meldcodeSteps: [],
    dataRequests: [],
  };
}

function pickScenario(random: Random): Scenario {
  let r = random();
  for (const [scenario, weight] of SCENARIOS) {
    if (r < weight) return scenario;
    r -= weight;
  }
  return 'toddler';
}

/** Add one generated family to rows; `scenario` forces a stage (the demo's fixed mix). */
/** What a midwife writes to kraamzorg when handing over (demo texts, our own words). */
const HANDOVER_SUMMARIES = [
  'Zwangerschap verloopt voorspoedig. Ouders kijken uit naar de kraamtijd; graag aandacht voor borstvoeding.',
  'Tweede kind; de eerste bevalling duurde lang. Moeder wil deze keer graag flesvoeding geven.',
  'Vader werkt in ploegendienst; moeder is de eerste dagen vaak alleen. Graag ondersteuning bij de nachten.',
  'Zwangerschapsdiabetes, met dieet goed geregeld. Bloedsuikers van de baby na de geboorte volgen.',
  'Ouders spreken vooral Arabisch; een tolk is geregeld via de praktijk. Folders graag in het Arabisch.',
  'Moeder had na de eerste bevalling somberheid; nu stabiel. Graag letten op stemming en slaap.',
  'Verhuisd tijdens de zwangerschap; nog weinig netwerk in de buurt. Graag wijzen op de wijk.',
];

export function generateFamily(
  random: Random,
  region: RegionParts,
  rows: FamilyRows,
  options: {
    today?: string;
    scenario?: Scenario;
    twins?: boolean;
    preterm?: boolean;
    pendingHandover?: boolean;
    /**
     * A legal situation that must fit: a minor mother with her own mother beside her; a child in
     * foster care; a child under a supervision order (OTS) with the family guardian in the team.
     */
    legal?: 'minor_mother' | 'foster_care' | 'ots';
    /**
     * The demo's chain-memory family (Eline Verhoeven): pregnant, JGZ already in the team for the
     * prenatal home visit, and the prenatal attachment conversation answered at the midwife.
     */
    prenatalGuideForJgz?: boolean;
    /**
     * A named family for a demo journey: its names, the organisations' first professionals in the
     * team (the demo accounts), and the stress factors it carries (concerning the mother).
     */
    showcase?: { givenName: string; familyName: string; stress: string[] };
  } = {},
): string {
  const today = options.today ?? todayIso();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const between = (a: number, b: number) => a + Math.floor(random() * (b - a + 1));
  const organisationOf = (type: OrganisationType) => {
    const orgs = region.organisations[type];
    return orgs?.length ? pick(orgs) : undefined;
  };
  const scenario = options.scenario ?? pickScenario(random);
  const familyId = seededUuid(random);
  const firstPerson = rows.persons.length;
  const special = options.prenatalGuideForJgz === true;
  const showcase = options.showcase;
  const familyName = special ? 'Verhoeven' : (showcase?.familyName ?? pick(FAMILY_NAMES));
  const hood = pick(region.neighbourhoods);
  const midwife = organisationOf('verloskundigenpraktijk');
  if (!midwife) throw new Error('the region needs a midwifery practice');

  // Same draws in the same order as before (the demo stays the same); an interpreter only where the
  // family's language is not Dutch.
  const street = pick(STREETS);
  const houseNumber = String(between(1, 180));
  const postcode = `${hood.postcode4}${String.fromCharCode(65 + between(0, 25))}${String.fromCharCode(65 + between(0, 25))}`;
  const language = random() < 0.85 ? 'nl' : pick(['ar', 'tr', 'en', 'pl', 'ti']);
  const interpreterNeeded = random() < 0.4 && language !== 'nl' && language !== 'en';
  rows.families.push({
    id: familyId,
    street,
    house_number: houseNumber,
    postcode,
    city: 'Duinstad',
    neighbourhood_id: hood.id,
    language,
    interpreter_needed: interpreterNeeded,
    status: scenario === 'ended' ? 'closed' : 'open',
    registered_by_organisation_id: midwife.id,
  });
  const motherId = seededUuid(random);
  const minorMother = options.legal === 'minor_mother';
  const motherBirth = addDays(
    today,
    minorMother ? -between(15 * 365 + 30, 15 * 365 + 300) : -between(19 * 365, 42 * 365),
  );
  rows.persons.push({
    id: motherId,
    family_id: familyId,
    role: 'pregnant_person',
    given_name: special ? 'Eline' : (showcase?.givenName ?? pick(MOTHER_NAMES)),
    family_name: familyName,
    birth_date: motherBirth,
    // Under 16 a mother cannot hold parental authority; her own mother consents with her.
    parental_authority: !minorMother,
    child_status: null,
  });
  const adults = [motherId];
  const addAdult = (role: 'parent_of_minor' | 'foster_parent', parentalAuthority: boolean, name: string) => {
    const id = seededUuid(random);
    adults.push(id);
    rows.persons.push({
      id,
      family_id: familyId,
      role,
      given_name: name,
      family_name: role === 'parent_of_minor' ? familyName : pick(FAMILY_NAMES),
      birth_date: addDays(today, -between(35 * 365, 60 * 365)),
      parental_authority: parentalAuthority,
      child_status: null,
    });
  };
  if (minorMother) addAdult('parent_of_minor', true, pick(MOTHER_NAMES));
  if (options.legal === 'foster_care') {
    addAdult('foster_parent', false, pick(MOTHER_NAMES));
    addAdult('foster_parent', false, pick(PARTNER_NAMES));
  }
  if (!minorMother && random() < 0.85) {
    const partnerId = seededUuid(random);
    adults.push(partnerId);
    rows.persons.push({
      id: partnerId,
      family_id: familyId,
      role: 'partner',
      given_name: pick(PARTNER_NAMES),
      family_name: random() < 0.6 ? familyName : pick(FAMILY_NAMES),
      birth_date: addDays(motherBirth, between(-1500, 1500)),
      parental_authority: random() < 0.9,
      child_status: null,
    });
  }
  if (random() < 0.35) {
    const name = pick(CHILD_NAMES);
    rows.persons.push({
      id: seededUuid(random),
      family_id: familyId,
      role: 'sibling',
      given_name: name,
      family_name: familyName,
      birth_date: addDays(today, -between(800, 3000)),
      child_status: 'born',
      sex: sexOfChild(name),
    });
  }

  // The child's due date, so that the family is in its scenario today.
  const dueOffset = showcase
    ? -between(80, 120)
    : {
        preconception: 0,
        pregnant: between(10, 250),
        kraam: -between(1, 6),
        baby: -between(14, 360),
        toddler: -between(370, 720),
        ended: between(120, 230),
      }[scenario];
  const dueDate = addDays(today, dueOffset);
  const twins = options.twins ?? random() < 0.015;
  const born = scenario === 'kraam' || scenario === 'baby' || scenario === 'toddler';
  const preterm = born && (options.preterm ?? random() < 0.07);
  const lowWeight = born && !preterm && random() < 0.075;
  const birthDate = born ? addDays(dueDate, preterm ? -between(22, 70) : between(-14, 12)) : null;
  const trajectoryIds: string[] = [];

  if (scenario === 'preconception') {
    const id = seededUuid(random);
    trajectoryIds.push(id);
    rows.trajectories.push({ id, family_id: familyId, child_person_id: null, kind: 'preconception' });
  } else {
    for (let i = 0; i < (twins ? 2 : 1); i++) {
      const childId = seededUuid(random);
      const id = seededUuid(random);
      trajectoryIds.push(id);
      const name = born ? pick(CHILD_NAMES) : null;
      rows.persons.push({
        id: childId,
        family_id: familyId,
        role: 'child',
        given_name: name,
        ...(name ? { sex: sexOfChild(name) } : {}),
        family_name: familyName,
        birth_date: birthDate,
        child_status: born ? 'born' : scenario === 'ended' ? 'pregnancy_ended' : 'expected',
        ...(options.legal === 'ots' || options.legal === 'foster_care'
          ? {
              protection_measure: 'ots' as const,
              protection_measure_since: addDays(birthDate ?? today, between(30, 90)),
              protection_organisation_id: organisationOf('gecertificeerde_instelling')?.id ?? null,
            }
          : {}),
      });
      const endedOn = scenario === 'ended' ? addDays(conceptionDate(dueDate), between(50, 80)) : null;
      rows.trajectories.push({
        id,
        family_id: familyId,
        child_person_id: childId,
        kind: 'child',
        due_date: dueDate,
        birth_date: birthDate,
        birth_weight_grams: born
          ? (preterm ? between(1100, 2450) : lowWeight ? between(2100, 2490) : between(2600, 4400)) - (twins ? 400 : 0)
          : null,
        birth_place: born ? pick(['home', 'hospital', 'hospital', 'birth_centre']) : null,
        pregnancy_ended_on: endedOn,
        status: scenario === 'ended' ? 'closed' : 'open',
        closed_on: endedOn,
      });
    }
  }

  // Parental authority per child: the adults registered with it hold it over every child — but a
  // sibling with the partner's other family name is the partner's child from an earlier
  // relationship, over whom only the partner holds it.
  const members = rows.persons.slice(firstPerson);
  const holders = members.filter((p) => p.parental_authority).map((p) => p.id);
  const partner = members.find((p) => p.role === 'partner');
  for (const child of members.filter((p) => p.role === 'child' || p.role === 'sibling')) {
    const stepchild = child.role === 'sibling' && partner && partner.family_name !== familyName;
    if (stepchild) child.family_name = partner.family_name;
    for (const adultId of stepchild ? [partner.id] : holders) {
      rows.parentalAuthorities.push({ child_id: child.id, adult_id: adultId, family_id: familyId });
    }
  }

  // The team: midwife in pregnancy; kraamzorg around birth; JGZ after; sometimes wijkteam or GGZ.
  const team: {
    type: OrganisationType;
    org: { id: string; professionals: string[] };
    regie: boolean;
    since: string;
  }[] = [];
  const join = (type: OrganisationType, regie: boolean, since: string) => {
    const org = organisationOf(type);
    if (org && !team.some((member) => member.org.id === org.id)) team.push({ type, org, regie, since });
  };
  const registeredOn = addDays(dueDate, scenario === 'preconception' ? -between(20, 90) : -between(200, 250));
  const start = registeredOn < today ? registeredOn : today;
  if (scenario === 'preconception' || scenario === 'pregnant' || scenario === 'ended')
    join('verloskundigenpraktijk', true, start);
  if (scenario === 'kraam') {
    join('verloskundigenpraktijk', false, start);
    join('kraamzorg', true, birthDate ?? today);
  }
  if (scenario === 'baby' || scenario === 'toddler') join('jgz', true, addDays(birthDate ?? today, 10));
  if (scenario !== 'ended' && random() < 0.08) join('wijkteam', false, start);
  if (scenario !== 'ended' && random() < 0.04) join('ggz', false, start);
  if (scenario === 'pregnant' && random() < 0.1) join('ziekenhuis', false, start);
  if (special) join('jgz', false, addDays(today, -7));
  if (options.legal === 'ots' || options.legal === 'foster_care') {
    join('gecertificeerde_instelling', false, addDays(birthDate ?? today, between(30, 90)));
    join('wijkteam', false, start);
  }

  const familyProfessionals: Insertable<CareTeamProfessionalsTable>[] = [];
  for (const member of team) {
    rows.teamOrganisations.push({
      id: seededUuid(random),
      family_id: familyId,
      organisation_id: member.org.id,
      started_on: member.since,
    });
    const professional = special || showcase ? (member.org.professionals[0] as string) : pick(member.org.professionals);
    const assignment = {
      id: seededUuid(random),
      family_id: familyId,
      organisation_id: member.org.id,
      account_id: professional,
      is_regiehouder: member.regie,
    };
    familyProfessionals.push(assignment);
    rows.teamProfessionals.push(assignment);
    const categories = ['medical', 'psychosocial', 'social'] as const;
    for (const adult of adults) {
      for (const category of categories) {
        // Most parents consent to all three; some keep psychosocial information with fewer.
        if (category === 'psychosocial' && !special && random() < 0.12) continue;
        rows.consents.push({
          id: seededUuid(random),
          family_id: familyId,
          person_id: adult,
          purpose: 'share',
          organisation_id: member.org.id,
          category,
          given_how: random() < 0.7 ? 'verbal' : 'written',
          recorded_by_account_id: professional,
        });
      }
    }
    // Contacts by this organisation in its own period; JGZ follows its schedule, now and then late.
    const kind = CONTACT_KIND_BY_TYPE[member.type] ?? 'home_visit';
    const dates =
      member.type === 'jgz' && birthDate
        ? JGZ_AGES.map((age) => addDays(birthDate, age + between(-3, 5))).filter(
            (date) => random() < 0.93 && date <= today,
          )
        : Array.from({ length: between(1, 4) }, () => addDays(member.since, between(0, 60))).filter(
            (date) => date <= today,
          );
    dates.forEach((occurredOn, i) => {
      rows.contacts.push({
        id: seededUuid(random),
        family_id: familyId,
        trajectory_id: null,
        organisation_id: member.org.id,
        account_id: professional,
        occurred_on: occurredOn,
        kind: member.type === 'jgz' && i === 0 ? 'home_visit' : kind,
        present_person_ids: [motherId],
        interpreter_used: interpreterNeeded,
        note: null,
        category: member.type === 'wijkteam' ? 'social' : member.type === 'ggz' ? 'psychosocial' : 'medical',
      });
    });
  }

  // A warm handover on its way: midwife → kraamzorg near the due date.
  const kraam = organisationOf('kraamzorg');
  const regie = familyProfessionals.find((p) => p.is_regiehouder);
  if ((options.pendingHandover ?? (scenario === 'pregnant' && dueOffset < 30 && random() < 0.5)) && kraam && regie) {
    const id = seededUuid(random);
    rows.handovers.push({
      id,
      family_id: familyId,
      from_organisation_id: regie.organisation_id,
      to_organisation_id: kraam.id,
      // Each in its own words and on its own day in the last few (chosen by the id, so that the
      // random stream, and with it every other family of the demo, stays as it was).
      summary: HANDOVER_SUMMARIES[Number.parseInt(id.slice(0, 6), 16) % HANDOVER_SUMMARIES.length] as string,
      created_at: new Date(
        Date.parse(`${today}T00:00:00Z`) - (Number.parseInt(id.slice(6, 12), 16) % (4 * 24 * 60)) * 60_000,
      ),
      created_by_account_id: regie.account_id,
    });
    rows.tasks.push({
      id: seededUuid(random),
      family_id: familyId,
      assignee_organisation_id: kraam.id,
      kind: 'handover_to_accept',
      source_id: id,
    });
    for (const adult of adults) {
      rows.consents.push({
        id: seededUuid(random),
        family_id: familyId,
        person_id: adult,
        purpose: 'share',
        organisation_id: kraam.id,
        category: 'medical',
        given_how: 'verbal',
        recorded_by_account_id: regie.account_id,
      });
    }
  }

  // Signals: most families carry little; a few carry much. What protects is recorded too.
  if (regie && scenario !== 'ended') {
    const born = rows.persons.find((p) => p.family_id === familyId && p.role === 'child' && p.child_status === 'born');
    const partner = rows.persons.find((p) => p.family_id === familyId && p.role === 'partner');
    const signal = (code: string, concerns: string | null, note: string | null = null) =>
      addSignal(random, rows, {
        familyId,
        code,
        concerns,
        note,
        by: regie,
        since: addDays(start, between(0, Math.max(0, toDays(today) - toDays(start)))),
        today,
        // The families the demo's stories are told with keep their signals as they are.
        history: !showcase && !options.legal,
      });
    if (partner && random() < 0.7) signal('supportive_partner', partner.id as string);
    if (random() < 0.5) signal('supportive_network', null);
    if (random() < 0.3) signal('help_sought', motherId, 'Vroeg zelf om tips voor de eerste weken.');
    const r = random();
    const stressCount = options.legal ? 3 : r < 0.6 ? 0 : r < 0.85 ? 1 : r < 0.95 ? between(2, 3) : between(4, 5);
    const pool: [string, string | null][] = [
      ['finances', null],
      ['housing', null],
      ['isolation', motherId],
      ['parent_chronic_stress', motherId],
      ['parent_psychological', motherId],
      ['migration', null],
      ['care_avoidance', null],
      ...(born ? ([['child_temperament', born.id as string]] as [string, string][]) : []),
      ...(partner ? [] : ([['single_parent', motherId]] as [string, string][])),
    ];
    const chosen =
      options.legal === 'ots' || options.legal === 'foster_care'
        ? ([
            ['domestic_violence', null],
            ['parent_psychological', motherId],
            ['care_avoidance', null],
          ] as [string, string | null][])
        : showcase
          ? showcase.stress.map((code): [string, string | null] => [code, motherId])
          : options.legal === 'minor_mother'
            ? ([
                ['parent_chronic_stress', motherId],
                ['finances', null],
                ['supportive_network', null],
              ] as [string, string | null][])
            : pool.filter(() => random() < 0.5).slice(0, stressCount);
    for (const [code, concerns] of chosen) signal(code, concerns);
    // The care-intensity judgement: ordinary care for most; where stress piles up, a specific
    // intervention agreed at a colleague's second look — or still waiting for it.
    const colleague = familyProfessionals.find((p) => p.account_id !== regie.account_id);
    const stress = chosen.filter(([code]) => signalCodes().kindOf.get(code) === 'stress').length;
    if (stress >= 2 && (colleague || showcase)) {
      const id = seededUuid(random);
      const status = showcase || random() < 0.7 ? ('agreed' as const) : ('proposed' as const);
      if (status === 'proposed' && colleague) {
        rows.tasks.push({
          id: seededUuid(random),
          family_id: familyId,
          assignee_account_id: colleague.account_id,
          kind: 'second_look',
          source_id: id,
        });
      }
      rows.judgements.push({
        id,
        family_id: familyId,
        stress_level: 'toxic',
        intensity: 'specific',
        rationale: 'Meerdere stressfactoren tegelijk en weinig ruimte om bij te komen; de ouders vragen zelf om steun.',
        parents_view: 'We willen graag hulp, maar niet te veel mensen over de vloer.',
        parents_ask_for_help: true,
        status,
        organisation_id: regie.organisation_id,
        account_id: regie.account_id,
        reviewer_account_id: colleague?.account_id ?? null,
        // Agreed: the colleague took the second look (a new version of the judgement).
        ...(status === 'agreed' && colleague
          ? { reviewed_by_account_id: colleague.account_id, reviewed_at: new Date(), version: 2 }
          : {}),
      });
    } else if (random() < 0.4) {
      rows.judgements.push({
        id: seededUuid(random),
        family_id: familyId,
        stress_level: 'normal',
        intensity: 'ordinary',
        rationale: 'Gewone spanning rond de komst van een kind; het gezin vangt het zelf goed op.',
        parents_view: null,
        parents_ask_for_help: false,
        status: 'effective',
        organisation_id: regie.organisation_id,
        account_id: regie.account_id,
        reviewer_account_id: null,
      });
    }
    // Now and then a parent consents to recording her own history, and tells it.
    if (random() < 0.04 || options.legal === 'minor_mother') {
      rows.consents.push({
        id: seededUuid(random),
        family_id: familyId,
        person_id: motherId,
        purpose: 'own_history',
        given_how: 'verbal',
        recorded_by_account_id: regie.account_id,
      });
      signal('els_poverty', motherId, 'Vertelt dat thuis vroeger vaak geld tekort was.');
    }
    // Conversations: the prenatal one at the midwife, the postnatal one and a PHQ-2 at JGZ.
    const by = (type: OrganisationType) =>
      familyProfessionals.find((p) => team.find((m) => m.type === type)?.org.id === p.organisation_id);
    const midwifeTeam = by('verloskundigenpraktijk');
    if (midwifeTeam && (special || (scenario === 'pregnant' && random() < 0.3))) {
      addGuideResponse(random, rows, familyId, motherId, midwifeTeam, 'prenatal_attachment', {
        'prenatal.parent_you_want_to_be': pick(PARENT_ANSWERS),
        'prenatal.describe_your_baby': pick(BABY_ANSWERS),
        'prenatal.feeling_baby_move': pick(['pleasant', 'pleasant', 'mixed']),
        'prenatal.earlier_loss_or_trauma': random() < 0.15,
      });
    }
    const jgzTeam = by('jgz');
    if (jgzTeam && born && random() < 0.3) {
      addGuideResponse(random, rows, familyId, motherId, jgzTeam, 'postnatal_relationship', {
        'postnatal.crying': pick(['calm', 'calm', 'worried', 'overwhelmed']),
        'postnatal.sleeping': pick(['well', 'tired', 'tired', 'exhausted']),
        'postnatal.support': pick([
          'Mijn moeder komt twee keer per week.',
          'Vriendinnen uit de buurt.',
          'Eigenlijk niemand.',
        ]),
      });
    }
    if (jgzTeam && born && random() < 0.2) {
      addGuideResponse(random, rows, familyId, motherId, jgzTeam, 'phq2', {
        'phq.interest': pick(['0', '0', '1', '2']),
        'phq.down': pick(['0', '1', '1', '2']),
      });
    }
  }
  return familyId;
}

const PARENT_ANSWERS = [
  'Rustig en geduldig, iemand bij wie het kind altijd terecht kan.',
  'Een ouder die luistert, anders dan ik het zelf heb meegemaakt.',
  'Vrolijk en speels, met veel tijd voor buiten zijn.',
];
const BABY_ANSWERS = [
  'Beweeglijk en nieuwsgierig.',
  'Rustig, een echte slaper denk ik.',
  'Eigenwijs, net als haar vader.',
];

function addGuideResponse(
  random: Random,
  rows: FamilyRows,
  familyId: string,
  personId: string,
  by: { organisation_id: string; account_id: string },
  guideKey: string,
  answers: Record<string, string | boolean>,
) {
  const guide = guides().get(guideKey);
  if (!guide) throw new Error(`unknown guide ${guideKey}`);
  const { score, complete, attention } = scoreOf(guide, new Map(Object.entries(answers)));
  const responseId = seededUuid(random);
  rows.guideResponses.push({
    id: responseId,
    family_id: familyId,
    guide_key: guide.key,
    guide_version: guide.version,
    concerns_person_id: personId,
    score,
    complete,
    attention,
    organisation_id: by.organisation_id,
    account_id: by.account_id,
  });
  for (const [code, value] of Object.entries(answers)) {
    rows.guideAnswers.push({
      id: seededUuid(random),
      response_id: responseId,
      family_id: familyId,
      question_code: code,
      concerns_person_id: personId,
      value: JSON.stringify(value),
      organisation_id: by.organisation_id,
      account_id: by.account_id,
    });
  }
}

const NOTES: Record<string, string> = {
  finances: 'Schulden na baanverlies; budgetcoach in beeld.',
  housing: 'Kleine huurwoning, vocht in de slaapkamer.',
  isolation: 'Weinig contacten in de buurt, familie woont ver weg.',
  parent_chronic_stress: 'Slaapt slecht, veel zorgen over de toekomst.',
  supportive_partner: 'Gaat mee naar de controles en denkt actief mee.',
};

/** A signal with its versions (for about a third, a history), as the demo and the synthetic region record them. */
export function addSignal(
  random: Random,
  rows: FamilyRows,
  s: {
    familyId: string;
    code: string;
    concerns: string | null;
    note: string | null;
    by: { organisation_id: string; account_id: string };
    since: string;
    today: string;
    history: boolean;
  },
) {
  const definition = signalCodes().byKey.get(s.code);
  if (!definition) throw new Error(`unknown signal code ${s.code}`);
  const id = seededUuid(random);
  const state = {
    concerns_person_id: s.concerns,
    status: 'present' as const,
    since: s.since,
    source: (['observed', 'told_by_parent', 'told_by_other'] as const)[Math.floor(random() * 3)] ?? 'observed',
    note: s.note ?? NOTES[s.code] ?? null,
    category: definition.category,
    review_on: addDays(s.since, 182) > s.today ? addDays(s.since, 182) : addDays(s.today, 30),
  };
  // Recorded on the day it was seen (not later than now), changed on the days its history says.
  const on = (date: string) => new Date(Math.min(Date.parse(`${date}T10:00:00Z`), Date.now()));
  const versions: Insertable<SignalVersionsTable>[] = [];
  const keep = (change: SignalVersionsTable['change'], versionState: object, date: string) =>
    versions.push({
      signal_id: id,
      version: versions.length + 1,
      family_id: s.familyId,
      change,
      state: JSON.stringify(versionState),
      changed_by_account_id: s.by.account_id,
      changed_at: on(date),
    });
  keep('recorded', { code: s.code, ...state }, s.since);
  let current: Omit<typeof state, 'status' | 'review_on'> & {
    status: 'present' | 'no_longer_present';
    review_on: string | null;
    ended_on?: string;
  } = state;
  // A history as signals get one in practice, for about a third (chosen by the id, so the rest of
  // the demo stays as the seed makes it): the source put right a few days later, confirmed at the
  // review, or no longer present after a while.
  const pick = Number.parseInt(id.slice(-4), 16) / 0x10000;
  if (s.history && pick < 0.1 && addDays(s.since, 3) <= s.today) {
    current = { ...current, source: current.source === 'told_by_parent' ? 'observed' : 'told_by_parent' };
    keep('corrected', current, addDays(s.since, 3));
  }
  if (s.history && pick >= 0.1 && pick < 0.2 && addDays(s.since, 182) < s.today) {
    keep('confirmed', { reviewOn: current.review_on }, addDays(s.since, 182));
  } else if (s.history && pick >= 0.2 && pick < 0.32 && addDays(s.since, 120) <= s.today) {
    const endedOn = addDays(s.since, 120);
    current = { ...current, status: 'no_longer_present', review_on: null, ended_on: endedOn };
    keep('ended', { endedOn }, endedOn);
  }
  const last = versions.at(-1) as (typeof versions)[number];
  rows.signals.push({
    id,
    family_id: s.familyId,
    code: s.code,
    code_list_version: signalCodes().version,
    ...current,
    organisation_id: s.by.organisation_id,
    account_id: s.by.account_id,
    version: versions.length,
    created_at: on(s.since),
    updated_at: last.changed_at,
  });
  rows.signalVersions.push(...versions);
}

/** Insert generated rows in batches, in dependency order. */
export async function insertFamilyRows(db: Kysely<DB>, rows: FamilyRows, batch = 1000): Promise<void> {
  const chunks = function* <T>(list: T[]) {
    for (let i = 0; i < list.length; i += batch) yield list.slice(i, i + batch);
  };
  for (const chunk of chunks(rows.families)) await db.insertInto('families').values(chunk).execute();
  for (const chunk of chunks(rows.persons)) await db.insertInto('persons').values(chunk).execute();
  for (const chunk of chunks(rows.parentalAuthorities))
    await db.insertInto('parental_authorities').values(chunk).execute();
  for (const chunk of chunks(rows.trajectories)) await db.insertInto('trajectories').values(chunk).execute();
  for (const chunk of chunks(rows.teamOrganisations))
    await db.insertInto('care_team_organisations').values(chunk).execute();
  for (const chunk of chunks(rows.teamProfessionals))
    await db.insertInto('care_team_professionals').values(chunk).execute();
  for (const chunk of chunks(rows.consents)) await db.insertInto('consents').values(chunk).execute();
  for (const chunk of chunks(rows.contacts)) await db.insertInto('contacts').values(chunk).execute();
  for (const chunk of chunks(rows.handovers)) await db.insertInto('handovers').values(chunk).execute();
  for (const chunk of chunks(rows.tasks)) await db.insertInto('tasks').values(chunk).execute();
  for (const chunk of chunks(rows.guideResponses)) await db.insertInto('guide_responses').values(chunk).execute();
  for (const chunk of chunks(rows.guideAnswers)) await db.insertInto('guide_answers').values(chunk).execute();
  for (const chunk of chunks(rows.signals)) await db.insertInto('signals').values(chunk).execute();
  for (const chunk of chunks(rows.judgements)) await db.insertInto('judgements').values(chunk).execute();
  for (const chunk of chunks(rows.signalVersions)) await db.insertInto('signal_versions').values(chunk).execute();
  for (const chunk of chunks(rows.planGoals)) await db.insertInto('plan_goals').values(chunk).execute();
  for (const chunk of chunks(rows.planActions)) await db.insertInto('plan_actions').values(chunk).execute();
  for (const chunk of chunks(rows.planChanges)) await db.insertInto('plan_changes').values(chunk).execute();
  for (const chunk of chunks(rows.referrals)) await db.insertInto('referrals').values(chunk).execute();
  for (const chunk of chunks(rows.referralEvents)) await db.insertInto('referral_events').values(chunk).execute();
  for (const chunk of chunks(rows.consultations)) await db.insertInto('consultations').values(chunk).execute();
  for (const chunk of chunks(rows.meldcodeRoutes)) await db.insertInto('meldcode_routes').values(chunk).execute();
  for (const chunk of chunks(rows.meldcodeSteps)) await db.insertInto('meldcode_steps').values(chunk).execute();
  for (const chunk of chunks(rows.dataRequests)) await db.insertInto('data_requests').values(chunk).execute();
}
