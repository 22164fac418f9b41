-- A professional sends a parent a conversation guide to answer at home, before a visit; the
-- answers are kept as that organisation's guide response, answered by the parent.
CREATE TABLE guide_requests (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES families (id),
  guide_key text NOT NULL,
  person_id uuid NOT NULL REFERENCES persons (id),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  sent_by_account_id uuid NOT NULL REFERENCES accounts (id),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered')),
  response_id uuid REFERENCES guide_responses (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  answered_at timestamptz
);
CREATE INDEX guide_requests_family_idx ON guide_requests (family_id);

ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN (
  'handover_to_accept', 'join_request', 'contact_due', 'closing_summary', 'signal_review', 'second_look',
  'referral_to_answer', 'referral_late', 'consultation_to_answer', 'override_review', 'meldcode_follow_up',
  'regie_handover', 'audit_chain_broken', 'data_request_to_decide', 'consent_changed', 'help_request',
  'guide_answered'));
