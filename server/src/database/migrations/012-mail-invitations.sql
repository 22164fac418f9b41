-- Mail leaves through an outbox: written in the transaction that decides to send it, delivered
-- after commit (and retried by the sweep). Once sent, its body — which may hold a one-time link —
-- is cleared. In demo mode the outbox page shows the mails, so a visitor can follow a link.
CREATE TABLE mail_outbox (
  id uuid PRIMARY KEY,
  to_address text NOT NULL,
  template text NOT NULL,
  language text NOT NULL CHECK (language IN ('nl', 'en')),
  subject text NOT NULL,
  body text,
  status text NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'demo')),
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
CREATE INDEX mail_outbox_queued_idx ON mail_outbox (created_at) WHERE status IN ('queued', 'failed');

ALTER TABLE one_time_tokens DROP CONSTRAINT one_time_tokens_purpose_check;
ALTER TABLE one_time_tokens ADD CONSTRAINT one_time_tokens_purpose_check
  CHECK (purpose IN ('totp_enrolment', 'invitation'));
