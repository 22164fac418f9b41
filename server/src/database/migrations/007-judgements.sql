-- The care-intensity judgement: where the family stands on the stress continuum and the matching
-- intensity of care, with the professional's rationale and the parents' own view. Raising the
-- intensity waits for a second look by a colleague (the four-eyes rule).
CREATE TABLE judgements (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES families (id),
  stress_level text NOT NULL CHECK (stress_level IN ('normal', 'toxic', 'traumatic')),
  intensity text NOT NULL CHECK (intensity IN ('ordinary', 'specific', 'treatment')),
  rationale text NOT NULL,
  parents_view text,
  parents_ask_for_help boolean,
  category text NOT NULL DEFAULT 'psychosocial' CHECK (category IN ('medical', 'psychosocial', 'social')),
  status text NOT NULL CHECK (status IN ('effective', 'proposed', 'agreed', 'commented')),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  account_id uuid NOT NULL REFERENCES accounts (id),
  reviewer_account_id uuid REFERENCES accounts (id),
  reviewed_by_account_id uuid REFERENCES accounts (id),
  review_comment text,
  reviewed_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX judgements_family_idx ON judgements (family_id, created_at);

ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN (
  'handover_to_accept', 'join_request', 'contact_due', 'closing_summary', 'signal_review', 'second_look'));
