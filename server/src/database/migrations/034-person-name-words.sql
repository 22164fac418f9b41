-- Name searches (FHIR Patient?name=, the family search) look at every person of a professional's
-- few hundred families. Lowering both names for each of them was half of such a search's time,
-- so the lowered names are kept, in the family index too: ' ' || given || ' ' || family, so that
-- "the start of any word" is one LIKE '% word%'.
ALTER TABLE persons ADD COLUMN name_words text
  GENERATED ALWAYS AS (' ' || lower(coalesce(given_name, '') || ' ' || coalesce(family_name, ''))) STORED;

DROP INDEX persons_family_idx;
CREATE INDEX persons_family_idx ON persons (family_id)
  INCLUDE (id, version, bsn, given_name, family_name, birth_date, sex, name_words);
