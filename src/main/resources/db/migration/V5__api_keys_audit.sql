-- API keys: only the SHA-256 of the secret is stored; revoked keys are kept for the audit trail.
CREATE TABLE api_key (
    id            UUID PRIMARY KEY,
    name          VARCHAR(100) NOT NULL,
    role          VARCHAR(16)  NOT NULL,
    secret_sha256 VARCHAR(64)  NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at  TIMESTAMP WITH TIME ZONE,
    revoked_at    TIMESTAMP WITH TIME ZONE
);

-- One row per state change made through the API.
CREATE TABLE audit_event (
    id          UUID PRIMARY KEY,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    key_id      VARCHAR(64),
    key_name    VARCHAR(100),
    action      VARCHAR(100) NOT NULL,
    resource_id VARCHAR(255),
    status      INTEGER      NOT NULL
);
CREATE INDEX audit_event_created_idx ON audit_event (created_at);
CREATE INDEX audit_event_action_idx ON audit_event (action, created_at);
