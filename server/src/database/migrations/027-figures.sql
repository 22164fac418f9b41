-- The municipality's figures: facts derived from the family records by a background job
-- (server/src/figures/refresh-figures.ts), so that a dashboard reads small, indexed tables instead
-- of scanning the records. Rebuilt whole at every refresh; never shown to anyone row by row.

-- The figures job reads each batch of families' care teams by family (the existing index covers
-- only current members).
CREATE INDEX care_team_organisations_family_idx ON care_team_organisations (family_id);

-- One row per event that an indicator counts (a first contact, a birth, a referral, a JGZ contact
-- moment, …), in the month it happened, with the family's neighbourhood, the organisation types
-- in its team and whether its parents consented to psychosocial figures.
CREATE TABLE figure_events (
  refresh_id uuid NOT NULL,
  family_id uuid NOT NULL,
  municipality_id uuid NOT NULL,
  neighbourhood_id uuid NOT NULL,
  organisation_types text[] NOT NULL,
  figures_consent boolean NOT NULL,
  indicator text NOT NULL,
  month date NOT NULL,
  phase text NOT NULL,
  bucket text NOT NULL,
  -- How many it counts (answers in a month: several; everything else: 1).
  weight integer NOT NULL DEFAULT 1,
  -- A measure to take the median and 90th percentile of (weeks, days), when the indicator has one.
  value integer,
  intervention_key text,
  evidence_level text
);
CREATE INDEX figure_events_read_idx ON figure_events (refresh_id, municipality_id, indicator, month);

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
  event_rows integer NOT NULL DEFAULT 0,
  stock_rows integer NOT NULL DEFAULT 0
);
CREATE INDEX figure_refreshes_finished_idx ON figure_refreshes (finished_at);
