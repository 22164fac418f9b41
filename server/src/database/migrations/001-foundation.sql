-- Foundation: the region, organisations, accounts, sessions, login throttling and the audit trail.
-- Plain SQL that runs unchanged on PGlite (PostgreSQL 18) and PostgreSQL 15+.

CREATE TABLE app_meta (
  key text PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE municipalities (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  cbs_code text NOT NULL UNIQUE
);

CREATE TABLE neighbourhoods (
  id uuid PRIMARY KEY,
  municipality_id uuid NOT NULL REFERENCES municipalities (id),
  name text NOT NULL,
  cbs_code text NOT NULL UNIQUE
);

-- Postcode areas (the four digits) map an address to its neighbourhood.
CREATE TABLE postcode_areas (
  postcode4 char(4) PRIMARY KEY,
  neighbourhood_id uuid NOT NULL REFERENCES neighbourhoods (id)
);

CREATE TABLE organisations (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  type text NOT NULL CHECK (type IN (
    'verloskundigenpraktijk', 'kraamzorg', 'ziekenhuis', 'huisarts', 'jgz',
    'wijkteam', 'ggz', 'gemeente', 'veilig_thuis', 'overig')),
  identifier text,
  municipality_id uuid REFERENCES municipalities (id),
  active boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE accounts (
  id uuid PRIMARY KEY,
  email text NOT NULL,
  display_name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('professional', 'parent', 'analyst', 'admin')),
  organisation_id uuid REFERENCES organisations (id),
  discipline text,
  password_hash text,
  totp_secret text,
  totp_enabled_at timestamptz,
  language text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
  active boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (kind <> 'professional' OR (organisation_id IS NOT NULL AND discipline IS NOT NULL)),
  CHECK (kind <> 'analyst' OR organisation_id IS NOT NULL)
);
CREATE UNIQUE INDEX accounts_email_key ON accounts (lower(email));
CREATE INDEX accounts_organisation_idx ON accounts (organisation_id);

-- One-time tokens (second-factor enrolment now; invitations and password resets later).
-- Only an HMAC of the token is stored.
CREATE TABLE one_time_tokens (
  token_hash text PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id),
  purpose text NOT NULL CHECK (purpose IN ('totp_enrolment')),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Sessions live in the database so any Kring process behind a load balancer can serve any request.
-- The id is an HMAC of the cookie's token: a copy of this table does not give sessions away.
CREATE TABLE sessions (
  id text PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id),
  stage text NOT NULL CHECK (stage IN ('active', 'second_factor')),
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_account_idx ON sessions (account_id);

-- Failed logins per key (an e-mail address's HMAC, a client address), shared by all processes.
CREATE TABLE login_throttle (
  key text PRIMARY KEY,
  failures integer NOT NULL,
  window_started_at timestamptz NOT NULL,
  locked_until timestamptz
);

-- The audit trail (NEN 7513): append-only, hash-chained per family; events without a family
-- chain per day. Each chain's head is kept in audit_chain_heads, updated in the same transaction,
-- so a deleted newest event is detected and unrelated chains never wait on each other.
CREATE TABLE audit_events (
  id uuid PRIMARY KEY,
  chain_key text NOT NULL,
  seq integer NOT NULL,
  occurred_at timestamptz NOT NULL,
  actor_account_id uuid,
  actor_organisation_id uuid,
  actor_role text,
  action text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('success', 'refused', 'failed')),
  family_id uuid,
  record_type text,
  record_id uuid,
  client_address text,
  correlation_id text,
  details jsonb NOT NULL DEFAULT '{}',
  prev_hash text NOT NULL,
  hash text NOT NULL,
  UNIQUE (chain_key, seq)
);
CREATE INDEX audit_events_family_idx ON audit_events (family_id, occurred_at) WHERE family_id IS NOT NULL;
CREATE INDEX audit_events_actor_idx ON audit_events (actor_account_id, occurred_at);

CREATE TABLE audit_chain_heads (
  chain_key text PRIMARY KEY,
  seq integer NOT NULL,
  hash text NOT NULL
);
