-- What works for whom: the intervention catalogue (loaded from content/interventions.json and by
-- an administrator's CSV import), the region's offers of it (the sociale kaart), and referrals
-- that close the loop.
CREATE TABLE interventions (
  key text PRIMARY KEY,
  -- The validated definition (names, phases, intensity, evidence, …) as in the data file.
  definition jsonb NOT NULL,
  catalogue_version integer NOT NULL,
  source text NOT NULL CHECK (source IN ('catalogue', 'import')),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by_account_id uuid REFERENCES accounts (id)
);

CREATE TABLE intervention_offers (
  intervention_key text NOT NULL REFERENCES interventions (key),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  -- New families the organisation can start per month; NULL when it does not say.
  capacity_per_month integer CHECK (capacity_per_month >= 0),
  waiting_weeks integer NOT NULL DEFAULT 0 CHECK (waiting_weeks >= 0),
  contact text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (intervention_key, organisation_id)
);
CREATE INDEX intervention_offers_organisation_idx ON intervention_offers (organisation_id);

CREATE TABLE referrals (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES families (id),
  from_organisation_id uuid NOT NULL REFERENCES organisations (id),
  from_account_id uuid NOT NULL REFERENCES accounts (id),
  to_organisation_id uuid NOT NULL REFERENCES organisations (id),
  -- NULL: a referral for assessment rather than for one intervention.
  intervention_key text REFERENCES interventions (key),
  reason text NOT NULL,
  -- Given when the Gezondheidsraad rule did not propose the intervention for this family.
  reason_to_proceed text,
  urgency text NOT NULL CHECK (urgency IN ('routine', 'soon', 'urgent')),
  -- The categories of information that go along, each covered by the parents' consent when sent.
  shared_categories text[] NOT NULL,
  status text NOT NULL CHECK (status IN (
    'draft', 'sent', 'received', 'accepted', 'declined', 'started', 'completed', 'cancelled')),
  expected_start_on date,
  -- How it ended: was help really received, and if not, why.
  help_received boolean,
  outcome_reason text CHECK (outcome_reason IN (
    'family_not_reached', 'waiting_list', 'not_eligible', 'family_declined', 'no_capacity', 'other')),
  outcome_note text,
  alternative text,
  idempotency_key uuid NOT NULL,
  sent_at timestamptz,
  received_at timestamptz,
  accepted_at timestamptz,
  started_at timestamptz,
  closed_at timestamptz,
  late_task_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (from_account_id, idempotency_key)
);
CREATE INDEX referrals_family_idx ON referrals (family_id);
CREATE INDEX referrals_inbox_idx ON referrals (to_organisation_id, sent_at)
  WHERE status IN ('sent', 'received', 'accepted', 'started');

-- Every step of a referral: who moved it, when, and what they wrote.
CREATE TABLE referral_events (
  referral_id uuid NOT NULL REFERENCES referrals (id),
  version integer NOT NULL,
  family_id uuid NOT NULL REFERENCES families (id),
  status text NOT NULL,
  note text,
  account_id uuid NOT NULL REFERENCES accounts (id),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (referral_id, version)
);

ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN (
  'handover_to_accept', 'join_request', 'contact_due', 'closing_summary', 'signal_review', 'second_look',
  'referral_to_answer', 'referral_late'));
