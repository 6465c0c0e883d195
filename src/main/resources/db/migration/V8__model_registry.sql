-- Model registry: named models whose numbered versions point at trained models, and aliases (champion, ...)
-- that point at a version. Plain SQL that runs on H2 and PostgreSQL alike.
CREATE TABLE registered_model (
    id            UUID PRIMARY KEY,
    name          VARCHAR(100) NOT NULL,
    description   TEXT,
    -- the highest version number handed out; versions are never deleted, so 1..last_version all exist
    last_version  INTEGER      NOT NULL,
    -- alias moves so far: the sequence number of the next alias history entry
    alias_changes INTEGER      NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    version       BIGINT       NOT NULL,
    CONSTRAINT registered_model_name_uk UNIQUE (name)
);

-- The foreign key to trained_model keeps a referenced model from being deleted, even by a delete that races
-- the version's creation (ModelService asks first, for a readable 409).
CREATE TABLE model_version (
    id                  UUID PRIMARY KEY,
    registered_model_id UUID         NOT NULL REFERENCES registered_model (id),
    version             INTEGER      NOT NULL,
    model_id            UUID         NOT NULL REFERENCES trained_model (id),
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by_key_id   VARCHAR(64),
    created_by_key_name VARCHAR(100),
    CONSTRAINT model_version_uk UNIQUE (registered_model_id, version)
);
CREATE INDEX model_version_model_idx ON model_version (model_id);

CREATE TABLE model_alias (
    registered_model_id UUID         NOT NULL,
    alias               VARCHAR(64)  NOT NULL,
    version             INTEGER      NOT NULL,
    PRIMARY KEY (registered_model_id, alias),
    CONSTRAINT model_alias_version_fk FOREIGN KEY (registered_model_id, version)
        REFERENCES model_version (registered_model_id, version)
);

-- Who moved an alias, when, from which version to which (from NULL: created; to NULL: deleted).
CREATE TABLE model_alias_event (
    id                  UUID PRIMARY KEY,
    registered_model_id UUID         NOT NULL REFERENCES registered_model (id),
    alias               VARCHAR(64)  NOT NULL,
    seq                 INTEGER      NOT NULL,
    from_version        INTEGER,
    to_version          INTEGER,
    key_id              VARCHAR(64),
    key_name            VARCHAR(100),
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT model_alias_event_seq_uk UNIQUE (registered_model_id, seq)
);
CREATE INDEX model_alias_event_alias_idx ON model_alias_event (registered_model_id, alias, seq);
