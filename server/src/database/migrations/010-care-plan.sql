-- One family, one plan: goals written with the parents in their words, each with an owner and an
-- evaluation date; actions under a goal, each done by someone of the team or by the parents
-- themselves; referrals hang under a goal. The family's regiehouder keeps the plan.
CREATE TABLE plan_goals (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES families (id),
  goal text NOT NULL,
  -- Who carries the goal: a professional of the team, or a parent (a person of the family).
  owner_account_id uuid REFERENCES accounts (id),
  owner_person_id uuid REFERENCES persons (id),
  evaluate_on date NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'achieved', 'stopped')),
  evaluation text,
  category text NOT NULL CHECK (category IN ('medical', 'psychosocial', 'social')),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  account_id uuid NOT NULL REFERENCES accounts (id),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((owner_account_id IS NULL) <> (owner_person_id IS NULL))
);
CREATE INDEX plan_goals_family_idx ON plan_goals (family_id);

CREATE TABLE plan_actions (
  id uuid PRIMARY KEY,
  goal_id uuid NOT NULL REFERENCES plan_goals (id),
  family_id uuid NOT NULL REFERENCES families (id),
  action text NOT NULL,
  owner_account_id uuid REFERENCES accounts (id),
  owner_person_id uuid REFERENCES persons (id),
  due_on date,
  status text NOT NULL CHECK (status IN ('open', 'done', 'dropped')),
  account_id uuid NOT NULL REFERENCES accounts (id),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((owner_account_id IS NULL) <> (owner_person_id IS NULL))
);
CREATE INDEX plan_actions_family_idx ON plan_actions (family_id);

-- Every change to the plan, for the whole team to see (who changed what, when).
CREATE TABLE plan_changes (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES families (id),
  goal_id uuid NOT NULL REFERENCES plan_goals (id),
  change text NOT NULL CHECK (change IN (
    'goal_added', 'goal_changed', 'goal_achieved', 'goal_stopped', 'goal_reopened',
    'action_added', 'action_done', 'action_dropped', 'action_reopened', 'action_changed')),
  account_id uuid NOT NULL REFERENCES accounts (id),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plan_changes_family_idx ON plan_changes (family_id, at);

ALTER TABLE referrals ADD COLUMN goal_id uuid REFERENCES plan_goals (id);
