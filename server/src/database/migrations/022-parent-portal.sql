-- The parents' own Kring: a parent's account belongs to one person of one family. A professional
-- of the team invites them with a code (on paper, or in an e-mail link), valid two weeks, once.
CREATE TABLE parent_links (
  account_id uuid PRIMARY KEY REFERENCES accounts (id),
  family_id uuid NOT NULL REFERENCES families (id),
  person_id uuid NOT NULL UNIQUE REFERENCES persons (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX parent_links_family_idx ON parent_links (family_id);

CREATE TABLE parent_invitations (
  code_hash text PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES families (id),
  person_id uuid NOT NULL REFERENCES persons (id),
  invited_by_account_id uuid NOT NULL REFERENCES accounts (id),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX parent_invitations_person_idx ON parent_invitations (person_id);
