-- A daily e-mail to a professional with new unread notifications: how many, and a link; never what
-- they are about. On by default; each person can turn it off on "Mijn account".
ALTER TABLE accounts ADD COLUMN digest_enabled boolean NOT NULL DEFAULT true;
ALTER TABLE accounts ADD COLUMN digest_sent_at timestamptz;
