-- The parents' own view beside a signal ("this is how we see it"), written in their own Kring;
-- professionals see it next to their own words.
ALTER TABLE signals ADD COLUMN parents_view text;
ALTER TABLE signals ADD COLUMN parents_view_at timestamptz;
