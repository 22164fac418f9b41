-- Parents' requests to correct or delete what is recorded about them (AVG art. 16 and 17; WGBO
-- art. 7:454 and 7:455), recorded by a professional on their behalf (later by the parents in their
-- portal) and decided by the organisation that owns the entry, with the ground and the reason.
CREATE TABLE data_requests (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES families (id),
  kind text NOT NULL CHECK (kind IN ('correction', 'deletion')),
  record_type text NOT NULL CHECK (record_type IN ('signal', 'contact', 'other')),
  record_id uuid,
  requested_by_person_id uuid REFERENCES persons (id),
  request_text text NOT NULL,
  owner_organisation_id uuid NOT NULL REFERENCES organisations (id),
  recorded_by_account_id uuid NOT NULL REFERENCES accounts (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  answer_due_on date NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'granted', 'partly_granted', 'refused')),
  decision_ground text,
  decision_reason text,
  decided_by_account_id uuid REFERENCES accounts (id),
  decided_at timestamptz,
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX data_requests_family_idx ON data_requests (family_id);

ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN (
  'handover_to_accept', 'join_request', 'contact_due', 'closing_summary', 'signal_review', 'second_look',
  'referral_to_answer', 'referral_late', 'consultation_to_answer', 'override_review', 'meldcode_follow_up',
  'regie_handover', 'audit_chain_broken', 'data_request_to_decide'));
