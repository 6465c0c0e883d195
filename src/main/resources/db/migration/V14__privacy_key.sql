-- The pseudonymization key of the upload option mask when fitserve.privacy.pseudonymization-key is not set:
-- generated once (32 random bytes, base64) by the first replica that needs it, so tokens stay the same across
-- restarts and replicas. On an encrypted H2 database it is encrypted with the rest.
CREATE TABLE privacy_key (
    name       VARCHAR(64) PRIMARY KEY,
    key_base64 VARCHAR(128) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
-- Datasets uploaded with mask: the names of the columns dropped (a JSON array; null when none).
ALTER TABLE dataset ADD COLUMN dropped_columns_json TEXT;
