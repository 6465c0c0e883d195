-- TEXT is a CLOB in H2 and unbounded text in PostgreSQL: JSON documents can outgrow VARCHAR limits.
CREATE TABLE dataset (
    id                UUID PRIMARY KEY,
    name              VARCHAR(255) NOT NULL,
    original_filename VARCHAR(255),
    sha256            VARCHAR(64)  NOT NULL,
    size_bytes        BIGINT       NOT NULL,
    row_count         BIGINT       NOT NULL,
    column_count      INTEGER      NOT NULL,
    delimiter         VARCHAR(8)   NOT NULL,
    columns_json      TEXT         NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE training_job (
    id               UUID PRIMARY KEY,
    dataset_id       UUID         NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    algorithm        VARCHAR(32)  NOT NULL,
    task             VARCHAR(16)  NOT NULL,
    target           VARCHAR(255) NOT NULL,
    spec_json        TEXT         NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at       TIMESTAMP WITH TIME ZONE,
    finished_at      TIMESTAMP WITH TIME ZONE,
    model_id         UUID,
    error_json       TEXT,
    epoch            INTEGER      NOT NULL,
    epochs           INTEGER      NOT NULL,
    train_loss       DOUBLE PRECISION,
    validation_loss  DOUBLE PRECISION,
    elapsed_ms       BIGINT       NOT NULL,
    history_json     TEXT,
    cancel_requested BOOLEAN      NOT NULL,
    version          BIGINT       NOT NULL
);
CREATE INDEX training_job_status_idx ON training_job (status);
CREATE INDEX training_job_dataset_idx ON training_job (dataset_id);

CREATE TABLE trained_model (
    id                   UUID PRIMARY KEY,
    job_id               UUID         NOT NULL,
    dataset_id           UUID         NOT NULL,
    algorithm            VARCHAR(32)  NOT NULL,
    task                 VARCHAR(16)  NOT NULL,
    target               VARCHAR(255) NOT NULL,
    features_json        TEXT         NOT NULL,
    class_labels_json    TEXT         NOT NULL,
    hyperparameters_json TEXT         NOT NULL,
    metrics_json         TEXT         NOT NULL,
    provenance_json      TEXT         NOT NULL,
    artifact_sha256      VARCHAR(64)  NOT NULL,
    artifact_size        BIGINT       NOT NULL,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX trained_model_dataset_idx ON trained_model (dataset_id);
