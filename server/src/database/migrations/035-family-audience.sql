-- Who in the family sees an entry in the parents' own Kring (PRODUCT.md point 10; the rule itself
-- is written once, in access/family-audience.ts).
--
-- parents_audience NULL: the rule decides (about an adult: that adult; about a born child: the
-- adults with parental authority; about the unborn child: the pregnant person; about the family:
-- every adult, but no one for a safety-class entry). An array: a professional's decision — at most
-- these persons (empty: no parent) — always with the reason and who decided.
ALTER TABLE signals ADD COLUMN parents_audience uuid[], ADD COLUMN parents_audience_reason text,
  ADD COLUMN parents_audience_by_account_id uuid REFERENCES accounts (id);
ALTER TABLE contacts ADD COLUMN parents_audience uuid[], ADD COLUMN parents_audience_reason text,
  ADD COLUMN parents_audience_by_account_id uuid REFERENCES accounts (id);
ALTER TABLE judgements ADD COLUMN parents_audience uuid[], ADD COLUMN parents_audience_reason text,
  ADD COLUMN parents_audience_by_account_id uuid REFERENCES accounts (id);
ALTER TABLE plan_goals ADD COLUMN parents_audience uuid[], ADD COLUMN parents_audience_reason text,
  ADD COLUMN parents_audience_by_account_id uuid REFERENCES accounts (id);
ALTER TABLE referrals ADD COLUMN parents_audience uuid[], ADD COLUMN parents_audience_reason text,
  ADD COLUMN parents_audience_by_account_id uuid REFERENCES accounts (id);

-- An adult's consent to show what is recorded about them (and, for the pregnant person, about the
-- unborn child) to another adult of the family: given in the portal, or recorded by a professional
-- with how it was given. Safety-class entries are never widened by it.
CREATE TABLE family_sharing (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES families (id),
  person_id uuid NOT NULL REFERENCES persons (id),
  to_person_id uuid NOT NULL REFERENCES persons (id),
  given_how text NOT NULL CHECK (given_how IN ('verbal', 'written', 'portal')),
  recorded_by_account_id uuid NOT NULL REFERENCES accounts (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  withdrawn_at timestamptz,
  CHECK (person_id <> to_person_id)
);
CREATE UNIQUE INDEX family_sharing_current ON family_sharing (person_id, to_person_id) WHERE withdrawn_at IS NULL;
CREATE INDEX family_sharing_family_idx ON family_sharing (family_id);

-- Until now every adult of a family saw every signal in the parents' Kring. Where a family with a
-- parent's account has entries of the safety class (domestic violence, or a signal a Meldcode route
-- rests on), its regiehouder gets a task to review who in the family sees them now (none, by the
-- rule above, until a professional decides).
ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN (
  'handover_to_accept', 'join_request', 'contact_due', 'closing_summary', 'signal_review', 'second_look',
  'referral_to_answer', 'referral_late', 'consultation_to_answer', 'override_review', 'meldcode_follow_up',
  'regie_handover', 'audit_chain_broken', 'data_request_to_decide', 'consent_changed', 'help_request',
  'guide_answered', 'parents_audience_review'));
INSERT INTO tasks (id, family_id, assignee_account_id, kind, details)
SELECT gen_random_uuid(), ctp.family_id, ctp.account_id, 'parents_audience_review', '{}'::jsonb
FROM care_team_professionals ctp
WHERE ctp.is_regiehouder AND ctp.ended_at IS NULL
  AND EXISTS (SELECT 1 FROM parent_links pl WHERE pl.family_id = ctp.family_id)
  AND EXISTS (
    SELECT 1 FROM signals s WHERE s.family_id = ctp.family_id AND (s.code = 'domestic_violence' OR EXISTS (
      SELECT 1 FROM meldcode_steps ms WHERE ms.family_id = s.family_id AND ms.step = 1
        AND ms.content -> 'signalIds' @> jsonb_build_array(s.id::text))));
