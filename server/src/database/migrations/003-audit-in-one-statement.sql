-- The audit head also keeps the hash before the newest event, so one statement can move the head
-- (an upsert that locks it) and insert the event linked to the previous hash.
ALTER TABLE audit_chain_heads ADD COLUMN prev_hash text;
