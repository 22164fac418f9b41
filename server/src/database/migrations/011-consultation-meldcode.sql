-- Consultation: a professional asks another organisation (a specialist, Veilig Thuis for advice) a
-- question about a family — anonymously (no family link is stored) or, with consent, with what
-- the parents allow that organisation to see.
CREATE TABLE consultations (
  id uuid PRIMARY KEY,
  -- NULL for an anonymous consultation: nothing links it to the family.
  family_id uuid REFERENCES families (id),
  asked_by_account_id uuid NOT NULL REFERENCES accounts (id),
  asked_by_organisation_id uuid NOT NULL REFERENCES organisations (id),
  consulted_organisation_id uuid NOT NULL REFERENCES organisations (id),
  question text NOT NULL,
  -- With the record: the categories of information the consulted organisation may see.
  shared_categories text[] NOT NULL DEFAULT '{}',
  answer text,
  answered_by_account_id uuid REFERENCES accounts (id),
  answered_at timestamptz,
  status text NOT NULL CHECK (status IN ('open', 'answered', 'withdrawn')),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consultations_consulted_idx ON consultations (consulted_organisation_id, status);
CREATE INDEX consultations_asker_idx ON consultations (asked_by_account_id);
CREATE INDEX consultations_family_idx ON consultations (family_id) WHERE family_id IS NOT NULL;

-- The Meldcode route (five steps; the afwegingskader's questions in content/meldcode.json).
CREATE TABLE meldcode_routes (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES families (id),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  started_by_account_id uuid NOT NULL REFERENCES accounts (id),
  -- Why the professional started the route (what worries them).
  started_reason text NOT NULL,
  meldcode_version integer NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'closed')),
  -- How it ended: closed without a remaining suspicion, reported to Veilig Thuis, help offered or
  -- arranged, or both.
  outcome text CHECK (outcome IN ('no_suspicion', 'report', 'help', 'report_and_help')),
  -- Hidden from the parents while open unless the professional decides otherwise (recorded).
  shown_to_parents boolean NOT NULL DEFAULT false,
  shown_decision_reason text,
  shown_decided_by_account_id uuid REFERENCES accounts (id),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz
);
CREATE INDEX meldcode_routes_family_idx ON meldcode_routes (family_id);

CREATE TABLE meldcode_steps (
  route_id uuid NOT NULL REFERENCES meldcode_routes (id),
  step integer NOT NULL CHECK (step BETWEEN 1 AND 5),
  family_id uuid NOT NULL REFERENCES families (id),
  -- What the step recorded (its shape per step, validated by the server).
  content jsonb NOT NULL,
  happened_on date NOT NULL,
  signed_by_account_id uuid NOT NULL REFERENCES accounts (id),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  signed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (route_id, step)
);

-- The only ways information is shared without the parents' consent, each recorded with its reason
-- and flagged for review: a report under the Meldcode, and break-the-glass access.
CREATE TABLE consent_overrides (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES families (id),
  kind text NOT NULL CHECK (kind IN ('meldcode', 'break_the_glass')),
  -- The organisation that received or reached the information.
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  account_id uuid NOT NULL REFERENCES accounts (id),
  reason text NOT NULL,
  source_id uuid,
  -- Break the glass: the access ends at this moment.
  expires_at timestamptz,
  -- Whether the parents are told (not when telling would endanger the child), and why not.
  parents_informed boolean NOT NULL DEFAULT true,
  review_status text NOT NULL CHECK (review_status IN ('to_review', 'reviewed')) DEFAULT 'to_review',
  review_note text,
  reviewed_by_account_id uuid REFERENCES accounts (id),
  reviewed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consent_overrides_family_idx ON consent_overrides (family_id);
CREATE INDEX consent_overrides_access_idx ON consent_overrides (account_id, family_id, expires_at)
  WHERE kind = 'break_the_glass';

ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN (
  'handover_to_accept', 'join_request', 'contact_due', 'closing_summary', 'signal_review', 'second_look',
  'referral_to_answer', 'referral_late', 'consultation_to_answer', 'override_review', 'meldcode_follow_up'));
