-- Safety measures on a family (PRODUCT.md point 10), each recorded with a reason and reviewed by a
-- colleague: a named adult's portal account paused (every portal request answers only "your account
-- is paused"), or a confidential address for an adult (a parent in a shelter) shown only to the
-- regiehouder's organisation and the organisations the regiehouder names — never to the other
-- adult, in an export to them, on FHIR or in the figures.
CREATE TABLE safety_measures (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES families (id),
  kind text NOT NULL CHECK (kind IN ('portal_paused', 'confidential_address')),
  person_id uuid NOT NULL REFERENCES persons (id),
  reason text NOT NULL,
  address text,
  shown_to_organisation_ids uuid[] NOT NULL DEFAULT '{}',
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  recorded_by_account_id uuid NOT NULL REFERENCES accounts (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  review_status text NOT NULL DEFAULT 'to_review' CHECK (review_status IN ('to_review', 'reviewed')),
  review_note text,
  reviewed_by_account_id uuid REFERENCES accounts (id),
  reviewed_at timestamptz,
  ended_at timestamptz,
  ended_by_account_id uuid REFERENCES accounts (id),
  ended_reason text,
  version integer NOT NULL DEFAULT 1,
  CHECK ((kind = 'confidential_address') = (address IS NOT NULL))
);
CREATE INDEX safety_measures_family_idx ON safety_measures (family_id);
CREATE INDEX safety_measures_person_idx ON safety_measures (person_id) WHERE ended_at IS NULL;

ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN (
  'handover_to_accept', 'join_request', 'contact_due', 'closing_summary', 'signal_review', 'second_look',
  'referral_to_answer', 'referral_late', 'consultation_to_answer', 'override_review', 'meldcode_follow_up',
  'regie_handover', 'audit_chain_broken', 'data_request_to_decide', 'consent_changed', 'help_request',
  'guide_answered', 'parents_audience_review', 'safety_measure_review'));
