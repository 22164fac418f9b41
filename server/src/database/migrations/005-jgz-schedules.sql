-- A JGZ organisation's own contact schedule for ages 0–2, replacing the national default
-- (content/jgz-schedule.json) for the children in its care.
CREATE TABLE jgz_schedules (
  organisation_id uuid PRIMARY KEY REFERENCES organisations (id),
  moments jsonb NOT NULL,
  version integer NOT NULL DEFAULT 1,
  updated_by_account_id uuid NOT NULL REFERENCES accounts (id),
  updated_at timestamptz NOT NULL DEFAULT now()
);
