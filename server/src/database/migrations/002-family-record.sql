-- The family record: families, persons, 1001-day trajectories, the care team, consent, contacts,
-- handovers and tasks. Every family-scoped table carries family_id (sharding by family later).

CREATE TABLE families (
  id uuid PRIMARY KEY,
  street text,
  house_number text,
  postcode char(6) NOT NULL,
  city text,
  neighbourhood_id uuid NOT NULL REFERENCES neighbourhoods (id),
  language text NOT NULL DEFAULT 'nl',
  interpreter_needed boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  registered_by_organisation_id uuid NOT NULL REFERENCES organisations (id),
  closed_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX families_neighbourhood_idx ON families (neighbourhood_id);

-- Every family member is a person, the expected child included.
CREATE TABLE persons (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES families (id),
  role text NOT NULL CHECK (role IN ('pregnant_person', 'partner', 'caregiver', 'child', 'sibling')),
  given_name text,
  family_name text,
  birth_date date,
  bsn char(9),
  -- Parental authority (gezag) over the family's children: only those give consent for a child.
  parental_authority boolean NOT NULL DEFAULT false,
  child_status text CHECK (child_status IN ('expected', 'born', 'pregnancy_ended')),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((role IN ('child', 'sibling')) = (child_status IS NOT NULL))
);
CREATE INDEX persons_family_idx ON persons (family_id);
CREATE UNIQUE INDEX persons_bsn_key ON persons (bsn) WHERE bsn IS NOT NULL;
CREATE INDEX persons_name_birth_idx ON persons (lower(family_name), birth_date);

-- One 1001-day trajectory per child (expected or born); a preconception registration has none yet.
CREATE TABLE trajectories (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES families (id),
  child_person_id uuid REFERENCES persons (id),
  kind text NOT NULL CHECK (kind IN ('preconception', 'child')),
  due_date date,
  lmp_date date,
  birth_date date,
  birth_weight_grams integer,
  birth_place text,
  pregnancy_ended_on date,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  closed_on date,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (kind = 'preconception' OR (child_person_id IS NOT NULL AND due_date IS NOT NULL))
);
CREATE INDEX trajectories_family_idx ON trajectories (family_id);

-- The care team: organisations (the parties parents consent to) …
CREATE TABLE care_team_organisations (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES families (id),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  started_on date NOT NULL,
  ended_on date
);
CREATE UNIQUE INDEX care_team_organisations_active_key
  ON care_team_organisations (family_id, organisation_id) WHERE ended_on IS NULL;

-- … and within each, the professionals assigned to the family; one is the regiehouder.
CREATE TABLE care_team_professionals (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES families (id),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  account_id uuid NOT NULL REFERENCES accounts (id),
  is_regiehouder boolean NOT NULL DEFAULT false,
  started_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz,
  reason text
);
CREATE INDEX care_team_professionals_account_idx ON care_team_professionals (account_id, family_id) WHERE ended_at IS NULL;
CREATE INDEX care_team_professionals_family_idx ON care_team_professionals (family_id, account_id);

-- Consent per person × organisation × category (sharing), or per person for a purpose
-- (own_history: a parent's own childhood history; municipal_figures: counted in psychosocial figures).
CREATE TABLE consents (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES families (id),
  person_id uuid NOT NULL REFERENCES persons (id),
  purpose text NOT NULL CHECK (purpose IN ('share', 'own_history', 'municipal_figures')),
  organisation_id uuid REFERENCES organisations (id),
  category text CHECK (category IN ('medical', 'psychosocial', 'social')),
  given_how text NOT NULL CHECK (given_how IN ('verbal', 'written', 'portal')),
  recorded_by_account_id uuid NOT NULL REFERENCES accounts (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  withdrawn_at timestamptz,
  withdrawn_by_account_id uuid REFERENCES accounts (id),
  CHECK ((purpose = 'share') = (organisation_id IS NOT NULL AND category IS NOT NULL))
);
CREATE INDEX consents_family_idx ON consents (family_id);

CREATE TABLE contacts (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES families (id),
  trajectory_id uuid REFERENCES trajectories (id),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  account_id uuid NOT NULL REFERENCES accounts (id),
  occurred_on date NOT NULL,
  kind text NOT NULL CHECK (kind IN (
    'prenatal_check', 'home_visit', 'kraam_visit', 'consultatiebureau', 'phone_video', 'group_session')),
  present_person_ids uuid[] NOT NULL DEFAULT '{}',
  others_present text,
  note text,
  category text NOT NULL CHECK (category IN ('medical', 'psychosocial', 'social')),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contacts_family_idx ON contacts (family_id, occurred_on);

-- A warm handover between organisations: the receiver accepts and joins the team.
CREATE TABLE handovers (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES families (id),
  from_organisation_id uuid NOT NULL REFERENCES organisations (id),
  to_organisation_id uuid NOT NULL REFERENCES organisations (id),
  summary text NOT NULL,
  end_sender_role boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'withdrawn')),
  created_by_account_id uuid NOT NULL REFERENCES accounts (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  decided_by_account_id uuid REFERENCES accounts (id),
  decided_at timestamptz,
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX handovers_to_idx ON handovers (to_organisation_id) WHERE status = 'pending';
CREATE INDEX handovers_family_idx ON handovers (family_id);

-- Tasks: one mechanism for everything someone has to do (a handover to accept, a request to join
-- a team, a due contact, a closing summary; later issues add theirs). Assigned to a professional
-- or to an organisation.
CREATE TABLE tasks (
  id uuid PRIMARY KEY,
  family_id uuid REFERENCES families (id),
  assignee_account_id uuid REFERENCES accounts (id),
  assignee_organisation_id uuid REFERENCES organisations (id),
  kind text NOT NULL CHECK (kind IN ('handover_to_accept', 'join_request', 'contact_due', 'closing_summary')),
  source_id uuid,
  details jsonb NOT NULL DEFAULT '{}',
  due_on date,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  CHECK (assignee_account_id IS NOT NULL OR assignee_organisation_id IS NOT NULL)
);
CREATE INDEX tasks_account_idx ON tasks (assignee_account_id) WHERE status = 'open';
CREATE INDEX tasks_organisation_idx ON tasks (assignee_organisation_id) WHERE status = 'open';
CREATE INDEX tasks_family_idx ON tasks (family_id);

-- In-app notifications, one per person to tell; they point at a task or a family, never carry content.
CREATE TABLE notifications (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id),
  kind text NOT NULL,
  task_id uuid REFERENCES tasks (id),
  family_id uuid REFERENCES families (id),
  read_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_unread_idx ON notifications (account_id) WHERE read_at IS NULL;
