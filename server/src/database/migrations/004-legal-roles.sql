-- Legal roles around a child (the family record issue): foster parents and the parents of a minor
-- parent as persons of the family; a child protection order (OTS) on a child, with the certified
-- institution (gecertificeerde instelling) whose family guardian (gezinsvoogd) joins the team.
ALTER TABLE persons DROP CONSTRAINT persons_role_check;
ALTER TABLE persons ADD CONSTRAINT persons_role_check CHECK (role IN (
  'pregnant_person', 'partner', 'caregiver', 'foster_parent', 'parent_of_minor', 'child', 'sibling'));
ALTER TABLE persons ADD COLUMN protection_measure text CHECK (protection_measure IN ('ots'));
ALTER TABLE persons ADD COLUMN protection_measure_since date;
ALTER TABLE persons ADD COLUMN protection_organisation_id uuid REFERENCES organisations (id);

ALTER TABLE organisations DROP CONSTRAINT organisations_type_check;
ALTER TABLE organisations ADD CONSTRAINT organisations_type_check CHECK (type IN (
  'verloskundigenpraktijk', 'kraamzorg', 'ziekenhuis', 'huisarts', 'jgz', 'wijkteam', 'ggz',
  'gemeente', 'veilig_thuis', 'gecertificeerde_instelling', 'overig'));

-- Whom a contact concerns: one person of the family, or (NULL) the family as a whole. Whose
-- consent counts for reading it follows from that.
ALTER TABLE contacts ADD COLUMN concerns_person_id uuid REFERENCES persons (id);
