-- The municipality's figures: facts derived from the family records by a background job
-- (server/src/figures/refresh-figures.ts), so that a dashboard reads small, indexed tables instead
-- of scanning the records. Rebuilt whole at every refresh; never shown to anyone row by row.

-- The figures job reads each batch of families' care teams by family (the existing index covers
-- only current members).
CREATE INDEX care_team_organisations_family_idx ON care_team_organisations (family_id);

-- What happened in each month (a first contact, a birth, a referral, a JGZ contact moment, …),
-- already counted per neighbourhood, phase ('' = any), organisation type in the team ('' = any),
-- consent for figures, part ('' = all parts) and, for referrals, intervention or evidence level:
-- how many (value) and how many distinct families (families) in that month.
CREATE TABLE figure_cells (
  refresh_id uuid NOT NULL,
  municipality_id uuid NOT NULL,
  month date NOT NULL,
  neighbourhood_id uuid NOT NULL,
  phase text NOT NULL,
  organisation_type text NOT NULL,
  figures_consent boolean NOT NULL,
  indicator text NOT NULL,
  bucket text NOT NULL,
  group_kind text NOT NULL,
  group_key text NOT NULL,
  value integer NOT NULL,
  families integer NOT NULL
);
CREATE INDEX figure_cells_read_idx ON figure_cells (refresh_id, municipality_id, month);

-- The measures behind the medians (weeks, days): how many events had each value, per cell (all parts).
CREATE TABLE figure_values (
  refresh_id uuid NOT NULL,
  municipality_id uuid NOT NULL,
  month date NOT NULL,
  neighbourhood_id uuid NOT NULL,
  phase text NOT NULL,
  organisation_type text NOT NULL,
  figures_consent boolean NOT NULL,
  indicator text NOT NULL,
  group_kind text NOT NULL,
  group_key text NOT NULL,
  value integer NOT NULL,
  n integer NOT NULL
);
CREATE INDEX figure_values_read_idx ON figure_values (refresh_id, municipality_id, month);

-- Families counted at the end of each month (in the 1001 days by phase, care intensity, stress and
-- protective factors), already summed per neighbourhood, phase and organisation type ('' = any).
CREATE TABLE figure_stock (
  refresh_id uuid NOT NULL,
  municipality_id uuid NOT NULL,
  month date NOT NULL,
  neighbourhood_id uuid NOT NULL,
  phase text NOT NULL,
  organisation_type text NOT NULL,
  figures_consent boolean NOT NULL,
  indicator text NOT NULL,
  bucket text NOT NULL,
  families integer NOT NULL
);
CREATE INDEX figure_stock_read_idx ON figure_stock (refresh_id, municipality_id, month);

-- Each refresh: when, how long it took and how much it read and wrote. Its rows are written
-- beside the previous refresh's; readers use the newest finished one, so nobody waits for a refresh.
CREATE TABLE figure_refreshes (
  id uuid PRIMARY KEY,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  families integer NOT NULL DEFAULT 0,
  cell_rows integer NOT NULL DEFAULT 0,
  stock_rows integer NOT NULL DEFAULT 0
);
CREATE INDEX figure_refreshes_finished_idx ON figure_refreshes (finished_at);
