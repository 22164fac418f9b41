-- Name searches (FHIR Patient?name=, the family search) look at every person of a professional's
-- few hundred families. Lowering both names of each of them was half of such a search's time, so
-- the family index keeps the lowered names as its second column — ' ' || given || ' ' || family,
-- "the start of any word" being one LIKE '% word%' — and an index-only scan reads them from there
-- (the searches spell the expression exactly so: nameWords in schema.ts). No table rewrite.
DROP INDEX persons_family_idx;
CREATE INDEX persons_family_idx ON persons
  (family_id, (' ' || lower(coalesce(given_name, '') || ' ' || coalesce(family_name, ''))))
  INCLUDE (id, version, bsn, given_name, family_name, birth_date, sex);
