-- Daily jobs (the audit-chain check, retention): one row per job, claimed atomically, so that of
-- several Kring processes on one database only one runs a job per day.
CREATE TABLE job_runs (
  name text PRIMARY KEY,
  last_started_at timestamptz NOT NULL
);

ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN (
  'handover_to_accept', 'join_request', 'contact_due', 'closing_summary', 'signal_review', 'second_look',
  'referral_to_answer', 'referral_late', 'consultation_to_answer', 'override_review', 'meldcode_follow_up',
  'regie_handover', 'audit_chain_broken'));
