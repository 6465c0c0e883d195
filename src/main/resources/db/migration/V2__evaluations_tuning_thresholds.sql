ALTER TABLE trained_model ADD COLUMN decision_threshold DOUBLE PRECISION;
ALTER TABLE trained_model ADD COLUMN feature_importance_json TEXT;

CREATE TABLE model_evaluation (
    id             UUID PRIMARY KEY,
    model_id       UUID         NOT NULL,
    dataset_id     UUID         NOT NULL,
    dataset_name   VARCHAR(255) NOT NULL,
    dataset_sha256 VARCHAR(64)  NOT NULL,
    rows_evaluated BIGINT       NOT NULL,
    rows_skipped   BIGINT       NOT NULL,
    metrics_json   TEXT         NOT NULL,
    warnings_json  TEXT         NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX model_evaluation_model_idx ON model_evaluation (model_id);

CREATE TABLE tuning_job (
    id               UUID PRIMARY KEY,
    dataset_id       UUID         NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    algorithm        VARCHAR(32)  NOT NULL,
    spec_json        TEXT         NOT NULL,
    trials_total     INTEGER      NOT NULL,
    trials_done      INTEGER      NOT NULL,
    best_score       DOUBLE PRECISION,
    leaderboard_json TEXT,
    best_model_id    UUID,
    error_json       TEXT,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at       TIMESTAMP WITH TIME ZONE,
    finished_at      TIMESTAMP WITH TIME ZONE,
    cancel_requested BOOLEAN      NOT NULL,
    version          BIGINT       NOT NULL
);
CREATE INDEX tuning_job_status_idx ON tuning_job (status);
CREATE INDEX tuning_job_dataset_idx ON tuning_job (dataset_id);
