-- The families a professional may see are found from their own assignments (the access rule, the
-- caseload, the family search, FHIR searches): with the organisation and the regiehouder flag in
-- the index, that is an index-only scan instead of a heap visit per assigned family.
DROP INDEX care_team_professionals_account_idx;
CREATE INDEX care_team_professionals_account_idx ON care_team_professionals (account_id, family_id)
  INCLUDE (organisation_id, is_regiehouder) WHERE ended_at IS NULL;
