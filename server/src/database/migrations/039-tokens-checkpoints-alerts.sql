-- Issue 22. FHIR access tokens are JWTs signed with keys of their own (not the session secret),
-- rotated: a new key is made when the newest is a day old, and a key is kept until the last token
-- it signed has expired. Kept in the database so that every Kring process on it signs and checks
-- with the same keys.
CREATE TABLE token_signing_keys (
  kid text PRIMARY KEY,
  secret bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The chain heads an audit checkpoint was computed over (the signed checkpoint itself, with its
-- Merkle root, lies outside the database: an append-only folder). Kept for the latest few.
CREATE TABLE audit_checkpoint_heads (
  checkpoint_id uuid NOT NULL,
  chain_key text NOT NULL,
  seq integer NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (checkpoint_id, chain_key)
);
CREATE TABLE audit_checkpoints (
  id uuid PRIMARY KEY,
  created_at timestamptz NOT NULL,
  chains integer NOT NULL,
  root text NOT NULL
);

-- The privacy officer is alerted to unusual break-the-glass use (the administrators' alert list).
ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN (
  'handover_to_accept', 'join_request', 'contact_due', 'closing_summary', 'signal_review', 'second_look',
  'referral_to_answer', 'referral_late', 'consultation_to_answer', 'override_review', 'meldcode_follow_up',
  'regie_handover', 'audit_chain_broken', 'data_request_to_decide', 'consent_changed', 'help_request',
  'guide_answered', 'parents_audience_review', 'safety_measure_review', 'break_glass_alert'));
CREATE INDEX consent_overrides_account_day_idx ON consent_overrides (account_id, created_at)
  WHERE kind = 'break_the_glass';
