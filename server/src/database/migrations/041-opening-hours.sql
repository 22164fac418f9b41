-- When an organisation can be reached, shown to the parents beside its phone and e-mail (Onze reis).
ALTER TABLE organisations ADD COLUMN opening_hours text;
