-- Fairness reports: a classifier's rates per group of a sensitive feature on an uploaded dataset, kept under
-- the model like its evaluations. They go with the model (ON DELETE CASCADE, so deleting a model needs no code
-- that knows of them) but not with the dataset: its name and checksum are copied, as evaluations copy them, so
-- a report still says what it measured after the dataset is deleted. report_json holds the groups and
-- disparities.
CREATE TABLE model_fairness (
    id                 UUID PRIMARY KEY,
    model_id           UUID         NOT NULL REFERENCES trained_model (id) ON DELETE CASCADE,
    dataset_id         UUID         NOT NULL,
    dataset_name       VARCHAR(255) NOT NULL,
    dataset_sha256     VARCHAR(64)  NOT NULL,
    sensitive_feature  VARCHAR(255) NOT NULL,
    positive_label     TEXT,
    decision_threshold DOUBLE PRECISION,
    rows_evaluated     BIGINT       NOT NULL,
    rows_skipped       BIGINT       NOT NULL,
    report_json        TEXT         NOT NULL,
    warnings_json      TEXT         NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX model_fairness_model_idx ON model_fairness (model_id, created_at);
