-- System clients of the FHIR API (SMART Backend Services): an organisation's own system (its EHR)
-- that acts for that organisation. Each is an account of the kind 'system' (so that everything it
-- does is audited like a person's action, on its own name) with the public keys an administrator
-- registered; it signs in with a signed JWT assertion (private_key_jwt), never a password.
ALTER TABLE accounts DROP CONSTRAINT accounts_kind_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_kind_check
  CHECK (kind IN ('professional', 'parent', 'analyst', 'admin', 'system'));

CREATE TABLE fhir_clients (
  account_id uuid PRIMARY KEY REFERENCES accounts (id),
  -- The client's public keys as a JSON Web Key Set ({"keys": [...]}); never a private key.
  jwks jsonb NOT NULL,
  created_by_account_id uuid NOT NULL REFERENCES accounts (id),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Assertions already used (their jti), until they expire: a replayed assertion is refused.
CREATE TABLE fhir_client_assertions (
  client_id uuid NOT NULL REFERENCES accounts (id),
  jti text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (client_id, jti)
);
CREATE INDEX fhir_client_assertions_expiry_idx ON fhir_client_assertions (expires_at);

-- A system client sees the families its organisation is in the team of.
CREATE INDEX care_team_organisations_organisation_idx ON care_team_organisations (organisation_id, family_id)
  WHERE ended_on IS NULL;

-- Bulk exports ($export, the Bulk Data Access IG): a background job per kick-off, bound to the
-- account (person or system) that asked, its NDJSON files kept here until they expire.
CREATE TABLE fhir_exports (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id),
  level text NOT NULL CHECK (level IN ('system', 'patient', 'group')),
  group_id uuid,
  types text[] NOT NULL,
  since timestamptz,
  request_url text NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  families_done integer NOT NULL DEFAULT 0,
  families_total integer,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  expires_at timestamptz NOT NULL
);
CREATE INDEX fhir_exports_expiry_idx ON fhir_exports (expires_at);

CREATE TABLE fhir_export_files (
  export_id uuid NOT NULL REFERENCES fhir_exports (id) ON DELETE CASCADE,
  part integer NOT NULL,
  type text NOT NULL,
  resources integer NOT NULL,
  body text NOT NULL,
  PRIMARY KEY (export_id, part)
);

-- FHIR searches by the person an entry concerns (Observation?subject=Patient/x, Encounter?patient=…).
CREATE INDEX signals_person_idx ON signals (concerns_person_id) WHERE concerns_person_id IS NOT NULL;
CREATE INDEX contacts_person_idx ON contacts (concerns_person_id) WHERE concerns_person_id IS NOT NULL;
CREATE INDEX guide_responses_person_idx ON guide_responses (concerns_person_id) WHERE concerns_person_id IS NOT NULL;
-- A guide's answers by their response (QuestionnaireResponse.item, in reads and bulk exports).
CREATE INDEX guide_answers_response_idx ON guide_answers (response_id);
