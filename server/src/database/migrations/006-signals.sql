-- Signals: what stands between parent and child, and what protects (codes from
-- content/signal-codes.json). A signal concerns one person of the family or (NULL) the family as a
-- whole; its consent category decides which team organisations see it.
CREATE TABLE signals (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES families (id),
  code text NOT NULL,
  code_list_version integer NOT NULL,
  concerns_person_id uuid REFERENCES persons (id),
  status text NOT NULL CHECK (status IN ('present', 'no_longer_present', 'unknown')),
  since date,
  ended_on date,
  source text NOT NULL CHECK (source IN ('observed', 'told_by_parent', 'told_by_other')),
  note text,
  category text NOT NULL CHECK (category IN ('medical', 'psychosocial', 'social')),
  review_on date,
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  account_id uuid NOT NULL REFERENCES accounts (id),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX signals_family_idx ON signals (family_id);
CREATE INDEX signals_review_idx ON signals (review_on) WHERE status = 'present';

-- Every state a signal has had: recorded, corrected, ended, confirmed at review. Nothing is lost.
CREATE TABLE signal_versions (
  signal_id uuid NOT NULL REFERENCES signals (id),
  version integer NOT NULL,
  family_id uuid NOT NULL REFERENCES families (id),
  change text NOT NULL CHECK (change IN ('recorded', 'corrected', 'ended', 'confirmed')),
  state jsonb NOT NULL,
  changed_by_account_id uuid NOT NULL REFERENCES accounts (id),
  changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (signal_id, version)
);

ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN (
  'handover_to_accept', 'join_request', 'contact_due', 'closing_summary', 'signal_review'));
