-- OpenID Connect per organisation: its own identity provider; its people then sign in there and
-- Kring maps them to their account (first by e-mail, from then on by the provider's subject).
ALTER TABLE organisations ADD COLUMN oidc_issuer text;
ALTER TABLE organisations ADD COLUMN oidc_client_id text;
ALTER TABLE organisations ADD COLUMN oidc_client_secret text;
ALTER TABLE accounts ADD COLUMN oidc_subject text;
CREATE UNIQUE INDEX accounts_oidc_subject_idx ON accounts (organisation_id, oidc_subject) WHERE oidc_subject IS NOT NULL;

-- A sign-in under way: state (as HMAC), the browser it started in (as HMAC), nonce and PKCE
-- verifier; used once, for ten minutes.
CREATE TABLE oidc_logins (
  state_hash text PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  browser_hash text NOT NULL,
  nonce text NOT NULL,
  code_verifier text NOT NULL,
  expires_at timestamptz NOT NULL
);
