-- Versioned content an administrator edits (code lists, guides, knowledge cards, the intervention
-- catalogue): every published version is kept, with who published it, when and why. Without a
-- version, the content as shipped in content/ is in force.
CREATE TABLE content_versions (
  kind text NOT NULL CHECK (kind IN ('signal_codes', 'guides', 'knowledge', 'interventions')),
  version integer NOT NULL,
  document jsonb NOT NULL,
  note text NOT NULL,
  created_by_account_id uuid NOT NULL REFERENCES accounts (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, version)
);
