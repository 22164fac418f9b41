-- Two-factor recovery codes: ten single-use codes per account, shown once, stored as HMACs.
CREATE TABLE recovery_codes (
  code_hash text PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts(id),
  used_at timestamptz
);
CREATE INDEX recovery_codes_account ON recovery_codes (account_id);
