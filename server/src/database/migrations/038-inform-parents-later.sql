-- A break-the-glass access recorded as "parents not informed" is shown to the parents only once a
-- professional (the family's regiehouder, who reviews it) decides so, with a reason.
ALTER TABLE consent_overrides ADD COLUMN parents_informed_reason text,
  ADD COLUMN parents_informed_by_account_id uuid REFERENCES accounts (id);
