-- The parents' Kring speaks Arabic, Turkish, Polish and Ukrainian besides Dutch and English: a
-- parent's account, the mails to them and the invitation to their Kring carry that language.
ALTER TABLE accounts DROP CONSTRAINT accounts_language_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_language_check CHECK (language IN ('nl', 'en', 'ar', 'tr', 'pl', 'uk'));
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_language_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_language_check CHECK (language IN ('nl', 'en', 'ar', 'tr', 'pl', 'uk'));
-- The language the parent's account starts in (they can change it in their Kring).
ALTER TABLE parent_invitations ADD COLUMN language text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en', 'ar', 'tr', 'pl', 'uk'));
-- A contact can note that an interpreter was there (the family's interpreter need is on the record).
ALTER TABLE contacts ADD COLUMN interpreter_used boolean NOT NULL DEFAULT false;
