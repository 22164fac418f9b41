-- Parental authority (gezag) is held over a child, not in general: a partner may hold it over the
-- new baby but not over a sibling from an earlier relationship; a minor mother's own parent may be
-- the baby's guardian. One row per adult and child. The rows are the intention for an expected
-- child (before birth the pregnant person decides about the unborn child, consent-rules.ts).
-- persons.parental_authority stays as what registration said of an adult: read only to give a
-- child expected later in a family without children the gezag the registration intended.
CREATE TABLE parental_authorities (
  child_id uuid NOT NULL REFERENCES persons (id),
  adult_id uuid NOT NULL REFERENCES persons (id),
  family_id uuid NOT NULL REFERENCES families (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  recorded_by_account_id uuid REFERENCES accounts (id),
  reason text,
  PRIMARY KEY (child_id, adult_id)
);
CREATE INDEX parental_authorities_adult_idx ON parental_authorities (adult_id);
CREATE INDEX parental_authorities_family_idx ON parental_authorities (family_id);

-- Until now one flag per adult meant "over every child of the family".
INSERT INTO parental_authorities (child_id, adult_id, family_id, recorded_at)
SELECT c.id, a.id, a.family_id, a.created_at
FROM persons a
JOIN persons c ON c.family_id = a.family_id AND c.role IN ('child', 'sibling')
WHERE a.parental_authority AND a.role NOT IN ('child', 'sibling');
