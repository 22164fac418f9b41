import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

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
  'overig',
] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

export interface OrganisationsTable {
  id: string;
  name: string;
  type: OrganisationType;
  identifier: string | null;
  municipality_id: string | null;
  active: Generated<boolean>;
  version: Generated<number>;
  created_at: DefaultTimestamp;
}

export const ACCOUNT_KINDS = ['professional', 'parent', 'analyst', 'admin'] as const;
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
  language: Generated<'nl' | 'en'>;
  active: Generated<boolean>;
  version: Generated<number>;
  created_at: DefaultTimestamp;
}

export interface OneTimeTokensTable {
  token_hash: string;
  account_id: string;
  purpose: 'totp_enrolment';
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
}

export interface SchemaMigrationsTable {
  name: string;
  applied_at: DefaultTimestamp;
}

export interface DB {
  schema_migrations: SchemaMigrationsTable;
  app_meta: AppMetaTable;
  municipalities: MunicipalitiesTable;
  neighbourhoods: NeighbourhoodsTable;
  postcode_areas: PostcodeAreasTable;
  organisations: OrganisationsTable;
  accounts: AccountsTable;
  one_time_tokens: OneTimeTokensTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
  audit_events: AuditEventsTable;
  audit_chain_heads: AuditChainHeadsTable;
}

export type Account = Selectable<AccountsTable>;
export type Organisation = Selectable<OrganisationsTable>;
export type NewAccount = Insertable<AccountsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
