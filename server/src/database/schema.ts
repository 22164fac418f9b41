import { type ColumnType, type Generated, type Insertable, type Selectable, sql } from 'kysely';
import type { Language } from '../accounts/languages.ts';

/** Table types, kept by hand beside the SQL migrations. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface AppMetaTable {
  key: string;
  value: string;
}

export interface MunicipalitiesTable {
  id: string;
  name: string;
  cbs_code: string;
}

export interface NeighbourhoodsTable {
  id: string;
  municipality_id: string;
  name: string;
  cbs_code: string;
}

export interface PostcodeAreasTable {
  postcode4: string;
  neighbourhood_id: string;
}

export const ORGANISATION_TYPES = [
  'verloskundigenpraktijk',
  'kraamzorg',
  'ziekenhuis',
  'huisarts',
  'jgz',
  'wijkteam',
  'ggz',
  'gemeente',
  'veilig_thuis',
  'gecertificeerde_instelling',
  'overig',
] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

export interface OrganisationsTable {
  id: string;
  name: string;
  type: OrganisationType;
  identifier: string | null;
  municipality_id: string | null;
  contact_phone: string | null;
  opening_hours: string | null;
  contact_email: string | null;
  address: string | null;
  oidc_issuer: Generated<string | null>;
  oidc_client_id: Generated<string | null>;
  oidc_client_secret: Generated<string | null>;
  active: Generated<boolean>;
  version: Generated<number>;
  created_at: DefaultTimestamp;
}

/** 'system': an organisation's own system calling the FHIR API (SMART Backend Services). */
export const ACCOUNT_KINDS = ['professional', 'parent', 'analyst', 'admin', 'system'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export interface AccountsTable {
  id: string;
  email: string;
  display_name: string;
  kind: AccountKind;
  organisation_id: string | null;
  discipline: string | null;
  password_hash: string | null;
  totp_secret: string | null;
  totp_enabled_at: Timestamp | null;
  oidc_subject: Generated<string | null>;
  digest_enabled: Generated<boolean>;
  digest_sent_at: Timestamp | null;
  language: Generated<Language>;
  active: Generated<boolean>;
  version: Generated<number>;
  created_at: DefaultTimestamp;
}

export interface FhirClientsTable {
  account_id: string;
  jwks: ColumnType<{ keys: Record<string, unknown>[] }, string, string>;
  created_by_account_id: string;
  created_at: DefaultTimestamp;
}

export interface FhirExportsTable {
  id: string;
  account_id: string;
  level: 'system' | 'patient' | 'group';
  group_id: string | null;
  types: ColumnType<string[], string, string>;
  since: Timestamp | null;
  request_url: string;
  status: Generated<'queued' | 'running' | 'done' | 'failed' | 'cancelled'>;
  families_done: Generated<number>;
  families_total: number | null;
  error: string | null;
  created_at: DefaultTimestamp;
  finished_at: Timestamp | null;
  expires_at: Timestamp;
}

export interface FhirExportFilesTable {
  export_id: string;
  part: number;
  type: string;
  resources: number;
  body: string;
}

/** Keys that sign FHIR access tokens (HS256 JWTs), rotated daily (smart.ts). */
export interface TokenSigningKeysTable {
  kid: string;
  secret: Buffer;
  created_at: DefaultTimestamp;
}

/** The chain heads of the latest audit checkpoints (the signed checkpoints lie outside the database). */
export interface AuditCheckpointHeadsTable {
  checkpoint_id: string;
  chain_key: string;
  seq: number;
  hash: string;
}

export interface AuditCheckpointsTable {
  id: string;
  created_at: Timestamp;
  chains: number;
  root: string;
}

export interface FhirClientAssertionsTable {
  client_id: string;
  jti: string;
  expires_at: Timestamp;
}

export interface DataRequestsTable {
  id: string;
  family_id: string;
  kind: 'correction' | 'deletion';
  record_type: 'signal' | 'contact' | 'other';
  record_id: string | null;
  requested_by_person_id: string | null;
  request_text: string;
  owner_organisation_id: string;
  recorded_by_account_id: string;
  created_at: DefaultTimestamp;
  answer_due_on: DateColumn;
  status: Generated<'open' | 'granted' | 'partly_granted' | 'refused'>;
  decision_ground: string | null;
  decision_reason: string | null;
  decided_by_account_id: string | null;
  decided_at: Timestamp | null;
  version: Generated<number>;
}

export interface OidcLoginsTable {
  state_hash: string;
  organisation_id: string;
  browser_hash: string;
  nonce: string;
  code_verifier: string;
  expires_at: Timestamp;
}

export const CONTENT_KINDS = ['signal_codes', 'guides', 'knowledge', 'interventions'] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

export interface ContentVersionsTable {
  kind: ContentKind;
  version: number;
  document: ColumnType<unknown, string, string>;
  note: string;
  created_by_account_id: string;
  created_at: DefaultTimestamp;
}

export interface ParentLinksTable {
  account_id: string;
  family_id: string;
  person_id: string;
  created_at: DefaultTimestamp;
}

export interface ParentInvitationsTable {
  code_hash: string;
  family_id: string;
  person_id: string;
  invited_by_account_id: string;
  organisation_id: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: DefaultTimestamp;
  /** The language the parent's account starts in. */
  language: Generated<Language>;
}

export interface GuideRequestsTable {
  id: string;
  family_id: string;
  guide_key: string;
  person_id: string;
  organisation_id: string;
  sent_by_account_id: string;
  status: Generated<'open' | 'answered'>;
  response_id: string | null;
  created_at: DefaultTimestamp;
  answered_at: Timestamp | null;
}

interface FigureDimensions {
  refresh_id: string;
  municipality_id: string;
  month: string;
  neighbourhood_id: string;
  phase: string;
  organisation_type: string;
  figures_consent: boolean;
  indicator: string;
  group_kind: string;
  group_key: string;
}

export interface FigureCellsTable extends FigureDimensions {
  bucket: string;
  value: number;
  families: number;
}

export interface FigureValuesTable extends FigureDimensions {
  value: number;
  n: number;
}

export interface FigureStockTable {
  refresh_id: string;
  municipality_id: string;
  month: string;
  neighbourhood_id: string;
  phase: string;
  organisation_type: string;
  figures_consent: boolean;
  indicator: string;
  bucket: string;
  families: number;
}

export interface FigureRefreshesTable {
  id: string;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  families: Generated<number>;
  cell_rows: Generated<number>;
  stock_rows: Generated<number>;
}

export interface JobRunsTable {
  name: string;
  last_started_at: Timestamp;
}

export interface RecoveryCodesTable {
  code_hash: string;
  account_id: string;
  used_at: Timestamp | null;
}

export interface OneTimeTokensTable {
  token_hash: string;
  account_id: string;
  purpose: 'totp_enrolment' | 'invitation' | 'password_reset';
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: DefaultTimestamp;
}

export interface SessionsTable {
  id: string;
  account_id: string;
  stage: 'active' | 'second_factor';
  csrf_token: string;
  created_at: DefaultTimestamp;
  last_seen_at: DefaultTimestamp;
  expires_at: Timestamp;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_started_at: Timestamp;
  locked_until: Timestamp | null;
}

/** A parent's own view beside a signal or the care judgement; the other adult sees it only if shown_to_family. */
export interface ParentViewsTable {
  id: string;
  family_id: string;
  record_type: 'signal' | 'judgement';
  record_id: string;
  person_id: string;
  view: string;
  shown_to_family: Generated<boolean>;
  updated_at: DefaultTimestamp;
}

export const SAFETY_MEASURE_KINDS = ['portal_paused', 'confidential_address'] as const;

/** A safety measure on a family: a paused portal account, or a confidential address (safety/). */
export interface SafetyMeasuresTable {
  id: string;
  family_id: string;
  kind: (typeof SAFETY_MEASURE_KINDS)[number];
  person_id: string;
  reason: string;
  address: string | null;
  shown_to_organisation_ids: ColumnType<string[], string[] | undefined, string[]>;
  organisation_id: string;
  recorded_by_account_id: string;
  recorded_at: DefaultTimestamp;
  review_status: Generated<'to_review' | 'reviewed'>;
  review_note: string | null;
  reviewed_by_account_id: string | null;
  reviewed_at: Timestamp | null;
  ended_at: Timestamp | null;
  ended_by_account_id: string | null;
  ended_reason: string | null;
  version: Generated<number>;
}

/** An adult's consent to show what is recorded about them to another adult of the family. */
export interface FamilySharingTable {
  id: string;
  family_id: string;
  person_id: string;
  to_person_id: string;
  given_how: 'verbal' | 'written' | 'portal';
  recorded_by_account_id: string;
  recorded_at: DefaultTimestamp;
  withdrawn_at: Timestamp | null;
}

/** Parental authority (gezag): this adult holds it over this child (an expected child: the intention). */
export interface ParentalAuthoritiesTable {
  child_id: string;
  adult_id: string;
  family_id: string;
  recorded_at: DefaultTimestamp;
  recorded_by_account_id: string | null;
  reason: string | null;
}

export interface AuditEventsTable {
  id: string;
  chain_key: string;
  seq: number;
  occurred_at: Timestamp;
  actor_account_id: string | null;
  actor_organisation_id: string | null;
  actor_role: string | null;
  action: string;
  outcome: 'success' | 'refused' | 'failed';
  family_id: string | null;
  record_type: string | null;
  record_id: string | null;
  client_address: string | null;
  correlation_id: string | null;
  details: ColumnType<Record<string, unknown>, string, string>;
  prev_hash: string;
  hash: string;
}

export interface AuditChainHeadsTable {
  chain_key: string;
  seq: number;
  hash: string;
  prev_hash: string | null;
}

type DateColumn = ColumnType<string, string, string>;

export interface FamiliesTable {
  id: string;
  street: string | null;
  house_number: string | null;
  postcode: string;
  city: string | null;
  neighbourhood_id: string;
  language: Generated<string>;
  interpreter_needed: Generated<boolean>;
  status: Generated<'open' | 'closed'>;
  registered_by_organisation_id: string;
  closed_at: Timestamp | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
}

export const PERSON_ROLES = [
  'pregnant_person',
  'partner',
  'caregiver',
  'foster_parent',
  'parent_of_minor',
  'child',
  'sibling',
] as const;
/**
 * The order a family's persons are listed in, everywhere: as they joined the record (at
 * registration the pregnant person, the other adults, the expected children, the siblings; later
 * ones after), by role within one registration, the eldest first, then a fixed tiebreak (twins).
 */
export const personOrder = (alias: string) =>
  sql`${sql.ref(`${alias}.created_at`)}, array_position(${sql.lit(`{${PERSON_ROLES.join(',')}}`)}::text[], ${sql.ref(`${alias}.role`)}), ${sql.ref(`${alias}.birth_date`)}, ${sql.ref(`${alias}.id`)}`;

/** The adults of a family; a parent of a minor parent is there for the minor's sake. */
export const ADULT_ROLES = ['pregnant_person', 'partner', 'caregiver', 'foster_parent', 'parent_of_minor'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];
/** A child's sex as recorded (FHIR administrative gender); null when not recorded. */
export const PERSON_SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type PersonSex = (typeof PERSON_SEXES)[number];

export interface PersonsTable {
  id: string;
  family_id: string;
  role: PersonRole;
  given_name: string | null;
  family_name: string | null;
  birth_date: DateColumn | null;
  bsn: string | null;
  /** Superseded by parental_authorities (per child); kept for the previous release, read no more. */
  parental_authority: Generated<boolean>;
  child_status: 'expected' | 'born' | 'pregnancy_ended' | null;
  /** A child's sex as recorded at birth (or registration of a sibling); never asked of adults. */
  sex: PersonSex | null;
  /** A child protection order (ondertoezichtstelling) on a child, since when, and by which institution. */
  protection_measure: 'ots' | null;
  protection_measure_since: DateColumn | null;
  protection_organisation_id: string | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
}

export interface TrajectoriesTable {
  id: string;
  family_id: string;
  child_person_id: string | null;
  kind: 'preconception' | 'child';
  due_date: DateColumn | null;
  lmp_date: DateColumn | null;
  birth_date: DateColumn | null;
  birth_weight_grams: number | null;
  birth_place: string | null;
  pregnancy_ended_on: DateColumn | null;
  status: Generated<'open' | 'closed'>;
  closed_on: DateColumn | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
}

export interface CareTeamOrganisationsTable {
  id: string;
  family_id: string;
  organisation_id: string;
  started_on: DateColumn;
  ended_on: DateColumn | null;
}

export interface CareTeamProfessionalsTable {
  id: string;
  family_id: string;
  organisation_id: string;
  account_id: string;
  is_regiehouder: Generated<boolean>;
  started_at: DefaultTimestamp;
  ended_at: Timestamp | null;
  reason: string | null;
}

export const CONSENT_CATEGORIES = ['medical', 'psychosocial', 'social'] as const;
export type ConsentCategory = (typeof CONSENT_CATEGORIES)[number];

export interface ConsentsTable {
  id: string;
  family_id: string;
  person_id: string;
  purpose: 'share' | 'own_history' | 'municipal_figures';
  organisation_id: string | null;
  category: ConsentCategory | null;
  given_how: 'verbal' | 'written' | 'portal';
  recorded_by_account_id: string;
  recorded_at: DefaultTimestamp;
  withdrawn_at: Timestamp | null;
  withdrawn_by_account_id: string | null;
}

export const CONTACT_KINDS = [
  'prenatal_check',
  'home_visit',
  'kraam_visit',
  'consultatiebureau',
  'phone_video',
  'group_session',
] as const;

export interface ContactsTable {
  id: string;
  family_id: string;
  /** Whom the contact concerns: a person, or null for the family as a whole. */
  concerns_person_id: string | null;
  trajectory_id: string | null;
  organisation_id: string;
  account_id: string;
  occurred_on: DateColumn;
  kind: (typeof CONTACT_KINDS)[number];
  present_person_ids: ColumnType<string[], string[] | undefined, string[]>;
  others_present: string | null;
  note: string | null;
  category: ConsentCategory;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  /** Who in the family sees it in the parents' Kring: null = the rule (access/family-audience.ts), else at most these persons. */
  parents_audience: Generated<string[] | null>;
  parents_audience_reason: Generated<string | null>;
  parents_audience_by_account_id: Generated<string | null>;
  /** An interpreter was there. */
  interpreter_used: Generated<boolean>;
}

export interface HandoversTable {
  id: string;
  family_id: string;
  from_organisation_id: string;
  to_organisation_id: string;
  summary: string;
  end_sender_role: Generated<boolean>;
  status: Generated<'pending' | 'accepted' | 'declined' | 'withdrawn'>;
  created_by_account_id: string;
  created_at: DefaultTimestamp;
  decided_by_account_id: string | null;
  decided_at: Timestamp | null;
  version: Generated<number>;
}

export const TASK_KINDS = [
  'handover_to_accept',
  'join_request',
  'contact_due',
  'closing_summary',
  'signal_review',
  'second_look',
  'referral_to_answer',
  'referral_late',
  'consultation_to_answer',
  'override_review',
  'meldcode_follow_up',
  'regie_handover',
  'audit_chain_broken',
  'data_request_to_decide',
  'consent_changed',
  'help_request',
  'guide_answered',
  'parents_audience_review',
  'safety_measure_review',
  'break_glass_alert',
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export interface TasksTable {
  id: string;
  family_id: string | null;
  assignee_account_id: string | null;
  assignee_organisation_id: string | null;
  kind: TaskKind;
  source_id: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  due_on: DateColumn | null;
  status: Generated<'open' | 'done' | 'cancelled'>;
  created_at: DefaultTimestamp;
  completed_at: Timestamp | null;
  version: Generated<number>;
}

export const SIGNAL_STATUSES = ['present', 'no_longer_present', 'unknown'] as const;
export const SIGNAL_SOURCES = ['observed', 'told_by_parent', 'told_by_other'] as const;

export interface SignalsTable {
  id: string;
  family_id: string;
  code: string;
  code_list_version: number;
  concerns_person_id: string | null;
  status: (typeof SIGNAL_STATUSES)[number];
  since: DateColumn | null;
  ended_on: DateColumn | null;
  source: (typeof SIGNAL_SOURCES)[number];
  note: string | null;
  category: ConsentCategory;
  review_on: DateColumn | null;
  organisation_id: string;
  account_id: string;
  /** The guide answer this signal was made from, if any. */
  from_answer_id: string | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  parents_view: Generated<string | null>;
  parents_view_at: Timestamp | null;
  /** Who in the family sees it in the parents' Kring: null = the rule (access/family-audience.ts), else at most these persons. */
  parents_audience: Generated<string[] | null>;
  parents_audience_reason: Generated<string | null>;
  parents_audience_by_account_id: Generated<string | null>;
}

export interface GuideResponsesTable {
  id: string;
  family_id: string;
  guide_key: string;
  guide_version: number;
  concerns_person_id: string | null;
  category: Generated<ConsentCategory>;
  score: number | null;
  complete: boolean;
  attention: Generated<boolean>;
  organisation_id: string;
  account_id: string;
  created_at: DefaultTimestamp;
}

export interface GuideAnswersTable {
  id: string;
  response_id: string;
  family_id: string;
  question_code: string;
  concerns_person_id: string | null;
  value: ColumnType<string | number | boolean, string, string>;
  confirmed_from_answer_id: string | null;
  category: Generated<ConsentCategory>;
  organisation_id: string;
  account_id: string;
  answered_at: DefaultTimestamp;
}

export interface SignalVersionsTable {
  id: Generated<string>;
  signal_id: string;
  version: number;
  family_id: string;
  change: 'recorded' | 'corrected' | 'ended' | 'confirmed';
  state: ColumnType<Record<string, unknown>, string, string>;
  changed_by_account_id: string;
  changed_at: DefaultTimestamp;
}

export const STRESS_LEVELS = ['normal', 'toxic', 'traumatic'] as const;
/** The intensities of care, in rising order. */
export const CARE_INTENSITIES = ['ordinary', 'specific', 'treatment'] as const;

export interface JudgementsTable {
  id: string;
  family_id: string;
  stress_level: (typeof STRESS_LEVELS)[number];
  intensity: (typeof CARE_INTENSITIES)[number];
  rationale: string;
  parents_view: string | null;
  parents_ask_for_help: boolean | null;
  category: Generated<ConsentCategory>;
  status: 'effective' | 'proposed' | 'agreed' | 'commented';
  organisation_id: string;
  account_id: string;
  reviewer_account_id: string | null;
  reviewed_by_account_id: string | null;
  review_comment: string | null;
  reviewed_at: Timestamp | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  /** Who in the family sees it in the parents' Kring: null = the rule (access/family-audience.ts), else at most these persons. */
  parents_audience: Generated<string[] | null>;
  parents_audience_reason: Generated<string | null>;
  parents_audience_by_account_id: Generated<string | null>;
}

export interface JgzSchedulesTable {
  organisation_id: string;
  moments: ColumnType<unknown[], string, string>;
  version: Generated<number>;
  updated_by_account_id: string;
  updated_at: DefaultTimestamp;
}

export interface NotificationsTable {
  id: string;
  account_id: string;
  kind: string;
  task_id: string | null;
  family_id: string | null;
  read_at: Timestamp | null;
  created_at: DefaultTimestamp;
}

export interface SchemaMigrationsTable {
  name: string;
  applied_at: DefaultTimestamp;
}

export interface DB {
  schema_migrations: SchemaMigrationsTable;
  fhir_clients: FhirClientsTable;
  fhir_client_assertions: FhirClientAssertionsTable;
  token_signing_keys: TokenSigningKeysTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_checkpoint_heads: AuditCheckpointHeadsTable;
  fhir_exports: FhirExportsTable;
  fhir_export_files: FhirExportFilesTable;
  families: FamiliesTable;
  persons: PersonsTable;
  family_sharing: FamilySharingTable;
  parental_authorities: ParentalAuthoritiesTable;
  parent_views: ParentViewsTable;
  safety_measures: SafetyMeasuresTable;
  trajectories: TrajectoriesTable;
  care_team_organisations: CareTeamOrganisationsTable;
  care_team_professionals: CareTeamProfessionalsTable;
  consents: ConsentsTable;
  contacts: ContactsTable;
  handovers: HandoversTable;
  tasks: TasksTable;
  notifications: NotificationsTable;
  app_meta: AppMetaTable;
  municipalities: MunicipalitiesTable;
  neighbourhoods: NeighbourhoodsTable;
  postcode_areas: PostcodeAreasTable;
  organisations: OrganisationsTable;
  accounts: AccountsTable;
  one_time_tokens: OneTimeTokensTable;
  recovery_codes: RecoveryCodesTable;
  job_runs: JobRunsTable;
  figure_cells: FigureCellsTable;
  figure_values: FigureValuesTable;
  figure_stock: FigureStockTable;
  figure_refreshes: FigureRefreshesTable;
  data_requests: DataRequestsTable;
  oidc_logins: OidcLoginsTable;
  content_versions: ContentVersionsTable;
  parent_links: ParentLinksTable;
  parent_invitations: ParentInvitationsTable;
  guide_requests: GuideRequestsTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
  audit_events: AuditEventsTable;
  audit_chain_heads: AuditChainHeadsTable;
  jgz_schedules: JgzSchedulesTable;
  signals: SignalsTable;
  signal_versions: SignalVersionsTable;
  judgements: JudgementsTable;
  guide_responses: GuideResponsesTable;
  guide_answers: GuideAnswersTable;
  interventions: InterventionsTable;
  intervention_offers: InterventionOffersTable;
  referrals: ReferralsTable;
  referral_events: ReferralEventsTable;
  plan_goals: PlanGoalsTable;
  plan_actions: PlanActionsTable;
  plan_changes: PlanChangesTable;
  consultations: ConsultationsTable;
  meldcode_routes: MeldcodeRoutesTable;
  meldcode_steps: MeldcodeStepsTable;
  consent_overrides: ConsentOverridesTable;
  mail_outbox: MailOutboxTable;
  organisation_neighbourhoods: OrganisationNeighbourhoodsTable;
}

export type Account = Selectable<AccountsTable>;
export type Organisation = Selectable<OrganisationsTable>;
export type NewAccount = Insertable<AccountsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;

export interface InterventionsTable {
  key: string;
  definition: ColumnType<Record<string, unknown>, string, string>;
  catalogue_version: number;
  source: 'catalogue' | 'import';
  updated_at: DefaultTimestamp;
  updated_by_account_id: string | null;
}

export interface InterventionOffersTable {
  intervention_key: string;
  organisation_id: string;
  capacity_per_month: number | null;
  waiting_weeks: Generated<number>;
  contact: string;
  updated_at: DefaultTimestamp;
}

export const REFERRAL_STATUSES = [
  'draft',
  'sent',
  'received',
  'accepted',
  'declined',
  'started',
  'completed',
  'cancelled',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
export const REFERRAL_URGENCIES = ['routine', 'soon', 'urgent'] as const;
/** Why help was not (fully) received: where families fall between the cracks. */
export const OUTCOME_REASONS = [
  'family_not_reached',
  'waiting_list',
  'not_eligible',
  'family_declined',
  'no_capacity',
  'other',
] as const;

export interface ReferralsTable {
  id: string;
  family_id: string;
  from_organisation_id: string;
  from_account_id: string;
  to_organisation_id: string;
  intervention_key: string | null;
  reason: string;
  reason_to_proceed: string | null;
  urgency: (typeof REFERRAL_URGENCIES)[number];
  shared_categories: ColumnType<ConsentCategory[], string, string>;
  status: ReferralStatus;
  expected_start_on: DateColumn | null;
  help_received: boolean | null;
  outcome_reason: (typeof OUTCOME_REASONS)[number] | null;
  outcome_note: string | null;
  alternative: string | null;
  idempotency_key: string;
  sent_at: Timestamp | null;
  received_at: Timestamp | null;
  accepted_at: Timestamp | null;
  started_at: Timestamp | null;
  closed_at: Timestamp | null;
  late_task_at: Timestamp | null;
  goal_id: string | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  /** Who in the family sees it in the parents' Kring: null = the rule (access/family-audience.ts), else at most these persons. */
  parents_audience: Generated<string[] | null>;
  parents_audience_reason: Generated<string | null>;
  parents_audience_by_account_id: Generated<string | null>;
}

export interface ReferralEventsTable {
  referral_id: string;
  version: number;
  family_id: string;
  status: ReferralStatus;
  note: string | null;
  account_id: string;
  organisation_id: string;
  at: DefaultTimestamp;
}

/**
 * A person's names as name searches match them: ' ' || lower(given) || ' ' || lower(family), so
 * that LIKE '% word%' is "the start of any word". Spelled exactly as the family index keeps it
 * (migration 034), so that a search reads it from the index instead of lowering every name.
 */
export const nameWords = (alias: string) =>
  sql<string>`(' ' || lower(coalesce(${sql.ref(`${alias}.given_name`)}, '') || ' ' || coalesce(${sql.ref(`${alias}.family_name`)}, '')))`;

/** Text to match literally inside a LIKE pattern (its %, _ and \ escaped). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A PostgreSQL text[] literal for an insert ('{a,b}'), for values that are codes (no commas or quotes). */
export function textArray(values: readonly string[]): string {
  return `{${values.join(',')}}`;
}

export const GOAL_STATUSES = ['open', 'achieved', 'stopped'] as const;
export const ACTION_STATUSES = ['open', 'done', 'dropped'] as const;
export const PLAN_CHANGES = [
  'goal_added',
  'goal_changed',
  'goal_achieved',
  'goal_stopped',
  'goal_reopened',
  'action_added',
  'action_done',
  'action_dropped',
  'action_reopened',
  'action_changed',
] as const;

export interface PlanGoalsTable {
  id: string;
  family_id: string;
  goal: string;
  owner_account_id: string | null;
  owner_person_id: string | null;
  evaluate_on: DateColumn;
  status: (typeof GOAL_STATUSES)[number];
  evaluation: string | null;
  category: ConsentCategory;
  organisation_id: string;
  account_id: string;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  /** Who in the family sees it in the parents' Kring: null = the rule (access/family-audience.ts), else at most these persons. */
  parents_audience: Generated<string[] | null>;
  parents_audience_reason: Generated<string | null>;
  parents_audience_by_account_id: Generated<string | null>;
}

export interface PlanActionsTable {
  id: string;
  goal_id: string;
  family_id: string;
  action: string;
  owner_account_id: string | null;
  owner_person_id: string | null;
  due_on: DateColumn | null;
  status: (typeof ACTION_STATUSES)[number];
  account_id: string;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface PlanChangesTable {
  id: string;
  family_id: string;
  goal_id: string;
  change: (typeof PLAN_CHANGES)[number];
  account_id: string;
  organisation_id: string;
  at: DefaultTimestamp;
}

export interface ConsultationsTable {
  id: string;
  family_id: string | null;
  asked_by_account_id: string;
  asked_by_organisation_id: string;
  consulted_organisation_id: string;
  question: string;
  shared_categories: ColumnType<ConsentCategory[], string | undefined, string>;
  answer: string | null;
  answered_by_account_id: string | null;
  answered_at: Timestamp | null;
  status: 'open' | 'answered' | 'withdrawn';
  version: Generated<number>;
  created_at: DefaultTimestamp;
}

export const MELDCODE_OUTCOMES = ['no_suspicion', 'report', 'help', 'report_and_help'] as const;

export interface MeldcodeRoutesTable {
  id: string;
  family_id: string;
  organisation_id: string;
  started_by_account_id: string;
  started_reason: string;
  meldcode_version: number;
  status: 'open' | 'closed';
  outcome: (typeof MELDCODE_OUTCOMES)[number] | null;
  shown_to_parents: Generated<boolean>;
  shown_decision_reason: string | null;
  shown_decided_by_account_id: string | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  closed_at: Timestamp | null;
}

export interface MeldcodeStepsTable {
  route_id: string;
  step: number;
  family_id: string;
  content: ColumnType<Record<string, unknown>, string, string>;
  happened_on: DateColumn;
  signed_by_account_id: string;
  organisation_id: string;
  signed_at: DefaultTimestamp;
}

export interface ConsentOverridesTable {
  id: string;
  family_id: string;
  kind: 'meldcode' | 'break_the_glass';
  organisation_id: string;
  account_id: string;
  reason: string;
  source_id: string | null;
  expires_at: Timestamp | null;
  parents_informed: Generated<boolean>;
  /** Why a professional decided afterwards that the parents may see this access, and who. */
  parents_informed_reason: Generated<string | null>;
  parents_informed_by_account_id: Generated<string | null>;
  review_status: Generated<'to_review' | 'reviewed'>;
  review_note: string | null;
  reviewed_by_account_id: string | null;
  reviewed_at: Timestamp | null;
  created_at: DefaultTimestamp;
}

export interface MailOutboxTable {
  id: string;
  to_address: string;
  template: string;
  language: Language;
  subject: string;
  body: string | null;
  status: 'queued' | 'sent' | 'failed' | 'demo';
  attempts: Generated<number>;
  created_at: DefaultTimestamp;
  sent_at: Timestamp | null;
}

export interface OrganisationNeighbourhoodsTable {
  organisation_id: string;
  neighbourhood_id: string;
}
