-- A parent's own view beside a signal or the care judgement, per parent (it was one field per
-- entry: the last parent to write it overwrote the other). Professionals see each view with its
-- author; the other adult of the family only if its author chooses (shown_to_family).
CREATE TABLE parent_views (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES families (id),
  record_type text NOT NULL CHECK (record_type IN ('signal', 'judgement')),
  record_id uuid NOT NULL,
  person_id uuid NOT NULL REFERENCES persons (id),
  view text NOT NULL,
  shown_to_family boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (record_type, record_id, person_id)
);
CREATE INDEX parent_views_family_idx ON parent_views (family_id);

-- The views parents wrote on signals so far: to the parent who wrote it last (the audit trail
-- knows), else to the adult the signal is about, else to the pregnant person; shown to nobody else.
-- signals.parents_view stays for the previous release and is no longer written (contract later).
INSERT INTO parent_views (id, family_id, record_type, record_id, person_id, view, updated_at)
SELECT gen_random_uuid(), s.family_id, 'signal', s.id, author.person_id, s.parents_view, coalesce(s.parents_view_at, now())
FROM signals s
CROSS JOIN LATERAL (
  SELECT coalesce(
    (SELECT pl.person_id FROM audit_events e JOIN parent_links pl ON pl.account_id = e.actor_account_id
     WHERE e.family_id = s.family_id AND e.action = 'portal.parents_view' AND e.record_id = s.id
     ORDER BY e.occurred_at DESC LIMIT 1),
    (SELECT p.id FROM persons p WHERE p.id = s.concerns_person_id
       AND p.role IN ('pregnant_person', 'partner', 'caregiver', 'foster_parent', 'parent_of_minor')),
    (SELECT p.id FROM persons p WHERE p.family_id = s.family_id AND p.role = 'pregnant_person' LIMIT 1)
  ) AS person_id
) author
WHERE s.parents_view IS NOT NULL AND author.person_id IS NOT NULL;
