-- Searches over a professional's own families (FHIR Patient?name=, the family search, the bulk
-- export) look at every person of a few hundred families: with the names and what a Patient shows
-- in the family index, that is an index-only scan instead of a heap visit per family.
DROP INDEX persons_family_idx;
CREATE INDEX persons_family_idx ON persons (family_id)
  INCLUDE (id, version, bsn, given_name, family_name, birth_date);

-- A professional works for one organisation: without this, the planner multiplies the selectivity
-- of account and organisation and expects one assignment where a JGZ nurse has ~300, and then
-- probes the team's organisations once per family instead of reading them in one go.
CREATE STATISTICS care_team_professionals_account_organisation (dependencies)
  ON account_id, organisation_id FROM care_team_professionals;
ANALYZE care_team_professionals;
