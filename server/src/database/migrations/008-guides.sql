-- Conversation guides: one response per guide taken with (or filled in by) a person of the family,
-- and its answers, each under the question's code so that the chain can see it was asked before.
CREATE TABLE guide_responses (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES families (id),
  guide_key text NOT NULL,
  guide_version integer NOT NULL,
  concerns_person_id uuid REFERENCES persons (id),
  category text NOT NULL DEFAULT 'psychosocial' CHECK (category IN ('medical', 'psychosocial', 'social')),
  score integer,
  complete boolean NOT NULL,
  attention boolean NOT NULL DEFAULT false,
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  account_id uuid NOT NULL REFERENCES accounts (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX guide_responses_family_idx ON guide_responses (family_id, created_at);

CREATE TABLE guide_answers (
  id uuid PRIMARY KEY,
  response_id uuid NOT NULL REFERENCES guide_responses (id),
  family_id uuid NOT NULL REFERENCES families (id),
  question_code text NOT NULL,
  concerns_person_id uuid REFERENCES persons (id),
  value jsonb NOT NULL,
  -- Set when the professional confirmed an earlier answer in the chain instead of asking again.
  confirmed_from_answer_id uuid REFERENCES guide_answers (id),
  category text NOT NULL DEFAULT 'psychosocial' CHECK (category IN ('medical', 'psychosocial', 'social')),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  account_id uuid NOT NULL REFERENCES accounts (id),
  answered_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX guide_answers_family_code_idx ON guide_answers (family_id, question_code);

-- A signal can come from an answer (one action in the guide), keeping the link.
ALTER TABLE signals ADD COLUMN from_answer_id uuid REFERENCES guide_answers (id);
