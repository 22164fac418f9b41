-- Parents ask for help in their own Kring: the regiehouder gets a task.
ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN (
  'handover_to_accept', 'join_request', 'contact_due', 'closing_summary', 'signal_review', 'second_look',
  'referral_to_answer', 'referral_late', 'consultation_to_answer', 'override_review', 'meldcode_follow_up',
  'regie_handover', 'audit_chain_broken', 'data_request_to_decide', 'consent_changed', 'help_request'));
