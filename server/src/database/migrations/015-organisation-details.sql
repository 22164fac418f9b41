-- What an administrator keeps of an organisation: how to reach it and which neighbourhoods it serves.
ALTER TABLE organisations ADD COLUMN contact_phone text;
ALTER TABLE organisations ADD COLUMN contact_email text;
ALTER TABLE organisations ADD COLUMN address text;

CREATE TABLE organisation_neighbourhoods (
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  neighbourhood_id uuid NOT NULL REFERENCES neighbourhoods (id),
  PRIMARY KEY (organisation_id, neighbourhood_id)
);
