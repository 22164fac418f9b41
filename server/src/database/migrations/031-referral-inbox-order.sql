-- The open inbox lists urgent referrals first, then the oldest: with that order in the index, a
-- page of 50 reads 50 referrals instead of sorting all the organisation's open ones (2,000 in the
-- benchmark). The expression is the one read-referrals.ts orders by, character for character.
DROP INDEX referrals_inbox_idx;
CREATE INDEX referrals_inbox_idx ON referrals (
  to_organisation_id, (CASE urgency WHEN 'urgent' THEN 0 WHEN 'soon' THEN 1 ELSE 2 END), sent_at
) WHERE status IN ('sent', 'received', 'accepted', 'started');
