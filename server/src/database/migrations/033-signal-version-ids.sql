-- Each version of a signal gets an id of its own: FHIR shows who recorded, corrected, ended or
-- confirmed a signal, and when, as a Provenance per version (Provenance/<id>).
ALTER TABLE signal_versions ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid();
CREATE UNIQUE INDEX signal_versions_id_idx ON signal_versions (id);
-- A search for the versions of the families the actor may read starts from the family.
CREATE INDEX signal_versions_family_idx ON signal_versions (family_id);
