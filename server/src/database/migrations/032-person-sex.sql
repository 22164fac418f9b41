-- A child's sex as recorded at birth (or for a sibling at registration): JGZ's growth charts are
-- drawn per sex, and FHIR's Patient.gender carries it (administrative gender codes). Not asked of
-- adults. NULL is "not recorded"; 'unknown' is "recorded as not (yet) known".
ALTER TABLE persons ADD COLUMN sex text CHECK (sex IN ('female', 'male', 'other', 'unknown'));

-- What a FHIR Patient shows, the sex included, stays in the family index (see 030).
DROP INDEX persons_family_idx;
CREATE INDEX persons_family_idx ON persons (family_id)
  INCLUDE (id, version, bsn, given_name, family_name, birth_date, sex);
